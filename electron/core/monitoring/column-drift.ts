/**
 * Column drift between a baseline and a current column set: the chapter's DataDriftMonitor
 * (KS per feature, p < 0.05, mean shift %, more than 30% of features drifting → retrain)
 * extended to categories and to Evidently's default test choice.
 *
 * Evidently's defaults (docs.evidentlyai.com/reference/data-drift-algorithm, "Data drift
 * algorithm"; the v0.1.50 release notes "Automatic Stattest Selection"; and its source,
 * calculations/stattests/registry.py `_get_default_stattest`):
 *  - reference with <= 1000 observations: numbers with more than 5 distinct values → two-sample
 *    KS (drift when p <= 0.05); categories, and numbers with <= 5 distinct values → chi-square
 *    (p < 0.05); binary columns (<= 2 distinct values) → a Z-test of proportions;
 *  - reference with more than 1000: numbers (> 5 distinct) → Wasserstein distance normed by the
 *    reference's standard deviation (np.std, ddof 0, at least 0.001), drift when >= 0.1;
 *    categories and numbers with <= 5 distinct values → Jensen–Shannon distance, base 2, >= 0.1.
 *  Distinct values are counted over both sides together, as Evidently does; "observations" are
 *  the baseline's non-missing values. Deviations, each noted on the row: binary columns use
 *  chi-square (with Yates' correction, dof 1) instead of the Z-test, and chi-square is
 *  scipy's chi2_contingency on the 2 x k table rather than Evidently's goodness-of-fit form.
 *
 * Missing values (NaN, null, '') are dropped per side, as the chapter's dropna(). ±Infinity
 * stays in the KS ranks (ks_2samp handles it as the chapter would) and is left out of
 * mean/std/min/max/median, histograms, Wasserstein and PSI, with a note saying how many.
 * Every column gets a verdict or a reason why not; nothing here throws on data.
 */
import { chi2Contingency2 } from './chi-square';
import {
  binCountsSorted,
  fillZeroShares,
  jensenShannon,
  psiCutPoints,
  psiFromShares,
  quantileSorted,
  wassersteinSorted,
} from './distances';
import type {
  ColumnDriftResult,
  DriftChart,
  DriftColumnInput,
  DriftColumnSet,
  DriftOptions,
  DriftReasonCode,
  DriftResult,
  DriftSideStats,
  DriftTest,
} from './drift-types';
import { ks2SampSorted, sortedWithoutNaN } from './ks-two-sample';

/** Evidently switches from tests to distances above this many reference observations. */
export const EVIDENTLY_SMALL_REFERENCE = 1000;
/** Evidently treats numbers with at most this many distinct values as categories. */
export const EVIDENTLY_MAX_CATEGORICAL_UNIQUE = 5;
/** Evidently's floor for the reference std when norming the Wasserstein distance. */
const WASSERSTEIN_MIN_NORM = 0.001;

type Settings = DriftResult['settings'] & { histogramBins: number; topCategories: number; rule: 'chapter' | 'evidently' };

/** A numeric side, sorted once and shared by every statistic. */
interface NumberSide {
  kind: 'number';
  rows: number;
  /** Non-NaN values ascending (±Infinity at the ends). */
  sorted: Float64Array;
  /** The finite part of `sorted` (a view). */
  finite: Float64Array;
}

interface CategorySide {
  kind: 'category';
  rows: number;
  count: number;
  counts: Map<string, number>;
}

type Side = NumberSide | CategorySide;

function prepare(col: DriftColumnInput): Side {
  if (col.kind === 'number') {
    const sorted = sortedWithoutNaN(col.values);
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi && sorted[lo] === -Infinity) lo++;
    while (hi > lo && sorted[hi - 1] === Infinity) hi--;
    return { kind: 'number', rows: col.values.length, sorted, finite: sorted.subarray(lo, hi) };
  }
  const counts = new Map<string, number>();
  let count = 0;
  for (const v of col.values) {
    if (v === null || v === undefined || v === '') continue;
    count++;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return { kind: 'category', rows: col.values.length, count, counts };
}

