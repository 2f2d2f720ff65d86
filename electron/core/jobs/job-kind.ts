import type { AppContext } from '../app-context';
import type { ProgressListener } from '../jobs/worker-pool';

/** What a job's main-side part may do while it runs. */
export interface JobContext {
  jobId: number;
  app: AppContext;
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
