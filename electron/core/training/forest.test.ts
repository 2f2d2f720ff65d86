import { describe, expect, it } from 'vitest';
import { matrixToDataset } from './data-matrix';
import { fitForest, fitForestRange, mergeForestParts, parseForestParams, predictForest, prepareForestData } from './forest';
import { serializeModel } from './model';
import { Rng } from './random';

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
