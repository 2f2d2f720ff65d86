import os from 'node:os';
import { AppError } from '../../../shared/errors';
import type { FromWorker, SpawnWorker, WorkerHandle } from './protocol';

/** Progress reported by a task: units done of total, and a short message. */
export type ProgressListener = (done: number, total: number, message: string | null) => void;

interface PendingTask {
  taskId: number;
  name: string;
  params: unknown;
  onProgress: ProgressListener;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  signal?: AbortSignal;
}

interface Slot {
  worker: WorkerHandle;
  task: PendingTask | null;
  dead: boolean;
}

/**
 * A persistent pool of worker processes (start-up costs 60–100 ms, so workers
 * are kept between tasks). Each worker runs one task at a time; extra tasks
 * wait in a FIFO queue. Aborting a task kills its worker — the only way to stop
 * CPU-bound code at once — and a fresh worker takes its place on demand.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: PendingTask[] = [];
  private nextTaskId = 1;
  private closed = false;

  constructor(
    private readonly spawn: SpawnWorker,
    readonly size: number = defaultPoolSize(),
  ) {}

  /** Runs a named task in a worker; rejects with AppError('job_cancelled') on abort, 'job_failed' on crash. */
  runTask<R = unknown>(name: string, params: unknown, options: { onProgress?: ProgressListener; signal?: AbortSignal } = {}): Promise<R> {
    if (this.closed) return Promise.reject(new AppError('internal', 'The worker pool is shut down.'));
    if (options.signal?.aborted) return Promise.reject(cancelled());
    return new Promise<R>((resolve, reject) => {
      const task: PendingTask = {
        taskId: this.nextTaskId++,
        name,
        params,
        onProgress: options.onProgress ?? (() => {}),
        resolve: resolve as (v: unknown) => void,
        reject,
        signal: options.signal,
      };
      options.signal?.addEventListener('abort', () => this.abortTask(task), { once: true });
      this.queue.push(task);
      this.dispatch();
    });
  }

  /** Process ids of the live workers. */
  get workerPids(): number[] {
    return this.slots.filter((s) => !s.dead && s.worker.pid !== undefined).map((s) => s.worker.pid!);
  }

  /** Number of live worker processes. */
  get workerCount(): number {
    return this.slots.filter((s) => !s.dead).length;
  }

  /** Kills every worker; queued and running tasks are rejected. */
  shutdown(): void {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new AppError('job_failed', 'The app is shutting down.'));
    for (const slot of this.slots) {
      slot.task?.reject(new AppError('job_failed', 'The app is shutting down.'));
      slot.task = null;
      slot.dead = true;
      slot.worker.kill();
    }
  }

  private dispatch(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.dead && !s.task);
      if (!slot) {
        if (this.slots.filter((s) => !s.dead).length >= this.size) return;
        slot = this.startWorker();
      }
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.postMessage({ type: 'task', taskId: task.taskId, name: task.name, params: task.params });
    }
  }

  private startWorker(): Slot {
    // Drop dead slots so the array does not grow with every cancel.
    for (let i = this.slots.length - 1; i >= 0; i--) if (this.slots[i].dead) this.slots.splice(i, 1);
    const worker = this.spawn();
    const slot: Slot = { worker, task: null, dead: false };
    worker.onMessage((msg) => this.onMessage(slot, msg));
    worker.onExit((reason) => {
      slot.dead = true;
      const task = slot.task;
      slot.task = null;
      if (task) task.reject(new AppError('job_failed', `The worker process stopped unexpectedly (${reason}).`));
      if (!this.closed) this.dispatch();
    });
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    const task = slot.task;
    if (msg.type === 'ready' || !task || msg.taskId !== task.taskId) return;
    if (msg.type === 'progress') {
      task.onProgress(msg.done, msg.total, msg.message);
      return;
    }
    slot.task = null;
    if (msg.type === 'done') task.resolve(msg.result);
    else task.reject(AppError.fromData(msg.error));
    this.dispatch();
  }

  private abortTask(task: PendingTask): void {
    const queued = this.queue.indexOf(task);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      task.reject(cancelled());
      return;
    }
    const slot = this.slots.find((s) => s.task === task);
    if (!slot) return;
    slot.task = null;
    slot.dead = true;
    slot.worker.kill();
    task.reject(cancelled());
    this.dispatch();
  }
}

function cancelled(): AppError {
  return new AppError('job_cancelled', 'Cancelled.');
}

/** One worker per core, at least one, at most four. */
export function defaultPoolSize(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cores));
}
