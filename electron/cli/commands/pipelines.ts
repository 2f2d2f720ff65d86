/**
 * `mlwb pipelines list|show|run|enable|disable|export|import|scheduler`: the
 * app's pipelines channels (same schemas, same store lock) without a window.
 * `run` waits for the run and exits 0 only when a model was registered (what
 * a CI job reads); `scheduler` runs the pipeline scheduler headless until
 * SIGINT/SIGTERM, as `scheduler@host:pid`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JobRecord } from '../../../shared/jobs';
import type { PipelineRun, PipelineRunOutcome, PipelineSummary } from '../../../shared/pipelines';
import { pipelineChannels } from '../../../shared/contracts/pipelines';
import { formatZodIssues } from '../../../shared/zod-issues';
import { ownerOf, startPipelineRun } from '../../core/pipelines/pipeline-service';
import type { SchedulerEvent } from '../../core/pipelines/scheduler';
import { type CliCommand, type CliContext, fail } from '../command';
import { callChannel, withInputErrors } from './runs';
import { followJob } from '../run-job';

const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));
const duration = (a: number | null, b: number | null) => (a !== null && b !== null ? `${((b - a) / 1000).toFixed(1)} s` : '');

/** The pipeline name of a command (one positional word), parsed with the app's schema. */
function nameArg(cli: CliContext, usage: string): { name: string } | { error: string } {
  if (cli.positionals.length !== 1) return { error: `Usage: ${usage}` };
  const parsed = pipelineChannels['pipelines:get'].request.safeParse({ name: cli.positionals[0] });
  return parsed.success ? parsed.data : { error: formatZodIssues(parsed.error.issues, () => 'NAME') };
}

function triggersOf(p: PipelineSummary): string {
  const t = p.definition.triggers;
  const s = t.schedule;
  const parts = [
    s
      ? s.kind === 'daily'
        ? `daily ${s.at}`
        : s.kind === 'weekly'
          ? `weekly ${s.day} ${s.at}`
          : s.kind === 'hours'
            ? `every ${s.every} h`
            : `cron "${s.expression}"`
      : null,
    t.onNewData ? 'new data' : null,
    t.onDrift ? 'drift' : null,
  ].filter(Boolean);
  return parts.length ? `${parts.join(', ')}${s ? ` (${p.definition.timezone})` : ''}` : 'manual';
}

/** The steps of a run, one line each, with their log. */
function printRun(cli: CliContext, run: PipelineRun): void {
  cli.out(
    `run ${run.id} of ${run.pipeline} (v${run.pipelineVersion}, ${run.trigger}): ${run.status}${run.reason ? ` — ${run.reason}` : ''}`,
  );
  for (const s of run.steps) {
    cli.out(`  ${s.name.padEnd(9)} ${s.status.padEnd(9)} ${duration(s.startedAt, s.finishedAt)}`);
    for (const l of s.log) cli.out(`      ${l.text}`);
  }
}

export const pipelinesListCommand: CliCommand = {
  name: 'pipelines list',
  summary: 'List pipelines: triggers, enabled, last run, next due time',
  usage: 'mlwb pipelines list [--json]',
  async run(cli) {
    if (cli.positionals.length) return fail(cli, `Usage: ${this.usage}`);
    const list = await callChannel(cli, 'pipelines:list', {});
    if (cli.json) {
      cli.out(JSON.stringify(list, null, 2));
      return 0;
    }
    if (!list.length) cli.out('No pipelines (create one in the app, or `mlwb pipelines import FILE`).');
    for (const p of list) {
      const last = p.lastRun ? `last run ${p.lastRun.id} ${p.lastRun.status} ${when(p.lastRun.startedAt)}` : 'never run';
      cli.out(
        `${p.name}  v${p.version}  ${p.enabled ? 'enabled' : 'disabled'}  ${triggersOf(p)}  → ${p.definition.model}  ${last}` +
          `${p.nextDueAt !== null ? `  next ${when(p.nextDueAt)}` : ''}${p.running ? '  RUNNING' : ''}`,
      );
    }
    return 0;
  },
};