/** Distinct values of a sorted array. */
function uniqueSorted(x: ArrayLike<number>): number {
  let u = 0;
  for (let i = 0; i < x.length; i++) if (i === 0 || x[i] !== x[i - 1]) u++;
  return u;
}

/** Distinct values over two sorted arrays together. */
function uniqueUnionSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let i = 0;
  let j = 0;
  let u = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
    u++;
  }
  return u;
}

/** Counts per distinct value of a sorted numeric array, keyed by its string form. */
function numberCounts(sorted: ArrayLike<number>): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < sorted.length;) {
    const v = sorted[i];
    let k = i;
    while (k < sorted.length && sorted[k] === v) k++;
    m.set(String(v), k - i);
    i = k;
  }
  return m;
}

function sideStats(s: Side): DriftSideStats {
  if (s.kind === 'category') {
    return {
      rows: s.rows,
      count: s.count,
      missing: s.rows - s.count,
      missingShare: s.rows ? (s.rows - s.count) / s.rows : 0,
      infinite: 0,
      mean: null,
      std: null,
      min: null,
      max: null,
      median: null,
      unique: s.counts.size,
    };
  }
  const f = s.finite;
  const n = f.length;
  let mean: number | null = null;
  let std: number | null = null;
  if (n > 0) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += f[i];
    const m = sum / n;
    mean = m;
    if (n > 1) {
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (f[i] - m) ** 2;
      std = Math.sqrt(ss / (n - 1));
    }
  }
  return {
    rows: s.rows,
    count: s.sorted.length,
    missing: s.rows - s.sorted.length,
    missingShare: s.rows ? (s.rows - s.sorted.length) / s.rows : 0,
    infinite: s.sorted.length - n,
    mean,
    std,
    min: n ? f[0] : null,
    max: n ? f[n - 1] : null,
    median: n ? quantileSorted(f, 0.5) : null,
    unique: uniqueSorted(s.sorted),
  };
}

/** Population std (ddof 0) of finite values, as np.std in Evidently's Wasserstein norm. */
function populationStd(f: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < f.length; i++) sum += f[i];
  const m = sum / f.length;
  let ss = 0;
  for (let i = 0; i < f.length; i++) ss += (f[i] - m) ** 2;
  return Math.sqrt(ss / f.length);
}

function histogram(b: Float64Array, c: Float64Array, bins: number): DriftChart | null {
  if (b.length === 0 && c.length === 0) return null;
  const lo = Math.min(b.length ? b[0] : Infinity, c.length ? c[0] : Infinity);
  const hi = Math.max(b.length ? b[b.length - 1] : -Infinity, c.length ? c[c.length - 1] : -Infinity);
  let edges: number[];
  if (hi > lo) {
    edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins));
  } else {
    // A constant column: one bin around the value.
    edges = [lo - 0.5, lo + 0.5];
  }
  const count = (x: Float64Array): number[] => binCountsSorted(x, edges.slice(1, -1));
  const bc = count(b);
  const cc = count(c);
  return {
    kind: 'histogram',
    edges,
    baselineCounts: bc,
    currentCounts: cc,
    baselineShares: bc.map((k) => (b.length ? k / b.length : 0)),
    currentShares: cc.map((k) => (c.length ? k / c.length : 0)),
  };
}

function bars(b: Map<string, number>, c: Map<string, number>, top: number): DriftChart {
  const nb = [...b.values()].reduce((s, x) => s + x, 0);
  const nc = [...c.values()].reduce((s, x) => s + x, 0);
  const keys = [...new Set([...b.keys(), ...c.keys()])];
  const pooled = (k: string): number => (nb ? (b.get(k) ?? 0) / nb : 0) + (nc ? (c.get(k) ?? 0) / nc : 0);
  keys.sort((x, y) => pooled(y) - pooled(x) || (x < y ? -1 : x > y ? 1 : 0));
  const shown = keys.slice(0, top);
  const bc = shown.map((k) => b.get(k) ?? 0);
  const cc = shown.map((k) => c.get(k) ?? 0);
  return {
    kind: 'bars',
    categories: shown,
    baselineCounts: bc,
    currentCounts: cc,
    baselineShares: bc.map((k) => (nb ? k / nb : 0)),
    currentShares: cc.map((k) => (nc ? k / nc : 0)),
    otherBaseline: nb - bc.reduce((s, x) => s + x, 0),
    otherCurrent: nc - cc.reduce((s, x) => s + x, 0),
  };
}

