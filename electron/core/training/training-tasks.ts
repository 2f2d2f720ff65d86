/**
 * Worker tasks of the training job.
 *  - `training-trees`: fits tree indices [from, to) of every forest of a run
 *    (each CV fold's and the final one). Several run at once over the pool.
 *  - `training-run`: the whole run (split, CV, fit, metrics, importances);
 *    for forests it merges the parts the `training-trees` tasks returned, so
 *    the model is identical to a one-worker run.
 */
import { AppError } from '../../../shared/errors';
import type { WorkerTask } from '../jobs/worker-task';
import { TrainingError, isTrainingError } from './errors';
import { fitForestRange, mergeForestParts, prepareForestData, type ForestParams, type ForestPart } from './forest';
import { serializeModel } from './model';
import { loadSpecDataset, specToRequest, type TrainSpec } from './training-spec';
import { planTraining, trainModel, type TrainResult } from './train';

/** Training errors cross the process boundary as AppError('bad_input') (or 'job_cancelled'), keeping the engine's code. */
export function toTaskError(err: unknown): unknown {
  if (isTrainingError(err)) {
    const e = err as TrainingError;
    if (e.code === 'CANCELLED') return new AppError('job_cancelled', 'Cancelled.');
    return new AppError('bad_input', e.message, { trainingCode: e.code, ...(e.details ?? {}) });
  }
  return err;
}

/** Parts fitted by one `training-trees` task, per forest key. */
export interface TreeRangeResult {
  parts: Record<string, ForestPart>;
}

/** Fit a range of tree indices for every forest of the run. Progress = trees built in this range. */
export const trainingTreesTask: WorkerTask<{ spec: TrainSpec; from: number; to: number }, TreeRangeResult> = {
  name: 'training-trees',
  run({ spec, from, to }, ctx) {
    try {
      const ds = loadSpecDataset(spec);
      const plan = planTraining(ds, specToRequest(spec));
      const params = plan.params as unknown as ForestParams;
      const forests = [
        ...plan.folds.map((f, i) => ({ key: `fold-${i}`, ds: f.train, seed: f.seed })),
        { key: 'final', ds: plan.train, seed: plan.seed },
      ];
      const total = forests.length * (to - from);
      let done = 0;
      const parts: Record<string, ForestPart> = {};
      for (const f of forests) {
        const data = prepareForestData(f.ds.X, f.ds.nRows, f.ds.nFeatures, f.ds.y, f.ds.nClasses, params.maxBins);
        parts[f.key] = fitForestRange(data, params, f.seed, from, to, {
          onTree: () => ctx.progress(++done, total, `${done} of ${total} trees`),
        });
      }
      return { parts };
    } catch (err) {
      throw toTaskError(err);
    }
  },
};

/** What `training-run` returns: the result without the in-memory model, plus the model as JSON text. */
export interface TrainRunOutput {
  result: Omit<TrainResult, 'model'>;
  modelJson: string;
}

/** Run the whole training; forest trees come from `parts` when given. */
export const trainingRunTask: WorkerTask<{ spec: TrainSpec; parts?: TreeRangeResult[] }, TrainRunOutput> = {
  name: 'training-run',
  async run({ spec, parts }, ctx) {
    try {
      const ds = loadSpecDataset(spec);
      const result = await trainModel(ds, specToRequest(spec), {
        onProgress: (p) =>
          ctx.progress(
            p.done,
            p.total,
            p.fold !== undefined
              ? `fold ${p.fold + 1}: ${p.done} of ${p.total} ${p.unit}`
              : `${p.phase}: ${p.done} of ${p.total} ${p.unit}`,
          ),
        forestRunner: parts
          ? async (job) => {
              const mine = parts.map((r) => r.parts[job.key]);
              if (mine.some((p) => !p)) throw new Error(`Missing trees for ${job.key}`);
              return mergeForestParts(mine, job.data, job.params, job.seed);
            }
          : undefined,
      });
      const { model, ...rest } = result;
      return { result: rest, modelJson: serializeModel(model) };
    } catch (err) {
      throw toTaskError(err);
    }
  },
};

export const TRAINING_TASKS: readonly WorkerTask[] = [trainingTreesTask, trainingRunTask];
