/**
 * `mlwb exp …` and `mlwb runs …`: experiments and runs from scripts and CI.
 * Every command goes through the contract's dispatcher, so its input is
 * parsed by the same zod schemas as the app's IPC and the browser host.
 */
import { AppError } from '../../../shared/errors';
import type { ChannelName, RequestOf, ResponseOf } from '../../../shared/ipc';
import {
  fromWireNumber,
  runIdSchema,
  type Experiment,
  type ReproductionVerdict,
  type RunSummary,
  type WireNumber,
} from '../../../shared/tracking';
import { createHandlers } from '../../core/handlers';
import { dispatchRequest } from '../../core/handlers/dispatch';
import { type CliCommand, type CliContext, fail } from '../command';
import { runJobWithProgress } from '../run-job';
import { reproduceJob, reproducibleSpec } from '../../core/tracking/reproduce-job';

/** Calls a channel as the app does (schema first); throws its error as an AppError. */
export async function callChannel<C extends ChannelName>(cli: CliContext, channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const env = await dispatchRequest(createHandlers(cli.app()), channel, request);
  if (!env.ok) throw AppError.fromData(env.error);
  return env.value as ResponseOf<C>;
}

/** An experiment by id or by name. */
export function findExperiment(cli: CliContext, ref: string): Experiment {
  const store = cli.app().store;
  const byName = store.tracking.findExperimentByName(ref);
  if (byName) return byName;
  if (/^\d+$/.test(ref)) return store.tracking.getExperiment(Number(ref));
  throw new AppError('not_found', `No experiment named "${ref}" (list them with \`mlwb exp list\`).`);
}

const fmt = (v: WireNumber | undefined): string => {
  if (v === undefined) return '—';
  const n = fromWireNumber(v);
  return Number.isInteger(n) ? String(n) : Number.isFinite(n) ? n.toFixed(4) : String(v);
};

/** Rows as aligned columns (the first row is the header). */
export function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
}

/** Runs a command body, printing input, not-found and conflict errors as `error: …` with exit code 1. */
export async function withInputErrors(cli: CliContext, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (
      err instanceof AppError &&
      (err.code === 'bad_input' || err.code === 'invalid_payload' || err.code === 'not_found' || err.code === 'conflict')
    )
      return fail(cli, `error: ${err.message}`, 1);
    throw err;
  }
}

export const expListCommand: CliCommand = {
  name: 'exp list',
  summary: 'List experiments (--deleted: the trash)',
  usage: 'mlwb exp list [--deleted] [--json]',
  options: { deleted: { type: 'boolean' } },
  async run(cli) {
    const list = await callChannel(cli, 'experiments:list', { stage: cli.has('deleted') ? 'deleted' : 'active' });
    if (cli.json) cli.out(JSON.stringify(list, null, 2));
    else
      for (const line of table([
        ['ID', 'NAME', 'RUNS', 'DESCRIPTION'],
        ...list.map((e) => [String(e.id), e.name, String(e.runCount), e.description]),
      ]))
        cli.out(line);
    return 0;
  },
};

export const expCreateCommand: CliCommand = {
  name: 'exp create',
  summary: 'Create an experiment',
  usage: 'mlwb exp create NAME [--description TEXT] [--json]',
  options: { description: { type: 'string' } },
  async run(cli) {
    const [name] = cli.positionals;
    if (!name) return fail(cli, `Usage: ${this.usage}`);
    return withInputErrors(cli, async () => {
      const e = await callChannel(cli, 'experiments:create', { name, description: cli.value('description') ?? '' });
      cli.out(cli.json ? JSON.stringify(e, null, 2) : `created experiment ${e.id} "${e.name}"`);
      return 0;
    });
  },
};

export const expRenameCommand: CliCommand = {
  name: 'exp rename',
  summary: 'Rename an experiment (by id or name)',
  usage: 'mlwb exp rename EXPERIMENT NEW_NAME [--json]',
  async run(cli) {
    const [ref, name] = cli.positionals;
    if (!ref || !name) return fail(cli, `Usage: ${this.usage}`);
    return withInputErrors(cli, async () => {
      const e = await callChannel(cli, 'experiments:update', { id: findExperiment(cli, ref).id, name });
      cli.out(cli.json ? JSON.stringify(e, null, 2) : `renamed experiment ${e.id} to "${e.name}"`);
      return 0;
    });
  },
};

