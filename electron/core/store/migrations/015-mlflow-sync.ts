import type { Migration } from './index';

/**
 * Team server sync (electron/core/mlflow/sync/): the remote MLflow servers
 * the user added (their tokens are NOT here: they live in the OS keychain,
 * electron/core/secrets/), and the map of local ids to remote ids per remote
 * URI — also for a URI used ad hoc from the CLI — with how far each item got
 * (`state` partial/done, `progress` JSON such as metric points sent), so a
 * push or pull that stopped resumes where it stopped and a second one
 * creates nothing. `remote_id` is NULL while its create call is in flight.
 */
export const migration015MlflowSync: Migration = {
  version: 15,
  name: 'mlflow: team server remotes and id map',
  sql: `
    CREATE TABLE mlflow_remotes (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      uri TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL,
      last_push_at INTEGER,
      last_pull_at INTEGER
    );
    CREATE TABLE mlflow_sync_map (
      remote_uri TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('experiment', 'run', 'registered-model', 'model-version')),
      local_id TEXT NOT NULL,
      remote_id TEXT,
      direction TEXT NOT NULL CHECK (direction IN ('push', 'pull')),
      state TEXT NOT NULL CHECK (state IN ('creating', 'partial', 'done')),
      progress TEXT NOT NULL DEFAULT '{}',
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (remote_uri, kind, local_id)
    );
    CREATE UNIQUE INDEX mlflow_sync_map_remote ON mlflow_sync_map (remote_uri, kind, remote_id);
  `,
};
