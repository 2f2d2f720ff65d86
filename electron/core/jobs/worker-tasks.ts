import { DATASET_TASKS } from '../datasets/dataset-tasks';
import { noopTask } from './noop-task';
import { selfCheckTask } from './self-check';
import { TRAINING_TASKS } from '../training/training-tasks';
import type { WorkerTask } from './worker-task';

/**
 * Every task a worker can run, by name. A capability adds its tasks here; the
 * worker entry (electron/workers/job-worker.ts) serves exactly this list.
 */
export const WORKER_TASKS: readonly WorkerTask[] = [noopTask, selfCheckTask, ...DATASET_TASKS, ...TRAINING_TASKS];
