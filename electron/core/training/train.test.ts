import { describe, expect, it } from 'vitest';
import { tableToDataset } from './data-matrix';
import { deriveSeed, Rng } from './random';
import { kFold, stratifiedKFold, stratifiedTrainTestSplit } from './split';
import { splitDataset } from './data-matrix';
import { fitForest, fitForestRange, mergeForestParts, prepareForestData } from './forest';
import { serializeModel } from './model';
import { trainModel, type ForestRunner, type TrainProgress } from './train';
import type { ClassificationMetrics } from './metrics';
import { expectCvSummary } from '../../../tests/helpers/cv-summary';
import { csvTextToTable } from '../../../tests/helpers/training-table';

describe('splits', () => {
  const y = Float64Array.from({ length: 103 }, (_, i) => (i % 10 < 7 ? 0 : i % 10 < 9 ? 1 : 2));
  it('stratified split keeps class shares, is seeded and disjoint', () => {
    const a = stratifiedTrainTestSplit(y, 3, 0.2, 5);
    const b = stratifiedTrainTestSplit(y, 3, 0.2, 5);
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(a.test.length).toBe(Math.ceil(103 * 0.2));
    expect(new Set([...a.train, ...a.test]).size).toBe(103);
    const share = (rows: Int32Array, k: number) => Array.from(rows).filter((i) => y[i] === k).length / rows.length;
    for (const k of [0, 1, 2]) expect(Math.abs(share(a.test, k) - share(a.train, k))).toBeLessThan(0.06);
    expect(Array.from(stratifiedTrainTestSplit(y, 3, 0.2, 6).test)).not.toEqual(Array.from(a.test));
  });
  it('k folds partition the rows; stratified folds balance classes', () => {
    for (const folds of [stratifiedKFold(y, 3, 5, 1), kFold(103, 5, 1)]) {
      const all = folds.flatMap((f) => Array.from(f.test)).sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: 103 }, (_, i) => i));
      const sizes = folds.map((f) => f.test.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});

describe('trainModel', () => {
  const rng = new Rng(11);
  const lines = ['a,b,c,y'];
  for (let i = 0; i < 600; i++) {
    const a = rng.nextFloat();
    const b = rng.nextFloat();
    lines.push(`${a},${b},${rng.nextFloat()},${a + 0.5 * b + 0.2 * rng.nextFloat() > 0.85 ? 'pos' : 'neg'}`);
  }
  const ds = tableToDataset(csvTextToTable(lines.join('\n')), { target: 'y' });

  it('reports hold-out metrics, curves, CV mean ± std, importances and progress', async () => {
    const events: TrainProgress[] = [];
    const r = await trainModel(
      ds,
      { algorithm: 'rf', params: { nEstimators: 30, oobScore: true }, cvFolds: 3, seed: 2 },
      { onProgress: (p) => events.push(p) },
    );
    const t = r.test as ClassificationMetrics;
    expect(t.accuracy).toBeGreaterThan(0.85);
    expect(t.rocAuc).toBeGreaterThan(0.9);
    expect(r.cv!.perFold).toHaveLength(3);
    expect(Math.abs(r.cv!.mean.accuracy - t.accuracy)).toBeLessThan(0.08);
    expectCvSummary(r.cv!, 3);
    expect(r.curves!.roc.fpr[0]).toBe(0);
    expect(r.oobScore).toBeGreaterThan(0.8);
    const perm = r.importance.permutation!.mean;
    expect(perm[0]).toBeGreaterThan(perm[2]);
    expect(r.importance.impurity[0]).toBeGreaterThan(r.importance.impurity[2]);
    expect(events.filter((e) => e.unit === 'folds').map((e) => e.done)).toEqual([1, 2, 3]);
    expect(events.filter((e) => e.phase === 'fit' && e.unit === 'trees').length).toBe(30);
  });

  it('a re-run with the same inputs gives identical metrics and the same model', async () => {
    const req = { algorithm: 'gbm' as const, cvFolds: 3, seed: 9 };
    const a = await trainModel(ds, req);
    const b = await trainModel(ds, req);
    expect(JSON.stringify([b.test, b.cv])).toBe(JSON.stringify([a.test, a.cv]));
    expect(serializeModel(b.model)).toBe(serializeModel(a.model));
  });

  it.each(['rf', 'et'] as const)(
    '%s: a forest runner that fits tree ranges apart and merges them gives the model of a one-process run',
    async (algorithm) => {
      const req = { algorithm, params: { nEstimators: 12, maxDepth: 6 }, cvFolds: 2, seed: 5 };
      const local = await trainModel(ds, req);
      // As the training job does: tree ranges fitted separately (there on pool workers), merged per forest.
      const keys: string[] = [];
      const runner: ForestRunner = async (job, onTrees) => {
        keys.push(job.key);
        const n = job.params.nEstimators;
        const parts = [
          [0, 5],
          [5, 9],
          [9, n],
        ].map(([from, to]) => fitForestRange(job.data, job.params, job.seed, from, to));
        onTrees(n);
        return mergeForestParts(parts.reverse(), job.data, job.params, job.seed);
      };
      const pooled = await trainModel(ds, req, { forestRunner: runner });
      expect(keys).toEqual(['fold-0', 'fold-1', 'final']);
      expect(serializeModel(pooled.model)).toBe(serializeModel(local.model));
      expect(JSON.stringify([pooled.test, pooled.cv, pooled.importance, pooled.oobScore, pooled.series])).toBe(
        JSON.stringify([local.test, local.cv, local.importance, local.oobScore, local.series]),
      );
      // Random forests bootstrap (an OOB curve, one point per tree); extra trees do not by default (no series).
      if (algorithm === 'rf') expect(local.series!.oob_error.map((q) => q.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      else expect(local.series).toBeUndefined();
      // The comparison can fail: a runner that seeds its trees differently gives another model.
      const reseeded: ForestRunner = async (job) => fitForest(job.data, job.params, job.seed + 1);
      const other = await trainModel(ds, req, { forestRunner: reseeded });
      expect(serializeModel(other.model)).not.toBe(serializeModel(local.model));
    },
  );

  it('gradient boosting: train_loss per iteration, and validation_loss with early stopping; none for linear models', async () => {
    const off = await trainModel(ds, { algorithm: 'gbm', params: { maxIter: 20, earlyStopping: 'off' }, seed: 1 });
    const nIt = off.model.estimator.type === 'gbm' ? off.model.estimator.nIterations : -1;
    expect(nIt).toBe(20);
    expect(Object.keys(off.series!)).toEqual(['train_loss']);
    expect(off.series!.train_loss.map((q) => q.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const on = await trainModel(ds, { algorithm: 'gbm', params: { maxIter: 300, earlyStopping: 'on', nIterNoChange: 5 }, seed: 1 });
    const est = on.model.estimator;
    if (est.type !== 'gbm') throw new Error('not a boosting model');
    expect(est.nIterations).toBeLessThan(300);
    expect(on.series!.train_loss).toHaveLength(est.nIterations);
    expect(on.series!.validation_loss.map((q) => q.value)).toEqual(est.validationLoss!.slice(1));
    const tl = on.series!.train_loss.map((q) => q.value);
    expect(tl.at(-1)!).toBeLessThan(tl[0]);
    const lr = await trainModel(ds, { algorithm: 'logreg', seed: 1 });
    expect(lr.series).toBeUndefined();
  });

  it('rf: the OOB curve ends at 1 − oob_score, is recorded without oobScore too, and the model is the one fitForest gives', async () => {
    const req = { algorithm: 'rf' as const, params: { nEstimators: 15, maxDepth: 6, oobScore: true }, seed: 4, testSize: 0.25 };
    const r = await trainModel(ds, req);
    expect(r.series!.oob_error).toHaveLength(15);
    expect(r.series!.oob_error.at(-1)!.value).toBe(1 - r.oobScore!);
    const without = await trainModel(ds, { ...req, params: { ...req.params, oobScore: false } });
    expect(without.oobScore).toBeUndefined();
    expect(without.series).toEqual(r.series);
    // The score is taken in the same pass as the curve: the model file is what a forest fitted with its own OOB pass gives.
    const s = stratifiedTrainTestSplit(ds.y, ds.nClasses, 0.25, deriveSeed(4, 0x5eed));
    const [train] = splitDataset(ds, s.train, s.test);
    const params = r.model.params as never;
    const direct = fitForest(prepareForestData(train.X, train.nRows, train.nFeatures, train.y, train.nClasses), params, 4);
    expect(direct.oobScore).toBe(r.oobScore);
    expect(serializeModel({ ...r.model, estimator: direct })).toBe(serializeModel(r.model));
  });
});
