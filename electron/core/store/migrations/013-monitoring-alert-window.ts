import type { Migration } from './index';

/**
 * Monitoring alerts say which time window (and model version, where known)
 * they are about, so "once per window" is checked on columns instead of on
 * the message text: `window_start` is the UTC-aligned window's start in epoch
 * ms and `window_size` its size ('1h', '6h', '1d', '7d'); both NULL for
 * alerts of a drift check (a check is not a window). Alerts stored before
 * this migration keep NULL (their message still names the window).
 *
 * prediction_set_labels holds what a scored file with its actual labels gave
 * (batch predictions are not in the prediction log, so they cannot be joined
 * on a prediction id): one row per import, accuracy/F1 or RMSE/R², with the
 * file's sha256 (the same file imported again raises no second alert).
 */
export const migration013MonitoringAlertWindow: Migration = {
  version: 13,
  name: 'monitoring: alert window and version; labelled scored files',
  sql: `
    ALTER TABLE monitoring_alerts ADD COLUMN window_start INTEGER;
    ALTER TABLE monitoring_alerts ADD COLUMN window_size TEXT;
    CREATE INDEX monitoring_alerts_window ON monitoring_alerts(kind, model, window_start);

    CREATE TABLE prediction_set_labels (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      model TEXT NOT NULL,
      version INTEGER,
      prediction_set_id INTEGER REFERENCES prediction_sets(id) ON DELETE SET NULL,
      source_label TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      at INTEGER NOT NULL,
      rows INTEGER NOT NULL,
      labelled INTEGER NOT NULL,
      accuracy REAL,
      f1 REAL,
      rmse REAL,
      r2 REAL,
      below_threshold INTEGER NOT NULL CHECK (below_threshold IN (0, 1))
    );
    CREATE INDEX prediction_set_labels_model ON prediction_set_labels(model, at);
  `,
};
