import crypto from 'node:crypto';
import fs from 'node:fs';
import type { z } from 'zod';
import type { launchRunsSchema, trackingChannels } from '../../../shared/contracts/tracking';
import { AppError } from '../../../shared/errors';
import { checkLaunch, type LaunchDraft } from '../../../shared/launch-checks';
import { SYSTEM_TAGS, type RunDetail } from '../../../shared/tracking';
import type { AppContext } from '../app-context';
import { actorOf } from '../registry/actor';
import { reproduceJob, reproducibleSpec } from '../tracking/reproduce-job';
import { trainJob } from '../training/training-job';
import { sourceFromVersion, trainSpecOf } from '../training/training-source';
import type { HandlersFor } from './handler-types';
import { trainableVersionOf } from './training-handlers';

const TEXT_TYPES = /^(application\/json|text\/)/;

type ParsedLaunch = z.output<typeof launchRunsSchema>['runs'];

/** A parsed launch as the wizard's draft (features omitted: the checks only need the target out of them). */
function launchDraftOf(runs: ParsedLaunch): LaunchDraft {
  const r = runs[0].request;
  return {
    versionId: r.versionId,
    target: r.target,
    task: r.task,
    features: r.features ?? ['*'],
    // The recipe is checked against the target when its spec is built (trainSpecOf).
    recipe: null,
    testSize: r.testSize,
    stratify: r.stratify,
    cvFolds: r.cvFolds,
    seed: r.seed,
    models: runs.map((x) => ({ algorithm: x.request.algorithm, params: x.request.params as Record<string, unknown>, runName: x.runName })),
  };
}

/** Handlers of experiments, runs, saved views, launch and reproduction. */
export function createTrackingHandlers(ctx: AppContext): HandlersFor<keyof typeof trackingChannels> {
  const { store } = ctx;
  const changed = <T>(value: T): T => {
    ctx.events.emit('changed', { topic: 'tracking' });
    return value;
  };
  return {
    'experiments:list': ({ stage }) => store.tracking.listExperiments(stage),
    'experiments:create': ({ name, description }) => changed(store.tracking.createExperiment({ name, description })),
    'experiments:update': ({ id, name, description }) => changed(store.tracking.updateExperiment(id, { name, description })),
    'experiments:delete': ({ id }) => changed(store.tracking.deleteExperiment(id)),
    'experiments:restore': ({ id }) => changed(store.tracking.restoreExperiment(id)),
    'experiments:purge': ({ id }) => {
      const runsDeleted = store.tracking.countExperimentRuns(id);
      const hashes = store.tracking.purgeExperiment(id);
      // Objects no other run or dataset version points at go with it.
      for (const h of hashes) if (!store.tracking.isObjectReferenced(h)) store.objects.removeObject(h);
      return changed({ id, runsDeleted });
    },

    'runs:search': (req) => store.tracking.searchRuns(req),
    'runs:keys': ({ experimentIds }) => store.tracking.runKeys(experimentIds),
    'runs:get': ({ runId }) => {
      const run = store.tracking.getRun(runId);
      const versionId = run.info.datasetVersionId;
      let dataset: RunDetail['dataset'] = null;
      if (versionId !== null) {
        const v = store.datasets.getVersion(versionId);
        dataset = { versionId, label: `${v.datasetName}@${v.tag}`, sha256: v.sha256 };
      }
      let reproducible = true;
      try {
        reproducibleSpec(store, runId);
      } catch {
        reproducible = false;
      }
      return {
        ...run,
        experimentName: store.tracking.getExperiment(run.info.experimentId).name,
        seriesKeys: store.tracking.seriesKeys(runId),
        dataset,
        reproducible,
      };
    },
    'runs:metricHistory': ({ runIds, keys }) =>
      Object.fromEntries(runIds.map((id) => [id, Object.fromEntries(keys.map((k) => [k, store.tracking.metricHistory(id, k)]))])),
    'runs:artifact': async ({ runId, path }) => {
      const a = store.tracking.getArtifact(runId, path);
      const file = store.objects.objectPath(a.sha256);
      if (!fs.existsSync(file))
        throw new AppError('not_found', `The artifact "${path}" of run ${runId} (${a.sha256.slice(0, 12)}) is missing from the workspace.`);
      const bytes = await fs.promises.readFile(file);
      const name = path.split('/').pop() ?? path;
      const base = { name, path, sha256: a.sha256, mediaType: a.mediaType, size: a.size };
      return TEXT_TYPES.test(a.mediaType) ? { ...base, text: bytes.toString('utf8') } : { ...base, base64: bytes.toString('base64') };
    },
    'runs:rename': ({ runId, name }) => changed(store.tracking.updateRun(runId, { name })),
    'runs:setNote': ({ runId, note }) => {
      store.tracking.setTag(runId, SYSTEM_TAGS.note, note);
      return changed(store.tracking.getRunInfo(runId));
    },
    'runs:setTag': ({ runId, key, value }) => {
      store.tracking.setTag(runId, key, value);
      return changed(store.tracking.getRunInfo(runId));
    },
    'runs:deleteTag': ({ runId, key }) => {
      store.tracking.deleteTag(runId, key);
      return changed(store.tracking.getRunInfo(runId));
    },
    'runs:delete': ({ runId }) => changed(store.tracking.deleteRun(runId)),
    'runs:restore': ({ runId }) => changed(store.tracking.restoreRun(runId)),
    'runs:launch': ({ experimentId, runs, register }) => {
      const experiment = store.tracking.getExperiment(experimentId);
      if (experiment.lifecycleStage === 'deleted')
        throw new AppError('conflict', `Experiment "${experiment.name}" is in the trash; restore it before launching runs.`);
      // The wizard's checks again, on the stored profile (one-class target, k over the smallest class…).
      const first = runs[0]?.request;
      if (first) {
        const problems = checkLaunch(launchDraftOf(runs), trainableVersionOf(store.datasets.getVersion(first.versionId)));
        if (problems.length)
          throw new AppError(
            'bad_input',
            problems.map((p) => p.message).join(' '),
            problems.map((p) => ({ path: p.field.startsWith('models') ? p.field : `settings.${p.field}`, message: p.message })),
          );
      }
      // Every spec is built and checked before the first job starts: one bad model launches none.
      const specs = runs.map(({ request, runName }) => {
        const v = store.datasets.getVersion(request.versionId);
        return { spec: trainSpecOf(store, request, sourceFromVersion(store, v), v, request.recipeId), runName };
      });
      const comparison = specs.length > 1 ? crypto.randomUUID().replace(/-/g, '') : '';
      const jobs = specs.map(({ spec, runName }) =>
        ctx.jobs.start(trainJob, {
          ...spec,
          run: {
            experimentId,
            name: runName,
            source: 'app',
            comparison: comparison || undefined,
            register: register ? { ...register, ...actorOf(ctx) } : undefined,
          },
        }),
      );
      return changed({ comparison, jobs });
    },
    'runs:reproduce': ({ runId }) => {
      reproducibleSpec(store, runId);
      return ctx.jobs.start(reproduceJob, { runId });
    },

    'views:list': ({ experimentId }) => store.tracking.listViews(experimentId),
    'views:save': (view) => changed(store.tracking.saveView(view)),
    'views:delete': ({ id }) => {
      store.tracking.deleteView(id);
      return changed({ id });
    },
  };
}
