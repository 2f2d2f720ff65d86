import type { ColumnDriftResult, DriftChart } from '../../../../shared/drift';
import type { DriftBaseline, DriftCurrent } from '../../../../shared/monitoring';

/** A p-value or distance for a table cell: small p-values in exponent form so 1e-12 does not read as 0. */
export function formatStat(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e6) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

/** A share (0–1) as a percentage with one decimal. */
export function formatShare(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${(value * 100).toFixed(1)}%`;
}

/** A signed percentage (mean shift %), e.g. +12.3%. */
export function formatShift(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const s = Math.abs(value) >= 1000 ? value.toExponential(1) : value.toFixed(1);
  return `${value > 0 ? '+' : ''}${s}%`;
}

/** Rows of the report: drifting first, then not drifting, then not tested; within a group the strongest evidence first. */
export function orderColumns(columns: readonly ColumnDriftResult[]): ColumnDriftResult[] {
  const rank = (c: ColumnDriftResult) => (c.status === 'drift' ? 0 : c.status === 'no-drift' ? 1 : 2);
  // A small p-value or a large distance is stronger evidence; compare on one scale (higher = stronger).
  const strength = (c: ColumnDriftResult) => (c.pValue !== null ? -c.pValue : (c.distance ?? -Infinity));
  return [...columns].sort((a, b) => rank(a) - rank(b) || strength(b) - strength(a) || (a.column < b.column ? -1 : 1));
}

/** One point per bin or category of the overlay chart, both sides as shares (unequal sizes overlay fairly). */
export interface OverlayPoint {
  label: string;
  baseline: number;
  current: number;
}

/** The bars chart's data as points, the categories not shown summed as `otherLabel`. */
export function overlayPoints(chart: Extract<DriftChart, { kind: 'bars' }>, otherLabel: string): OverlayPoint[] {
  const points = chart.categories.map((c, i) => ({
    label: c,
    baseline: chart.baselineShares[i] ?? 0,
    current: chart.currentShares[i] ?? 0,
  }));
  if (chart.otherBaseline > 0 || chart.otherCurrent > 0) {
    const baseTotal = chart.baselineCounts.reduce((s, x) => s + x, 0) + chart.otherBaseline;
    const curTotal = chart.currentCounts.reduce((s, x) => s + x, 0) + chart.otherCurrent;
    points.push({
      label: otherLabel,
      baseline: baseTotal > 0 ? chart.otherBaseline / baseTotal : 0,
      current: curTotal > 0 ? chart.otherCurrent / curTotal : 0,
    });
  }
  return points;
}

/** The histogram as step points: one per lower edge, and the last edge repeating the last bin so its step is drawn. */
export function histogramSteps(chart: Extract<DriftChart, { kind: 'histogram' }>): { x: number; baseline: number; current: number }[] {
  const n = chart.baselineShares.length;
  const points = chart.edges.slice(0, n).map((x, i) => ({ x, baseline: chart.baselineShares[i], current: chart.currentShares[i] ?? 0 }));
  if (n > 0) points.push({ x: chart.edges[n], baseline: chart.baselineShares[n - 1], current: chart.currentShares[n - 1] ?? 0 });
  return points;
}

/** What the New check page starts from, read from `#/monitoring/new?model=NAME&version=N` or `?datasetVersion=ID`. */
export interface NewCheckPreset {
  baseline?: DriftBaseline;
  current?: Pick<DriftCurrent, 'kind'> & { versionId?: number };
}

/** Parses the New check link's query (the part of the hash after `?`); unknown or malformed values are ignored. */
export function parsePreset(hash: string): NewCheckPreset {
  const q = hash.indexOf('?');
  if (q < 0) return {};
  const params = new URLSearchParams(hash.slice(q + 1));
  const positive = (s: string | null) => (s !== null && /^[1-9]\d{0,14}$/.test(s) ? Number(s) : undefined);
  const preset: NewCheckPreset = {};
  const model = params.get('model');
  const version = positive(params.get('version'));
  const datasetVersion = positive(params.get('datasetVersion'));
  if (model && version !== undefined) preset.baseline = { kind: 'model', name: model, version };
  else if (datasetVersion !== undefined) preset.baseline = { kind: 'dataset', versionId: datasetVersion };
  const currentVersion = positive(params.get('currentVersion'));
  if (currentVersion !== undefined) preset.current = { kind: 'dataset', versionId: currentVersion };
  return preset;
}

/** A link to the New check page with a baseline chosen. */
export function newCheckHref(baseline: { model: string; version: number } | { datasetVersion: number }): string {
  const params = new URLSearchParams(
    'model' in baseline
      ? { model: baseline.model, version: String(baseline.version) }
      : { datasetVersion: String(baseline.datasetVersion) },
  );
  return `#/monitoring/new?${params.toString()}`;
}
