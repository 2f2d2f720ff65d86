import type { Migration } from './index';

/**
 * Pipelines. A pipeline's definition is versioned (pipeline_versions, JSON
 * text): a run keeps the version it used. The trigger state (schedule anchor,
 * the newest dataset version and drift check seen, the watched file's
 * size/mtime/hash) lives on the pipeline row, written in the same transaction
 * that creates the run, so two triggers firing together give one run.
 * pipeline_locks holds one row per running pipeline: the app and a headless
 * scheduler share the file, and the INSERT (primary key = pipeline) is what
 * makes "never twice at once" hold across processes; a lock whose heartbeat
 * stopped (its process died) is broken and its run marked interrupted.
 * Models and runs are referred to by name / id text, as the audit log does,
 * so history stays readable after deletions.
 */
export const migration012Pipelines: Migration = {
  version: 12,
  name: 'pipelines: versioned definitions, runs and steps, locks, notifications',
  sql: `
    CREATE TABLE pipelines (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
      version INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      schedule_anchor INTEGER,
      seen_version_id INTEGER,
      seen_drift_check_id INTEGER,
      watch_size INTEGER,
      watch_mtime INTEGER,
      watch_sha256 TEXT
    );

    CREATE TABLE pipeline_versions (
      pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
      version INTEGER NOT NULL,
      definition TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      PRIMARY KEY (pipeline_id, version)
    );

    CREATE TABLE pipeline_runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
      pipeline_version INTEGER NOT NULL,
      trigger TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'refused', 'cancelled', 'interrupted')),
      started_at INTEGER NOT NULL,
      finished_at INTEGER,
      job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
      owner TEXT NOT NULL,
      reason TEXT,
      dataset_version_id INTEGER,
      model_version INTEGER
    );
    CREATE INDEX pipeline_runs_pipeline ON pipeline_runs(pipeline_id, started_at);
    CREATE INDEX pipeline_runs_status ON pipeline_runs(status);

    CREATE TABLE pipeline_steps (
      run_id INTEGER NOT NULL REFERENCES pipeline_runs(id) ON DELETE CASCADE,
      idx INTEGER NOT NULL,
      name TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled')),
      started_at INTEGER,
      finished_at INTEGER,
      log TEXT NOT NULL DEFAULT '[]',
      detail TEXT NOT NULL DEFAULT '{}',
      PRIMARY KEY (run_id, idx)
    );

    CREATE TABLE pipeline_locks (
      pipeline_id INTEGER PRIMARY KEY REFERENCES pipelines(id) ON DELETE CASCADE,
      run_id INTEGER NOT NULL REFERENCES pipeline_runs(id) ON DELETE CASCADE,
      owner TEXT NOT NULL,
      acquired_at INTEGER NOT NULL,
      heartbeat_at INTEGER NOT NULL
    );

    CREATE TABLE pipeline_notifications (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at INTEGER NOT NULL,
      pipeline TEXT NOT NULL,
      run_id INTEGER REFERENCES pipeline_runs(id) ON DELETE SET NULL,
      kind TEXT NOT NULL CHECK (kind IN ('failed', 'refused', 'staging', 'promoted', 'rolled-back')),
      message TEXT NOT NULL,
      read INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1))
    );
    CREATE INDEX pipeline_notifications_unread ON pipeline_notifications(read, at);
  `,
};
