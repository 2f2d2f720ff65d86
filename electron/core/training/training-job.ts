/**
 * The `train` job kind. Runs in main but does no CPU work itself:
 *  1. for random forests / extra trees, the tree indices are split into one
 *     contiguous range per pool worker and every worker fits its range of
 *     every forest of the run (`training-trees`), in parallel;
 *  2. one worker runs the whole evaluation (`training-run`), merging those
 *     parts in index order — so the model and metrics are bit-identical
 *     whatever the number of workers;
 *  3. main stores the model JSON as a content-addressed object and returns
 *     the metrics. Progress: trees built (then evaluation steps); cancel kills
 *     the workers.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { AppError } from '../../../shared/errors';
import type { RegisterResult } from '../../../shared/registry';
import type { TrainingResult } from '../../../shared/training';
import { registerModel } from '../registry/registry-service';
import type { JobContext, JobKind } from '../jobs/job-kind';
import { endTrainingRun, finishTrainingRun, startTrainingRun } from '../tracking/training-run';
import type { TrainRunOutput, TreeRangeResult } from './training-tasks';
import type { TrainSpec } from './training-spec';

/**
 * Result of a train job (stored with the job record; the model itself is an object file):
 * the training result (defined once, in shared/training.ts) and the run it recorded.
 */
export type TrainJobResult = TrainingResult & {
  runId: string;
  /** When the launch asked for it: the registration's outcome (a refusal or an error does not fail the run). */
  registration?: RegisterResult | { error: string };
};

const PROGRESS_SCALE = 1000;

/** Contiguous, near-equal ranges of [0, n) for k workers. */
export function splitRange(n: number, k: number): [number, number][] {
  const parts = Math.max(1, Math.min(k, n));
  return Array.from({ length: parts }, (_, i) => [Math.round((i * n) / parts), Math.round(((i + 1) * n) / parts)] as [number, number]);
}

export const trainJob: JobKind<TrainSpec, TrainJobResult> = {
  kind: 'train',
  title: (p) => `Train ${p.algorithm} on ${p.source.label} → ${p.target}`,
  async execute(ctx, spec) {
    const run = startTrainingRun(ctx.app.store, spec.run?.sharedJob ? null : ctx.jobId, spec);
    ctx.app.events.emit('changed', { topic: 'tracking' });
    try {
      const result = await trainAndStore(ctx, spec);
      finishTrainingRun(ctx.app.store, run.runId, spec, result, ctx.app.appVersion);
      const registration = spec.run?.register ? await registerAfterRun(ctx, run.runId, spec.run.register) : undefined;
      return { ...result, runId: run.runId, ...(registration ? { registration } : {}) };
    } catch (err) {
      const cancelled = ctx.signal.aborted || (err instanceof AppError && err.code === 'job_cancelled');
      endTrainingRun(ctx.app.store, run.runId, { cancelled, error: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      ctx.app.events.emit('changed', { topic: 'tracking' });
    }
  },
};

/** Registers a finished run's model as the launch asked; a failure is reported in the result, the run stays finished. */
async function registerAfterRun(
  ctx: JobContext,
  runId: string,
  target: NonNullable<NonNullable<TrainSpec['run']>['register']>,
): Promise<RegisterResult | { error: string }> {
  try {
    const env = {
      store: ctx.app.store,
      events: ctx.app.events,
      runTask: <R>(name: string, params: unknown) => ctx.runTask<R>(name, params),
    };
    return await registerModel(env, { actor: target.actor, via: target.via }, { runId, name: target.name, gates: target.gates });
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** Fits in the workers (trees spread over the pool), stores the model object and returns the result. */
async function trainAndStore(ctx: JobContext, spec: TrainSpec): Promise<TrainingResult> {
  const started = Date.now();
  const forest = spec.algorithm === 'rf' || spec.algorithm === 'et';
  const nTrees = forest ? Number(spec.params.nEstimators ?? 100) : 0;
  const workers = forest ? Math.max(1, Math.min(ctx.app.pool.size, Number.isFinite(nTrees) ? nTrees : 1)) : 1;
  let parts: TreeRangeResult[] | undefined;
  if (forest && workers > 1 && Number.isInteger(nTrees) && nTrees > 0) {
    const ranges = splitRange(nTrees, workers);
    const done = ranges.map(() => 0);
    // Every worker fits its range for each CV fold's forest and the final one: the total is known
    // before any worker reports (summing reported totals said "4 of 1200 trees" while one worker lagged).
    const forests = spec.cvFolds > 0 ? spec.cvFolds + 1 : 1;
    const total = nTrees * forests;
    const report = () => {
      const d = done.reduce((a, b) => a + b, 0);
      const t = total;
      // Trees are 90% of the bar; evaluation (below) the last 10%.
      ctx.progress(Math.floor((PROGRESS_SCALE * 0.9 * d) / Math.max(t, 1)), PROGRESS_SCALE, `${d} of ${t} trees`);
    };
    parts = await Promise.all(
      ranges.map(([from, to], i) =>
        ctx.runTask<TreeRangeResult>('training-trees', { spec, from, to }, (d) => {
          done[i] = d;
          report();
        }),
      ),
    );
  }
  const out = await ctx.runTask<TrainRunOutput>('training-run', { spec, parts }, (d, t, m) =>
    parts ? ctx.progress(Math.floor(PROGRESS_SCALE * (0.9 + (0.1 * d) / Math.max(t, 1))), PROGRESS_SCALE, m) : ctx.progress(d, t, m),
  );
  if (ctx.signal.aborted) throw new AppError('job_cancelled', 'Cancelled.');
  const { store } = ctx.app;
  const sha256 = crypto.createHash('sha256').update(out.modelJson).digest('hex');
  const temp = store.objects.createTempPath('.json');
  try {
    fs.writeFileSync(temp, out.modelJson);
    store.objects.adoptTempFile(temp, sha256);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
  const model = JSON.parse(out.modelJson);
  return {
    ...out.result,
    source: spec.source.label,
    target: spec.target,
    algorithm: spec.algorithm,
    model: {
      sha256,
      bytes: Buffer.byteLength(out.modelJson),
      params: model.params,
      seed: model.seed,
      classes: model.encoding.classes,
      featureNames: model.encoding.featureNames,
      trainingDataHash: model.trainingDataHash,
      engineVersion: model.engine.version,
      formatVersion: model.formatVersion,
    },
    workers,
    durationMs: Date.now() - started,
  };
}
