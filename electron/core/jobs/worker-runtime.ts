import { AppError, toErrorData } from '../../../shared/errors';
import type { FromWorker, ToWorker } from './protocol';
import { collectWorkerTasks, type WorkerTask } from './worker-task';

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
  const byName = new Map(collectWorkerTasks({ worker: tasks }).map((t) => [t.name, t]));
  port.onMessage(async (msg) => {
    if (!msg || msg.type !== 'task') return;
    const task = byName.get(msg.name);
    if (!task) {
      port.postMessage({
        type: 'error',
        taskId: msg.taskId,
        error: new AppError('internal', `Unknown worker task "${msg.name}".`).toData(),
      });
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

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/**
 * The body of a worker entry: serves `tasks` over whichever channel started
 * this process. Under Electron it runs as a utilityProcess and talks over
 * `process.parentPort`; under plain Node (CLI, tests, browser host) it was
 * started with child_process.fork and talks over the IPC channel.
 */
export function runWorkerProcess(tasks: readonly WorkerTask[]): void {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    serveWorkerTasks(
      { postMessage: (m) => parentPort.postMessage(m), onMessage: (l) => parentPort.on('message', (e) => l(e.data as never)) },
      tasks,
    );
  } else if (process.send) {
    serveWorkerTasks({ postMessage: (m) => process.send!(m), onMessage: (l) => process.on('message', (m) => l(m as never)) }, tasks);
    // The supervisor went away: nothing left to work for.
    process.on('disconnect', () => process.exit(0));
  } else {
    process.stderr.write('A job worker must be started by the job supervisor.\n');
    process.exit(2);
  }
}
