/**
 * Distribution distances for drift: Wasserstein-1 (scipy.stats.wasserstein_distance),
 * Jensen–Shannon (scipy.spatial.distance.jensenshannon) and the Population Stability Index.
 * Sums are compensated (Neumaier) so long sums of small terms agree with numpy's pairwise
 * sums to far better than the 1e-9 the reference tests ask.
 */

/** Compensated running sum. */
class Sum {
  private s = 0;
  private c = 0;
  add(x: number): void {
    const t = this.s + x;
    if (Math.abs(this.s) >= Math.abs(x)) this.c += this.s - t + x;
    else this.c += x - t + this.s;
    this.s = t;
  }
  get value(): number {
    return this.s + this.c;
  }
}

/**
 * First Wasserstein distance between two 1-D samples given sorted ascending (finite values):
 * the integral of |U(t) - V(t)| dt over the pooled values, as scipy's _cdf_distance(p=1)
 * (each ECDF as count / size, the same divisions as scipy).
 */
export function wassersteinSorted(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const nu = u.length;
  const nv = v.length;
  if (nu === 0 || nv === 0) throw new RangeError('wasserstein_distance needs at least one value on each side');
  let i = 0;
  let j = 0;
  const sum = new Sum();
  let prev = NaN;
  let prevDiff = 0;
  while (i < nu || j < nv) {
    const x = j >= nv || (i < nu && u[i] <= v[j]) ? u[i] : v[j];
    // The area of the step between the previous pooled value and this one.
    if (prev === prev) sum.add(prevDiff * (x - prev));
    while (i < nu && u[i] === x) i++;
    while (j < nv && v[j] === x) j++;
    prevDiff = Math.abs(i / nu - j / nv);
    prev = x;
  }
  return sum.value;
}

/** scipy.special.rel_entr(x, y) for x >= 0, y >= 0. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

/**
 * Jensen–Shannon distance sqrt((KL(p||m) + KL(q||m)) / 2), m = (p + q) / 2, of two
 * non-negative weight vectors (normalised here), natural log unless `base` is given:
 * scipy.spatial.distance.jensenshannon(p, q, base). Evidently calls it with base 2, which
 * bounds the distance by 1; its drift threshold 0.1 is meant on that scale.
 */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>, base?: number): number {
  if (p.length !== q.length) throw new RangeError('p and q differ in length');
  let sp = 0;
  let sq = 0;
  for (let k = 0; k < p.length; k++) {
    sp += p[k];
    sq += q[k];
  }
  const left = new Sum();
  const right = new Sum();
  for (let k = 0; k < p.length; k++) {
    const pk = p[k] / sp;
    const qk = q[k] / sq;
    const m = (pk + qk) / 2.0;
    left.add(relEntr(pk, m));
    right.add(relEntr(qk, m));
  }
  let js = left.value + right.value;
  if (base !== undefined) js /= Math.log(base);
  return Math.sqrt(js / 2.0);
}

/**
 * numpy.quantile(x, q) with the default 'linear' method, for a sample of n values whose
 * order statistics `at(ranks)` returns (0-based ranks, ascending order), fetched in one call.
 */
export function quantilesLinear(n: number, qs: readonly number[], at: (ranks: number[]) => number[]): number[] {
  const plan = qs.map((q) => {
    const virtual = (n - 1) * q;
    let prevIdx = Math.floor(virtual);
    let nextIdx = prevIdx + 1;
    if (virtual >= n - 1) {
      prevIdx = -1;
      nextIdx = -1;
    }
    if (virtual < 0) {
      prevIdx = 0;
      nextIdx = 0;
    }
    // numpy computes gamma after moving the indices to the ends.
    const gamma = virtual - prevIdx;
    return { gamma, a: prevIdx < 0 ? n + prevIdx : prevIdx, b: nextIdx < 0 ? n + nextIdx : nextIdx };
  });
  const ranks = [...new Set(plan.flatMap((p) => [p.a, p.b]))];
  const values = at(ranks);
  const byRank = new Map(ranks.map((r, i) => [r, values[i]]));
  return plan.map(({ gamma, a, b }) => {
    const va = byRank.get(a)!;
    const vb = byRank.get(b)!;
    // numpy's _lerp: from the nearer end, for monotonicity.
    const diff = vb - va;
    return gamma >= 0.5 ? vb - diff * (1 - gamma) : va + diff * gamma;
  });
}

/** numpy.quantile(sorted, q) with the default 'linear' method, on an ascending array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  return quantilesLinear(sorted.length, [q], (ranks) => ranks.map((r) => sorted[r]))[0];
}

/** PSI bins: the baseline's decile edges (numpy 'linear' quantiles), duplicates merged. */
export const PSI_BINS = 10;

/**
 * Interior cut points of the PSI bins: the baseline's quantiles at 1/10 .. 9/10 (numpy's
 * linear method, q = i / 10), without duplicates and without values equal to the minimum
 * (so a bin is never empty by construction). Bin k holds edges[k-1] <= x < edges[k], the
 * first bin runs from -Infinity and the last to +Infinity, so current values outside the
 * baseline's range land in the end bins.
 */
