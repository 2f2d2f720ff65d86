/** What a worker task may do while it runs. */
export interface TaskContext {
  /** Reports progress; throttled by the runtime, the last report always goes through. */
  progress(done: number, total: number, message?: string | null): void;
}

/**
 * A unit of CPU- or I/O-heavy work that runs inside a worker process. It gets
 * plain-data params and returns a plain-data (structured-clone-able) result.
 * It must not open the database: main owns SQLite and writes the outcome.
 */
export interface WorkerTask<P = any, R = unknown> {
  name: string;
  run(params: P, ctx: TaskContext): Promise<R> | R;
}

/**
 * Joins the task lists capabilities export (`{ datasets: DATASET_TASKS, … }`)
 * into the one list a worker serves. Task names are how main asks for a
 * task, so two tasks with one name are refused here, naming both owners,
 * rather than one silently shadowing the other.
 */
export function collectWorkerTasks(byCapability: Readonly<Record<string, readonly WorkerTask[]>>): readonly WorkerTask[] {
  const owner = new Map<string, string>();
  const tasks: WorkerTask[] = [];
  for (const [capability, list] of Object.entries(byCapability)) {
    for (const task of list) {
      const previous = owner.get(task.name);
      if (previous !== undefined) {
        const where = previous === capability ? `twice by ${capability}` : `by both ${previous} and ${capability}`;
        throw new Error(`Worker task "${task.name}" is registered ${where}; task names must be unique.`);
      }
      owner.set(task.name, capability);
      tasks.push(task);
    }
  }
  return tasks;
}
