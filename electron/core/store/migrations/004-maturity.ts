import type { Migration } from './index';

/**
 * Maturity self-assessments and their answers (one row per answered item).
 * Item ids are the content's stable ids (shared/maturity-content.ts); an
 * item never answered has no row.
 */
export const migration004Maturity: Migration = {
  version: 4,
  name: 'maturity: assessments and answers',
  sql: `
    CREATE TABLE maturity_assessments (
      id TEXT PRIMARY KEY,
      organisation TEXT NOT NULL,
      team TEXT NOT NULL DEFAULT '',
      facilitator TEXT NOT NULL DEFAULT '',
      participants TEXT NOT NULL DEFAULT '[]',
      assessed_on TEXT NOT NULL,
      partly_counts_half INTEGER NOT NULL DEFAULT 0 CHECK (partly_counts_half IN (0, 1)),
      status TEXT NOT NULL CHECK (status IN ('in-progress', 'completed')),
      cursor INTEGER NOT NULL DEFAULT 0,
      content_version INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX maturity_assessments_org ON maturity_assessments(organisation, assessed_on);
    CREATE TABLE maturity_answers (
      assessment_id TEXT NOT NULL REFERENCES maturity_assessments(id) ON DELETE CASCADE,
      item_id TEXT NOT NULL,
      value TEXT CHECK (value IN ('yes', 'partly', 'no', 'unsure')),
      note TEXT NOT NULL DEFAULT '',
      updated_at TEXT NOT NULL,
      PRIMARY KEY (assessment_id, item_id)
    );
  `,
};
