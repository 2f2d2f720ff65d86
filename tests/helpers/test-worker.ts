/**
 * Worker entry for tests (run under tsx by tests/helpers/test-app.ts): the
 * app's tasks plus `noop`, which can fail, hang or exit on request and so
 * never ships in the app.
 */
import { runWorkerProcess } from '../../electron/core/jobs/worker-runtime';
import { collectWorkerTasks } from '../../electron/core/jobs/worker-task';
import { WORKER_TASKS } from '../../electron/workers/worker-tasks';
import { noopTask } from './noop-task';

runWorkerProcess(collectWorkerTasks({ app: WORKER_TASKS, tests: [noopTask] }));
