import { describe, expect, it } from 'vitest';
import { WORKER_TASKS } from '../../workers/worker-tasks';
import { serveWorkerTasks, type WorkerPort } from './worker-runtime';
import { collectWorkerTasks, type WorkerTask } from './worker-task';

const task = (name: string): WorkerTask => ({ name, run: () => name });

describe('worker task list', () => {
  it('joins the capabilities’ lists in order', () => {
    expect(collectWorkerTasks({ a: [task('x'), task('y')], b: [task('z')] }).map((t) => t.name)).toEqual(['x', 'y', 'z']);
  });

  it('refuses a task name two capabilities register, naming both', () => {
    expect(() => collectWorkerTasks({ datasets: [task('fit')], training: [task('fit')] })).toThrow(
      'Worker task "fit" is registered by both datasets and training; task names must be unique.',
    );
    expect(() => collectWorkerTasks({ datasets: [task('fit'), task('fit')] })).toThrow('Worker task "fit" is registered twice by datasets');
  });

  it('refuses to serve a list with duplicate names', () => {
    const port: WorkerPort = { postMessage: () => {}, onMessage: () => {} };
    expect(() => serveWorkerTasks(port, [task('fit'), task('fit')])).toThrow(/"fit" is registered twice/);
  });

  it('ships the capabilities’ tasks and not the test-only noop task', () => {
    const names = WORKER_TASKS.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'self-check',
        'dataset-ingest',
        'dataset-validate',
        'recipe-fit',
        'recipe-preview',
        'training-trees',
        'training-run',
      ]),
    );
    expect(names).not.toContain('noop');
  });
});