export const pipelinesShowCommand: CliCommand = {
  name: 'pipelines show',
  summary: 'A pipeline: its definition, versions and runs',
  usage: 'mlwb pipelines show NAME [--json]',
  async run(cli) {
    const arg = nameArg(cli, this.usage);
    if ('error' in arg) return fail(cli, arg.error);
    return withInputErrors(cli, async () => {
      const d = await callChannel(cli, 'pipelines:get', arg);
      if (cli.json) {
        cli.out(JSON.stringify(d, null, 2));
        return 0;
      }
      const def = d.definition;
      cli.out(`${d.name} (v${d.version}, ${d.enabled ? 'enabled' : 'disabled'})${def.description ? ` — ${def.description}` : ''}`);
      cli.out(
        `  source:    ${def.source.kind === 'dataset' ? `dataset ${def.source.dataset}` : `watch ${def.source.path} → ${def.source.dataset}`}`,
      );
      cli.out(`  triggers:  ${triggersOf(d)}${d.nextDueAt !== null ? `, next ${when(d.nextDueAt)}` : ''}`);
      cli.out(`  suite:     ${def.validationSuite ?? '—'}   recipe: ${def.recipe ?? '—'}`);
      cli.out(`  models:    ${def.models.map((m) => m.algorithm).join(', ')} → ${def.model} (${def.stage})`);
      cli.out(
        `  promotion: ${def.promotion.toProduction ? `to Production when it beats it${def.promotion.rollbackIfWorse ? ', rollback if worse' : ''}` : 'by a person'}`,
      );
      cli.out(`  runs:`);
      if (!d.runs.length) cli.out('    none yet');
      for (const r of d.runs.slice(0, 20))
        cli.out(
          `    ${String(r.id).padStart(4)}  ${when(r.startedAt)}  ${r.trigger.padEnd(8)}  ${r.status.padEnd(11)}` +
            `${r.modelVersion !== null ? ` v${r.modelVersion}` : ''}${r.reason ? `  ${r.reason}` : ''}`,
        );
      return 0;
    });
  },
};

export const pipelinesRunCommand: CliCommand = {
  name: 'pipelines run',
  summary: 'Run a pipeline now and wait for it; exit code 0 only when a model was registered (for CI)',
  usage: 'mlwb pipelines run NAME [--json]',
  async run(cli) {
    const arg = nameArg(cli, this.usage);
    if ('error' in arg) return fail(cli, arg.error);
    return withInputErrors(cli, async () => {
      const app = cli.app();
      const { run, job } = startPipelineRun(app, arg.name, 'cli', { owner: ownerOf('cli') });
      if (!cli.json) cli.out(`run ${run.id} of ${run.pipeline} started (job ${job.id})`);
      const final = await followJob(cli, job);
      const outcome: PipelineRunOutcome =
        final.status === 'succeeded' && final.result
          ? (final.result as PipelineRunOutcome)
          : { run: app.store.pipelines.getRun(run.id), registered: false };
      if (cli.json) cli.out(JSON.stringify(outcome, null, 2));
      else {
        printRun(cli, outcome.run);
        cli.out(
          outcome.registered
            ? `registered ${outcome.run.modelVersion !== null ? `v${outcome.run.modelVersion}` : ''}`.trim()
            : 'no model registered',
        );
      }
      if (final.status !== 'succeeded') cli.err(`${final.title} ${final.status}${final.error ? `: ${final.error}` : ''}`);
      return outcome.registered ? 0 : 1;
    });
  },
};

function enableCommand(enabled: boolean): CliCommand {
  const word = enabled ? 'enable' : 'disable';
  return {
    name: `pipelines ${word}`,
    summary: enabled ? 'Enable a pipeline’s triggers (only what comes after counts)' : 'Disable a pipeline’s triggers',
    usage: `mlwb pipelines ${word} NAME [--json]`,
    async run(cli) {
      const arg = nameArg(cli, this.usage);
      if ('error' in arg) return fail(cli, arg.error);
      return withInputErrors(cli, async () => {
        const p = await callChannel(cli, 'pipelines:setEnabled', { name: arg.name, enabled });
        cli.out(
          cli.json
            ? JSON.stringify(p, null, 2)
            : `${p.name}: ${p.enabled ? 'enabled' : 'disabled'}${p.nextDueAt !== null ? `, next ${when(p.nextDueAt)}` : ''}`,
        );
        return 0;
      });
    },
  };
}

export const pipelinesExportCommand: CliCommand = {
  name: 'pipelines export',
  summary: 'A pipeline as a file (YAML) or as a GitHub Actions / GitLab CI workflow running `mlwb pipelines run`',
  usage: 'mlwb pipelines export NAME [--format pipeline|github|gitlab] [--out FILE]',
  options: { format: { type: 'string' }, out: { type: 'string' } },
  async run(cli) {
    const arg = nameArg(cli, this.usage);
    if ('error' in arg) return fail(cli, arg.error);
    const format = cli.value('format');
    const parsed = pipelineChannels['pipelines:export'].request.safeParse({ ...arg, ...(format !== undefined ? { format } : {}) });
    if (!parsed.success)
      return fail(
        cli,
        formatZodIssues(parsed.error.issues, (p) => (p === 'format' ? '--format' : 'NAME')),
      );
    return withInputErrors(cli, async () => {
      const { fileName, text } = await callChannel(cli, 'pipelines:export', parsed.data);
      const out = cli.value('out');
      if (out === undefined) {
        cli.out(cli.json ? JSON.stringify({ fileName, text }, null, 2) : text.replace(/\n$/, ''));
        return 0;
      }
      const file = path.resolve(out);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      cli.out(cli.json ? JSON.stringify({ fileName, path: file }, null, 2) : `wrote ${file}`);
      return 0;
    });
  },
};

