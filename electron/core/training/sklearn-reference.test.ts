import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { subsetDataset, tableToDataset } from './data-matrix';
import { argmaxRows, predictOutputs, type Algorithm, type TrainedModel } from './model';
import { accuracy, r2Score } from './metrics';
import { fitEstimator, resolveParams } from './train';
import { readTrainingTable } from '../../../tests/helpers/training-table';

// CV accuracy / R² on exactly scikit-learn's folds (recorded by scripts/sklearn-reference.py)
// must be within 1.5 points of scikit-learn's for each model type.
const FIX = path.resolve(__dirname, '../../../tests/fixtures/sklearn');
const ref = JSON.parse(fs.readFileSync(path.join(FIX, 'cv-reference.json'), 'utf8'));

const cases: [string, Algorithm, string, Record<string, unknown>][] = [];
for (const [name, d] of Object.entries<{ task: string }>(ref.datasets)) {
  if (d.task === 'classification') {
    cases.push([name, 'rf', 'rf', {}], [name, 'et', 'et', {}], [name, 'gbm', 'gbm', {}], [name, 'logreg', 'logreg', {}]);
  } else {
    cases.push(
      [name, 'rf', 'rf', {}],
      [name, 'et', 'et', {}],
      [name, 'gbm', 'gbm', {}],
      [name, 'linear', 'linear', {}],
      [name, 'linear', 'ridge', { alpha: 1 }],
    );
  }
}

describe('CV scores match scikit-learn on the same folds', () => {
  it.each(cases)('%s / %s (%s)', async (name, algorithm, refModel, rawParams) => {
    const d = ref.datasets[name];
    const ds = tableToDataset(readTrainingTable(path.join(FIX, d.file)), { target: 'target', task: d.task });
    const params = resolveParams(algorithm, rawParams, d.task);
    const scores: number[] = [];
    for (const [r, ids] of (d.fold_ids as number[][]).entries()) {
      for (let f = 0; f < ref.folds; f++) {
        const tr = subsetDataset(
          ds,
          ids.flatMap((v, i) => (v !== f ? [i] : [])),
        );
        const te = subsetDataset(
          ds,
          ids.flatMap((v, i) => (v === f ? [i] : [])),
        );
        const est = await fitEstimator(tr, algorithm, params, r * 100 + f);
        const model = { task: d.task, encoding: ds.encoding, estimator: est } as TrainedModel;
        const out = predictOutputs(model, te.X, te.nRows);
        scores.push(d.task === 'classification' ? accuracy(te.y, argmaxRows(out, te.nRows, ds.nClasses)) : r2Score(te.y, out));
      }
    }
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const skl = d.scores[refModel].mean;
    console.log(`${name} ${refModel}: ours ${mean.toFixed(4)} sklearn ${skl.toFixed(4)}`);
    expect(Math.abs(mean - skl)).toBeLessThanOrEqual(0.015);
  });
});
