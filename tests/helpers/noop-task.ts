import type { WorkerTask } from '../../electron/core/jobs/worker-task';

/** Test-only task: echoes its params, or fails, hangs or exits the worker on request (tests of the job protocol). */
export const noopTask: WorkerTask<{ echo?: unknown; fail?: string; exitCode?: number; hangMs?: number }> = {
  name: 'noop',
  async run(params) {
    if (params.fail) throw new Error(params.fail);
    if (params.exitCode !== undefined) process.exit(params.exitCode);
    if (params.hangMs) await new Promise((r) => setTimeout(r, params.hangMs));
    return { echo: params.echo ?? null, pid: process.pid };
  },
};