/** Count vectors of two category maps over the union of their keys (first-seen order). */
function alignCounts(b: Map<string, number>, c: Map<string, number>): { keys: string[]; bc: number[]; cc: number[] } {
  const keys = [...new Set([...b.keys(), ...c.keys()])];
  return { keys, bc: keys.map((k) => b.get(k) ?? 0), cc: keys.map((k) => c.get(k) ?? 0) };
}

function psiOfCounts(bc: number[], cc: number[]): number | null {
  const nb = bc.reduce((s, x) => s + x, 0);
  const nc = cc.reduce((s, x) => s + x, 0);
  if (!nb || !nc) return null;
  return psiFromShares(fillZeroShares(bc.map((x) => x / nb)), fillZeroShares(cc.map((x) => x / nc)));
}

/** Short human form of a p-value or distance for the reason sentence. */
export function formatStat(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e6) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}

const TEST_LABEL: Record<DriftTest, string> = {
  ks: 'KS',
  'chi-square': 'chi-square',
  wasserstein: 'Wasserstein (normed)',
  'jensen-shannon': 'Jensen–Shannon',
  psi: 'PSI',
};

function emptyRow(name: string, type: 'number' | 'category', b: DriftSideStats, c: DriftSideStats): ColumnDriftResult {
  return {
    column: name,
    type,
    test: null,
    statistic: null,
    pValue: null,
    distance: null,
    threshold: null,
    status: 'not-tested',
    drifted: false,
    reason: '',
    reasonCode: 'not-computable',
    notes: [],
    psi: null,
    baseline: b,
    current: c,
    meanShiftPct: null,
    chart: null,
  };
}

const EMPTY_STATS: DriftSideStats = {
  rows: 0,
  count: 0,
  missing: 0,
  missingShare: 0,
  infinite: 0,
  mean: null,
  std: null,
  min: null,
  max: null,
  median: null,
  unique: 0,
};

function notTested(row: ColumnDriftResult, code: DriftReasonCode, reason: string): ColumnDriftResult {
  row.status = 'not-tested';
  row.drifted = false;
  row.reasonCode = code;
  row.reason = reason;
  return row;
}

