/**
 * Worker task of the registry: scores models on one run's held-out test rows
 * (the "beats the current Production version on the same test data" gate).
 * The rows are found exactly as training found them (same reader, same kept
 * rows, same seeded split), then each model predicts the raw records through
 * its own encoding or recipe, so models trained with other recipes or
 * feature sets are compared on equal terms.
 */
import fs from 'node:fs';
import { AppError } from '../../../shared/errors';
import { readCsvTable } from '../datasets/read-table';
import type { WorkerTask } from '../jobs/worker-task';
import { encodeRecords, encodeTarget, toColumnTable } from '../training/data-matrix';
import { classificationMetrics, regressionMetrics } from '../training/metrics';
import { argmaxRows, deserializeModel, predictOutputs, type TrainedModel } from '../training/model';
import { holdOutSplit } from '../training/train';
import { specDataset, specToRequest, type TrainSpec } from '../training/training-spec';
import { snakeCase } from '../tracking/record-run';
import { toTaskError } from '../training/training-tasks';

export interface HeldOutScores {
  rows: number;
  /** Per model (in the order given): its scalar metrics on the held-out rows, keyed as runs log them (snake_case). */
  metrics: Record<string, number>[];
}

/** Class probabilities of `model` re-ordered into `classes` (a class the model does not know gets 0). */
function alignProbabilities(model: TrainedModel, out: Float64Array, n: number, classes: string[]): Float64Array {
  const own = model.encoding.classes ?? [];
  const index = classes.map((c) => own.indexOf(c));
  const P = new Float64Array(n * classes.length);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < classes.length; k++) P[i * classes.length + k] = index[k] < 0 ? 0 : out[i * own.length + index[k]];
  return P;
}

/** The run's held-out test rows, found exactly as training found them: the raw records, their encoded targets, the run's encoding. */
function heldOutRows(spec: TrainSpec) {
  const table = readCsvTable(spec.source.path, spec.source.options);
  const ds = specDataset(spec, table);
  const split = holdOutSplit(ds, specToRequest(spec));
  if (!split) throw new AppError('bad_input', 'The run has no test part (test share 0), so there is no test data to compare models on.');
  const { keep } = encodeTarget(toColumnTable(table), { target: spec.target, task: spec.task });
  const names = table.columns.map((c) => c.name);
  const records = Array.from(split.test, (i) => Object.fromEntries(names.map((name, j) => [name, table.rows[keep[i]][j]])));
  const yTrue = Array.from(split.test, (i) => ds.y[i]);
  return { ds, records, yTrue, n: records.length };
}

export const scoreHeldOutTask: WorkerTask<{ spec: TrainSpec; modelPaths: string[] }, HeldOutScores> = {
  name: 'registry-score-held-out',
  run({ spec, modelPaths }) {
    try {
      const { ds, records, yTrue, n } = heldOutRows(spec);
      const metrics = modelPaths.map((file) => {
        const model = deserializeModel(fs.readFileSync(file, 'utf8'));
        if (model.task !== ds.encoding.task)
          throw new AppError('bad_input', `A ${model.task} model cannot be scored on this run's ${ds.encoding.task} test data.`);
        const out = predictOutputs(model, encodeRecords(model.encoding, records), n);
        if (model.task === 'regression') return prefixed(regressionMetrics(yTrue, out));
        const classes = ds.encoding.classes!;
        const P = alignProbabilities(model, out, n, classes);
        return prefixed(classificationMetrics(yTrue, argmaxRows(P, n, classes.length), P, classes.length));
      });
      return { rows: n, metrics };
    } catch (err) {
      throw toTaskError(err);
    }
  },
};

/** A model's own predictions on its run's held-out test rows: numbers (regression) or class labels as the server logs them. */
export interface HeldOutPredictions {
  rows: number;
  task: 'classification' | 'regression';
  /** Regression: the predicted values. */
  values: number[] | null;
  /** Classification: the predicted class label of each row (the model's class names, as the scoring server answers). */
  labels: string[] | null;
}

/**
 * The predictions one model makes on its run's held-out rows (what prediction
 * monitoring compares the served predictions with). Classes are the argmax of
 * the model's own probabilities, named by its own class list, as the server does.
 */
export const predictHeldOutTask: WorkerTask<{ spec: TrainSpec; modelPath: string }, HeldOutPredictions> = {
  name: 'registry-predict-held-out',
  run({ spec, modelPath }) {
    try {
      const { records, n } = heldOutRows(spec);
      const model = deserializeModel(fs.readFileSync(modelPath, 'utf8'));
      const out = predictOutputs(model, encodeRecords(model.encoding, records), n);
      if (model.task === 'regression') return { rows: n, task: 'regression', values: Array.from(out), labels: null };
      const classes = model.encoding.classes ?? [];
      const best = argmaxRows(out, n, classes.length);
      return { rows: n, task: 'classification', values: null, labels: Array.from(best, (k) => classes[k]) };
    } catch (err) {
      throw toTaskError(err);
    }
  },
};

function prefixed(m: object): Record<string, number> {
  const r: Record<string, number> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'number' && Number.isFinite(v)) r[snakeCase(k)] = v;
  return r;
}

export const REGISTRY_TASKS: readonly WorkerTask[] = [scoreHeldOutTask, predictHeldOutTask];
