/**
 * Comparing 2–20 runs (the chapter's `ExperimentManager.compare_models`):
 * which way a metric is better, the best run by a metric, which keys differ,
 * the parallel-coordinates dimensions, and the comparison report's target id.
 * Shared by the compare page, the run-comparison report and `mlwb runs
 * compare`, so all three pick the same best run. No Node or DOM imports.
 */
import { z } from 'zod';
import { fromWireNumber, metricKeySchema, runIdSchema, type WireNumber } from './tracking';

export const COMPARE_MIN_RUNS = 2;
export const COMPARE_MAX_RUNS = 20;

/** Which way a metric improves. */
export type Better = 'higher' | 'lower';

/** The run fields a comparison reads (a RunSummary, or a Run with its metrics by key). */
export interface ComparedRun {
  runId: string;
  name: string;
  params: Record<string, string>;
  metrics: Record<string, WireNumber>;
  tags: Record<string, string>;
}

/**
 * Loss- and error-like metrics are better when lower (log_loss, rmse, mae,
 * mse, *_loss, *_error, *_std — and their CV means, e.g. cv_rmse_mean);
 * every other metric (accuracy, f1, roc_auc, r2, …) when higher.
 */
export function defaultBetter(metric: string): Better {
  const key = metric
    .toLowerCase()
    .replace(/^cv_(fold_)?/, '')
    .replace(/_mean$/, '');
  if (/^(log_loss|rmse|mae|mse|mape|loss|error)$/.test(key)) return 'lower';
  if (/(_loss|_error|_std)$/.test(metric.toLowerCase())) return 'lower';
  return 'higher';
}

