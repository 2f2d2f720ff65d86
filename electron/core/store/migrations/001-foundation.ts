import type { Migration } from './index';

export const migration001Foundation: Migration = {
  version: 1,
  name: 'foundation: settings and jobs',
  sql: `
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    CREATE TABLE jobs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL,
      title TEXT NOT NULL,
      params TEXT NOT NULL DEFAULT '{}',
      status TEXT NOT NULL CHECK (status IN ('queued','running','succeeded','failed','cancelled')),
      progress_done REAL NOT NULL DEFAULT 0,
      progress_total REAL NOT NULL DEFAULT 0,
      progress_message TEXT,
      created_at TEXT NOT NULL,
      started_at TEXT,
      finished_at TEXT,
      error TEXT,
      result TEXT
    );
    CREATE INDEX jobs_status ON jobs(status);
  `,
};
