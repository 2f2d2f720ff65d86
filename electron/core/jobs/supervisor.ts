import type { JobRecord } from '../../../shared/jobs';
import { AppError } from '../../../shared/errors';
import type { EventBus } from '../events';
import type { Store } from '../store';
import type { JobApp, JobKind } from './job-kind';
import type { WorkerPool } from './worker-pool';

/** What the supervisor works with, and what it hands to job kinds. */
export interface JobSupervisorDeps {
  /** Where jobs are recorded. */
  store: Pick<Store, 'jobs'>;
  /** Receives `job` (every status/progress change) and `changed { topic: 'jobs' }`. */
  events: EventBus;
  /** Runs the jobs' worker tasks; its size is the number of jobs that run at once. */
  pool: WorkerPool;
  /** Given to every job kind's `execute` as `ctx.app`. */
  jobApp: JobApp;
}

interface Running {
  controller: AbortController;
  done: Promise<JobRecord>;
  /** The job as last read from the store; what `waitFor` gives once the store has closed. */
  record: JobRecord;
  lastDbWrite: number;
  lastEmit: number;
}

const EMIT_EVERY_MS = 100;
const WRITE_EVERY_MS = 500;

/**
 * The one supervisor of background jobs: records each job in the jobs table,
 * runs its kind's `execute`, streams throttled progress to the store and the
 * event bus, and turns every ending (result, error, crash, cancel) into a final
 * status. At most `pool.size` jobs run at once; the rest stay queued.
 * After `shutdown`, jobs still running resolve with their record as it last
 * stood in the store (the next start marks them interrupted).
 */
export class JobSupervisor {
  private readonly running = new Map<number, Running>();
  private closed = false;
  private readonly waiting: Array<() => void> = [];
  private active = 0;

  private readonly store: Pick<Store, 'jobs'>;
  private readonly events: EventBus;
  private readonly pool: WorkerPool;
  private readonly jobApp: JobApp;

  constructor(deps: JobSupervisorDeps) {
    ({ store: this.store, events: this.events, pool: this.pool, jobApp: this.jobApp } = deps);
  }

  /** Records the job as queued and starts it when a slot is free. */
  start<P>(kind: JobKind<P>, params: P): JobRecord {
    if (this.closed) throw new AppError('internal', `Cannot start "${kind.title(params)}": the app is shutting down.`);
    const job = this.store.jobs.createJob(kind.kind, kind.title(params), params);
    const controller = new AbortController();
    const entry: Running = { controller, done: Promise.resolve(job), record: job, lastDbWrite: 0, lastEmit: 0 };
    entry.done = this.run(job.id, kind, params, entry);
    this.running.set(job.id, entry);
    this.notify(entry);
    return job;
  }

  /** Cancels a queued or running job; a finished one is returned unchanged. */
  cancel(id: number): JobRecord {
    const entry = this.running.get(id);
    if (entry) entry.controller.abort();
    else {
      const job = this.store.jobs.getJob(id);
      if (job.status === 'queued' || job.status === 'running') {
        // Left by another process (e.g. the CLI): nothing here can stop it, so record the cancel.
        this.store.jobs.markJobCancelled(id);
      }
    }
    return this.store.jobs.getJob(id);
  }

  /** Resolves with the final record once the job has ended. */
  async waitFor(id: number): Promise<JobRecord> {
    const entry = this.running.get(id);
    return entry ? entry.done : this.store.jobs.getJob(id);
  }

  /**
   * Cancels every job (on quit), before the store closes. Jobs still running
   * are left as they are in the store — the next start marks them
   * interrupted — and their `waitFor` resolves with that record.
   */
  shutdown(): void {
    for (const [id, entry] of this.running) {
      try {
        entry.record = this.store.jobs.getJob(id);
      } catch {
        // The store is already closed: keep the last record read.
      }
    }
    this.closed = true;
    for (const entry of this.running.values()) entry.controller.abort();
  }

  private async run<P>(id: number, kind: JobKind<P>, params: P, entry: Running): Promise<JobRecord> {
    await Promise.resolve(); // let start() register the entry first
    const { signal } = entry.controller;
    try {
      await this.acquire(signal);
    } catch {
      return this.finish(entry, () => this.store.jobs.markJobCancelled(id));
    }
    let timedOut = false;
    const timer = kind.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          entry.controller.abort();
        }, kind.timeoutMs)
      : undefined;
    try {
      if (this.closed) throw new AppError('job_cancelled', 'Cancelled.');
      this.store.jobs.markJobRunning(id);
      this.notify(entry);
      const progress = (done: number, total: number, message: string | null) => this.onProgress(id, entry, done, total, message);
      const result = await kind.execute(
        {
          jobId: id,
          app: this.jobApp,
          signal,
          progress,
          runTask: (name, taskParams, onProgress) => this.pool.runTask(name, taskParams, { signal, onProgress: onProgress ?? progress }),
        },
        params,
      );
      if (signal.aborted) throw new AppError('job_cancelled', 'Cancelled.');
      return this.finish(entry, () => this.store.jobs.markJobSucceeded(id, result));
    } catch (err) {
      if (timedOut) {
        return this.finish(entry, () => this.store.jobs.markJobFailed(id, `timed out after ${kind.timeoutMs! / 1000} s`));
      }
      if (signal.aborted || (err instanceof AppError && err.code === 'job_cancelled')) {
        return this.finish(entry, () => this.store.jobs.markJobCancelled(id));
      }
      const message = err instanceof Error ? err.message : String(err);
      return this.finish(entry, () => this.store.jobs.markJobFailed(id, message));
    } finally {
      clearTimeout(timer);
      this.release();
    }
  }

  private finish(entry: Running, write: () => void): JobRecord {
    this.running.delete(entry.record.id);
    // After shutdown the store may be closed: the record read at shutdown is the last word.
    if (this.closed) return entry.record;
    write();
    return this.notify(entry);
  }

  private onProgress(id: number, entry: Running, done: number, total: number, message: string | null): void {
    if (this.closed) return;
    const now = Date.now();
    const final = total > 0 && done >= total;
    if (final || now - entry.lastDbWrite >= WRITE_EVERY_MS) {
      entry.lastDbWrite = now;
      this.store.jobs.updateJobProgress(id, done, total, message);
    }
    if (final || now - entry.lastEmit >= EMIT_EVERY_MS) {
      entry.lastEmit = now;
      const job = this.store.jobs.getJob(id);
      this.events.emit('job', { ...job, progressDone: done, progressTotal: total, progressMessage: message });
    }
  }

  /** Reads the job from the store, keeps it as the entry's record and tells the window. */
  private notify(entry: Running): JobRecord {
    const job = this.store.jobs.getJob(entry.record.id);
    entry.record = job;
    this.events.emit('job', job);
    this.events.emit('changed', { topic: 'jobs' });
    return job;
  }

  private acquire(signal: AbortSignal): Promise<void> {
    if (this.active < this.pool.size) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const go = () => {
        signal.removeEventListener('abort', onAbort);
        this.active++;
        resolve();
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(go);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new AppError('job_cancelled', 'Cancelled.'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(go);
    });
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}
