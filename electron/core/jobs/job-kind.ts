import type { EventBus } from '../events';
import type { SecretStore } from '../secrets/secret-store';
import type { Store } from '../store';
import type { ProgressListener, WorkerPool } from './worker-pool';

/**
 * The parts of the app a job kind's main-side `execute` may use. Narrower
 * than AppContext on purpose: a job cannot start other jobs, close the app or
 * run pool tasks outside its own cancel signal. A job kind that needs more
 * (e.g. the PDF printer) adds the member here and in createAppContext.
 */
export interface JobApp {
  /** Folder of bundled resources (sample data, assessment content). */
  readonly resourcesDir: string;
  /** The app's version (recorded with the runs a job trains). */
  readonly appVersion: string;
  readonly store: Store;
  readonly events: EventBus;
  /** Only its size, to split work over the workers; tasks run through `JobContext.runTask`. */
  readonly pool: Pick<WorkerPool, 'size'>;
  /** Tokens (a team MLflow server's): read here, never passed in a job's params, which the store keeps. */
  readonly secrets: SecretStore;
}

/** What a job's main-side part may do while it runs. */
export interface JobContext {
  jobId: number;
  app: JobApp;
  /** Aborted when the user cancels; pass it on to long awaits. */
  signal: AbortSignal;
  /** Reports overall progress (throttled before it reaches the database and the window). */
  progress: ProgressListener;
  /**
   * Runs a named worker task in the pool. Several may run at once (e.g. trees
   * of one forest over two workers). Cancelling the job kills their workers.
   */
  runTask<R = unknown>(name: string, params: unknown, onProgress?: ProgressListener): Promise<R>;
}

/**
 * A kind of background job. `execute` runs in main and must stay light: CPU
 * work belongs in worker tasks (`runTask`); store writes of the outcome belong
 * here, after the tasks succeed, so a killed worker never leaves a half-written
 * row.
 */
export interface JobKind<P = unknown, R = unknown> {
  kind: string;
  title(params: P): string;
  /** Fails the job (killing its workers) if it runs longer than this. */
  timeoutMs?: number;
  execute(ctx: JobContext, params: P): Promise<R>;
}