/** Compares one column; never throws on data (bad data gives a not-tested row with the reason). */
export function driftColumn(
  name: string,
  baseline: DriftColumnInput | undefined,
  current: DriftColumnInput | undefined,
  settings: Settings,
): ColumnDriftResult {
  const bSide = baseline ? prepare(baseline) : undefined;
  const cSide = current ? prepare(current) : undefined;
  const bStats = bSide ? sideStats(bSide) : EMPTY_STATS;
  const cStats = cSide ? sideStats(cSide) : EMPTY_STATS;
  const type = (baseline ?? current)!.kind;
  const row = emptyRow(name, type, bStats, cStats);

  if (!bSide) return notTested(row, 'missing-in-baseline', `"${name}" is in the current set but not in the baseline`);
  if (!cSide) return notTested(row, 'missing-in-current', `"${name}" is in the baseline but not in the current set`);
  if (bSide.kind !== cSide.kind) {
    row.currentType = cSide.kind;
    return notTested(row, 'type-changed', `the type changed from ${bSide.kind} in the baseline to ${cSide.kind} in the current set`);
  }

  // Charts and the mean shift are shown even when a side is too thin to test.
  if (bSide.kind === 'number' && cSide.kind === 'number') {
    row.chart = histogram(bSide.finite, cSide.finite, settings.histogramBins);
    if (bStats.mean !== null && cStats.mean !== null) {
      if (bStats.mean !== 0) row.meanShiftPct = ((cStats.mean - bStats.mean) / bStats.mean) * 100;
      else row.notes.push('mean shift % is undefined: the baseline mean is 0');
    }
    if (bStats.infinite || cStats.infinite) {
      row.notes.push(
        `±Infinity: ${bStats.infinite} in the baseline, ${cStats.infinite} in the current set — kept in the KS ranks, left out of mean/std, histogram, Wasserstein and PSI`,
      );
    }
  } else if (bSide.kind === 'category' && cSide.kind === 'category') {
    row.chart = bars(bSide.counts, cSide.counts, settings.topCategories);
  }

  if (bSide.rows === 0) return notTested(row, 'no-baseline-rows', 'the baseline has no rows');
  if (cSide.rows === 0) return notTested(row, 'no-current-rows', 'the current set has no rows');
  if (bStats.count === 0) return notTested(row, 'all-missing-baseline', `all ${bSide.rows} baseline values are missing`);
  if (cStats.count === 0) return notTested(row, 'all-missing-current', `all ${cSide.rows} current values are missing`);
  for (const [label, s] of [
    ['baseline', bStats],
    ['current set', cStats],
  ] as const) {
    if (s.count < 5)
      row.notes.push(`the ${label} has only ${s.count} value${s.count === 1 ? '' : 's'}: the test can only see gross differences`);
  }

  // Category counts (also for numbers Evidently treats as categories).
  let catB: Map<string, number> | undefined;
  let catC: Map<string, number> | undefined;
  let nUnique: number;
  if (bSide.kind === 'number' && cSide.kind === 'number') {
    nUnique = uniqueUnionSorted(bSide.sorted, cSide.sorted);
  } else {
    catB = (bSide as CategorySide).counts;
    catC = (cSide as CategorySide).counts;
    nUnique = new Set([...catB.keys(), ...catC.keys()]).size;
  }

  // PSI, whatever the test.
  if (bSide.kind === 'number' && cSide.kind === 'number') {
    if (bSide.finite.length && cSide.finite.length) {
      const cuts = psiCutPoints(bSide.finite);
      row.psi = psiOfCounts(binCountsSorted(bSide.finite, cuts), binCountsSorted(cSide.finite, cuts));
    }
  } else if (catB && catC) {
    const a = alignCounts(catB, catC);
    row.psi = psiOfCounts(a.bc, a.cc);
  }

  // Choose the test.
  let test: DriftTest;
  const refN = bStats.count;
  if (type === 'number') {
    if (settings.numberTest) test = settings.numberTest;
    else if (settings.rule === 'chapter') test = 'ks';
    else if (nUnique <= EVIDENTLY_MAX_CATEGORICAL_UNIQUE) test = refN <= EVIDENTLY_SMALL_REFERENCE ? 'chi-square' : 'jensen-shannon';
    else test = refN <= EVIDENTLY_SMALL_REFERENCE ? 'ks' : 'wasserstein';
    if (test === 'chi-square' || test === 'jensen-shannon') {
      row.notes.push(`${nUnique} distinct values (<= ${EVIDENTLY_MAX_CATEGORICAL_UNIQUE}): compared as categories, as Evidently does`);
      catB = numberCounts((bSide as NumberSide).sorted);
      catC = numberCounts((cSide as NumberSide).sorted);
    }
  } else {
    if (settings.categoryTest) test = settings.categoryTest;
    else if (settings.rule === 'chapter') test = 'chi-square';
    else test = refN <= EVIDENTLY_SMALL_REFERENCE ? 'chi-square' : 'jensen-shannon';
  }
  if (settings.rule === 'evidently' && test === 'chi-square' && nUnique <= 2 && !settings.categoryTest) {
    row.notes.push('binary column: Evidently would use a Z-test of proportions; chi-square (Yates-corrected) is used here');
  }

  row.test = test;
  const label = TEST_LABEL[test];
  const decideP = (p: number, thr: number, inclusive: boolean): void => {
    row.pValue = p;
    row.threshold = thr;
    const drift = inclusive ? p <= thr : p < thr;
    row.status = drift ? 'drift' : 'no-drift';
    row.reasonCode = 'tested';
    row.reason = `${label} p = ${formatStat(p)} ${drift ? (inclusive ? '≤' : '<') : inclusive ? '>' : '≥'} ${formatStat(thr)}`;
  };
  const decideD = (d: number, thr: number): void => {
    row.distance = d;
    row.statistic = d;
    row.threshold = thr;
    const drift = d >= thr;
    row.status = drift ? 'drift' : 'no-drift';
    row.reasonCode = 'tested';
    row.reason = `${label} = ${formatStat(d)} ${drift ? '≥' : '<'} ${formatStat(thr)}`;
  };

  if (test === 'ks') {
    const b = (bSide as NumberSide).sorted;
    const c = (cSide as NumberSide).sorted;
    const r = ks2SampSorted(b, c, settings.ksMethod);
    row.statistic = r.statistic;
    row.ksMethod = r.method;
    if (r.note) row.notes.push(r.note);
    if (!Number.isFinite(r.pValue)) return notTested(row, 'not-computable', 'the KS p-value could not be computed');
    // Evidently's KS drifts at p <= threshold, the chapter's at p < threshold.
    decideP(r.pValue, settings.pThreshold, settings.rule === 'evidently' && !settings.numberTest);
  } else if (test === 'chi-square') {
    const a = alignCounts(catB!, catC!);
    const r = chi2Contingency2(a.bc, a.cc);
    row.statistic = r.statistic;
    row.dof = r.dof;
    if (r.yates) row.notes.push("dof = 1: Yates' continuity correction applied, as scipy's chi2_contingency");
    if (r.dof === 0) row.notes.push('a single category on both sides: chi-square is 0, p = 1');
    if (!Number.isFinite(r.pValue)) return notTested(row, 'not-computable', 'the chi-square p-value could not be computed');
    decideP(r.pValue, settings.pThreshold, false);
  } else if (test === 'jensen-shannon') {
    const a = alignCounts(catB!, catC!);
    decideD(jensenShannon(a.bc, a.cc, 2), settings.jensenShannonThreshold);
  } else if (test === 'wasserstein') {
    const b = (bSide as NumberSide).finite;
    const c = (cSide as NumberSide).finite;
    if (!b.length) return notTested(row, 'no-finite-baseline', 'the baseline has no finite values for the Wasserstein distance');
    if (!c.length) return notTested(row, 'no-finite-current', 'the current set has no finite values for the Wasserstein distance');
    const norm = Math.max(populationStd(b), WASSERSTEIN_MIN_NORM);
    decideD(wassersteinSorted(b, c) / norm, settings.wassersteinThreshold);
  } else {
    if (row.psi === null) {
      const which = bSide.kind === 'number' && !(bSide as NumberSide).finite.length ? 'no-finite-baseline' : 'no-finite-current';
      return notTested(row, which, 'PSI needs finite values on both sides');
    }
    decideD(row.psi, settings.psiThreshold);
  }
  row.drifted = row.status === 'drift';
  return row;
}

