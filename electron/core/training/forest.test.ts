import { describe, expect, it } from 'vitest';
import { matrixToDataset } from './data-matrix';
import {
  computeOobScore,
  fitForest,
  fitForestRange,
  forestOob,
  mergeForestParts,
  oobSteps,
  parseForestParams,
  predictForest,
  prepareForestData,
} from './forest';
import { serializeModel } from './model';
import { deriveSeed, Rng } from './random';

/** Two noisy Gaussian-ish blobs in p dimensions with a few informative features. */
function makeData(n: number, p: number, seed: number, missingShare = 0) {
  const rng = new Rng(seed);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.nextFloat() < 0.5 ? 1 : 0;
    for (let f = 0; f < p; f++) {
      const signal = f < 3 ? (y[i] ? 1 : -1) * 0.8 : 0;
      X[f * n + i] = signal + (rng.nextFloat() + rng.nextFloat() + rng.nextFloat() - 1.5) * 1.5;
      if (missingShare && rng.nextFloat() < missingShare) X[f * n + i] = NaN;
    }
  }
  return { X, y, n, p };
}

function acc(P: Float64Array, y: Float64Array): number {
  let c = 0;
  for (let i = 0; i < y.length; i++) if ((P[2 * i + 1] > P[2 * i] ? 1 : 0) === y[i]) c++;
  return c / y.length;
}

