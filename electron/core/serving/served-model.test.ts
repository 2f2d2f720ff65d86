import { describe, expect, it } from 'vitest';
import { mixedModelJson } from '../../../tests/helpers/serving';
import { fitForest, parseForestParams, prepareForestData } from '../training/forest';
import { MODEL_FORMAT, predictOutputs, predictRecords, serializeModel, type TrainedModel } from '../training/model';
import { Rng } from '../training/random';
import { loadServedModel } from './served-model';
import { compileRowForest } from './row-forest';

/** Column types of the numeric test model: integers and numbers both read as numbers. */
const f0 = (name: string) => (name.endsWith('0') ? 'integer' : 'number');

const rows = (n: number, seed: number) => {
  const rng = new Rng(seed);
  const colors = ['red', 'green', 'blue', 'violet', null];
  return Array.from({ length: n }, () => ({
    x1: rng.nextFloat() < 0.1 ? null : rng.nextFloat() * 12 - 1,
    x2: rng.nextFloat() < 0.3 ? null : rng.nextFloat() * 4,
    color: colors[rng.nextInt(colors.length)],
    flag: rng.nextFloat() < 0.15 ? null : rng.nextFloat() < 0.5,
  }));
};

describe('served models', () => {
  it.each(['classification', 'regression', 'recipe'] as const)(
    'a %s forest answers exactly as predictRecords, row by row and in batches',
    async (kind) => {
      const json = await mixedModelJson(kind, 11);
      const served = loadServedModel({ version: 1, modelJson: json });
      const data = rows(300, 5);
      const expected = predictRecords(served.model, data);
      // One row per request (the row layout), and the batch path above its row limit.
      expect(data.map((r) => served.predict([r])[0])).toEqual(expected);
      expect(served.predict(data.slice(0, 3))).toEqual(expected.slice(0, 3));
      expect(served.predict(data)).toEqual(expected);
    },
  );

  it('the row layout gives bit-identical outputs on a 100-tree forest with missing values', () => {
    const n = 2000;
    const p = 8;
    const rng = new Rng(3);
    const X = new Float64Array(n * p);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let f = 0; f < p; f++) {
        const v = rng.nextFloat() < 0.05 ? NaN : rng.nextFloat() * 2 - 1;
        X[f * n + i] = v;
        if (v === v) s += f % 2 ? v : -v;
      }
      y[i] = s > 0 ? 1 : 0;
    }
    const est = fitForest(
      prepareForestData(X, n, p, y, 2),
      parseForestParams({ nEstimators: 100, maxDepth: 8 }, 'classification', false),
      1,
    );
    const forest = compileRowForest(est)!;
    const names = Array.from({ length: p }, (_, f) => `f${f}`);
    const model = {
      estimator: est,
      task: 'classification',
      encoding: { featureNames: names, classes: ['0', '1'] },
    } as unknown as TrainedModel;
    const batch = predictOutputs(model, X, n);
    const out = new Float64Array(2);
    const row = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < p; f++) row[f] = X[f * n + i];
      forest.predictRow(row, out);
      expect([out[0], out[1]]).toEqual([batch[2 * i], batch[2 * i + 1]]);
    }
    // Values exactly on the split thresholds (ties go left), and missing ones.
    const thresholds = Array.from({ length: p }, (_, f) =>
      est.trees.flatMap((t) => Array.from(t.threshold).filter((v, i) => t.feature[i] === f && Number.isFinite(v))),
    );
    const m = 500;
    const T = new Float64Array(m * p);
    for (let i = 0; i < m; i++)
      for (let f = 0; f < p; f++) T[f * m + i] = rng.nextFloat() < 0.1 ? NaN : thresholds[f][rng.nextInt(thresholds[f].length)];
    const onCuts = predictOutputs(model, T, m);
    for (let i = 0; i < m; i++) {
      for (let f = 0; f < p; f++) row[f] = T[f * m + i];
      forest.predictRow(row, out);
      expect([out[0], out[1]]).toEqual([onCuts[2 * i], onCuts[2 * i + 1]]);
    }
  });

  it('an all-numeric model reads its rows straight from the records (missing → NaN), as the engine does', () => {
    const n = 600;
    const p = 5;
    const rng = new Rng(9);
    const X = new Float64Array(n * p);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < p; f++) X[f * n + i] = rng.nextFloat() < 0.1 ? NaN : rng.nextFloat() * 10;
      y[i] = (X[i] || 0) + (X[n + i] || 0) > 10 ? 1 : 0;
    }
    const est = fitForest(
      prepareForestData(X, n, p, y, 2),
      parseForestParams({ nEstimators: 20, maxDepth: 6 }, 'classification', false),
      2,
    );
    const names = Array.from({ length: p }, (_, f) => `n${f}`);
    const model = {
      format: MODEL_FORMAT,
      formatVersion: 2,
      engine: { name: 'mlwb-training', version: '1.0.0' },
      algorithm: 'rf',
      task: 'classification',
      params: {},
      seed: 2,
      trainingDataHash: '',
      nTrainingRows: n,
      encoding: {
        target: 'y',
        task: 'classification',
        classes: ['no', 'yes'],
        sources: names.map((name) => ({ name, type: f0(name) })),
        featureNames: names,
        dropped: [],
      },
      estimator: est,
    } as unknown as TrainedModel;
    const served = loadServedModel({ version: 1, modelJson: serializeModel(model) });
    const records = Array.from({ length: 200 }, (_, i) =>
      Object.fromEntries(names.map((c, f) => [c, Number.isNaN(X[f * n + i]) ? null : X[f * n + i]])),
    );
    expect(records.map((r) => served.predict([r])[0])).toEqual(predictRecords(served.model, records));
  });

  it('a "only missing values go left" split (threshold −∞) routes as the engine does', () => {
    // root: feature 0, −∞, missing left → leaf 1 (missing) / node 2: feature 1 ≤ 0.5 → leaves 3, 4
    const tree = {
      nNodes: 5,
      nOut: 1,
      feature: Int32Array.from([0, -1, 1, -1, -1]),
      threshold: Float64Array.from([-Infinity, 0, 0.5, 0, 0]),
      bin: Int16Array.from([-1, 0, 3, 0, 0]),
      missingLeft: Uint8Array.from([1, 0, 0, 0, 0]),
      left: Int32Array.from([1, 0, 3, 0, 0]),
      value: Float64Array.from([0, 10, 0, 20, 30]),
    };
    const est = { type: 'forest' as const, nClasses: 0, nFeatures: 2, trees: [tree, tree], importance: [0.5, 0.5] };
    const forest = compileRowForest(est)!;
    const model = { estimator: est, task: 'regression', encoding: { featureNames: ['a', 'b'] } } as unknown as TrainedModel;
    const out = new Float64Array(1);
    for (const r of [
      [NaN, 0],
      [-5, 0.5],
      [3, 0.6],
      [0, NaN],
      [1e300, -1e300],
    ]) {
      forest.predictRow(r, out);
      expect(out[0]).toBe(predictOutputs(model, Float64Array.from(r), 1)[0]);
    }
  });
});
