import type { Migration } from './index';

/**
 * The model registry, shaped after MLflow's (registered_models,
 * model_versions, tags, aliases) so its REST API maps onto the same rows,
 * plus the workbench's own approval requests and audit log:
 *
 * - a version points at the run it came from and at the model object (the
 *   run's `model/model.json` artifact) by content hash; a registered run
 *   cannot be purged (RESTRICT), so a version never loses its lineage.
 * - version numbers are never reused: `last_version` only grows.
 * - an alias names one version of its model; deleting the version drops it.
 * - at most one pending approval request per (model, version, stage).
 * - `registry_audit` is append-only: triggers refuse UPDATE and DELETE, so
 *   not even a bug in the app can rewrite history. Rows name the model as
 *   it was called then (no foreign key), so they outlive a deleted model.
 */
export const migration008Registry: Migration = {
  version: 8,
  name: 'registry: models, versions, stages, aliases, approvals, audit log',
  sql: `
    CREATE TABLE registered_models (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL UNIQUE,
      description TEXT NOT NULL DEFAULT '',
      require_approval INTEGER NOT NULL DEFAULT 0,
      last_version INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE registered_model_tags (
      model_id INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (model_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE model_versions (
      model_id INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
      version INTEGER NOT NULL,
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE RESTRICT,
      model_sha256 TEXT NOT NULL CHECK (length(model_sha256) = 64),
      stage TEXT NOT NULL DEFAULT 'None' CHECK (stage IN ('None','Staging','Production','Archived')),
      description TEXT NOT NULL DEFAULT '',
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      created_by TEXT NOT NULL DEFAULT '',
      gate_spec TEXT,
      gates TEXT,
      intended_use TEXT NOT NULL DEFAULT '',
      limitations TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (model_id, version)
    );
    CREATE INDEX model_versions_run ON model_versions(run_id);
    CREATE INDEX model_versions_stage ON model_versions(model_id, stage);
    CREATE INDEX model_versions_sha ON model_versions(model_sha256);
    CREATE TABLE model_version_tags (
      model_id INTEGER NOT NULL,
      version INTEGER NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (model_id, version, key),
      FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE TABLE model_aliases (
      model_id INTEGER NOT NULL,
      alias TEXT NOT NULL,
      version INTEGER NOT NULL,
      PRIMARY KEY (model_id, alias),
      FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE TABLE approval_requests (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      model_id INTEGER NOT NULL,
      version INTEGER NOT NULL,
      to_stage TEXT NOT NULL CHECK (to_stage IN ('None','Staging','Production','Archived')),
      requested_by TEXT NOT NULL,
      requested_at INTEGER NOT NULL,
      comment TEXT NOT NULL,
      keep_existing INTEGER NOT NULL DEFAULT 0,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','cancelled')),
      decided_by TEXT,
      decided_at INTEGER,
      decision_comment TEXT,
      FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version) ON DELETE CASCADE
    );
    CREATE UNIQUE INDEX approval_one_pending ON approval_requests(model_id, version, to_stage) WHERE status = 'pending';
    CREATE TABLE registry_audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at INTEGER NOT NULL,
      actor TEXT NOT NULL,
      via TEXT NOT NULL,
      action TEXT NOT NULL,
      model TEXT NOT NULL,
      version INTEGER,
      from_value TEXT,
      to_value TEXT,
      comment TEXT NOT NULL DEFAULT '',
      detail TEXT
    );
    CREATE INDEX registry_audit_model ON registry_audit(model, at);
    CREATE INDEX registry_audit_at ON registry_audit(at);
    CREATE TRIGGER registry_audit_no_update BEFORE UPDATE ON registry_audit
      BEGIN SELECT RAISE(ABORT, 'The registry audit log is append-only: its rows cannot be changed.'); END;
    CREATE TRIGGER registry_audit_no_delete BEFORE DELETE ON registry_audit
      BEGIN SELECT RAISE(ABORT, 'The registry audit log is append-only: its rows cannot be deleted.'); END;
  `,
};
