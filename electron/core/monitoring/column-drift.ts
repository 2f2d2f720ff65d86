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
  cutLookup,
  fillZeroShares,
  jensenShannon,
  psiCutsFromQuantiles,
  psiFromShares,
  psiLevels,
  quantilesLinear,
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
import { ksFromStatistic, sortedWithoutNaN } from './ks-two-sample';
import { SamplePair, type SampleMoments } from './sample-pair';

/** Evidently switches from tests to distances above this many reference observations. */
export const EVIDENTLY_SMALL_REFERENCE = 1000;
/** Evidently treats numbers with at most this many distinct values as categories. */
export const EVIDENTLY_MAX_CATEGORICAL_UNIQUE = 5;
/** Evidently's floor for the reference std when norming the Wasserstein distance. */
const WASSERSTEIN_MIN_NORM = 0.001;

type Settings = DriftResult['settings'] & { histogramBins: number; topCategories: number; rule: 'chapter' | 'evidently' };

/** A numeric side: the raw values (never copied or sorted for KS) and one pass of moments. */
interface NumberSide {
  kind: 'number';
  rows: number;
  values: Float64Array;
  /** Non-NaN values (±Infinity included). */
  count: number;
  finite: number;
  negInf: number;
  mean: number | null;
  /** Sample std (ddof 1). */
  std: number | null;
  /** Population std (ddof 0), Evidently's Wasserstein norm. */
  popStd: number | null;
  min: number | null;
  max: number | null;
}

interface CategorySide {
  kind: 'category';
  rows: number;
  count: number;
  counts: Map<string, number>;
}

type Side = NumberSide | CategorySide;

function prepareNumbers(values: Float64Array): NumberSide {
  let count = 0;
  let finite = 0;
  let negInf = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    count++;
    if (v - v !== 0) {
      if (v < 0) negInf++;
      continue;
    }
    finite++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let mean: number | null = null;
  let std: number | null = null;
  let popStd: number | null = null;
  if (finite > 0) {
    const m = sum / finite;
    let ss = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v - v === 0) ss += (v - m) * (v - m);
    }
    mean = m;
    popStd = Math.sqrt(ss / finite);
    if (finite > 1) std = Math.sqrt(ss / (finite - 1));
  }
  return {
    kind: 'number',
    rows: values.length,
    values,
    count,
    finite,
    negInf,
    mean,
    std,
    popStd,
    min: finite ? min : null,
    max: finite ? max : null,
  };
}

function prepare(col: DriftColumnInput): Side {
  if (col.kind === 'number') return prepareNumbers(col.values);
  const counts = new Map<string, number>();
  let count = 0;
  for (const v of col.values) {
    if (v === null || v === undefined || v === '') continue;
    count++;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return { kind: 'category', rows: col.values.length, count, counts };
}

/** Numbers report their distinct values exactly up to this many (null above: not worth a hash of every value). */
export const NUMBER_UNIQUE_CAP = 100;

/** Distinct non-NaN values over the given samples, or null once there are more than `cap`. */
function distinctUpTo(cap: number, ...xs: Float64Array[]): number | null {
  const seen = new Set<number>();
  for (const x of xs) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (v !== v) continue;
      if (!seen.has(v)) {
        seen.add(v);
        if (seen.size > cap) return null;
      }
    }
  }
  return seen.size;
}

/** Counts per distinct non-NaN value, keyed by its string form (for numbers compared as categories). */
function numberCounts(x: Float64Array): Map<string, number> {
  const byValue = new Map<number, number>();
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === v) byValue.set(v, (byValue.get(v) ?? 0) + 1);
  }
  return new Map([...byValue].map(([v, c]) => [String(v), c]));
}

/**
 * numpy 'linear' quantiles of a side's finite values. Order statistics come from the pair's
 * buckets when there is a pair, else from sorting (a column present on one side only).
 */
