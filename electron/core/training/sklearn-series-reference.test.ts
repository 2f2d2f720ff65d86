import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableToDataset } from './data-matrix';
import { fitGbm, parseGbmParams } from './gradient-boosting';
import { readTrainingTable } from '../../../tests/helpers/training-table';

// Boosting loss curves against HistGradientBoostingClassifier's train_score_ / validation_score_
// (recorded negated — as losses — by scripts/sklearn-reference.py series). Binning and the
// validation split differ, so the numbers are not equal; the curves must have the same shape.
const FIX = path.resolve(__dirname, '../../../tests/fixtures/sklearn');
const ref = JSON.parse(fs.readFileSync(path.join(FIX, 'series-reference.json'), 'utf8'));

describe('boosting loss curves have the shape of scikit-learn’s', () => {
  it.each(Object.keys(ref.datasets))('%s', (name) => {
    const d = ref.datasets[name];
    const ds = tableToDataset(readTrainingTable(path.join(FIX, d.file)), { target: 'target', task: 'classification' });
    const params = parseGbmParams({ maxIter: 100, earlyStopping: 'on', validationFraction: 0.1, nIterNoChange: 10 });
    const train: number[] = [];
    const validation: number[] = [];
    fitGbm(ds.X, ds.nRows, ds.nFeatures, ds.y, ds.nClasses, params, 0, {
      onLoss: (_, t, v) => {
        train.push(t);
        validation.push(v!);
      },
    });
    // scikit-learn's entry 0 is the baseline: its iteration i is entry i.
    const skTrain: number[] = d.train_loss.slice(1);
    const skVal: number[] = d.validation_loss.slice(1);
    console.log(
      `${name}: ours ${train.length} it, train ${train[0].toFixed(4)} → ${train.at(-1)!.toFixed(4)}, validation min ${Math.min(...validation).toFixed(4)}; ` +
        `sklearn ${skTrain.length} it, train ${skTrain[0].toFixed(4)} → ${skTrain.at(-1)!.toFixed(4)}, validation min ${Math.min(...skVal).toFixed(4)}`,
    );
    expect(train.length).toBe(validation.length);
    // Training loss: decreasing at every iteration on both sides, from the same start, to nearly zero.
    for (const curve of [train, skTrain]) for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeLessThan(curve[i - 1]);
    expect(Math.abs(train[0] / skTrain[0] - 1)).toBeLessThan(0.03);
    expect(Math.abs(train[9] / skTrain[9] - 1)).toBeLessThan(0.15);
    // Validation loss: starts where the training loss does and falls to a small fraction of it.
    expect(Math.abs(validation[0] / skVal[0] - 1)).toBeLessThan(0.1);
    expect(Math.min(...validation) / validation[0]).toBeLessThan(0.25);
    expect(Math.min(...skVal) / skVal[0]).toBeLessThan(0.25);
  });
});
