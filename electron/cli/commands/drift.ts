/**
 * `mlwb drift BASELINE CURRENT [--method chapter|evidently] [--threshold 0.05]
 * [--json] [--pdf OUT.pdf] [--html OUT.html]`: a drift check from scripts —
 * the app's `drift-check` job (same request schema, worker, progress and
 * Ctrl-C cancel), stored in the workspace like a check run from the app.
 * Each side is a CSV file or a dataset version NAME@TAG.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startDriftCheckSchema } from '../../../shared/monitoring';
import { formatZodIssues } from '../../../shared/zod-issues';
import { driftCheckJob, type DriftJobParams, type DriftJobResult } from '../../core/monitoring/drift-job';
import { currentUser } from '../../core/tracking/record-run';
import { type CliCommand, type CliContext, fail } from '../command';
import { runJobWithProgress } from '../run-job';
import { EXPORT_OPTIONS, writeReportFiles } from './maturity';
import { withInputErrors } from './runs';

const FIELD_OF: Record<string, string> = { rule: '--method', pThreshold: '--threshold', current: 'CURRENT', baseline: 'BASELINE' };

/** A word of the command line → a file side, or a dataset version (a word that is no file but has an @). */
function sideOf(cli: Pick<CliContext, 'app'>, word: string): { kind: 'file'; path: string } | { kind: 'dataset'; versionId: number } {
  const file = path.resolve(word);
  if (!fs.existsSync(file) && word.includes('@')) return { kind: 'dataset', versionId: cli.app().store.datasets.findVersionByRef(word).id };
  return { kind: 'file', path: file };
}

/** The words and flags of `mlwb drift` → the job's params (parsed with the app's schema). */
export function parseDriftArgs(cli: Pick<CliContext, 'positionals' | 'app' | 'value'>): { params: DriftJobParams } | { error: string } {
  const [baselineWord, currentWord] = cli.positionals;
  const baseline = sideOf(cli, baselineWord);
  const current = sideOf(cli, currentWord);
  const threshold = cli.value('threshold');
  const raw = {
    // The schema's baselines are versions and models; a file baseline is the CLI's own, checked below.
    baseline: baseline.kind === 'dataset' ? baseline : { kind: 'dataset', versionId: 1 },
    current,
    rule: cli.value('method') ?? 'chapter',
    ...(threshold !== undefined ? { pThreshold: Number(threshold) } : {}),
  };
  const parsed = startDriftCheckSchema.safeParse(raw);
  if (!parsed.success) return { error: formatZodIssues(parsed.error.issues, (p) => FIELD_OF[p.split('.')[0]] ?? p) };
  return { params: { ...parsed.data, baseline, createdBy: currentUser() || 'unknown' } };
}

export const driftCommand: CliCommand = {
  name: 'drift',
  summary: 'Check a data set for drift against a baseline (KS / chi-square per column), stored in the workspace',
  usage:
    'mlwb drift BASELINE CURRENT [--method chapter|evidently] [--threshold 0.05] [--json] [--pdf OUT.pdf] [--html OUT.html]   (each side: FILE.csv or DATASET@TAG)',
  options: { ...EXPORT_OPTIONS, method: { type: 'string' }, threshold: { type: 'string' } },
  async run(cli) {
    if (cli.positionals.length !== 2) return fail(cli, `Usage: ${this.usage}`);
    return withInputErrors(cli, async () => {
      const parsed = parseDriftArgs(cli);
      if ('error' in parsed) return fail(cli, parsed.error);
      const job = await runJobWithProgress(cli, driftCheckJob, parsed.params);
      if (job.status !== 'succeeded') return 1;
      const { checkId } = job.result as DriftJobResult;
      const check = cli.app().store.monitoring.getCheck(checkId);
      const written = await writeReportFiles(cli, 'drift', String(checkId));
      const r = check.result;
      if (cli.json) {
        cli.out(
          JSON.stringify(
            {
              checkId,
              baseline: check.baselineLabel,
              current: check.currentLabel,
              rule: r.rule,
              summary: r.summary,
              columns: r.columns.map((c) => ({
                column: c.column,
                type: c.type,
                test: c.test,
                statistic: c.statistic,
                pValue: c.pValue,
                distance: c.distance,
                threshold: c.threshold,
                drifted: c.drifted,
                status: c.status,
                reason: c.reason,
                meanShiftPct: c.meanShiftPct,
              })),
              written,
            },
            null,
            2,
          ),
        );
        return 0;
      }
      cli.out(`Drift check #${checkId}: ${check.currentLabel} vs ${check.baselineLabel} (${r.rule} rule)`);
      cli.out(r.summary.message);
      for (const c of r.columns) {
        const value =
          c.pValue !== null ? `p=${c.pValue.toPrecision(4)}` : c.distance !== null ? `distance=${c.distance.toPrecision(4)}` : '';
        cli.out(
          `  ${c.drifted ? 'DRIFT ' : c.status === 'not-tested' ? 'n/a   ' : 'ok    '}${c.column}  ${c.test ?? '-'} ${c.statistic !== null ? `stat=${c.statistic.toPrecision(4)} ` : ''}${value}${c.status === 'not-tested' ? `  (${c.reason})` : ''}`,
        );
      }
      for (const w of written) cli.out(`wrote ${w.file} (${w.bytes} bytes, ${w.ms.toFixed(0)} ms)`);
      return 0;
    });
  },
};

export const DRIFT_COMMANDS: readonly CliCommand[] = [driftCommand];