export function psiCutPoints(sortedBaseline: ArrayLike<number>, bins = PSI_BINS): number[] {
  const n = sortedBaseline.length;
  if (n === 0) return [];
  return psiCutsFromQuantiles(
    quantilesLinear(n, psiLevels(bins), (ranks) => ranks.map((r) => sortedBaseline[r])),
    sortedBaseline[0],
  );
}

/** The quantile levels 1/bins .. (bins-1)/bins of the PSI cut points. */
export function psiLevels(bins = PSI_BINS): number[] {
  return Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins);
}

/** Cut points from the baseline's quantiles at psiLevels(): those above the minimum, duplicates merged. */
export function psiCutsFromQuantiles(quantiles: readonly number[], min: number): number[] {
  const cuts: number[] = [];
  for (const e of quantiles) if (e > min && (cuts.length === 0 || e > cuts[cuts.length - 1])) cuts.push(e);
  return cuts;
}

/** Counts of a sorted sample in the bins [cuts[k-1], cuts[k]) (open at both ends). */
export function binCountsSorted(sorted: ArrayLike<number>, cuts: readonly number[]): number[] {
  const counts = new Array<number>(cuts.length + 1).fill(0);
  let k = 0;
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i];
    while (k < cuts.length && x >= cuts[k]) k++;
    counts[k]++;
  }
  return counts;
}

/** Bin of x among ascending cut points: the number of cuts <= x. */
export function binOf(x: number, cuts: readonly number[]): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A fast "number of cuts <= v" for ascending cut points: a uniform table over [first, last]
 * gives each value a starting bin at most a step or two off, which a short scan corrects —
 * cheaper on a million random values than a binary search's mispredicted branches.
 */
export function cutLookup(cuts: readonly number[]): (v: number) => number {
  const c = Float64Array.from(cuts);
  const m = c.length;
  if (m === 0) return () => 0;
  const first = c[0];
  const last = c[m - 1];
  const T = 1024;
  const scale = last > first ? T / (last - first) : 0;
  const start = new Int32Array(T + 1);
  for (let t = 0, k = 0; t <= T; t++) {
    const at = first + t / scale;
    while (k < m && c[k] <= at) k++;
    start[t] = scale ? k : m;
  }
  return (v: number): number => {
    if (v < first) return 0;
    if (v >= last) return m;
    let k = start[Math.floor((v - first) * scale)];
    // The cell's start may sit just past v after rounding: step back, then forward.
    while (k > 0 && c[k - 1] > v) k--;
    while (k < m && c[k] <= v) k++;
    return k;
  };
}

/** Counts of the finite values of an unsorted sample in the bins [cuts[k-1], cuts[k]). */
export function binCountsFinite(x: Float64Array, cuts: readonly number[]): number[] {
  const counts = new Array<number>(cuts.length + 1).fill(0);
  const binOf = cutLookup(cuts);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v === 0) counts[binOf(v)]++;
  }
  return counts;
}

/**
 * Evidently's treatment of empty bins (get_binned_data, feel_zeroes=True): every zero share
 * becomes min(non-zero share) / 10^6 when that minimum is <= 0.0001, else 0.0001. Shares
 * are not renormalised afterwards (Evidently does not either).
 */
export function fillZeroShares(shares: number[]): number[] {
  let min = Infinity;
  for (const s of shares) if (s !== 0 && s < min) min = s;
  if (min === Infinity) return shares.slice();
  const eps = min <= 0.0001 ? min / 10 ** 6 : 0.0001;
  return shares.map((s) => (s === 0 ? eps : s));
}

/** PSI = sum (ref - cur) ln(ref / cur) over bins, on shares already zero-filled. */
export function psiFromShares(ref: readonly number[], cur: readonly number[]): number {
  const sum = new Sum();
  for (let k = 0; k < ref.length; k++) sum.add((ref[k] - cur[k]) * Math.log(ref[k] / cur[k]));
  return sum.value;
}

/** PSI of two count vectors over the same bins or categories (each side's shares zero-filled). */
export function psiFromCounts(refCounts: readonly number[], curCounts: readonly number[]): number {
  const nr = refCounts.reduce((a, b) => a + b, 0);
  const nc = curCounts.reduce((a, b) => a + b, 0);
  return psiFromShares(fillZeroShares(refCounts.map((c) => c / nr)), fillZeroShares(curCounts.map((c) => c / nc)));
}

/** PSI of two sorted numeric samples over the baseline-decile bins. */
export function psiSorted(sortedBaseline: ArrayLike<number>, sortedCurrent: ArrayLike<number>, bins = PSI_BINS): number {
  const cuts = psiCutPoints(sortedBaseline, bins);
  return psiFromCounts(binCountsSorted(sortedBaseline, cuts), binCountsSorted(sortedCurrent, cuts));
}
