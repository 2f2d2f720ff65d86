import type { JobRecord } from '../../shared/jobs';
import type { JobKind } from '../core/jobs/job-kind';
import type { CliContext } from './command';

/**
 * Starts a job through the supervisor (the same path as the UI), draws its
 * progress on stderr, cancels it on Ctrl-C, and returns the final record.
 */
export async function runJobWithProgress<P>(cli: CliContext, kind: JobKind<P>, params: P): Promise<JobRecord> {
  const final = await followJob(cli, cli.app().jobs.start(kind, params));
  if (final.status === 'failed') cli.err(`${final.title} failed: ${final.error}`);
  if (final.status === 'cancelled') cli.err(`${final.title} was cancelled.`);
  return final;
}

/** Waits for a job already started, drawing its progress on stderr and cancelling it on Ctrl-C. */
export async function followJob(cli: CliContext, job: JobRecord): Promise<JobRecord> {
  const app = cli.app();
  const tty = process.stderr.isTTY;
  const unsubscribe = app.events.subscribe((name, payload) => {
    if (name !== 'job' || (payload as JobRecord).id !== job.id || !tty) return;
    const j = payload as JobRecord;
    const pct = j.progressTotal > 0 ? Math.floor((100 * j.progressDone) / j.progressTotal) : 0;
    process.stderr.write(`\r${j.title}: ${pct}% ${j.progressMessage ?? ''}    `);
  });
  const onSigint = () => app.jobs.cancel(job.id);
  process.once('SIGINT', onSigint);
  try {
    const final = await app.jobs.waitFor(job.id);
    if (tty) process.stderr.write('\n');
    return final;
  } finally {
    unsubscribe();
    process.off('SIGINT', onSigint);
  }
}
