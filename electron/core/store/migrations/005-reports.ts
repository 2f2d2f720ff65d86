import type { Migration } from './index';

/**
 * Exported reports: what was exported, when, and where its bytes are
 * (the file itself lives in objects/ by SHA-256, so it can be downloaded again).
 */
export const migration005Reports: Migration = {
  version: 5,
  name: 'reports: exported report files',
  sql: `
    CREATE TABLE exported_reports (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      report_id TEXT NOT NULL,
      target_id TEXT NOT NULL,
      title TEXT NOT NULL,
      format TEXT NOT NULL CHECK (format IN ('pdf', 'html')),
      paper TEXT NOT NULL CHECK (paper IN ('A4', 'Letter')),
      language TEXT NOT NULL CHECK (language IN ('en', 'ja')),
      file_name TEXT NOT NULL,
      size INTEGER NOT NULL,
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      duration_ms REAL NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX exported_reports_created ON exported_reports(created_at);
  `,
};
