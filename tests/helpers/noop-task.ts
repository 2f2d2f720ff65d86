import type { WorkerTask } from './worker-task';

/** Does nothing and echoes its params: measures the job round trip and tests the protocol. */
export const noopTask: WorkerTask<{ echo?: unknown; fail?: string; exitCode?: number; hangMs?: number }> = {
  name: 'noop',
  async run(params) {
    if (params.fail) throw new Error(params.fail);
    if (params.exitCode !== undefined) process.exit(params.exitCode);
    if (params.hangMs) await new Promise((r) => setTimeout(r, params.hangMs));
    return { echo: params.echo ?? null, pid: process.pid };
  },
};
