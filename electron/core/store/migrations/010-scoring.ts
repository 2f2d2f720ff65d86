import type { Migration } from './index';

/**
 * Batch scoring's stored prediction sets: one row per scored file, whose
 * bytes (the input columns plus prediction and probabilities) are an object
 * by sha256. A set names the model and version as text, like the audit log,
 * so it keeps saying which version produced it after the version is deleted;
 * the dataset version and the job are links that may go away (SET NULL).
 */
export const migration010Scoring: Migration = {
  version: 10,
  name: 'scoring: stored prediction sets',
  sql: `
    CREATE TABLE prediction_sets (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      model TEXT NOT NULL,
      version INTEGER NOT NULL CHECK (version >= 1),
      source_label TEXT NOT NULL,
      dataset_version_id INTEGER REFERENCES dataset_versions(id) ON DELETE SET NULL,
      rows INTEGER NOT NULL CHECK (rows >= 0),
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      bytes INTEGER NOT NULL CHECK (bytes >= 0),
      created_at INTEGER NOT NULL,
      job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
      summary TEXT NOT NULL
    );
    CREATE INDEX prediction_sets_model ON prediction_sets(model, version);
    CREATE INDEX prediction_sets_sha ON prediction_sets(sha256);
  `,
};