function finiteQuantiles(s: NumberSide, qs: readonly number[], pair?: SamplePair, which?: 'a' | 'b'): number[] {
  if (s.finite === 0) return qs.map(() => NaN);
  let at: (ranks: number[]) => number[];
  if (pair && which) {
    at = (ranks) =>
      pair.orderStatistics(
        which,
        ranks.map((r) => r + s.negInf),
      );
  } else {
    const sorted = sortedWithoutNaN(s.values);
    at = (ranks) => ranks.map((r) => sorted[r + s.negInf]);
  }
  return quantilesLinear(s.finite, qs, at);
}

function sideStats(s: Side, median?: number): DriftSideStats {
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
  return {
    rows: s.rows,
    count: s.count,
    missing: s.rows - s.count,
    missingShare: s.rows ? (s.rows - s.count) / s.rows : 0,
    infinite: s.count - s.finite,
    mean: s.mean,
    std: s.std,
    min: s.min,
    max: s.max,
    median: s.finite ? (median ?? finiteQuantiles(s, [0.5])[0]) : null,
    unique: distinctUpTo(NUMBER_UNIQUE_CAP, s.values),
  };
}

/** Shared equal-width histogram edges over the pooled finite range (one bin around a constant). */
function histogramEdges(lo: number, hi: number, bins: number): number[] {
  if (hi > lo) return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins));
  return [lo - 0.5, lo + 0.5];
}

/**
 * The second (and last) pass over a numeric side: squared deviations for the std, the
 * histogram bin and the PSI bin of every finite value.
 */
function numericPass(
  values: Float64Array,
  mean: number,
  edges: number[] | null,
  cuts: number[] | null,
): { ss: number; hist: number[] | null; psi: number[] | null } {
  const nBins = edges ? edges.length - 1 : 0;
  const hist = new Float64Array(nBins);
  const inner = edges ? Float64Array.from(edges.slice(1, -1)) : new Float64Array(0);
  const e0 = edges ? edges[0] : 0;
  const hScale = edges ? nBins / (edges[nBins] - edges[0]) : 0;
  const psi = new Float64Array(cuts ? cuts.length + 1 : 0);
  const psiBin = cutLookup(cuts ?? []);
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) continue;
    ss += (v - mean) * (v - mean);
    if (nBins) {
      let k = Math.floor((v - e0) * hScale);
      if (k < 0) k = 0;
      else if (k >= nBins) k = nBins - 1;
      while (k > 0 && v < inner[k - 1]) k--;
      while (k < nBins - 1 && v >= inner[k]) k++;
      hist[k]++;
    }
    if (cuts) psi[psiBin(v)]++;
  }
  return { ss, hist: edges ? Array.from(hist) : null, psi: cuts ? Array.from(psi) : null };
}

/** Everything numeric about a column present as numbers on both sides, in two passes per side. */
interface NumberPair {
  pair: SamplePair;
  b: NumberSide;
  c: NumberSide;
  bMedian?: number;
  cMedian?: number;
  chart: DriftChart | null;
  /** PSI bin counts (baseline-decile cuts); null when a side has no finite values. */
  psiCounts: { b: number[]; c: number[] } | null;
}