export const pipelinesImportCommand: CliCommand = {
  name: 'pipelines import',
  summary: 'Import a pipeline file (a new pipeline, or the next version of the one of its name)',
  usage: 'mlwb pipelines import FILE [--json]',
  async run(cli) {
    if (cli.positionals.length !== 1) return fail(cli, `Usage: ${this.usage}`);
    const file = path.resolve(cli.positionals[0]);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      return fail(cli, `error: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 1);
    }
    const parsed = pipelineChannels['pipelines:import'].request.safeParse({ text });
    if (!parsed.success) return fail(cli, `error: ${file}: ${formatZodIssues(parsed.error.issues, () => 'FILE')}`, 1);
    return withInputErrors(cli, async () => {
      try {
        const p = await callChannel(cli, 'pipelines:import', parsed.data);
        cli.out(cli.json ? JSON.stringify(p, null, 2) : `imported ${p.name} (v${p.version}, ${p.enabled ? 'enabled' : 'disabled'})`);
        return 0;
      } catch (err) {
        if (err instanceof Error) err.message = `${file}: ${err.message}`;
        throw err;
      }
    });
  },
};

function describeEvent(e: SchedulerEvent): string {
  switch (e.type) {
    case 'started':
      return `${e.pipeline}: run ${e.runId} started (${e.fired.join(' + ')})`;
    case 'busy':
      return `${e.pipeline}: due (${e.fired.join(' + ')}) but running elsewhere; trying again next tick`;
    case 'error':
      return `${e.pipeline}: ${e.message}`;
    case 'rolled-back':
      return `${e.pipeline}: ${e.message}`;
    case 'interrupted':
      return `${e.pipeline}: run ${e.runId} marked interrupted (its process stopped)`;
  }
}

export const pipelinesSchedulerCommand: CliCommand = {
  name: 'pipelines scheduler',
  summary: 'Run the pipeline scheduler headless until Ctrl-C / SIGTERM (schedules, new data, drift)',
  usage: 'mlwb pipelines scheduler',
  async run(cli) {
    if (cli.positionals.length) return fail(cli, `Usage: ${this.usage}`);
    const app = cli.app();
    const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const log = (text: string) => cli.out(cli.json ? JSON.stringify({ at: stamp(), text }) : `${stamp()}  ${text}`);
    const unsubscribe = app.scheduler.subscribe((e) => log(describeEvent(e)));
    const runs = new Map<number, number>(); // job id → run id
    app.scheduler.subscribe((e) => void (e.type === 'started' && runs.set(e.jobId, e.runId)));
    const unwatch = app.events.subscribe((name, payload) => {
      if (name !== 'job') return;
      const j = payload as JobRecord;
      const runId = runs.get(j.id);
      if (runId === undefined || !['succeeded', 'failed', 'cancelled'].includes(j.status)) return;
      runs.delete(j.id);
      const run = app.store.pipelines.getRun(runId);
      log(
        `${run.pipeline}: run ${run.id} ${run.status}${run.modelVersion !== null ? ` (v${run.modelVersion})` : ''}${run.reason ? ` — ${run.reason}` : ''}`,
      );
    });
    const enabled = app.store.pipelines.list({ enabledOnly: true }).length;
    log(`scheduler started on ${app.workspaceDir} (${enabled} enabled pipeline${enabled === 1 ? '' : 's'}); Ctrl-C stops it`);
    const stopped = new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await app.scheduler.start();
    // The process stays up while it waits for a signal (the scheduler's timer alone would not hold it).
    const keepAlive = setInterval(() => {}, 1 << 30);
    await stopped;
    clearInterval(keepAlive);
    app.scheduler.stop();
    unsubscribe();
    unwatch();
    // Runs still going are cancelled (marked cancelled, their locks freed) before the process ends.
    const going = [...runs.keys()];
    for (const jobId of going) app.jobs.cancel(jobId);
    await Promise.all(going.map((id) => app.jobs.waitFor(id).catch(() => undefined)));
    log('scheduler stopped');
    return 0;
  },
};

export const PIPELINES_COMMANDS: readonly CliCommand[] = [
  pipelinesListCommand,
  pipelinesShowCommand,
  pipelinesRunCommand,
  enableCommand(true),
  enableCommand(false),
  pipelinesExportCommand,
  pipelinesImportCommand,
  pipelinesSchedulerCommand,
];
