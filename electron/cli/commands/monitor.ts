/**
 * `mlwb monitor N[@alias|/VERSION] [--window 1d] [--json]`: the prediction
 * windows of a served model (the app's `monitoring:predictions`, same schema):
 * counts, mean/std or class shares, accuracy or R² where labels arrived, and
 * prediction drift against the version's test-split predictions.
 * A bare name covers every logged version; an alias or number picks one.
 */
import { predictionWindowsSchema } from '../../../shared/monitoring';
import { parseModelReference } from '../../../shared/registry';
import { formatZodIssues } from '../../../shared/zod-issues';
import { predictionMonitor } from '../../core/monitoring/prediction-monitor';
import { type CliCommand, fail } from '../command';
import { withInputErrors } from './runs';

export const monitorCommand: CliCommand = {
  name: 'monitor',
  summary: "A served model's logged predictions per time window (counts, distribution, accuracy once labels arrive) and their drift from the test split",
  usage: 'mlwb monitor NAME[@alias|/VERSION] [--window 1h|6h|1d|7d] [--json]',
  options: { window: { type: 'string' } },
  async run(cli) {
    if (cli.positionals.length !== 1) return fail(cli, `Usage: ${this.usage}`);
    return withInputErrors(cli, async () => {
      const word = cli.positionals[0];
      const ref = parseModelReference(word);
      if (!ref) return fail(cli, `Not a model reference: "${word}".`);
      const app = cli.app();
      const store = app.store;
      const pinned = /[@/]/.test(word.slice(ref.name.length)) ? store.registry.resolveVersion(ref.name, ref.selector).version : undefined;
      const window = cli.value('window');
      const parsed = predictionWindowsSchema.safeParse({ name: ref.name, version: pinned, ...(window !== undefined ? { window } : {}) });
      if (!parsed.success)
        return fail(
          cli,
          formatZodIssues(parsed.error.issues, (p) => (p === 'window' ? '--window' : p)),
        );
      const m = await predictionMonitor({ store, runTask: (name, params) => app.pool.runTask(name, params) }, parsed.data);
      if (cli.json) {
        cli.out(JSON.stringify({ ...m, version: pinned ?? null, window: parsed.data.window }, null, 2));
        return 0;
      }
      cli.out(
        `${m.name}${pinned !== undefined ? ` v${pinned}` : ''}: ${m.task}, ${parsed.data.window} windows (threshold ${m.settings.threshold})`,
      );
      for (const w of m.windows) {
        const dist =
          m.task === 'regression'
            ? `mean=${w.mean?.toPrecision(4)} std=${w.std?.toPrecision(4)}`
            : Object.entries(w.classShares ?? {})
                .map(([k, v]) => `${k}=${(v * 100).toFixed(1)}%`)
                .join(' ');
        const score =
          m.task === 'regression'
            ? w.r2 !== null
              ? ` R²=${w.r2.toFixed(3)}`
              : ''
            : w.accuracy !== null
              ? ` accuracy=${w.accuracy.toFixed(3)}`
              : '';
        cli.out(`  ${new Date(w.start).toISOString()}  n=${w.count}  ${dist}${score}${w.belowThreshold ? '  BELOW THRESHOLD' : ''}`);
      }
      const d = m.predictionDrift;
      cli.out(
        d
          ? `Prediction drift of v${d.version} vs its test split: ${d.test === 'ks' ? 'KS D' : 'chi-square'}=${d.statistic.toPrecision(4)} p=${d.pValue.toPrecision(3)} (${d.rows} served, ${d.testRows} test) — ${d.drifted ? 'DRIFTED' : 'no drift'}`
          : `Prediction drift vs the test split: ${m.predictionDriftNote ?? 'not computed'}`,
      );
      return 0;
    });
  },
};
