import { AppError, toErrorData } from '../../../shared/errors';
import type { FromWorker, ToWorker } from './protocol';
import type { WorkerTask } from './worker-task';

const PROGRESS_EVERY_MS = 50;

/** The two ends a worker needs, whichever process API carries the messages. */
export interface WorkerPort {
  postMessage(message: FromWorker): void;
  onMessage(listener: (message: ToWorker) => void): void;
}

/**
 * Serves tasks in a worker process: one at a time, progress throttled, errors
 * turned into wire data. Returns once the listener is installed.
 */
export function serveWorkerTasks(port: WorkerPort, tasks: readonly WorkerTask[]): void {
  const byName = new Map(tasks.map((t) => [t.name, t]));
  port.onMessage(async (msg) => {
    if (!msg || msg.type !== 'task') return;
    const task = byName.get(msg.name);
    if (!task) {
      port.postMessage({ type: 'error', taskId: msg.taskId, error: new AppError('internal', `Unknown worker task "${msg.name}".`).toData() });
      return;
    }
    let last = 0;
    const progress = (done: number, total: number, message: string | null = null) => {
      const now = Date.now();
      if (now - last < PROGRESS_EVERY_MS && !(total > 0 && done >= total)) return;
      last = now;
      port.postMessage({ type: 'progress', taskId: msg.taskId, done, total, message });
    };
    try {
      const result = await task.run(msg.params, { progress });
      port.postMessage({ type: 'done', taskId: msg.taskId, result });
    } catch (err) {
      port.postMessage({ type: 'error', taskId: msg.taskId, error: toErrorData(err) });
    }
  });
  port.postMessage({ type: 'ready' });
}
