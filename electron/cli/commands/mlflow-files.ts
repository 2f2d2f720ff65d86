/**
 * `mlwb mlflow import DIR` and `mlwb mlflow export DIR`: an MLflow file store
 * (`mlruns/`) into the workspace and back out, as the MLflow page's cards do
 * (the same channels, schemas and jobs), with progress on stderr and the
 * report — counts, and what was skipped and why — on stdout.
 */
import type { z } from 'zod';
import { mlflowExportSchema, mlflowImportSchema, type MlflowFilesReport } from '../../../shared/mlflow-files';
import { formatZodIssues } from '../../../shared/zod-issues';
import { type CliCommand, type CliContext, fail } from '../command';
import { followJob } from '../run-job';
import { callChannel, findExperiment, withInputErrors } from './runs';

const TEXT_SKIPPED = 20;

/** The report as the CLI prints it. */
export function formatReport(r: MlflowFilesReport): string {
  const c = r.counts;
  const verb = r.direction === 'import' ? 'Imported' : 'Exported';
  const lines = [
    `${verb} ${c.experiment} experiment(s), ${c.run} run(s) (${c.metric} metric point(s), ${c.param} param(s), ${c.tag} tag(s), ${c.artifact} artifact(s), ${c.input} dataset input(s)), ${c.model} model(s), ${c.version} model version(s), ${c.alias} alias(es) ${r.direction === 'import' ? 'from' : 'to'} ${r.dir} in ${(r.elapsedMs / 1000).toFixed(1)} s.`,
  ];
  if (r.skippedCount) {
    lines.push(`Skipped ${r.skippedCount}:`);
    for (const s of r.skipped.slice(0, TEXT_SKIPPED)) lines.push(`  ${s.kind} ${s.item}${s.file ? ` (${s.file})` : ''}: ${s.reason}`);
    if (r.skippedCount > TEXT_SKIPPED) lines.push(`  … and ${r.skippedCount - TEXT_SKIPPED} more (--json lists ${r.skipped.length}).`);
  }
  return lines.join('\n');
}

async function runAndReport(cli: CliContext, channel: 'mlflow:import' | 'mlflow:export', request: z.input<typeof mlflowExportSchema>) {
  const started = await callChannel(cli, channel, request as never);
  const final = await followJob(cli, started);
  if (final.status !== 'succeeded') {
    cli.err(final.status === 'cancelled' ? `${final.title} was cancelled.` : `error: ${final.error}`);
    return 1;
  }
  const report = final.result as MlflowFilesReport;
  cli.out(cli.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return 0;
}

export const mlflowImportCommand: CliCommand = {
  name: 'mlflow import',
  summary: 'Import experiments, runs and model versions from an MLflow file store (an mlruns folder)',
  usage: 'mlwb mlflow import DIR [--json]   (DIR: the mlruns folder, holding 0/meta.yaml …)',
  async run(cli) {
    if (cli.positionals.length !== 1) return fail(cli, `Usage: ${this.usage}`);
    const parsed = mlflowImportSchema.safeParse({ dir: cli.positionals[0] });
    if (!parsed.success)
      return fail(
        cli,
        formatZodIssues(parsed.error.issues, () => 'DIR'),
      );
    return withInputErrors(cli, () => runAndReport(cli, 'mlflow:import', { dir: parsed.data.dir }));
  },
};

export const mlflowExportCommand: CliCommand = {
  name: 'mlflow export',
  summary: 'Export experiments and the registry to a new folder in the mlruns layout (mlflow ui --backend-store-uri DIR)',
  usage: 'mlwb mlflow export DIR [--experiment NAME|ID]… [--no-models] [--json]   (DIR: new or empty)',
  options: { experiment: { type: 'string', multiple: true }, 'no-models': { type: 'boolean' } },
  async run(cli) {
    if (cli.positionals.length !== 1) return fail(cli, `Usage: ${this.usage}`);
    return withInputErrors(cli, async () => {
      const refs = cli.values('experiment');
      const parsed = mlflowExportSchema.safeParse({
        dir: cli.positionals[0],
        ...(refs.length ? { experimentIds: refs.map((r) => findExperiment(cli, r).id) } : {}),
        models: !cli.has('no-models'),
      });
      if (!parsed.success)
        return fail(
          cli,
          formatZodIssues(parsed.error.issues, (p) => (p === 'dir' ? 'DIR' : `--${p}`)),
        );
      return runAndReport(cli, 'mlflow:export', parsed.data);
    });
  },
};

export const MLFLOW_FILES_COMMANDS: readonly CliCommand[] = [mlflowImportCommand, mlflowExportCommand];
