import path from 'node:path';
import { createEventBus, type EventBus } from './events';
import type { SpawnWorker } from './jobs/protocol';
import { JobSupervisor } from './jobs/supervisor';
import { WorkerPool, defaultPoolSize } from './jobs/worker-pool';
import { createStore, type Store } from './store';
import { prepareWorkspaceDir } from './workspace';
import { adoptTrainJobs } from './tracking/run-writer';
import type { PdfPrinter } from './reports/print-pdf';
import { actorOf } from './registry/actor';
import type { SpawnScoringServer } from './serving/protocol';
import { createMlflowManager, type MlflowManager } from './mlflow/mlflow-manager';
import { createServingManager, processAlive, type ServingManager, type ServingManagerOptions } from './serving/serving-manager';
import { PipelineScheduler } from './pipelines/scheduler';
import { memorySecretStore, type SecretStore } from './secrets/secret-store';

export interface AppContextOptions {
  workspaceDir: string;
  /** Folder of bundled resources (sample data, assessment content). */
  resourcesDir: string;
  spawnWorker: SpawnWorker;
  poolSize?: number;
  /** better-sqlite3 binary for this runtime (Electron passes its own build). */
  nativeBinding?: string;
  appVersion: string;
  shell: 'electron' | 'browser' | 'cli';
  /** Prints report HTML to PDF: Electron's printToPDF in the app, Chromium elsewhere. */
  printPdf?: PdfPrinter;
  /** Starts a scoring-server process (utilityProcess in the app, fork elsewhere); without it serving:start refuses. */
  spawnScoringServer?: SpawnScoringServer;
  /** Serving tunables (body timeout, log batching); tests shorten them. */
  serving?: Pick<ServingManagerOptions, 'bodyTimeoutMs' | 'logFlushMs' | 'logBatchRows' | 'startTimeoutMs' | 'stopTimeoutMs'>;
  /** Starts the pipeline scheduler (the app and the browser host); default false (the CLI starts it only in `mlwb pipelines scheduler`). */
  scheduler?: boolean;
  /** Where tokens are kept: the OS keychain in the app (safeStorage); memory for the session elsewhere. */
  secrets?: SecretStore;
}

/**
 * Everything a handler or job needs, built once per process: the workspace
 * store, the event bus, the worker pool and the job supervisor. At start-up it
 * marks jobs a crashed run left behind as failed and removes half-written temp
 * objects, so the workspace is consistent before anything else runs.
 */
export interface AppContext {
  workspaceDir: string;
  resourcesDir: string;
  appVersion: string;
  shell: AppContextOptions['shell'];
  store: Store;
  events: EventBus;
  pool: WorkerPool;
  jobs: JobSupervisor;
  /** The local scoring servers (electron/core/serving/serving-manager.ts). */
  serving: ServingManager;
  /** The MLflow REST endpoint (electron/core/mlflow/), on the same store. */
  mlflow: MlflowManager;
  /** The pipeline scheduler (electron/core/pipelines/scheduler.ts); started with the `scheduler` option. */
  scheduler: PipelineScheduler;
  /** Tokens of team MLflow servers (never in the workspace's SQLite file). */
  secrets: SecretStore;
  printPdf?: PdfPrinter;
  close(): void;
}

export function createAppContext(options: AppContextOptions): AppContext {
  prepareWorkspaceDir(options.workspaceDir);
  const store = createStore(options.workspaceDir, { nativeBinding: options.nativeBinding });
  store.jobs.failInterruptedJobs();
  store.tracking.failInterruptedRuns();
  // Servers a crashed (or killed) app left marked running are stopped: their processes ended with it.
  store.serving.stopOrphanedServers(processAlive, Date.now());
  store.objects.cleanTempFiles();
  // Train jobs recorded before runs existed become runs of the Default experiment (once).
  adoptTrainJobs(store, options.appVersion);
  const events = createEventBus();
  const pool = new WorkerPool(options.spawnWorker, options.poolSize ?? defaultPoolSize());
  const secrets = options.secrets ?? memorySecretStore();
  const jobs = new JobSupervisor({
    store,
    events,
    pool,
    jobApp: { resourcesDir: options.resourcesDir, appVersion: options.appVersion, store, events, pool, secrets },
  });
  const serving = createServingManager({
    store,
    events,
    spawn: options.spawnScoringServer,
    actor: () => actorOf({ shell: options.shell }),
    ...options.serving,
  });
  const mlflow = createMlflowManager({
    store,
    events,
    actor: () => ({ ...actorOf({ shell: options.shell }), via: 'mlflow-api' }),
    registry: { store, events, runTask: (name, params) => pool.runTask(name, params), isServing: (n, v) => serving.isServing(n, v) },
    // The app and the browser host run the endpoint as Settings says; the CLI only in `mlwb mlflow serve`.
    followSettings: options.shell !== 'cli',
    secrets,
    secretKey: `mlflow-endpoint:${path.resolve(options.workspaceDir)}`,
  });
  // Headless (`mlwb pipelines scheduler`) its runs are owned by `scheduler@host:pid`, in the app and the host by `app@…`.
  const scheduler = new PipelineScheduler({ store, events, jobs, pool }, { role: options.shell === 'cli' ? 'scheduler' : 'app' });
  const ctx: AppContext = {
    workspaceDir: options.workspaceDir,
    resourcesDir: options.resourcesDir,
    appVersion: options.appVersion,
    shell: options.shell,
    store,
    events,
    pool,
    jobs,
    serving,
    mlflow,
    scheduler,
    secrets,
    printPdf: options.printPdf,
    close() {
      scheduler.stop();
      serving.shutdown();
      mlflow.shutdown();
      jobs.shutdown();
      pool.shutdown();
      store.close();
    },
  };
  if (options.scheduler) void scheduler.start();
  return ctx;
}
