import type { Migration } from './index';

/**
 * The MLflow REST API (electron/core/mlflow/): what MLflow's tracking store
 * keeps that the tracking tables of 007 do not — a run's dataset inputs
 * (log-inputs: each dataset with its digest, source and schema, and the
 * input's tags such as `mlflow.data.context`). Datasets are kept per run, as
 * MLflow's `inputs` of a run, not as workbench dataset versions.
 */
export const migration014Mlflow: Migration = {
  version: 14,
  name: 'mlflow: run dataset inputs',
  sql: `
    CREATE TABLE mlflow_run_inputs (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      digest TEXT NOT NULL,
      source_type TEXT NOT NULL,
      source TEXT NOT NULL,
      schema TEXT,
      profile TEXT,
      tags TEXT NOT NULL DEFAULT '[]',
      created_at INTEGER NOT NULL,
      PRIMARY KEY (run_id, name, digest)
    ) WITHOUT ROWID;
  `,
};