function resolveSettings(o: DriftOptions): Settings {
  const num = (v: number | undefined, d: number, name: string, lo: number, hi: number): number => {
    if (v === undefined) return d;
    if (!(v >= lo && v <= hi)) throw new RangeError(`${name} must be between ${lo} and ${hi} (got ${v})`);
    return v;
  };
  const int = (v: number | undefined, d: number, name: string, lo: number, hi: number): number => {
    const x = num(v, d, name, lo, hi);
    if (!Number.isInteger(x)) throw new RangeError(`${name} must be a whole number (got ${x})`);
    return x;
  };
  return {
    rule: o.rule ?? 'chapter',
    pThreshold: num(o.pThreshold, 0.05, 'pThreshold', 0, 1),
    wassersteinThreshold: num(o.wassersteinThreshold, 0.1, 'wassersteinThreshold', 0, Number.MAX_VALUE),
    jensenShannonThreshold: num(o.jensenShannonThreshold, 0.1, 'jensenShannonThreshold', 0, 1),
    psiThreshold: num(o.psiThreshold, 0.1, 'psiThreshold', 0, Number.MAX_VALUE),
    driftShareThreshold: num(o.driftShareThreshold, 0.3, 'driftShareThreshold', 0, 1),
    ksMethod: o.ksMethod ?? 'auto',
    numberTest: o.numberTest ?? null,
    categoryTest: o.categoryTest ?? null,
    histogramBins: int(o.histogramBins, 20, 'histogramBins', 1, 1000),
    topCategories: int(o.topCategories, 10, 'topCategories', 1, 1000),
  };
}