/** The finite value of a metric of a run, or null (missing, NaN or ±∞ never win). */
export function finiteMetric(run: ComparedRun, metric: string): number | null {
  const v = run.metrics[metric];
  if (v === undefined) return null;
  const n = fromWireNumber(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * The runs ranked by a metric, best first; runs without a finite value are
 * left out. Ties keep the given order (the first run listed wins).
 */
export function rankRuns(
  runs: readonly ComparedRun[],
  metric: string,
  better: Better = defaultBetter(metric),
): Array<{ run: ComparedRun; value: number }> {
  return runs
    .map((run, index) => ({ run, index, value: finiteMetric(run, metric) }))
    .filter((r): r is { run: ComparedRun; index: number; value: number } => r.value !== null)
    .sort((a, b) => (better === 'higher' ? b.value - a.value : a.value - b.value) || a.index - b.index)
    .map(({ run, value }) => ({ run, value }));
}

/** The best run by a metric, or null when no run has a finite value of it. */
export function bestRun(
  runs: readonly ComparedRun[],
  metric: string,
  better: Better = defaultBetter(metric),
): { run: ComparedRun; value: number } | null {
  return rankRuns(runs, metric, better)[0] ?? null;
}

/** Metric keys every run has (what "best by" offers); when they share none, every key any run has. */
export function sharedMetricKeys(runs: readonly ComparedRun[]): string[] {
  const all = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const shared = all.filter((k) => runs.every((r) => k in r.metrics));
  return shared.length > 0 ? shared : all;
}

/** The metric "best by" starts with: the first of the usual headline metrics the runs share. */
export function defaultCompareMetric(runs: readonly ComparedRun[]): string | null {
  const keys = sharedMetricKeys(runs);
  for (const k of ['roc_auc', 'accuracy', 'f1_macro', 'r2', 'rmse', 'log_loss']) if (keys.includes(k)) return k;
  return keys[0] ?? null;
}

/** True when the runs do not all have the same value (a missing value differs from any value). */
export function valuesDiffer(values: ReadonlyArray<string | undefined>): boolean {
  return values.some((v) => v !== values[0]);
}

/** A metric value as the comparison shows it: NaN, ∞, −∞, or the number (up to 4 decimals). */
export function formatCompareNumber(v: WireNumber | number | undefined, locale: 'en' | 'ja' = 'en'): string {
  if (v === undefined) return '—';
  const n = typeof v === 'number' ? v : fromWireNumber(v);
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '∞';
  if (n === -Infinity) return '−∞';
  return new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-US', { maximumFractionDigits: Math.abs(n) >= 1000 ? 1 : 4 }).format(n);
}

/** One axis of a parallel-coordinates plot. */
export interface ParallelDimension {
  key: string;
  label: string;
  kind: 'param' | 'metric';
  /** One value per run (null: the run has none); categorical values are their index in `categories`. */
  values: Array<number | null>;
  /** Set for categorical params (model type…): the tick labels, in order. */
  categories?: string[];
}

/** Params that say nothing on an axis (a feature list, a long recipe id). */
const NON_AXIS_PARAMS = new Set(['features', 'recipe', 'target']);
const MAX_CATEGORIES = 20;

/** At most this many param axes (a plot with more is unreadable; the table lists every param). */
export const MAX_PARAM_AXES = 8;

/**
 * The axes of the parallel-coordinates plot: the params that vary between the
 * runs and that at least two runs have (a hyper-parameter of one model only
 * says nothing across runs) — numeric ones on a value axis, others (the
 * model type) as tick-labelled categories; the model first, then those most
 * runs have, at most {@link MAX_PARAM_AXES} — then the given metrics. When no
 * param varies, the model param is kept so the plot still has a param axis.
 */
export function parallelDimensions(runs: readonly ComparedRun[], metrics: readonly string[]): ParallelDimension[] {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].filter((k) => !NON_AXIS_PARAMS.has(k)).sort();
  const having = (k: string) => runs.filter((r) => r.params[k] !== undefined).length;
  const varying = keys
    .filter((k) => having(k) >= Math.min(2, runs.length) && valuesDiffer(runs.map((r) => r.params[k])))
    .sort((a, b) => Number(b === 'model') - Number(a === 'model') || having(b) - having(a) || a.localeCompare(b))
    .slice(0, MAX_PARAM_AXES);
  const chosen = varying.length > 0 ? varying : keys.filter((k) => k === 'model');
  const dims: ParallelDimension[] = [];
  for (const key of chosen) {
    const raw = runs.map((r) => r.params[key]);
    const present = raw.filter((v): v is string => v !== undefined && v !== '');
    const numeric = present.length > 0 && present.every((v) => Number.isFinite(Number(v)));
    if (numeric) {
      dims.push({ key, label: key, kind: 'param', values: raw.map((v) => (v === undefined || v === '' ? null : Number(v))) });
      continue;
    }
    const categories = [...new Set(present)].sort();
    if (categories.length > MAX_CATEGORIES) continue;
    dims.push({
      key,
      label: key,
      kind: 'param',
      categories,
      values: raw.map((v) => (v === undefined || v === '' ? null : categories.indexOf(v))),
    });
  }
  for (const key of metrics) {
    dims.push({ key, label: key, kind: 'metric', values: runs.map((r) => finiteMetric(r, key)) });
  }
  return dims;
}

/**
 * The run-comparison report's target id: the run ids comma-joined, then
 * optionally `;metric=KEY` and `;better=higher|lower`, e.g.
 * `0a…1f,7c…e2;metric=log_loss;better=lower`.
 */
export function formatComparisonTarget(target: { runIds: readonly string[]; metric?: string | null; better?: Better }): string {
  let id = target.runIds.join(',');
  if (target.metric) id += `;metric=${target.metric}`;
  if (target.better) id += `;better=${target.better}`;
  return id;
}

/** The longest target id (20 run ids, a 250-character metric key and a direction). */
export const COMPARISON_TARGET_MAX_LENGTH = 1000;

/** Parses a comparison target id (see {@link formatComparisonTarget}); messages name what is wrong. */
export const comparisonTargetSchema = z
  .string()
  .trim()
  .max(COMPARISON_TARGET_MAX_LENGTH)
  .transform((text, ctx): { runIds: string[]; metric?: string; better?: Better } => {
    const [ids = '', ...options] = text.split(';');
    const fields: { metric?: string; better?: string } = {};
    for (const option of options) {
      const eq = option.indexOf('=');
      const name = eq < 0 ? option : option.slice(0, eq);
      if ((name !== 'metric' && name !== 'better') || eq < 0 || name in fields) {
        ctx.addIssue({
          code: 'custom',
          message: `Unknown or repeated option "${option}" in the comparison id (expected ;metric=KEY and ;better=higher|lower).`,
        });
        return z.NEVER;
      }
      fields[name as 'metric' | 'better'] = option.slice(eq + 1);
    }
    return {
      runIds: ids
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      metric: fields.metric,
      // The pipe below checks the value; the cast only hands it over.
      better: fields.better as Better | undefined,
    };
  })
  .pipe(
    z.object({
      runIds: z
        .array(runIdSchema)
        .min(COMPARE_MIN_RUNS, `A comparison needs at least ${COMPARE_MIN_RUNS} runs.`)
        .max(COMPARE_MAX_RUNS, `A comparison takes at most ${COMPARE_MAX_RUNS} runs.`)
        .refine((ids) => new Set(ids).size === ids.length, 'A run is listed twice in the comparison.'),
      metric: metricKeySchema.optional(),
      better: z.enum(['higher', 'lower']).optional(),
    }),
  );
export type ComparisonTarget = z.output<typeof comparisonTargetSchema>;

/** A run's `roc_curve.json` artifact (binary classification), as the charts read it. */
export const rocCurveSchema = z.object({ fpr: z.array(z.number()), tpr: z.array(z.number()) });
export type RocCurve = z.output<typeof rocCurveSchema>;

/** The ROC points of an artifact's text, or null when it is not a ROC curve of equal-length arrays. */
export function parseRocCurve(text: string | null | undefined): RocCurve | null {
  if (!text) return null;
  try {
    const parsed = rocCurveSchema.safeParse(JSON.parse(text));
    if (!parsed.success || parsed.data.fpr.length !== parsed.data.tpr.length || parsed.data.fpr.length === 0) return null;
    return { fpr: parsed.data.fpr, tpr: parsed.data.tpr };
  } catch {
    return null;
  }
}

/** Ten colours that stay apart on screen and in print: one per compared run (cycled past ten). */
export const RUN_COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

/** The colour of a value on the metric scale (0 = worst, 1 = best): a viridis-like ramp. */
export function metricColor(t: number): string {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((a, k) => Math.round(a + (stops[i + 1][k] - a) * f));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
