/**
 * `mlwb mlflow push|pull --remote URI`: team server sync from the command
 * line, as the app's Team server card does it — the same jobs, the same id
 * map (kept per URI, also for a URI never added as a remote). The token comes
 * from `--token` or MLflow's own `MLFLOW_TRACKING_TOKEN` and is kept in
 * memory for this command only, never written anywhere.
 */
import { z } from 'zod';
import { pullRequestSchema, pushRequestSchema, remoteSecretKey, remoteTokenSchema, type SyncResult } from '../../../shared/mlflow-sync';
import { formatZodIssues } from '../../../shared/zod-issues';
import { mlflowPullJob, mlflowPushJob } from '../../core/mlflow/sync/jobs';
import { actorOf } from '../../core/registry/actor';
import { type CliCommand, type CliContext, fail } from '../command';
import { runJobWithProgress } from '../run-job';
import { withInputErrors } from './runs';

const FIELD_OF: Record<string, string> = {
  remote: '--remote',
  token: '--token (or MLFLOW_TRACKING_TOKEN)',
  experiments: '--experiment',
  models: '--model',
};
const issues = (e: z.ZodError) => formatZodIssues(e.issues, (p) => FIELD_OF[p.split('.')[0]] ?? p);

/** The token of the command line (or the environment), checked as the app checks one. */
function tokenOf(cli: Pick<CliContext, 'value'>, env: NodeJS.ProcessEnv): { token: string } | { error: string } {
  const parsed = remoteTokenSchema.safeParse(cli.value('token') ?? env.MLFLOW_TRACKING_TOKEN ?? '');
  return parsed.success ? { token: parsed.data } : { error: `--token (or MLFLOW_TRACKING_TOKEN): ${parsed.error.issues[0].message}` };
}

function printResult(cli: CliContext, result: SyncResult): void {
  if (cli.json) {
    cli.out(JSON.stringify(result, null, 2));
    return;
  }
  for (const i of result.items)
    cli.out(
      `${i.outcome.padEnd(9)}  ${i.kind.padEnd(16)}  ${i.name}${i.remoteId ? `  (remote ${i.remoteId})` : ''}${i.message ? `  — ${i.message}` : ''}`,
    );
  const c = result.counts;
  cli.out(`${c.created} created, ${c.resumed} resumed, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.failed} failed`);
  if (result.stopped) cli.err(`stopped: ${result.stopped} (run the same command again to resume)`);
}

async function runSync(cli: CliContext, direction: 'push' | 'pull', env: NodeJS.ProcessEnv): Promise<number> {
  if (cli.positionals.length) return fail(cli, `Unexpected words: ${cli.positionals.join(' ')}`);
  const token = tokenOf(cli, env);
  if ('error' in token) return fail(cli, token.error);
  const names = cli.values('experiment');
  return withInputErrors(cli, async () => {
    const ctx = cli.app();
    let job;
    if (direction === 'push') {
      const parsed = pushRequestSchema.safeParse({
        remote: cli.value('remote') ?? '',
        ...(cli.values('model').length ? { models: cli.values('model') } : {}),
      });
      if (!parsed.success) return fail(cli, issues(parsed.error));
      const experimentIds: number[] = [];
      for (const name of names) {
        const e = ctx.store.tracking.findExperimentByName(name);
        if (!e) return fail(cli, `--experiment: no experiment named "${name}" in this workspace.`);
        experimentIds.push(e.id);
      }
      const req = { ...parsed.data, ...(experimentIds.length ? { experimentIds } : {}) };
      if (token.token) await ctx.secrets.set(remoteSecretKey(req.remote), token.token);
      job = await runJobWithProgress(cli, mlflowPushJob({ actor: actorOf(ctx) }), req);
    } else {
      const parsed = pullRequestSchema.safeParse({ remote: cli.value('remote') ?? '', ...(names.length ? { experiments: names } : {}) });
      if (!parsed.success) return fail(cli, issues(parsed.error));
      if (token.token) await ctx.secrets.set(remoteSecretKey(parsed.data.remote), token.token);
      job = await runJobWithProgress(cli, mlflowPullJob({ actor: actorOf(ctx) }), parsed.data);
    }
    if (job.status !== 'succeeded') return 1;
    const result = job.result as SyncResult;
    printResult(cli, result);
    return result.counts.failed === 0 && !result.stopped ? 0 : 1;
  });
}

const OPTIONS = {
  remote: { type: 'string' },
  experiment: { type: 'string', multiple: true },
  token: { type: 'string' },
} as const;

export const mlflowPushCommand: CliCommand = {
  name: 'mlflow push',
  summary: 'Push experiments, runs and model versions to a team MLflow server (resumable; a second push creates nothing)',
  usage: 'mlwb mlflow push --remote URI [--experiment NAME]... [--model NAME]... [--token T] [--json]   (token also MLFLOW_TRACKING_TOKEN)',
  options: { ...OPTIONS, model: { type: 'string', multiple: true } },
  run: (cli) => runSync(cli, 'push', process.env),
};

export const mlflowPullCommand: CliCommand = {
  name: 'mlflow pull',
  summary: 'Pull experiments, runs and model versions from a team MLflow server (resumable; a second pull creates nothing)',
  usage: 'mlwb mlflow pull --remote URI [--experiment NAME]... [--token T] [--json]   (token also MLFLOW_TRACKING_TOKEN)',
  options: OPTIONS,
  run: (cli) => runSync(cli, 'pull', process.env),
};

export const MLFLOW_SYNC_COMMANDS: readonly CliCommand[] = [mlflowPushCommand, mlflowPullCommand];
