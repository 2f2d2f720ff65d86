/**
 * Entry of every worker process. Under Electron it runs as a utilityProcess and
 * talks over `process.parentPort`; under plain Node (CLI, tests, browser host)
 * it is started with child_process.fork and talks over the IPC channel. Thin on
 * purpose: the tasks themselves live in electron/core.
 */
import { serveWorkerTasks } from '../core/jobs/worker-runtime';
import { WORKER_TASKS } from '../core/jobs/worker-tasks';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

if (parentPort) {
  serveWorkerTasks({ postMessage: (m) => parentPort.postMessage(m), onMessage: (l) => parentPort.on('message', (e) => l(e.data as never)) }, WORKER_TASKS);
} else if (process.send) {
  serveWorkerTasks({ postMessage: (m) => process.send!(m), onMessage: (l) => process.on('message', (m) => l(m as never)) }, WORKER_TASKS);
  // The supervisor went away: nothing left to work for.
  process.on('disconnect', () => process.exit(0));
} else {
  process.stderr.write('job-worker must be started by the job supervisor.\n');
  process.exit(2);
}
