import path from 'node:path';
import { currentSchemaVersion, databasePath, openDatabase, type Db, type OpenDatabaseOptions } from './database';
import { createDatasetsRepo } from './datasets-repo';
import { createJobsRepo } from './jobs-repo';
import { createMaturityRepo } from './maturity-repo';
import { createObjectStore, type ObjectStore } from './object-store';
import { createReportsRepo } from './reports-repo';
import { createSettingsRepo } from './settings-repo';
import { createTrackingRepo } from './tracking-repo';
import { createRegistryRepo } from './registry-repo';
import { createServingRepo } from './serving-repo';
import { createScoringRepo } from './scoring-repo';
import { createMonitoringRepo } from './monitoring-repo';
import { createPipelinesRepo } from './pipelines-repo';
import { createMlflowSyncRepo } from './mlflow-sync-repo';

/**
 * The one owner of the workspace database. Everything else talks to SQLite
 * through the typed repositories hung on this object; a capability adds its
 * repository here.
 */
export function createStore(workspaceDir: string, options: OpenDatabaseOptions = {}) {
  const file = databasePath(workspaceDir);
  const db = openDatabase(file, options);
  const objects = createObjectStore(path.join(workspaceDir, 'objects'));
  return {
    file,
    objects,
    jobs: createJobsRepo(db),
    settings: createSettingsRepo(db),
    maturity: createMaturityRepo(db),
    reports: createReportsRepo(db),
    datasets: createDatasetsRepo(db),
    /** Experiments and runs (see migrations/007-tracking.ts). */
    tracking: createTrackingRepo(db),
    /** The model registry (see migrations/008-registry.ts). */
    registry: createRegistryRepo(db),
    /** Scoring servers and the prediction log (see migrations/009-serving.ts). */
    serving: createServingRepo(db),
    /** Batch scoring's prediction sets (see migrations/010-scoring.ts). */
    scoring: createScoringRepo(db),
    /** Drift checks, alerts, monitor settings and actual labels (see migrations/011-monitoring.ts). */
    monitoring: createMonitoringRepo(db),
    /** Pipelines: versioned definitions, runs and steps, locks, notifications (see migrations/012-pipelines.ts). */
    pipelines: createPipelinesRepo(db),
    /** Team server sync: remotes and the local ↔ remote id map (see migrations/015-mlflow-sync.ts). */
    mlflowSync: createMlflowSyncRepo(db),
    /** Runs `fn` in one write transaction. */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
    health() {
      return {
        schemaVersion: currentSchemaVersion(db),
        integrity: String(db.pragma('integrity_check', { simple: true })),
        journalMode: String(db.pragma('journal_mode', { simple: true })),
        foreignKeys: db.pragma('foreign_keys', { simple: true }) === 1,
        sqliteVersion: (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
      };
    },
    close(): void {
      if (db.open) db.close();
    },
  };
}
export type Store = ReturnType<typeof createStore>;
export type { Db, ObjectStore };
