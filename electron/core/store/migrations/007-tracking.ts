import type { Migration } from './index';

/**
 * Experiment tracking: experiments, runs and what a run logs (params, metric
 * points, tags, artifacts), shaped after MLflow's tracking store so the
 * registry, monitoring, pipelines and the MLflow REST API map onto the same
 * rows without a second store:
 *
 * - ids as MLflow has them: experiments by integer (0 = "Default"), runs by a
 *   32-hex uuid; times in epoch milliseconds; statuses RUNNING, SCHEDULED,
 *   FINISHED, FAILED, KILLED; `lifecycle_stage` active/deleted (the trash).
 * - every metric point is kept (`metric_points`, per-step series); the latest
 *   value of each key (highest step, then timestamp, then value — MLflow's
 *   rule) is kept beside it in `latest_metrics`, which search and sort read.
 *   NaN is stored as `is_nan = 1` with a NULL value (SQLite has no NaN).
 * - params are write-once (MLflow refuses a changed value); tags overwrite;
 *   a run's notes are the tag `mlflow.note.content`, as in MLflow.
 * - artifacts are files in the content-addressed `objects/` store, listed per
 *   run by their relative path.
 * - a run trained by the workbench keeps its resolved training spec (`spec`)
 *   and its dataset version, so it can be reproduced and traced (lineage).
 */
export const migration007Tracking: Migration = {
  version: 7,
  name: 'tracking: experiments, runs, params, metrics, tags, artifacts, saved views',
  sql: `
    CREATE TABLE experiments (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      description TEXT NOT NULL DEFAULT '',
      lifecycle_stage TEXT NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active','deleted')),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      deleted_at INTEGER
    );
    INSERT INTO experiments (id, name, description, created_at, updated_at)
      VALUES (0, 'Default', '', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
    CREATE TABLE experiment_tags (
      experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (experiment_id, key)
    );
    CREATE TABLE runs (
      id TEXT PRIMARY KEY CHECK (length(id) = 32),
      experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('RUNNING','SCHEDULED','FINISHED','FAILED','KILLED')),
      start_time INTEGER NOT NULL,
      end_time INTEGER,
      user_id TEXT NOT NULL DEFAULT '',
      lifecycle_stage TEXT NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active','deleted')),
      deleted_at INTEGER,
      error TEXT,
      source TEXT NOT NULL DEFAULT 'app',
      job_id INTEGER UNIQUE REFERENCES jobs(id) ON DELETE SET NULL,
      dataset_version_id INTEGER REFERENCES dataset_versions(id) ON DELETE SET NULL,
      spec TEXT
    );
    CREATE INDEX runs_experiment ON runs(experiment_id, lifecycle_stage, start_time DESC);
    CREATE TABLE params (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (run_id, key)
    ) WITHOUT ROWID;
    CREATE INDEX params_key ON params(key, value);
    CREATE TABLE tags (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (run_id, key)
    ) WITHOUT ROWID;
    CREATE INDEX tags_key ON tags(key, value);
    CREATE TABLE metric_points (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      value REAL,
      is_nan INTEGER NOT NULL DEFAULT 0,
      timestamp INTEGER NOT NULL,
      step INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX metric_points_run_key ON metric_points(run_id, key, step);
    CREATE TABLE latest_metrics (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      value REAL,
      is_nan INTEGER NOT NULL DEFAULT 0,
      timestamp INTEGER NOT NULL,
      step INTEGER NOT NULL,
      PRIMARY KEY (run_id, key)
    ) WITHOUT ROWID;
    CREATE INDEX latest_metrics_key ON latest_metrics(key, value);
    CREATE TABLE artifacts (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      path TEXT NOT NULL,
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      size INTEGER NOT NULL,
      media_type TEXT NOT NULL DEFAULT 'application/octet-stream',
      created_at INTEGER NOT NULL,
      PRIMARY KEY (run_id, path)
    ) WITHOUT ROWID;
    CREATE INDEX artifacts_sha256 ON artifacts(sha256);
    CREATE TABLE saved_views (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      experiment_id INTEGER REFERENCES experiments(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      filter TEXT NOT NULL DEFAULT '',
      order_by TEXT NOT NULL DEFAULT '[]',
      columns TEXT NOT NULL DEFAULT '[]',
      created_at INTEGER NOT NULL,
      UNIQUE (experiment_id, name)
    );
  `,
};
