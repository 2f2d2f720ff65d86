/**
 * Evaluation metrics with scikit-learn's definitions (checked against
 * scikit-learn 1.2 on fixed vectors in metrics.test.ts). Class labels are
 * integer codes 0..K-1; probabilities are row-major n × K.
 */
import type { ClassificationMetricSet, RegressionMetricSet } from '../../../shared/training';
import { TrainingError } from './errors';

/** Fraction of exact matches (accuracy_score). */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkSameLength(yTrue, yPred);
  let c = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) c++;
  return c / yTrue.length;
}

/** Confusion matrix, rows = true class, columns = predicted class (confusion_matrix). */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses: number): number[][] {
  checkSameLength(yTrue, yPred);
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]][yPred[i]]++;
  return m;
}

/** Per-class precision, recall, F1 and support. */
export interface ClassReport {
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  /** Classes present in y_true ∪ y_pred (scikit-learn's default `labels`). */
  labels: number[];
}

/** precision_recall_fscore_support(average=None) over the labels present in y_true ∪ y_pred; 0 where undefined (zero_division). */
export function classReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses: number): ClassReport {
  const cm = confusionMatrix(yTrue, yPred, nClasses);
  const labels: number[] = [];
  for (let k = 0; k < nClasses; k++) {
    let present = false;
    for (let j = 0; j < nClasses; j++) if (cm[k][j] > 0 || cm[j][k] > 0) present = true;
    if (present) labels.push(k);
  }
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  const support: number[] = [];
  for (const k of labels) {
    let predK = 0;
    let trueK = 0;
    for (let j = 0; j < nClasses; j++) {
      predK += cm[j][k];
      trueK += cm[k][j];
    }
    const tp = cm[k][k];
    const p = predK > 0 ? tp / predK : 0;
    const r = trueK > 0 ? tp / trueK : 0;
    precision.push(p);
    recall.push(r);
    f1.push(p + r > 0 ? (2 * p * r) / (p + r) : 0);
    support.push(trueK);
  }
  return { precision, recall, f1, support, labels };
}

/** Averaged precision/recall/F1 (`macro` = unweighted mean, `weighted` = support-weighted). */
export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

/** Macro and weighted averages of precision, recall and F1 (as scikit-learn's average='macro'/'weighted'). */
export function averagedScores(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  nClasses: number,
): { macro: AveragedScores; weighted: AveragedScores } {
  const r = classReport(yTrue, yPred, nClasses);
  const L = r.labels.length;
  const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / L;
  const totalSupport = r.support.reduce((s, v) => s + v, 0);
  const wmean = (a: number[]): number => (totalSupport > 0 ? a.reduce((s, v, i) => s + v * r.support[i], 0) / totalSupport : 0);
  return {
    macro: { precision: mean(r.precision), recall: mean(r.recall), f1: mean(r.f1) },
    weighted: { precision: wmean(r.precision), recall: wmean(r.recall), f1: wmean(r.f1) },
  };
}

/** Binary precision/recall/F1 for the positive class (scikit-learn's average='binary', pos_label=1). */
export function binaryScores(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, positive = 1): AveragedScores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] === positive;
    const p = yPred[i] === positive;
    if (t && p) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

/** Cumulative false/true positive counts per distinct threshold, scores descending (_binary_clf_curve). */
function binaryClfCurve(yTrue01: ArrayLike<number>, score: ArrayLike<number>): { fps: number[]; tps: number[]; thresholds: number[] } {
  const n = yTrue01.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let j = 0; j < n; j++) {
    const i = order[j];
    if (yTrue01[i] === 1) tp++;
    else fp++;
    if (j === n - 1 || score[order[j + 1]] !== score[i]) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(score[i]);
    }
  }
  return { fps, tps, thresholds };
}

/** ROC curve points (roc_curve with drop_intermediate=True, scikit-learn 1.2: first threshold = max + 1). */
export function rocCurve(yTrue01: ArrayLike<number>, score: ArrayLike<number>): { fpr: number[]; tpr: number[]; thresholds: number[] } {
  checkSameLength(yTrue01, score);
  let { fps, tps, thresholds } = binaryClfCurve(yTrue01, score);
  if (fps.length > 2) {
    const keep: number[] = [];
    for (let i = 0; i < fps.length; i++) {
      if (i === 0 || i === fps.length - 1) keep.push(i);
      else {
        const d2f = fps[i + 1] - 2 * fps[i] + fps[i - 1];
        const d2t = tps[i + 1] - 2 * tps[i] + tps[i - 1];
        if (d2f !== 0 || d2t !== 0) keep.push(i);
      }
    }
    fps = keep.map((i) => fps[i]);
    tps = keep.map((i) => tps[i]);
    thresholds = keep.map((i) => thresholds[i]);
  }
  tps = [0, ...tps];
  fps = [0, ...fps];
  thresholds = [thresholds[0] + 1, ...thresholds];
  const P = tps[tps.length - 1];
  const N = fps[fps.length - 1];
  return { fpr: fps.map((v) => (N > 0 ? v / N : NaN)), tpr: tps.map((v) => (P > 0 ? v / P : NaN)), thresholds };
}