export const expDeleteCommand: CliCommand = {
  name: 'exp delete',
  summary: 'Move an experiment to the trash (--permanently: delete a trashed one for good)',
  usage: 'mlwb exp delete EXPERIMENT [--permanently] [--json]',
  options: { permanently: { type: 'boolean' } },
  async run(cli) {
    const [ref] = cli.positionals;
    if (!ref) return fail(cli, `Usage: ${this.usage}`);
    return withInputErrors(cli, async () => {
      const { id, name } = findExperiment(cli, ref);
      if (cli.has('permanently')) {
        const r = await callChannel(cli, 'experiments:purge', { id });
        cli.out(cli.json ? JSON.stringify(r) : `deleted experiment "${name}" and its ${r.runsDeleted} run(s) permanently`);
      } else {
        const e = await callChannel(cli, 'experiments:delete', { id });
        cli.out(cli.json ? JSON.stringify(e, null, 2) : `moved experiment "${e.name}" to the trash`);
      }
      return 0;
    });
  },
};

export const runsSearchCommand: CliCommand = {
  name: 'runs search',
  summary: "Search runs with MLflow's filter syntax, e.g. \"metrics.accuracy > 0.9 and params.model = 'rf'\"",
  usage:
    'mlwb runs search ["FILTER"] [--experiment NAME|ID]… [--order-by "metrics.accuracy DESC"]… [--max-results N] [--deleted|--all] [--json]',
  options: {
    experiment: { type: 'string', multiple: true },
    'order-by': { type: 'string', multiple: true },
    'max-results': { type: 'string' },
    deleted: { type: 'boolean' },
    all: { type: 'boolean' },
  },
  async run(cli) {
    return withInputErrors(cli, async () => {
      const refs = cli.values('experiment');
      const experimentIds = refs.length
        ? refs.map((r) => findExperiment(cli, r).id)
        : cli
            .app()
            .store.tracking.listExperiments('all')
            .map((e) => e.id);
      const maxRaw = cli.value('max-results');
      const runs: RunSummary[] = [];
      let pageToken: string | undefined;
      do {
        const page = await callChannel(cli, 'runs:search', {
          experimentIds,
          filter: cli.positionals.join(' '),
          orderBy: cli.values('order-by'),
          runViewType: cli.has('all') ? 'ALL' : cli.has('deleted') ? 'DELETED_ONLY' : 'ACTIVE_ONLY',
          maxResults: maxRaw === undefined ? 1000 : Number(maxRaw),
          pageToken,
        });
        runs.push(...page.runs);
        pageToken = maxRaw === undefined ? page.nextPageToken : undefined;
      } while (pageToken);
      if (cli.json) {
        cli.out(JSON.stringify(runs, null, 2));
        return 0;
      }
      const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].filter((k) =>
        ['accuracy', 'r2', 'roc_auc', 'f1_macro', 'rmse'].includes(k),
      );
      const rows = [['RUN ID', 'NAME', 'STATUS', 'MODEL', 'DATASET', ...metricKeys.map((k) => k.toUpperCase())]];
      for (const r of runs)
        rows.push([
          r.info.runId,
          r.info.name,
          r.info.status,
          r.tags['mlwb.model_type'] ?? '',
          r.tags['mlwb.dataset'] ?? '',
          ...metricKeys.map((k) => fmt(r.metrics[k])),
        ]);
      for (const line of table(rows)) cli.out(line);
      cli.out(`${runs.length} run(s)`);
      return 0;
    });
  },
};

