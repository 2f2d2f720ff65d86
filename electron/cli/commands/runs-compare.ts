import {
  bestRun,
  comparisonTargetSchema,
  defaultBetter,
  defaultCompareMetric,
  formatCompareNumber,
  formatComparisonTarget,
  type ComparedRun,
} from '../../../shared/run-comparison';
import { formatZodIssues } from '../../../shared/zod-issues';
import { type CliCommand, fail } from '../command';
import { EXPORT_OPTIONS, writeReportFiles } from './maturity';

/**
 * `mlwb runs compare ID… --pdf OUT.pdf`: the compare page's report (the
 * run-comparison report of the one pipeline) for scripts and CI, and the best
 * run by the metric on stdout.
 */
export const runsCompareCommand: CliCommand = {
  name: 'runs compare',
  summary: 'Compare 2–20 runs: export the comparison report (PDF and/or HTML) and print the best run',
  usage:
    'mlwb runs compare ID ID… --pdf OUT.pdf [--html OUT.html] [--metric KEY] [--better higher|lower] [--paper A4|Letter] [--lang en|ja] [--json]',
  options: { ...EXPORT_OPTIONS, metric: { type: 'string' }, better: { type: 'string' } },
  async run(cli) {
    if (!(cli.value('pdf') || cli.value('html'))) return fail(cli, `Usage: ${this.usage}`);
    const words = cli.positionals;
    // The same id and the same schema as the compare page's export.
    const request = formatComparisonTarget({
      runIds: words,
      metric: cli.value('metric'),
      better: cli.value('better') as 'higher' | 'lower' | undefined,
    });
    const parsed = comparisonTargetSchema.safeParse(request);
    if (!parsed.success) {
      const label = (p: string) => {
        const m = /^runIds\.(\d+)$/.exec(p);
        return m
          ? `run id "${words[Number(m[1])]}"`
          : p === 'runIds'
            ? 'ID…'
            : p === 'metric'
              ? '--metric'
              : p === 'better'
                ? '--better'
                : p;
      };
      return fail(cli, formatZodIssues(parsed.error.issues, label));
    }
    const target = parsed.data;
    const store = cli.app().store;
    // Every run must exist before anything is printed (a not_found names the id).
    const runs: ComparedRun[] = target.runIds.map((id) => {
      const run = store.tracking.getRun(id);
      return {
        runId: id,
        name: run.info.name,
        params: run.params,
        tags: run.tags,
        metrics: Object.fromEntries(run.metrics.map((m) => [m.key, m.value])),
      };
    });
    const metric = target.metric ?? defaultCompareMetric(runs);
    const better = target.better ?? (metric ? defaultBetter(metric) : 'higher');
    const best = metric ? bestRun(runs, metric, better) : null;
    const written = await writeReportFiles(cli, 'run-comparison', formatComparisonTarget({ runIds: target.runIds, metric, better }));
    if (cli.json) {
      cli.out(
        JSON.stringify(
          { metric, better, best: best ? { runId: best.run.runId, name: best.run.name, value: best.value } : null, files: written },
          null,
          2,
        ),
      );
      return 0;
    }
    if (!metric) cli.out('The runs have no metrics to compare.');
    else if (!best) cli.out(`No run has a numeric value of ${metric}.`);
    else cli.out(`best by ${metric} (${better} is better): ${best.run.name} (${best.run.runId}) = ${formatCompareNumber(best.value)}`);
    for (const w of written) cli.out(`wrote ${w.file} (${w.bytes} bytes, ${w.ms.toFixed(0)} ms)`);
    return 0;
  },
};
