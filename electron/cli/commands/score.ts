/**
 * `mlwb score N[@alias|/stage|/version] FILE|NAME@TAG OUT.csv`: batch scoring
 * from scripts — the app's `score-batch` job (same request schema, workers,
 * progress and Ctrl-C cancel), writing the scored CSV to OUT.csv and keeping
 * it as a prediction set in the workspace. And `mlwb models card N VERSION`:
 * the model-card report of a version to PDF and/or HTML.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { formatModelReference, parseModelReference } from '../../../shared/registry';
import { scoreBatchSchema } from '../../../shared/serving';
import { formatZodIssues } from '../../../shared/zod-issues';
import { scoreBatchJob, type ScoreBatchParams, type ScoreBatchResult } from '../../core/serving/score-batch-job';
import { type CliCommand, type CliContext, fail } from '../command';
import { runJobWithProgress } from '../run-job';
import { EXPORT_OPTIONS, writeReportFiles } from './maturity';
import { withInputErrors } from './runs';

/** The flag or word a request field comes from, to name it in an error. */
const FIELD_OF: Record<string, string> = {
  name: 'MODEL',
  selector: 'MODEL',
  'selector.alias': 'MODEL (alias)',
  file: 'FILE',
  out: 'OUT.csv',
};

/**
 * The words of `mlwb score` → a scoring request parsed with the app's schema.
 * FILE is a CSV file; a word that is no file but looks like NAME@TAG is a
 * dataset version.
 */
export function parseScoreArgs(cli: Pick<CliContext, 'positionals' | 'app'>): { request: ScoreBatchParams } | { error: string } {
  const [modelRef, input, out] = cli.positionals;
  const ref = parseModelReference(modelRef ?? '');
  if (!ref) return { error: `MODEL must be NAME, NAME/STAGE, NAME/VERSION or NAME@ALIAS; got "${modelRef}".` };
  const file = path.resolve(input);
  let source: { file: string } | { datasetVersionId: number } = { file };
  if (!fs.existsSync(file) && input.includes('@')) source = { datasetVersionId: cli.app().store.datasets.findVersionByRef(input).id };
  const parsed = scoreBatchSchema.safeParse({ name: ref.name, selector: ref.selector, ...source, out: path.resolve(out) });
  return parsed.success ? { request: parsed.data } : { error: formatZodIssues(parsed.error.issues, (p) => FIELD_OF[p] ?? p) };
}

const share = (v: number) => `${(100 * v).toFixed(1)}%`;

export const scoreCommand: CliCommand = {
  name: 'score',
  summary: 'Score a CSV file or a dataset version with a registered model version, to a new CSV',
  usage: 'mlwb score NAME[/STAGE|/VERSION|@ALIAS] FILE|DATASET@TAG OUT.csv [--json]   (NAME alone: its Production version)',
  async run(cli) {
    if (cli.positionals.length !== 3) return fail(cli, `Usage: ${this.usage}`);
    return withInputErrors(cli, async () => {
      const parsed = parseScoreArgs(cli);
      if ('error' in parsed) return fail(cli, parsed.error);
      const job = await runJobWithProgress(cli, scoreBatchJob, parsed.request);
      if (job.status !== 'succeeded') return 1;
      const r = job.result as ScoreBatchResult;
      if (cli.json) {
        cli.out(JSON.stringify(r, null, 2));
        return 0;
      }
      const set = r.predictionSet;
      const seconds = r.durationMs / 1000;
      cli.out(
        `Scored ${set.rows.toLocaleString('en')} rows of ${set.sourceLabel} with ${set.model} v${set.version} (${formatModelReference(parsed.request.name, parsed.request.selector)}) in ${seconds.toFixed(1)} s (${Math.round(set.rows / Math.max(seconds, 1e-3)).toLocaleString('en')} rows/s)`,
      );
      cli.out(`wrote ${r.out} (${set.bytes.toLocaleString('en')} bytes; prediction set #${set.id})`);
      if (r.task === 'classification')
        cli.out(
          `predicted: ${Object.entries(set.summary)
            .map(([c, v]) => `${c} ${share(v)}`)
            .join(', ')}`,
        );
      else
        cli.out(
          `prediction: mean ${set.summary.mean.toFixed(4)}, std ${set.summary.std.toFixed(4)}, min ${set.summary.min.toFixed(4)}, max ${set.summary.max.toFixed(4)}`,
        );
      return 0;
    });
  },
};

export const modelsCardCommand: CliCommand = {
  name: 'models card',
  summary: "Export a model version's card (what it is, data, metrics with CV spread, importances, gates, lineage) to PDF and/or HTML",
  usage: 'mlwb models card NAME VERSION|STAGE|@ALIAS [--pdf OUT.pdf] [--html OUT.html] [--paper A4|Letter] [--lang en|ja]',
  options: EXPORT_OPTIONS,
  async run(cli) {
    const [name, which] = cli.positionals;
    if (!name || !which || !(cli.value('pdf') || cli.value('html'))) return fail(cli, `Usage: ${this.usage}`);
    const target = which.startsWith('@') ? `${name}${which}` : `${name}/${which}`;
    if (!parseModelReference(target))
      throw new AppError('bad_input', `"${which}" is not a version number, a stage (None, Staging, Production, Archived) or @alias.`);
    return withInputErrors(cli, async () => {
      const written = await writeReportFiles(cli, 'model-card', target);
      if (cli.json) cli.out(JSON.stringify(written, null, 2));
      else for (const w of written) cli.out(`wrote ${w.file} (${w.bytes} bytes, ${w.ms.toFixed(0)} ms)`);
      return 0;
    });
  },
};

export const SCORING_COMMANDS: readonly CliCommand[] = [scoreCommand, modelsCardCommand];
