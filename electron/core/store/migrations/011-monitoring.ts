import type { Migration } from './index';

/**
 * Monitoring. A drift check keeps its summary in columns (lists, trend) and
 * its whole DriftResult as JSON text (a report is a few hundred KB at most:
 * one row per column with a 20-bin chart), plus one row per column in
 * drift_check_columns so "which features drift most often" is a GROUP BY.
 * Models are named as text (as the audit log does), so a check keeps saying
 * what it was about after a version is deleted; dataset ids are plain
 * integers for the same reason. Alerts point at their check (SET NULL when
 * it is deleted). monitor_settings and actuals serve prediction monitoring.
 */
export const migration011Monitoring: Migration = {
  version: 11,
  name: 'monitoring: drift checks, alerts, monitor settings, actual labels',
  sql: `
    CREATE TABLE drift_checks (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      created_at INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
      model TEXT,
      model_version INTEGER,
      baseline_label TEXT NOT NULL,
      baseline_version_id INTEGER,
      baseline_dataset_id INTEGER,
      current_label TEXT NOT NULL,
      current_kind TEXT NOT NULL CHECK (current_kind IN ('dataset', 'file', 'predictions')),
      current_version_id INTEGER,
      current_dataset_id INTEGER,
      rule TEXT NOT NULL CHECK (rule IN ('chapter', 'evidently')),
      tested INTEGER NOT NULL,
      drifted INTEGER NOT NULL,
      drift_share REAL NOT NULL,
      dataset_drift INTEGER NOT NULL CHECK (dataset_drift IN (0, 1)),
      summary TEXT NOT NULL,
      request TEXT NOT NULL,
      result TEXT NOT NULL
    );
    CREATE INDEX drift_checks_model ON drift_checks(model, created_at);
    CREATE INDEX drift_checks_baseline_dataset ON drift_checks(baseline_dataset_id);
    CREATE INDEX drift_checks_current_dataset ON drift_checks(current_dataset_id);

    CREATE TABLE drift_check_columns (
      check_id INTEGER NOT NULL REFERENCES drift_checks(id) ON DELETE CASCADE,
      "column" TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('drift', 'no-drift', 'not-tested')),
      drifted INTEGER NOT NULL CHECK (drifted IN (0, 1)),
      test TEXT,
      statistic REAL,
      p_value REAL,
      distance REAL,
      PRIMARY KEY (check_id, "column")
    );
    CREATE INDEX drift_check_columns_column ON drift_check_columns("column", drifted);

    CREATE TABLE monitoring_alerts (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at INTEGER NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('data-drift', 'prediction-drift', 'accuracy')),
      model TEXT,
      model_version INTEGER,
      check_id INTEGER REFERENCES drift_checks(id) ON DELETE SET NULL,
      message TEXT NOT NULL,
      value REAL,
      threshold REAL,
      acknowledged_at INTEGER,
      acknowledged_by TEXT
    );
    CREATE INDEX monitoring_alerts_open ON monitoring_alerts(acknowledged_at, at);

    CREATE TABLE monitor_settings (
      name TEXT PRIMARY KEY,
      enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
      "window" TEXT NOT NULL,
      threshold REAL NOT NULL,
      updated_at INTEGER NOT NULL
    );

    CREATE TABLE actuals (
      prediction_id TEXT PRIMARY KEY,
      actual TEXT NOT NULL,
      received_at INTEGER NOT NULL
    );
  `,
};
