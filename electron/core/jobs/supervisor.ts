import type { JobRecord } from '../../../shared/jobs';
import { AppError } from '../../../shared/errors';
import type { AppContext } from '../app-context';
import type { JobKind } from './job-kind';
import type { WorkerPool } from './worker-pool';

interface Running {
  controller: AbortController;
  done: Promise<JobRecord>;
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
 */
export class JobSupervisor {
  private readonly running = new Map<number, Running>();
  private closed = false;
  private readonly waiting: Array<() => void> = [];
  private active = 0;

  constructor(
    private readonly app: Pick<AppContext, 'store' | 'events'> & Partial<AppContext>,
    private readonly pool: WorkerPool,
  ) {}

  /** Records the job as queued and starts it when a slot is free. */
  start<P>(kind: JobKind<P>, params: P): JobRecord {
    const job = this.app.store.jobs.createJob(kind.kind, kind.title(params), params);
    const controller = new AbortController();
    const entry: Running = { controller, done: Promise.resolve(job), lastDbWrite: 0, lastEmit: 0 };
    entry.done = this.run(job.id, kind, params, entry);
    this.running.set(job.id, entry);
    this.notify(job.id);
    return job;
  }

  /** Cancels a queued or running job; a finished one is returned unchanged. */
  cancel(id: number): JobRecord {
    const entry = this.running.get(id);
    if (entry) entry.controller.abort();
    else {
      const job = this.app.store.jobs.getJob(id);
      if (job.status === 'queued' || job.status === 'running') {
        // Left by another process (e.g. the CLI): nothing here can stop it, so record the cancel.
        this.app.store.jobs.markJobCancelled(id);
      }
    }
    return this.app.store.jobs.getJob(id);
  }

  /** Resolves with the final record once the job has ended. */
  async waitFor(id: number): Promise<JobRecord> {
    const entry = this.running.get(id);
    return entry ? entry.done : this.app.store.jobs.getJob(id);
  }

  /** Cancels every job (on quit). */
  shutdown(): void {
    // Jobs still running when the store closes are marked interrupted at the next start.
    this.closed = true;
    for (const entry of this.running.values()) entry.controller.abort();
  }

  private async run<P>(id: number, kind: JobKind<P>, params: P, entry: Running): Promise<JobRecord> {
    await Promise.resolve(); // let start() register the entry first
    const { signal } = entry.controller;
    try {
      await this.acquire(signal);
    } catch {
      return this.finish(id, () => this.app.store.jobs.markJobCancelled(id));
    }
    let timedOut = false;
    const timer = kind.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          entry.controller.abort();
        }, kind.timeoutMs)
      : undefined;
    try {
      this.app.store.jobs.markJobRunning(id);
      this.notify(id);
      const progress = (done: number, total: number, message: string | null) => this.onProgress(id, entry, done, total, message);
      const result = await kind.execute(
        {
          jobId: id,
          app: this.app as AppContext,
          signal,
          progress,
          runTask: (name, taskParams, onProgress) => this.pool.runTask(name, taskParams, { signal, onProgress: onProgress ?? progress }),
        },
        params,
      );
      if (signal.aborted) throw new AppError('job_cancelled', 'Cancelled.');
      return this.finish(id, () => this.app.store.jobs.markJobSucceeded(id, result));
    } catch (err) {
      if (timedOut) {
        return this.finish(id, () => this.app.store.jobs.markJobFailed(id, `timed out after ${kind.timeoutMs! / 1000} s`));
      }
      if (signal.aborted || (err instanceof AppError && err.code === 'job_cancelled')) {
        return this.finish(id, () => this.app.store.jobs.markJobCancelled(id));
      }
      const message = err instanceof Error ? err.message : String(err);
      return this.finish(id, () => this.app.store.jobs.markJobFailed(id, message));
    } finally {
      clearTimeout(timer);
      this.release();
    }
  }

  private finish(id: number, write: () => void): JobRecord {
    this.running.delete(id);
    if (this.closed) return { id } as JobRecord;
    write();
    return this.notify(id);
  }

  private onProgress(id: number, entry: Running, done: number, total: number, message: string | null): void {
    if (this.closed) return;
    const now = Date.now();
    const final = total > 0 && done >= total;
    if (final || now - entry.lastDbWrite >= WRITE_EVERY_MS) {
      entry.lastDbWrite = now;
      this.app.store.jobs.updateJobProgress(id, done, total, message);
    }
    if (final || now - entry.lastEmit >= EMIT_EVERY_MS) {
      entry.lastEmit = now;
      const job = this.app.store.jobs.getJob(id);
      this.app.events.emit('job', { ...job, progressDone: done, progressTotal: total, progressMessage: message });
    }
  }

  private notify(id: number): JobRecord {
    const job = this.app.store.jobs.getJob(id);
    this.app.events.emit('job', job);
    this.app.events.emit('changed', { topic: 'jobs' });
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
