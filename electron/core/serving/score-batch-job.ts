/**
 * The batch scoring job (`scoring:start`, `mlwb score`): resolves the model
 * version (stage, alias or number), the input (a dataset version's object
 * file with its stored read options, or a user CSV sniffed as an import
 * would), runs the `score-batch` worker task with progress and cancel, then —
 * only after the task succeeded — adopts the scored CSV as an object, records
 * the prediction set and copies the file to `out` when asked. A failure,
 * cancel or killed worker leaves no row and no file but a temp file that is
 * removed here (or at the next start).
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { formatModelReference, type ModelVersion } from '../../../shared/registry';
import type { PredictionSet, scoreBatchSchema } from '../../../shared/serving';
import type { z } from 'zod';
import { toInputError } from '../datasets/dataset-tasks';
import { csvOptionsFromSniff, sniffCsvFile } from '../datasets/sniff-csv';
import type { JobContext, JobKind } from '../jobs/job-kind';
import type { Store } from '../store';
import {
  mergeStats,
  scoringInputError,
  summarize,
  type ScoreBatchTaskParams,
  type ScoreBatchTaskResult,
  type ScoreMergeParams,
} from './score-batch-task';

/**
 * Files at least this large per worker are scored by several workers at once
 * (each reads the whole file and scores every n-th chunk); smaller ones by one.
 */
export const PARALLEL_BYTES_PER_WORKER = 4 << 20;

/** What scoring a whole file gives, by one task or merged from parts. */
type Scored = Pick<ScoreBatchTaskResult, 'rows' | 'sha256' | 'bytes' | 'columns' | 'summary' | 'task'>;

/**
 * Scores a file with `workers` `score-batch` tasks in parallel (part i scores
 * chunks i, i + workers, …), then a `score-batch-merge` task interleaves the
 * parts into `task.outPath`. Progress is bytes read over all parts; part
 * files are removed whatever happens.
 */
async function scoreInParts(ctx: JobContext, task: Omit<ScoreBatchTaskParams, 'part'>, workers: number): Promise<Scored> {
  const parts = Array.from({ length: workers }, (_, index) => ({ index, path: `${task.outPath}.part${index}` }));
  const done = parts.map(() => 0);
  const total = parts.map(() => 0);
  try {
    const settled = await Promise.allSettled(
      parts.map((p) =>
        ctx.runTask<ScoreBatchTaskResult>(
          'score-batch',
          { ...task, outPath: p.path, part: { index: p.index, of: workers } } satisfies ScoreBatchTaskParams,
          (d, t, message) => {
            done[p.index] = d;
            total[p.index] = t;
            ctx.progress(
              done.reduce((a, b) => a + b, 0),
              total.reduce((a, b) => a + b, 0),
              message,
            );
          },
        ),
      ),
    );
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const results = settled.map((r) => (r as PromiseFulfilledResult<ScoreBatchTaskResult>).value);
    const merged = await ctx.runTask<{ sha256: string; bytes: number }>('score-batch-merge', {
      columns: results[0].columns,
      parts: parts.map((p, i) => ({ path: p.path, chunkBytes: results[i].chunkBytes })),
      outPath: task.outPath,
    } satisfies ScoreMergeParams);
    const stats = results.map((r) => r.stats).reduce(mergeStats);
    const { rows, columns, classes } = results[0];
    return { rows, sha256: merged.sha256, bytes: merged.bytes, columns, task: results[0].task, summary: summarize(stats, classes, rows) };
  } finally {
    for (const p of parts) fs.rmSync(p.path, { force: true });
  }
}

/** The job's params: a parsed `scoring:start` request. */
export type ScoreBatchParams = z.output<typeof scoreBatchSchema>;

/** What the job returns. */
export interface ScoreBatchResult {
  predictionSet: PredictionSet;
  /** The scored CSV's header. */
  columns: string[];
  task: 'classification' | 'regression';
  /** Where the scored CSV was copied (`out`), or null. */
  out: string | null;
  durationMs: number;
}

