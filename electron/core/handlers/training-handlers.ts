import fs from 'node:fs';
import type { trainingChannels } from '../../../shared/contracts/training';
import { AppError } from '../../../shared/errors';
import type { JobRecord } from '../../../shared/jobs';
import type { DatasetVersion } from '../../../shared/contracts/datasets';
import type { ColumnProfile } from '../../../shared/datasets';
import {
  detectTask,
  type TrainableColumn,
  type TrainableVersion,
  type TrainingRequestSummary,
  type TrainingResult,
  type TrainingRun,
  type TrainingRunSummary,
} from '../../../shared/training';
import type { AppContext } from '../app-context';
import { trainJob, type TrainJobResult } from '../training/training-job';
import { sourceFromVersion, trainSpecOf } from '../training/training-source';
import type { TrainSpec } from '../training/training-spec';
import type { HandlersFor } from './handler-types';

function requestOf(spec: TrainSpec | undefined): TrainingRequestSummary | null {
  if (!spec || typeof spec !== 'object' || !spec.source) return null;
  return {
    source: spec.source.label,
    versionId: spec.source.versionId ?? null,
    dataSha256: spec.source.sha256 ?? null,
    target: spec.target,
    task: spec.task ?? null,
    algorithm: spec.algorithm,
    params: spec.params,
    features: spec.features ?? null,
    testSize: spec.testSize,
    stratify: spec.stratify !== false,
    cvFolds: spec.cvFolds,
    seed: spec.seed,
    recipe: spec.recipe ? { id: spec.recipe.id, name: spec.recipe.name } : null,
  };
}

/** Most classes whose counts `training:sources` gives (the profile counts integers per value up to a range of 40). */
const MAX_CLASS_COUNTS = 40;

/**
 * A column's rows per value from its profile, when the profile counted every value exactly:
 * the top values of a category, boolean or text column that has no more distinct values than
 * were listed, or the per-value histogram of an integer column (not a sampled one).
 */
export function classCountsOf(p: ColumnProfile): Pick<TrainableColumn, 'classCounts'> {
  if (p.distinct > MAX_CLASS_COUNTS || p.distinctCapped) return {};
  if (p.topValues && p.topValues.length === p.distinct)
    return { classCounts: p.topValues.map((t) => ({ value: t.value, count: t.count })) };
  if (p.type === 'integer' && p.histogram && !p.quantilesApproximate) {
    const single = p.histogram.length === 1 && p.histogram[0].lo === p.histogram[0].hi;
    if (!single && !p.histogram.every((b) => b.hi - b.lo === 1)) return {};
    const counts = p.histogram.filter((b) => b.count > 0).map((b) => ({ value: String(single ? b.lo : b.lo + 0.5), count: b.count }));
    return counts.length === p.distinct ? { classCounts: counts } : {};
  }
  return {};
}

/** A dataset version as `training:sources` lists it: its columns with the task each implies and, when exact, its rows per class. */
export function trainableVersionOf(v: DatasetVersion): TrainableVersion {
  const profiles = new Map(v.profile.columns.map((c) => [c.name, c]));
  return {
    versionId: v.id,
    datasetId: v.datasetId,
    datasetName: v.datasetName,
    tag: v.tag,
    label: `${v.datasetName}@${v.tag}`,
    rows: v.rows,
    sha256: v.sha256,
    createdAt: v.createdAt,
    columns: v.csvOptions.columns.map((c) => {
      const p = profiles.get(c.name);
      const distinct = p?.distinct ?? 0;
      return {
        name: c.name,
        type: c.type,
        distinct,
        missing: p?.missing ?? 0,
        detectedTask: detectTask({ type: c.type, distinct }),
        ...(p ? classCountsOf(p) : {}),
      };
    }),
  };
}

function trainJobRecord(ctx: AppContext, jobId: number): JobRecord {
  const job = ctx.store.jobs.getJob(jobId);
  if (job.kind !== trainJob.kind) throw new AppError('not_found', `Job ${jobId} is not a train job (it is "${job.kind}").`);
  return job;
}

/** Handlers of the training channels: sources, start, a run's result, recent runs, the model file. */
export function createTrainingHandlers(ctx: AppContext): HandlersFor<keyof typeof trainingChannels> {
  const { store } = ctx;
  return {
    'training:sources': () => {
      const out: TrainableVersion[] = [];
      for (const d of store.datasets.listDatasets()) {
        for (const summary of d.versions) {
          out.push(trainableVersionOf(store.datasets.getVersion(summary.id)));
        }
      }
      return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.versionId - a.versionId);
    },
    'training:start': (req) => {
      const v = store.datasets.getVersion(req.versionId);
      return ctx.jobs.start(trainJob, trainSpecOf(store, req, sourceFromVersion(store, v), v, req.recipeId));
    },
    'training:run': ({ jobId }) => {
      const job = trainJobRecord(ctx, jobId);
      const run: TrainingRun = {
        jobId: job.id,
        title: job.title,
        status: job.status,
        createdAt: job.createdAt,
        finishedAt: job.finishedAt,
        progressDone: job.progressDone,
        progressTotal: job.progressTotal,
        progressMessage: job.progressMessage,
        error: job.error,
        request: requestOf(store.jobs.getJobParams(job.id) as TrainSpec | undefined),
        result: job.status === 'succeeded' && job.result ? (job.result as TrainingResult) : null,
      };
      return run;
    },
    'training:recent': ({ limit }) => {
      const jobs = store.jobs.listJobs(limit, { kind: trainJob.kind, includeDismissed: true });
      return jobs.map((j): TrainingRunSummary => {
        const r = j.status === 'succeeded' ? (j.result as TrainJobResult | null) : null;
        const spec = r ? undefined : (store.jobs.getJobParams(j.id) as TrainSpec | undefined);
        const key = r?.task === 'regression' ? 'r2' : 'accuracy';
        const test = r?.test as Record<string, unknown> | undefined;
        return {
          jobId: j.id,
          title: j.title,
          status: j.status,
          createdAt: j.createdAt,
          finishedAt: j.finishedAt,
          error: j.error,
          source: r?.source ?? spec?.source?.label ?? null,
          target: r?.target ?? spec?.target ?? null,
          algorithm: r?.algorithm ?? spec?.algorithm ?? null,
          task: r?.task ?? spec?.task ?? null,
          testScore: typeof test?.[key] === 'number' ? (test[key] as number) : null,
          cvMean: r?.cv?.mean[key] ?? null,
          cvStd: r?.cv?.std[key] ?? null,
          durationMs: r?.durationMs ?? null,
        };
      });
    },
    'training:model': async ({ jobId }) => {
      const job = trainJobRecord(ctx, jobId);
      if (job.status !== 'succeeded' || !job.result)
        throw new AppError('not_found', `Train job ${jobId} has no model: it ${job.status === 'failed' ? 'failed' : `is ${job.status}`}.`);
      const r = job.result as TrainJobResult;
      const file = store.objects.objectPath(r.model.sha256);
      if (!fs.existsSync(file))
        throw new AppError('not_found', `The model of train job ${jobId} (${r.model.sha256.slice(0, 12)}) is missing from the workspace.`);
      const text = await fs.promises.readFile(file, 'utf8');
      const safe = `${r.algorithm}-${r.source}-${r.target}`.replace(/[^\w.@-]+/g, '_');
      return { name: `${safe}-${r.model.sha256.slice(0, 12)}.model.json`, text, sha256: r.model.sha256 };
    },
  };
}