function prepareNumberPair(bv: Float64Array, cv: Float64Array, bins: number): NumberPair {
  const pair = new SamplePair(bv, cv);
  const side = (values: Float64Array, m: SampleMoments): NumberSide => ({
    kind: 'number',
    rows: values.length,
    values,
    count: m.count,
    finite: m.finite,
    negInf: m.negInf,
    mean: m.finite ? m.sum / m.finite : null,
    std: null,
    popStd: null,
    min: m.finite ? m.min : null,
    max: m.finite ? m.max : null,
  });
  const b = side(bv, pair.a.moments);
  const c = side(cv, pair.b.moments);
  // The baseline's deciles serve both its median (5/10 = 0.5 exactly) and the PSI cut points.
  const levels = psiLevels();
  const deciles = b.finite ? finiteQuantiles(b, levels, pair, 'a') : undefined;
  const bMedian = deciles ? deciles[levels.indexOf(0.5)] : undefined;
  const cMedian = c.finite ? finiteQuantiles(c, [0.5], pair, 'b')[0] : undefined;
  const edges =
    b.finite || c.finite
      ? histogramEdges(Math.min(b.min ?? Infinity, c.min ?? Infinity), Math.max(b.max ?? -Infinity, c.max ?? -Infinity), bins)
      : null;
  const cuts = deciles && c.finite ? psiCutsFromQuantiles(deciles, b.min!) : null;
  const pb = numericPass(bv, b.mean ?? 0, edges, cuts);
  const pc = numericPass(cv, c.mean ?? 0, edges, cuts);
  for (const [s, p] of [
    [b, pb],
    [c, pc],
  ] as const) {
    if (s.finite) s.popStd = Math.sqrt(p.ss / s.finite);
    if (s.finite > 1) s.std = Math.sqrt(p.ss / (s.finite - 1));
  }
  const chart: DriftChart | null =
    edges && pb.hist && pc.hist
      ? {
          kind: 'histogram',
          edges,
          baselineCounts: pb.hist,
          currentCounts: pc.hist,
          baselineShares: pb.hist.map((k) => (b.finite ? k / b.finite : 0)),
          currentShares: pc.hist.map((k) => (c.finite ? k / c.finite : 0)),
        }
      : null;
  return { pair, b, c, bMedian, cMedian, chart, psiCounts: pb.psi && pc.psi ? { b: pb.psi, c: pc.psi } : null };
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
  const numeric =
    baseline?.kind === 'number' && current?.kind === 'number'
      ? prepareNumberPair(baseline.values, current.values, settings.histogramBins)
      : undefined;
  const bSide: Side | undefined = numeric ? numeric.b : baseline ? prepare(baseline) : undefined;
  const cSide: Side | undefined = numeric ? numeric.c : current ? prepare(current) : undefined;
  const pair = numeric?.pair;
  const bStats = bSide ? sideStats(bSide, numeric?.bMedian) : EMPTY_STATS;
  const cStats = cSide ? sideStats(cSide, numeric?.cMedian) : EMPTY_STATS;
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
    row.chart = numeric?.chart ?? null;
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
  if (cSide.rows === 0) return notTested(row, 'no-current-rows', 'the current set is empty (no rows)');
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
    nUnique = distinctUpTo(EVIDENTLY_MAX_CATEGORICAL_UNIQUE, bSide.values, cSide.values) ?? EVIDENTLY_MAX_CATEGORICAL_UNIQUE + 1;
  } else {
    catB = (bSide as CategorySide).counts;
    catC = (cSide as CategorySide).counts;
    nUnique = new Set([...catB.keys(), ...catC.keys()]).size;
  }

  // PSI, whatever the test.
  if (bSide.kind === 'number' && cSide.kind === 'number') {
    if (numeric?.psiCounts) row.psi = psiOfCounts(numeric.psiCounts.b, numeric.psiCounts.c);
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
      catB = numberCounts((bSide as NumberSide).values);
      catC = numberCounts((cSide as NumberSide).values);
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
    const r = ksFromStatistic(pair!.ksStatistic(), pair!.nA, pair!.nB, settings.ksMethod);
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
    const bn = bSide as NumberSide;
    const cn = cSide as NumberSide;
    if (!bn.finite) return notTested(row, 'no-finite-baseline', 'the baseline has no finite values for the Wasserstein distance');
    if (!cn.finite) return notTested(row, 'no-finite-current', 'the current set has no finite values for the Wasserstein distance');
    // The integral needs both samples in order: the one place a numeric column is sorted.
    const finitePart = (side: NumberSide): Float64Array => sortedWithoutNaN(side.values).subarray(side.negInf, side.negInf + side.finite);
    const norm = Math.max(bn.popStd!, WASSERSTEIN_MIN_NORM);
    decideD(wassersteinSorted(finitePart(bn), finitePart(cn)) / norm, settings.wassersteinThreshold);
  } else {
    if (row.psi === null) {
      const which = bSide.kind === 'number' && !(bSide as NumberSide).finite ? 'no-finite-baseline' : 'no-finite-current';
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
        ? 'No column could be tested: the current set is empty (no rows).'
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