/** Precision-recall curve points (precision_recall_curve, scikit-learn 1.2). */
export function precisionRecallCurve(
  yTrue01: ArrayLike<number>,
  score: ArrayLike<number>,
): { precision: number[]; recall: number[]; thresholds: number[] } {
  checkSameLength(yTrue01, score);
  const { fps, tps, thresholds } = binaryClfCurve(yTrue01, score);
  const P = tps[tps.length - 1];
  const precision = tps.map((tp, i) => (tp + fps[i] !== 0 ? tp / (tp + fps[i]) : 0));
  const recall = tps.map((tp) => (P === 0 ? 1 : tp / P));
  return { precision: [...precision.reverse(), 1], recall: [...recall.reverse(), 0], thresholds: [...thresholds].reverse() };
}

/** Area under the ROC curve for a binary problem (roc_auc_score). */
export function rocAucBinary(yTrue01: ArrayLike<number>, score: ArrayLike<number>): number {
  const { fpr, tpr } = rocCurve(yTrue01, score);
  let pos = 0;
  for (let i = 0; i < yTrue01.length; i++) if (yTrue01[i] === 1) pos++;
  if (pos === 0 || pos === yTrue01.length) return NaN; // undefined with one class
  let area = 0;
  for (let i = 1; i < fpr.length; i++) area += ((fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1])) / 2;
  return area;
}

/**
 * ROC AUC from class probabilities: binary uses the positive-class column;
 * multiclass is one-vs-rest, `macro` (default) or prevalence-`weighted`
 * (roc_auc_score(multi_class='ovr')).
 */
export function rocAuc(
  yTrue: ArrayLike<number>,
  proba: ArrayLike<number>,
  nClasses: number,
  average: 'macro' | 'weighted' = 'macro',
): number {
  const n = yTrue.length;
  if (proba.length !== n * nClasses) throw new TrainingError('BAD_INPUT', 'Probability matrix does not match the labels');
  const col = (k: number): Float64Array => {
    const s = new Float64Array(n);
    for (let i = 0; i < n; i++) s[i] = proba[i * nClasses + k];
    return s;
  };
  const bin = (k: number): Uint8Array => Uint8Array.from(yTrue as ArrayLike<number>, (v) => (v === k ? 1 : 0));
  if (nClasses === 2) return rocAucBinary(bin(1), col(1));
  let sum = 0;
  let wsum = 0;
  for (let k = 0; k < nClasses; k++) {
    const yk = bin(k);
    let pos = 0;
    for (let i = 0; i < n; i++) pos += yk[i];
    const auc = rocAucBinary(yk, col(k));
    const w = average === 'weighted' ? pos : 1;
    sum += w * auc;
    wsum += w;
  }
  return sum / wsum;
}

/** Cross-entropy (log_loss, scikit-learn 1.2: clip to [eps, 1−eps] with float64 eps, then renormalise rows). */
export function logLoss(yTrue: ArrayLike<number>, proba: ArrayLike<number>, nClasses: number): number {
  const n = yTrue.length;
  if (proba.length !== n * nClasses) throw new TrainingError('BAD_INPUT', 'Probability matrix does not match the labels');
  const eps = Number.EPSILON;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < nClasses; k++) s += Math.min(Math.max(proba[i * nClasses + k], eps), 1 - eps);
    const p = Math.min(Math.max(proba[i * nClasses + yTrue[i]], eps), 1 - eps) / s;
    total += -Math.log(p);
  }
  return total / n;
}

/** Coefficient of determination (r2_score; constant y_true gives 1 for a perfect fit, else 0). */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkSameLength(yTrue, yPred);
  const n = yTrue.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n;
  let ssr = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    ssr += (yTrue[i] - yPred[i]) ** 2;
    sst += (yTrue[i] - mean) ** 2;
  }
  if (sst === 0) return ssr === 0 ? 1 : 0;
  return 1 - ssr / sst;
}

/** Mean squared error. */
export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkSameLength(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i] - yPred[i]) ** 2;
  return s / yTrue.length;
}

/** Root mean squared error. */
export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred));
}

/** Mean absolute error. */
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkSameLength(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i] - yPred[i]);
  return s / yTrue.length;
}

/** All classification metrics the workbench records for a run (defined once, in shared/training.ts). */
export type ClassificationMetrics = ClassificationMetricSet;

/** All regression metrics the workbench records for a run (defined once, in shared/training.ts). */
export type RegressionMetrics = RegressionMetricSet;

/** Compute the classification metric set from labels, predictions and probabilities. */
export function classificationMetrics(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  proba: ArrayLike<number>,
  nClasses: number,
): ClassificationMetrics {
  const avg = averagedScores(yTrue, yPred, nClasses);
  const m: ClassificationMetrics = {
    accuracy: accuracy(yTrue, yPred),
    precisionMacro: avg.macro.precision,
    recallMacro: avg.macro.recall,
    f1Macro: avg.macro.f1,
    precisionWeighted: avg.weighted.precision,
    recallWeighted: avg.weighted.recall,
    f1Weighted: avg.weighted.f1,
    rocAuc: rocAuc(yTrue, proba, nClasses),
    logLoss: logLoss(yTrue, proba, nClasses),
    confusionMatrix: confusionMatrix(yTrue, yPred, nClasses),
  };
  if (nClasses === 2) Object.assign(m, binaryScores(yTrue, yPred, 1));
  return m;
}

/** Compute the regression metric set. */
export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionMetrics {
  return { r2: r2Score(yTrue, yPred), rmse: rootMeanSquaredError(yTrue, yPred), mae: meanAbsoluteError(yTrue, yPred) };
}

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new TrainingError('BAD_INPUT', `Length mismatch: ${a.length} vs ${b.length}`);
  if (a.length === 0) throw new TrainingError('EMPTY_DATA', 'No values to score');
}