/** The input of a request: its file, read options and label. */
export function scoringInput(
  store: Store,
  params: Pick<ScoreBatchParams, 'datasetVersionId' | 'file'>,
): ScoreBatchTaskParams['input'] & { datasetVersionId: number | null } {
  if (params.datasetVersionId !== undefined) {
    const v = store.datasets.getVersion(params.datasetVersionId);
    return { path: store.objects.objectPath(v.sha256), options: v.csvOptions, label: `${v.datasetName}@${v.tag}`, datasetVersionId: v.id };
  }
  const file = path.resolve(params.file!);
  const label = path.basename(file);
  try {
    if (fs.statSync(file).isDirectory()) throw new AppError('bad_input', `Cannot score ${file}: it is a folder, not a CSV file.`);
    return { path: file, options: csvOptionsFromSniff(sniffCsvFile(file)), label, datasetVersionId: null };
  } catch (err) {
    throw scoringInputError(err, label);
  }
}

/** `churn v3 (churn/Production)`: the version, and how it was chosen when not by number. */
export function versionLabel(v: Pick<ModelVersion, 'name' | 'version'>, params: Pick<ScoreBatchParams, 'name' | 'selector'>): string {
  const base = `${v.name} v${v.version}`;
  return params.selector.kind === 'version' ? base : `${base} (${formatModelReference(params.name, params.selector)})`;
}

export const scoreBatchJob: JobKind<ScoreBatchParams, ScoreBatchResult> = {
  kind: 'score-batch',
  title: (p) =>
    `Score ${p.datasetVersionId !== undefined ? `dataset version ${p.datasetVersionId}` : path.basename(p.file ?? '')} with ${formatModelReference(p.name, p.selector)}`,
  async execute(ctx, params) {
    const started = performance.now();
    const { store } = ctx.app;
    const version = store.registry.resolveVersion(params.name, params.selector);
    const modelLabel = versionLabel(version, params);
    const modelPath = store.objects.objectPath(version.modelSha256);
    if (!fs.existsSync(modelPath)) throw new AppError('not_found', `The model file of ${modelLabel} is missing from the workspace.`);
    const input = scoringInput(store, params);
    const out = params.out === undefined ? null : path.resolve(params.out);
    if (out !== null) {
      if (out === input.path) throw new AppError('bad_input', `${out} is the file being scored; write the scored CSV to another file.`);
      if (fs.existsSync(out)) throw new AppError('conflict', `${out} already exists; choose another file name.`);
    }

    const temp = store.objects.createTempPath('.csv');
    const task = { modelPath, modelLabel, input: { path: input.path, options: input.options, label: input.label }, outPath: temp };
    const workers = Math.max(1, Math.min(ctx.app.pool.size, Math.floor(fs.statSync(input.path).size / PARALLEL_BYTES_PER_WORKER)));
    let res: Scored;
    try {
      res =
        workers === 1
          ? await ctx.runTask<ScoreBatchTaskResult>('score-batch', task satisfies ScoreBatchTaskParams, ctx.progress)
          : await scoreInParts(ctx, task, workers);
      if (ctx.signal.aborted) throw new AppError('job_cancelled', 'Cancelled.');
    } catch (err) {
      fs.rmSync(temp, { force: true });
      throw err;
    }

    store.objects.adoptTempFile(temp, res.sha256);
    const dropObject = () => {
      if (!store.tracking.isObjectReferenced(res.sha256)) store.objects.removeObject(res.sha256);
    };
    if (out !== null) {
      try {
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.copyFileSync(store.objects.objectPath(res.sha256), out, fs.constants.COPYFILE_EXCL);
        // Objects are read-only; the copy belongs to the user.
        fs.chmodSync(out, 0o644);
      } catch (err) {
        dropObject();
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EEXIST') throw new AppError('conflict', `${out} already exists; choose another file name.`);
        throw toInputError(err);
      }
    }
    let predictionSet: PredictionSet;
    try {
      predictionSet = store.scoring.insertSet({
        model: version.name,
        version: version.version,
        sourceLabel: input.label,
        datasetVersionId: input.datasetVersionId,
        rows: res.rows,
        sha256: res.sha256,
        bytes: res.bytes,
        jobId: ctx.jobId,
        summary: res.summary,
      });
    } catch (err) {
      dropObject();
      throw err;
    }
    ctx.app.events.emit('changed', { topic: 'serving' });
    return { predictionSet, columns: res.columns, task: res.task, out, durationMs: performance.now() - started };
  },
};
