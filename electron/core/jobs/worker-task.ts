/** What a worker task may do while it runs. */
export interface TaskContext {
  /** Reports progress; throttled by the runtime, the last report always goes through. */
  progress(done: number, total: number, message?: string | null): void;
}

/**
 * A unit of CPU- or I/O-heavy work that runs inside a worker process. It gets
 * plain-data params and returns a plain-data (structured-clone-able) result.
 * It must not open the database: main owns SQLite and writes the outcome.
 */
export interface WorkerTask<P = any, R = unknown> {
  name: string;
  run(params: P, ctx: TaskContext): Promise<R> | R;
}