export const runsShowCommand: CliCommand = {
  name: 'runs show',
  summary: 'Show a run: params, metrics, tags and artifacts',
  usage: 'mlwb runs show RUN_ID [--json]',
  async run(cli) {
    const [runId] = cli.positionals;
    if (!runId) return fail(cli, `Usage: ${this.usage}`);
    return withInputErrors(cli, async () => {
      const run = await callChannel(cli, 'runs:get', { runId });
      if (cli.json) {
        cli.out(JSON.stringify(run, null, 2));
        return 0;
      }
      const i = run.info;
      cli.out(`${i.name} (${i.runId}) — ${i.status}${i.error ? `: ${i.error}` : ''}`);
      cli.out(
        `experiment ${run.experimentName}, by ${i.userId || 'unknown'}, started ${new Date(i.startTime).toISOString()}${i.endTime ? `, ${((i.endTime - i.startTime) / 1000).toFixed(1)} s` : ''}`,
      );
      cli.out('params:');
      for (const [k, v] of Object.entries(run.params)) cli.out(`  ${k} = ${v}`);
      cli.out('metrics:');
      for (const m of run.metrics) cli.out(`  ${m.key} = ${fmt(m.value)}${m.step ? ` (step ${m.step})` : ''}`);
      cli.out('tags:');
      for (const [k, v] of Object.entries(run.tags)) if (k !== 'mlflow.note.content') cli.out(`  ${k} = ${v}`);
      cli.out('artifacts:');
      for (const a of run.artifacts) cli.out(`  ${a.path} (${a.size} bytes, ${a.sha256.slice(0, 12)})`);
      return 0;
    });
  },
};

export const runsReproduceCommand: CliCommand = {
  name: 'runs reproduce',
  summary: 'Re-run a run from its recorded inputs; exit code 0 only when the result is identical',
  usage: 'mlwb runs reproduce RUN_ID [--json]',
  async run(cli) {
    const [runId] = cli.positionals;
    if (!runId) return fail(cli, `Usage: ${this.usage}`);
    return withInputErrors(cli, async () => {
      const id = runIdSchema.safeParse(runId);
      if (!id.success) return fail(cli, `error: ${id.error.issues[0].message}`, 1);
      // Missing inputs are refused before a job starts; the job then runs here, with progress.
      reproducibleSpec(cli.app().store, runId);
      const job = await runJobWithProgress(cli, reproduceJob, { runId });
      if (job.status !== 'succeeded') return 1;
      const v = job.result as ReproductionVerdict;
      if (cli.json) cli.out(JSON.stringify(v, null, 2));
      else {
        cli.out(`${v.identical ? 'identical' : 'different'}: reproduction run ${v.reproductionRunId}`);
        cli.out(`model file ${v.modelSha256.original?.slice(0, 12) ?? '—'} → ${v.modelSha256.reproduction?.slice(0, 12) ?? '—'}`);
        for (const d of v.inputDifferences) cli.out(`input ${d.what}: ${d.original} → ${d.reproduction}`);
        for (const d of v.metricDifferences)
          cli.out(
            `metric ${d.key}: ${fmt(d.original ?? undefined)} → ${fmt(d.reproduction ?? undefined)}${d.delta !== null ? ` (Δ ${d.delta})` : ''}`,
          );
      }
      return v.identical ? 0 : 1;
    });
  },
};

function lifecycleCommand(verb: 'delete' | 'restore'): CliCommand {
  return {
    name: `runs ${verb}`,
    summary: verb === 'delete' ? 'Move runs to the trash' : 'Restore runs from the trash',
    usage: `mlwb runs ${verb} RUN_ID… [--json]`,
    async run(cli) {
      if (cli.positionals.length === 0) return fail(cli, `Usage: ${this.usage}`);
      return withInputErrors(cli, async () => {
        const out = [];
        for (const runId of cli.positionals)
          out.push(await callChannel(cli, verb === 'delete' ? 'runs:delete' : 'runs:restore', { runId }));
        if (cli.json) cli.out(JSON.stringify(out, null, 2));
        else for (const r of out) cli.out(`${verb === 'delete' ? 'moved to the trash' : 'restored'}: ${r.name} (${r.runId})`);
        return 0;
      });
    },
  };
}

/** The `mlwb exp …` and `mlwb runs …` commands (`runs compare` is in runs-compare.ts). */
export const TRACKING_COMMANDS: readonly CliCommand[] = [
  expListCommand,
  expCreateCommand,
  expRenameCommand,
  expDeleteCommand,
  runsSearchCommand,
  runsShowCommand,
  runsReproduceCommand,
  lifecycleCommand('delete'),
  lifecycleCommand('restore'),
];
