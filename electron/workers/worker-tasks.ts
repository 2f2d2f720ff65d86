/**
 * Every task the app's workers run, by the capability that owns it. A
 * capability exports its tasks beside its own code (`FOO_TASKS` in
 * electron/core/foo/foo-tasks.ts) and adds one line here; electron/core/jobs
 * never changes for it. Duplicate names are refused when the list is built.
 */
import { DATASET_TASKS } from '../core/datasets/dataset-tasks';
import { SELF_CHECK_TASKS } from '../core/jobs/self-check';
import { collectWorkerTasks, type WorkerTask } from '../core/jobs/worker-task';
import { SCORING_TASKS } from '../core/serving/score-batch-task';
import { TRAINING_TASKS } from '../core/training/training-tasks';
import { REGISTRY_TASKS } from '../core/registry/registry-tasks';
import { DRIFT_TASKS } from '../core/monitoring/drift-tasks';

/** The tasks every worker process serves (the production list; tests add theirs in tests/helpers/test-worker.ts). */
export const WORKER_TASKS: readonly WorkerTask[] = collectWorkerTasks({
  jobs: SELF_CHECK_TASKS,
  datasets: DATASET_TASKS,
  training: TRAINING_TASKS,
  scoring: SCORING_TASKS,
  registry: REGISTRY_TASKS,
  drift: DRIFT_TASKS,
});
