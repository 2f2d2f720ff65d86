import type { Migration } from './index';

/**
 * Serving: the scoring servers the app (or `mlwb serve`) started, and the
 * prediction log the monitoring capability reads.
 *
 * - `scoring_servers` keeps one row per start, stopped rows included (the
 *   history the registry page lists); `owner_pid` is the app process that
 *   started it, so a later start-up marks only the servers of a process that
 *   is gone as stopped.
 * - `prediction_log` has one row per predicted row, written by main in one
 *   transaction per batch the server sends; `id` grows with every insert, so
 *   pruning beyond the cap removes the lowest ids (oldest first). Inputs,
 *   prediction and probabilities are JSON text; `server_id` is null for batch
 *   scoring (`source` = 'batch'). One index (model, time) serves the
 *   monitoring reads (a model's rows in a window, a version filtered among
 *   them); every further index would cost each insert on the serving path.
 */
export const migration009Serving: Migration = {
  version: 9,
  name: 'serving: scoring servers and the prediction log',
  sql: `
    CREATE TABLE scoring_servers (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      selector TEXT NOT NULL,
      host TEXT NOT NULL,
      port INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('starting','running','stopped','failed')),
      pid INTEGER,
      owner_pid INTEGER NOT NULL,
      started_at INTEGER NOT NULL,
      stopped_at INTEGER,
      version INTEGER,
      challenger_version INTEGER,
      split TEXT,
      log_predictions INTEGER NOT NULL,
      predictions_served INTEGER NOT NULL DEFAULT 0,
      error TEXT
    );
    CREATE INDEX scoring_servers_by_state ON scoring_servers (state, started_at);
    CREATE INDEX scoring_servers_by_name ON scoring_servers (name, started_at);

    CREATE TABLE prediction_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      prediction_id TEXT NOT NULL,
      server_id INTEGER,
      model TEXT NOT NULL,
      version INTEGER NOT NULL,
      at INTEGER NOT NULL,
      latency_ms REAL NOT NULL,
      inputs TEXT NOT NULL,
      prediction TEXT NOT NULL,
      probabilities TEXT,
      source TEXT NOT NULL CHECK (source IN ('server','batch'))
    );
    CREATE INDEX prediction_log_by_model ON prediction_log (model, at);
  `,
};
