import { selfCheckJob } from '../../core/jobs/self-check';
import type { SelfCheckResult } from '../../../shared/jobs';
import { type CliCommand, fail } from '../command';
import { runJobWithProgress } from '../run-job';

export const selfCheckCommand: CliCommand = {
  name: 'self-check',
  summary: 'Hash the bundled sample data set in a worker process, to check the install',
  usage: 'mlwb self-check [--passes N] [--json]',
  options: { passes: { type: 'string' } },
  async run(cli) {
    const passes = Number(cli.value('passes') ?? 20);
    if (!Number.isInteger(passes) || passes < 1) {
      return fail(cli, '--passes must be a positive whole number.');
    }
    const job = await runJobWithProgress(cli, selfCheckJob, { passes });
    if (job.status !== 'succeeded') return 1;
    const r = job.result as SelfCheckResult;
    if (cli.json) cli.out(JSON.stringify(r, null, 2));
    else cli.out(`ok: ${r.file} (${r.bytes} bytes) sha256 ${r.sha256}, ${r.passes} passes, ${r.mbPerSecond.toFixed(0)} MB/s`);
    return 0;
  },
};
