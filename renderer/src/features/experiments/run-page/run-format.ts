/**
 * The run page's pure logic: how values are written (NaN, ∞, −∞ — never
 * "null"), how metrics are grouped (test value beside its CV mean ± std,
 * per-fold values, step series), which tags are the system's, and how step
 * series share a chart. No React, no DOM.
 */
import {
  fromWireNumber,
  isMlflowSource,
  SYSTEM_TAGS,
  type RunDetail,
  type LatestMetric,
  type MetricHistoryPoint,
  type WireNumber,
} from '../../../../../shared/tracking';

/** A metric value as text: NaN, ∞ and −∞ by name; integers whole; others with four decimals (exponent when tiny or huge). */
export function formatMetricValue(value: WireNumber | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const v = fromWireNumber(value);
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return v.toExponential(3);
  if (abs >= 1000) return v.toFixed(2);
  return v.toFixed(4);
}

/** The exact value behind a formatted metric (shown on hover): every digit JavaScript keeps. */
export function exactMetricValue(value: WireNumber | null | undefined): string {
  if (value === null || value === undefined) return '';
  const v = fromWireNumber(value);
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return String(v);
}

/** One row of the metrics table: a metric's latest value beside its cross-validated mean ± std when both exist. */
export interface MetricRow {
  key: string;
  value: WireNumber | null;
  step: number | null;
  cvMean: WireNumber | null;
  cvStd: WireNumber | null;
  /** True when the metric has a step series (charted below). */
  series: boolean;
}

export interface GroupedMetrics {
  /** Test metrics and others, each with its CV mean ± std when the run cross-validated. */
  rows: MetricRow[];
  /** Per-fold metric keys (`cv_fold_accuracy`, …): their points are the folds (step 1..k). */
  foldKeys: string[];
}

const CV_MEAN = /^cv_(.+)_mean$/;
const CV_STD = /^cv_(.+)_std$/;
const CV_FOLD = /^cv_fold_(.+)$/;

/** True for a per-fold key (`cv_fold_<metric>`), whose steps are fold numbers rather than training steps. */
export function isFoldKey(key: string): boolean {
  return CV_FOLD.test(key);
}

/** The order a reader expects the usual metrics in (scikit-learn's report first); others follow by name, the timing last. */
const METRIC_ORDER = [
  'accuracy',
  'balanced_accuracy',
  'precision',
  'recall',
  'f1',
  'precision_macro',
  'recall_macro',
  'f1_macro',
  'precision_weighted',
  'recall_weighted',
  'f1_weighted',
  'roc_auc',
  'log_loss',
  'r2',
  'rmse',
  'mae',
  'oob_score',
];

/**
 * Groups a run's latest metrics: `cv_<m>_mean` and `cv_<m>_std` join the row
 * of `<m>` (a row of their own when the run has no test value for it);
 * `cv_fold_<m>` keys are listed apart. Rows come in METRIC_ORDER, then by
 * name, training_duration_s last.
 */
export function groupMetrics(metrics: LatestMetric[], seriesKeys: readonly string[] = []): GroupedMetrics {
  const byKey = new Map(metrics.map((m) => [m.key, m]));
  const series = new Set(seriesKeys);
  const rows = new Map<string, MetricRow>();
  const foldKeys: string[] = [];
  const row = (key: string): MetricRow => {
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { key, value: null, step: null, cvMean: null, cvStd: null, series: series.has(key) }));
    return r;
  };
  // A key that looks like CV but has no partner is still shown, under its own name.
  const cvBase = (key: string, re: RegExp, partner: (base: string) => string): string | null => {
    const m = re.exec(key);
    if (!m) return null;
    return byKey.has(partner(m[1])) || byKey.has(m[1]) ? m[1] : null;
  };
  for (const m of metrics) {
    if (CV_FOLD.test(m.key)) {
      foldKeys.push(m.key);
      continue;
    }
    const meanOf = cvBase(m.key, CV_MEAN, (b) => `cv_${b}_std`);
    const stdOf = meanOf === null ? cvBase(m.key, CV_STD, (b) => `cv_${b}_mean`) : null;
    if (meanOf !== null || stdOf !== null) continue;
    const r = row(m.key);
    r.value = m.value;
    r.step = m.step;
  }
  for (const m of metrics) {
    const meanOf = cvBase(m.key, CV_MEAN, (b) => `cv_${b}_std`);
    if (meanOf !== null) row(meanOf).cvMean = m.value;
    const stdOf = meanOf === null ? cvBase(m.key, CV_STD, (b) => `cv_${b}_mean`) : null;
    if (stdOf !== null) row(stdOf).cvStd = m.value;
  }
  const rank = (key: string) => {
    const i = METRIC_ORDER.indexOf(key);
    return i >= 0 ? i : key === 'training_duration_s' ? METRIC_ORDER.length + 1 : METRIC_ORDER.length;
  };
  const sorted = [...rows.values()].sort((a, b) => rank(a.key) - rank(b.key) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { rows: sorted, foldKeys: foldKeys.sort() };
}

