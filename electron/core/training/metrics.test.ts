import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  averagedScores,
  binaryScores,
  confusionMatrix,
  logLoss,
  meanAbsoluteError,
  precisionRecallCurve,
  r2Score,
  rocAuc,
  rocCurve,
  rootMeanSquaredError,
} from './metrics';

// Reference values computed by scikit-learn (scripts/sklearn-reference.py).
const ref = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../tests/fixtures/sklearn/metrics-reference.json'), 'utf8'));
const byName = (n: string) => ref.cases.find((c: { name: string }) => c.name === n);
const TOL = 1e-9;

function expectClose(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(TOL));
}

describe('metrics match scikit-learn', () => {
  it('binary classification metrics and curves', () => {
    const c = byName('binary');
    const avg = averagedScores(c.y_true, c.y_pred, 2);
    const bin = binaryScores(c.y_true, c.y_pred);
    const score = c.proba.filter((_: number, i: number) => i % 2 === 1);
    expectClose(
      [
        accuracy(c.y_true, c.y_pred),
        bin.precision,
        bin.recall,
        bin.f1,
        avg.macro.precision,
        avg.macro.recall,
        avg.macro.f1,
        avg.weighted.precision,
        avg.weighted.recall,
        avg.weighted.f1,
        rocAuc(c.y_true, c.proba, 2),
        logLoss(c.y_true, c.proba, 2),
      ],
      [
        c.accuracy,
        c.precision_binary,
        c.recall_binary,
        c.f1_binary,
        c.precision_macro,
        c.recall_macro,
        c.f1_macro,
        c.precision_weighted,
        c.recall_weighted,
        c.f1_weighted,
        c.roc_auc,
        c.log_loss,
      ],
    );
    expect(confusionMatrix(c.y_true, c.y_pred, 2)).toEqual(c.confusion_matrix);
    const roc = rocCurve(c.y_true, score);
    expectClose(roc.fpr, c.roc_fpr);
    expectClose(roc.tpr, c.roc_tpr);
    expectClose(roc.thresholds, c.roc_thresholds);
    const pr = precisionRecallCurve(c.y_true, score);
    expectClose(pr.precision, c.pr_precision);
    expectClose(pr.recall, c.pr_recall);
    expectClose(pr.thresholds, c.pr_thresholds);
  });

  it('multiclass metrics (one class never predicted, clipped probabilities)', () => {
    const c = byName('multiclass');
    const avg = averagedScores(c.y_true, c.y_pred, 4);
    expectClose(
      [
        accuracy(c.y_true, c.y_pred),
        avg.macro.precision,
        avg.macro.recall,
        avg.macro.f1,
        avg.weighted.precision,
        avg.weighted.recall,
        avg.weighted.f1,
        rocAuc(c.y_true, c.proba, 4),
        rocAuc(c.y_true, c.proba, 4, 'weighted'),
        logLoss(c.y_true, c.proba, 4),
      ],
      [
        c.accuracy,
        c.precision_macro,
        c.recall_macro,
        c.f1_macro,
        c.precision_weighted,
        c.recall_weighted,
        c.f1_weighted,
        c.roc_auc_ovr_macro,
        c.roc_auc_ovr_weighted,
        c.log_loss,
      ],
    );
    expect(confusionMatrix(c.y_true, c.y_pred, 4)).toEqual(c.confusion_matrix);
  });

  it('regression metrics', () => {
    const c = byName('regression');
    expectClose(
      [r2Score(c.y_true, c.y_pred), rootMeanSquaredError(c.y_true, c.y_pred), meanAbsoluteError(c.y_true, c.y_pred)],
      [c.r2, c.rmse, c.mae],
    );
  });

  it('r2 of a constant target follows scikit-learn (1 if perfect, else 0)', () => {
    expect(r2Score([2, 2, 2], [2, 2, 2])).toBe(1);
    expect(r2Score([2, 2, 2], [2, 3, 2])).toBe(0);
  });
});