describe('random forest', () => {
  const { X, y, n, p } = makeData(2000, 8, 1);
  const data = prepareForestData(X, n, p, y, 2);
  const params = parseForestParams({ nEstimators: 20, maxDepth: 8 }, 'classification', false);

  it('tree ranges fitted separately merge into the identical model', () => {
    const whole = fitForest(data, params, 42);
    const a = fitForestRange(data, params, 42, 0, 7);
    const b = fitForestRange(data, params, 42, 7, 20);
    const merged = mergeForestParts([b, a], data, params, 42);
    const wrap = (e: unknown) => serializeModel({ estimator: e } as never);
    expect(wrap(merged)).toBe(wrap(whole));
    expect(Array.from(predictForest(merged, X, n))).toEqual(Array.from(predictForest(whole, X, n)));
  });

  it('same seed gives the same forest, another seed a different one', () => {
    const s1 = JSON.stringify(Array.from(fitForest(data, params, 1).trees[0].threshold));
    const s2 = JSON.stringify(Array.from(fitForest(data, params, 1).trees[0].threshold));
    const s3 = JSON.stringify(Array.from(fitForest(data, params, 2).trees[0].threshold));
    expect(s1).toBe(s2);
    expect(s1).not.toBe(s3);
  });

  it('learns the signal, respects max depth, and reports an OOB score close to held-out accuracy', () => {
    const test = makeData(2000, 8, 99);
    const m = fitForest(data, { ...params, oobScore: true, nEstimators: 40 }, 3);
    const a = acc(predictForest(m, test.X, test.n), test.y);
    expect(a).toBeGreaterThan(0.85);
    expect(Math.abs(m.oobScore! - a)).toBeLessThan(0.04);
    const depthOk = m.trees.every((t) => {
      const depth = new Int32Array(t.nNodes);
      for (let i = 0; i < t.nNodes; i++) if (t.feature[i] >= 0) depth[t.left[i]] = depth[t.left[i] + 1] = depth[i] + 1;
      return Math.max(...depth) <= 8;
    });
    expect(depthOk).toBe(true);
    // Informative features 0..2 dominate impurity importance.
    const imp = m.importance;
    expect(imp[0] + imp[1] + imp[2]).toBeGreaterThan(0.6);
    expect(imp.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('min samples per leaf and max leaf nodes are honoured', () => {
    const m = fitForest(data, parseForestParams({ nEstimators: 3, minSamplesLeaf: 50, maxLeafNodes: 10 }, 'classification', false), 5);
    for (const t of m.trees) {
      let leaves = 0;
      for (let i = 0; i < t.nNodes; i++) if (t.feature[i] < 0) leaves++;
      expect(leaves).toBeLessThanOrEqual(10);
    }
  });

  it('handles missing values natively and routes NaN at prediction time', () => {
    const d = makeData(2000, 8, 7, 0.2);
    const m = fitForest(prepareForestData(d.X, d.n, d.p, d.y, 2), params, 1);
    const test = makeData(1000, 8, 8, 0.2);
    expect(acc(predictForest(m, test.X, test.n), test.y)).toBeGreaterThan(0.75);
    const anyMissingSplit = m.trees.some((t) => Array.from(t.missingLeft).some((v, i) => v === 1 && t.feature[i] >= 0));
    expect(anyMissingSplit).toBe(true);
  });

  it('extra trees and regression forests work; regression target mean is recovered', () => {
    const et = fitForest(data, parseForestParams({ nEstimators: 20 }, 'classification', true), 4);
    expect(acc(predictForest(et, X, n), y)).toBeGreaterThan(0.9);
    const yr = Float64Array.from({ length: n }, (_, i) => 3 * X[i] - 2 * X[n + i]);
    const ds = matrixToDataset(X, n, p, yr, { task: 'regression' });
    const rf = fitForest(prepareForestData(ds.X, n, p, ds.y, 0), parseForestParams({ nEstimators: 20 }, 'regression', false), 4);
    const pred = predictForest(rf, X, n);
    let ss = 0;
    let st = 0;
    const mean = yr.reduce((s, v) => s + v, 0) / n;
    for (let i = 0; i < n; i++) {
      ss += (pred[i] - yr[i]) ** 2;
      st += (yr[i] - mean) ** 2;
    }
    expect(1 - ss / st).toBeGreaterThan(0.9);
  });

  it('a constant feature is never used for a split', () => {
    const Xc = Float64Array.from(X);
    Xc.fill(5, 0, n);
    const m = fitForest(prepareForestData(Xc, n, p, y, 2), params, 1);
    expect(m.trees.every((t) => !Array.from(t.feature).includes(0))).toBe(true);
    expect(m.importance[0]).toBe(0);
  });
});

/** Rows out of bag for tree t of a forest fitted with `seed` (the bootstrap draw, redone independently of forest.ts). */
function oobRowsOf(n: number, seed: number, t: number): Set<number> {
  const rng = new Rng(deriveSeed(seed, t));
  const inBag = new Set<number>();
  for (let i = 0; i < n; i++) inBag.add(rng.nextInt(n));
  return new Set(Array.from({ length: n }, (_, i) => i).filter((i) => !inBag.has(i)));
}

describe('OOB error by number of trees', () => {
  const { X, y, n, p } = makeData(1500, 8, 31);
  const data = prepareForestData(X, n, p, y, 2);
  const params = parseForestParams({ nEstimators: 40, maxDepth: 8, oobScore: true }, 'classification', false);

  it('records every tree count up to 100, then 100 evenly spaced counts ending with the last tree', () => {
    expect(oobSteps(40)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(oobSteps(100)).toHaveLength(100);
    const big = oobSteps(250);
    expect(big).toHaveLength(100);
    expect(big.at(-1)).toBe(250);
    expect(big.every((v, i) => i === 0 || v > big[i - 1])).toBe(true);
    expect(big.slice(0, 3)).toEqual([3, 5, 8]);
  });

  it('is 1 − OOB accuracy after each tree, ends at 1 − oob_score and falls as trees are added', () => {
    const m = fitForest(data, params, 3);
    const { score, errors } = forestOob(m, data, 3, oobSteps(40));
    expect(errors.map((e) => e.step)).toEqual(oobSteps(40));
    expect(score).toBe(m.oobScore);
    expect(errors.at(-1)!.value).toBe(1 - m.oobScore!);
    expect(computeOobScore(m, data, params, 3)).toBe(m.oobScore);
    // One tree votes alone on its own out-of-bag rows; forty trees vote together.
    expect(errors[0].value).toBeGreaterThan(errors.at(-1)!.value + 0.03);
    // Step 1 from scratch: tree 0's out-of-bag rows only (the others have no vote yet and are left out).
    const oob0 = oobRowsOf(n, 3, 0);
    expect(oob0.size).toBeLessThan(n * 0.45);
    const P = predictForest({ ...m, trees: [m.trees[0]] }, X, n);
    let wrong = 0;
    for (const i of oob0) if ((P[2 * i + 1] > P[2 * i] ? 1 : 0) !== y[i]) wrong++;
    expect(errors[0].value).toBeCloseTo(wrong / oob0.size, 12);
  });

  it('is the same for trees fitted in separate ranges and merged (as over 2 workers)', () => {
    const whole = fitForest(data, params, 8);
    const merged = mergeForestParts([fitForestRange(data, params, 8, 23, 40), fitForestRange(data, params, 8, 0, 23)], data, params, 8);
    const a = forestOob(whole, data, 8, oobSteps(40));
    const b = forestOob(merged, data, 8, oobSteps(40));
    expect(b).toEqual(a);
    // …and differs for another forest (the comparison can fail).
    expect(forestOob(fitForest(data, params, 9), data, 9, oobSteps(40)).errors).not.toEqual(a.errors);
  });

  it('regression: 1 − OOB R², ending at 1 − oob_score', () => {
    const yr = Float64Array.from({ length: n }, (_, i) => 3 * X[i] - 2 * X[n + i] + Math.sin(X[2 * n + i]));
    const rd = prepareForestData(X, n, p, yr, 0);
    const rp = parseForestParams({ nEstimators: 30, oobScore: true }, 'regression', false);
    const m = fitForest(rd, rp, 2);
    const { errors } = forestOob(m, rd, 2, oobSteps(30));
    expect(errors).toHaveLength(30);
    expect(errors.at(-1)!.value).toBe(1 - m.oobScore!);
    expect(m.oobScore!).toBeGreaterThan(0.8);
    expect(errors[0].value).toBeGreaterThan(errors.at(-1)!.value);
  });

  it('a tree count at which no row has been out of bag yet has no point', () => {
    // Three rows: a bootstrap draw of 3 often leaves none out, so the first trees may give no OOB row at all.
    const Xs = Float64Array.of(0, 1, 2);
    const ys = Float64Array.of(0, 1, 0);
    const small = prepareForestData(Xs, 3, 1, ys, 2);
    const sp = parseForestParams({ nEstimators: 12, minSamplesLeaf: 1 }, 'classification', false);
    // A seed whose first tree has every row in its bag.
    let seed = 0;
    while (oobRowsOf(3, seed, 0).size > 0) seed++;
    const m = fitForest(small, sp, seed);
    const { errors } = forestOob(m, small, seed, oobSteps(12));
    const seen = new Set<number>();
    const expected: number[] = [];
    for (let t = 0; t < 12; t++) {
      for (const i of oobRowsOf(3, seed, t)) seen.add(i);
      if (seen.size) expected.push(t + 1);
    }
    expect(expected.length).toBeLessThan(12);
    expect(expected.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.step)).toEqual(expected);
  });
});