const STATUS_ORDER = { drift: 0, 'no-drift': 1, 'not-tested': 2 } as const;

/**
 * Drift of every column between two column sets, with the dataset verdict. Throws only on
 * invalid options (a RangeError naming the option); data problems become not-tested rows.
 * `onColumn(done, total, column)` is called after each column (for job progress).
 */
export function driftColumns(
  baseline: DriftColumnSet,
  current: DriftColumnSet,
  options: DriftOptions = {},
  onColumn?: (done: number, total: number, column: string) => void,
): DriftResult {
  const settings = resolveSettings(options);
  const bMap = new Map<string, DriftColumnInput>();
  for (const c of baseline.columns) if (!bMap.has(c.name)) bMap.set(c.name, c);
  const cMap = new Map<string, DriftColumnInput>();
  for (const c of current.columns) if (!cMap.has(c.name)) cMap.set(c.name, c);
  const names = options.columns
    ? [...new Set(options.columns)]
    : [...new Set([...bMap.keys(), ...[...cMap.keys()].filter((k) => !bMap.has(k))])];

  const rows: ColumnDriftResult[] = [];
  for (const [i, name] of names.entries()) {
    const b = bMap.get(name);
    const c = cMap.get(name);
    if (!b && !c) {
      const r = emptyRow(name, 'number', EMPTY_STATS, EMPTY_STATS);
      rows.push(notTested(r, 'missing-in-baseline', `"${name}" is in neither set`));
    } else {
      rows.push(driftColumn(name, b, c, settings));
    }
    onColumn?.(i + 1, names.length, name);
  }
  const order = rows.map((r, i) => [r, i] as const);
  order.sort((x, y) => STATUS_ORDER[x[0].status] - STATUS_ORDER[y[0].status] || x[1] - y[1]);
  const columns = order.map(([r]) => r);

  const tested = columns.filter((r) => r.status !== 'not-tested').length;
  const drifted = columns.filter((r) => r.drifted).length;
  const driftShare = tested ? drifted / tested : 0;
  const datasetDrift = tested > 0 && drifted > tested * settings.driftShareThreshold;
  const pct = (x: number): string => `${Number((x * 100).toFixed(1))}%`;
  let message: string;
  if (tested === 0) {
    message =
      current.rows === 0
        ? 'No column could be tested: the current set has no rows.'
        : 'No column could be tested (see the reasons per column).';
  } else {
    message =
      `${drifted} of ${tested} column${tested === 1 ? '' : 's'} drift (${pct(driftShare)}); ` +
      (datasetDrift
        ? `more than ${pct(settings.driftShareThreshold)}: dataset drift, retraining recommended.`
        : `not more than ${pct(settings.driftShareThreshold)}: no dataset drift.`);
  }
  const { histogramBins: _h, topCategories: _t, rule, ...rest } = settings;
  return {
    rule,
    settings: rest,
    baselineRows: baseline.rows,
    currentRows: current.rows,
    columns,
    columnOrder: names,
    summary: {
      tested,
      drifted,
      notTested: columns.length - tested,
      driftShare,
      driftShareThreshold: settings.driftShareThreshold,
      datasetDrift,
      retrainingRecommended: datasetDrift,
      message,
    },
  };
}