/** True for tags the app or MLflow set (`mlwb.*`, `mlflow.*`); the rest are the user's. */
export function isSystemTag(key: string): boolean {
  return key.startsWith('mlwb.') || key.startsWith('mlflow.');
}

/** A run's tags split into system and free ones (sorted by key), leaving out the notes (shown on their own). */
export function splitTags(tags: Record<string, string>, noteKey: string): { system: [string, string][]; free: [string, string][] } {
  const system: [string, string][] = [];
  const free: [string, string][] = [];
  for (const entry of Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (entry[0] === noteKey) continue;
    (isSystemTag(entry[0]) ? system : free).push(entry);
  }
  return { system, free };
}

/** A group of step series drawn on one chart (e.g. train_loss and validation_loss share "loss"). */
export interface SeriesGroup {
  title: string;
  keys: string[];
}

/**
 * Puts series that measure the same thing on one chart: keys sharing their
 * last `_`-separated word (train_loss, validation_loss → "loss") when more
 * than one does; every other key has a chart of its own.
 */
export function groupSeries(keys: readonly string[]): SeriesGroup[] {
  const bySuffix = new Map<string, string[]>();
  for (const key of keys) {
    const parts = key.split('_');
    const suffix = parts.length > 1 ? parts[parts.length - 1] : key;
    bySuffix.set(suffix, [...(bySuffix.get(suffix) ?? []), key]);
  }
  const groups: SeriesGroup[] = [];
  for (const key of keys) {
    const parts = key.split('_');
    const suffix = parts.length > 1 ? parts[parts.length - 1] : key;
    const members = bySuffix.get(suffix)!;
    if (members.length > 1) {
      if (members[0] === key) groups.push({ title: suffix, keys: members });
    } else groups.push({ title: key, keys: [key] });
  }
  return groups;
}

/** A chart point: x is the step, or seconds since the series' first point. Non-finite values are left out (a line cannot show them). */
export interface ChartPoint {
  x: number;
  y: number;
}

/** The points of one series on the chosen axis, and how many could not be drawn (NaN, ±∞). */
export function seriesPoints(
  points: readonly MetricHistoryPoint[],
  axis: 'step' | 'time',
  origin?: number,
): { points: ChartPoint[]; skipped: number } {
  const first = origin ?? (points.length ? Math.min(...points.map((p) => p.timestamp)) : 0);
  const out: ChartPoint[] = [];
  let skipped = 0;
  for (const p of points) {
    const y = fromWireNumber(p.value);
    if (!Number.isFinite(y)) {
      skipped++;
      continue;
    }
    out.push({ x: axis === 'step' ? p.step : (p.timestamp - first) / 1000, y });
  }
  return { points: out, skipped };
}

/** Per-fold values of each fold key, by fold number (the points' steps). */
export function foldTable(
  history: Record<string, readonly MetricHistoryPoint[]>,
  keys: readonly string[],
): { folds: number[]; rows: { key: string; values: (WireNumber | null)[] }[] } {
  const folds = [...new Set(keys.flatMap((k) => (history[k] ?? []).map((p) => p.step)))].sort((a, b) => a - b);
  const rows = keys.map((key) => {
    // The last point logged at a step wins (history is in step, timestamp order).
    const at = new Map((history[key] ?? []).map((p) => [p.step, p.value]));
    return { key: key.replace(CV_FOLD, '$1'), values: folds.map((f) => at.get(f) ?? null) };
  });
  return { folds, rows };
}

/** An artifact's content as bytes for a download: text as UTF-8, binary from base64. */
export function artifactBytes(content: { text?: string; base64?: string }): Uint8Array {
  if (content.text !== undefined) return new TextEncoder().encode(content.text);
  const binary = atob(content.base64 ?? '');
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Why a run cannot be reproduced, when the run itself tells (logged from
 * outside; its dataset version deleted); null when it can be, or when only
 * the server can say (its message is shown when Reproduce is pressed).
 */
export function reproduceBlockedReason(
  run: Pick<RunDetail, 'reproducible' | 'info' | 'tags'>,
  t: (key: string, params?: Record<string, string>) => string,
): string | null {
  if (run.reproducible) return null;
  if (isMlflowSource(run.info.source)) return t('run.blocked.outside');
  const label = run.tags[SYSTEM_TAGS.dataset];
  if (run.info.datasetVersionId === null && label) return t('run.blocked.datasetGone', { dataset: label });
  return null;
}
