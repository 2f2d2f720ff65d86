/**
 * Entry of every worker process (electron-vite builds it to out/main/job-worker.js).
 * Thin on purpose: the tasks live with their capabilities (listed in
 * ./worker-tasks.ts) and the serving loop in electron/core/jobs/worker-runtime.ts.
 */
import { runWorkerProcess } from '../core/jobs/worker-runtime';
import { WORKER_TASKS } from './worker-tasks';

runWorkerProcess(WORKER_TASKS);
