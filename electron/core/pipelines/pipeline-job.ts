/**
 * The `pipeline-run` job: the chapter's AutoTrainingPipeline, one step after
 * another — import → validate → train → evaluate → gate → register → promote
 * — each recorded with its status, times, log lines and what it produced.
 * Steps reuse the job kinds the pages use (import, validation, train), run
 * in this job's context so cancel and progress work as for any job. A retry
 * runs the same run again from its first step that did not succeed, reading
 * what the earlier steps produced from their stored detail.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import {
  PIPELINE_LIMITS,
  PIPELINE_STEPS,
  type PipelineDefinition,
  type PipelineRun,
  type PipelineRunOutcome,
  type PipelineStepDetail,
  type PipelineStepName,
} from '../../../shared/pipelines';
import { bestRun, defaultBetter, type ComparedRun } from '../../../shared/run-comparison';
import type { DatasetVersion } from '../../../shared/contracts/datasets';
import { csvOptionsFromSniff, sniffCsvFile } from '../datasets/sniff-csv';
import { importDatasetJob, validateVersionJob } from '../datasets/dataset-jobs';
import type { JobContext, JobKind } from '../jobs/job-kind';
import type { Actor } from '../registry/actor';
import { beatProductionCheck, evaluateGates, headlineMetric } from '../registry/gates';
import { registerModel, transitionVersion, type RegistryEnv } from '../registry/registry-service';
import type { Store } from '../store';
import { trainJob } from '../training/training-job';
import { sourceFromVersion, trainSpecOf } from '../training/training-source';
import { notifyPipeline } from './pipeline-service';

/** A step's outcome: `stop` ends the run with that status and reason (later steps are skipped). */
type StepOutcome = {
  detail?: PipelineStepDetail;
  /** The step had nothing to do (no suite, promotion off). */
  skipped?: boolean;
  stop?: { status: 'refused' | 'succeeded'; reason: string };
};

/** Thrown by a step to fail the run with a sentence for the user. */
class StepFailure extends Error {}

interface RunState {
  ctx: JobContext;
  store: Store;
  run: PipelineRun;
  def: PipelineDefinition;
  who: Actor;
  env: RegistryEnv;
  /** What the steps produced so far (merged details). */
  done: PipelineStepDetail;
  log(step: PipelineStepName, text: string): void;
  /** Progress within the current step (0–1). */
  progress(step: PipelineStepName, share: number, message?: string): void;
}

const MODEL_ARTIFACT = 'model/model.json';

export const pipelineRunJob: JobKind<{ runId: number; pipeline: string }, PipelineRunOutcome> = {
  kind: 'pipeline-run',
  title: (p) => `Pipeline ${p.pipeline} (run ${p.runId})`,
  async execute(ctx, { runId }) {
    const store = ctx.app.store;
    const run = store.pipelines.getRun(runId);
    const def = store.pipelines.definitionOf(run.pipelineId, run.pipelineVersion);
    const who: Actor = { actor: `pipeline ${def.name}`, via: run.owner.split('@')[0] };
    const env: RegistryEnv = { store, events: ctx.app.events, runTask: <R>(name: string, params: unknown) => ctx.runTask<R>(name, params) };
    const changed = () => ctx.app.events.emit('changed', { topic: 'pipelines' });
    const state: RunState = {
      ctx,
      store,
      run,
      def,
      who,
      env,
      done: Object.assign({}, ...run.steps.filter((s) => s.status === 'succeeded').map((s) => s.detail)),
      log(step, text) {
        store.pipelines.appendLog(runId, step, { at: Date.now(), text });
        changed();
      },
      progress(step, share, message) {
        const i = PIPELINE_STEPS.indexOf(step);
        ctx.progress(Math.round((1000 * (i + Math.min(1, Math.max(0, share)))) / PIPELINE_STEPS.length), 1000, message ?? step);
      },
    };
    const heartbeat = setInterval(() => store.pipelines.heartbeat(runId, Date.now()), PIPELINE_LIMITS.heartbeatMs);
    heartbeat.unref();
    let final: PipelineRun;
    try {
      final = await runSteps(state);
    } catch (err) {
      const cancelled = ctx.signal.aborted || (err instanceof AppError && err.code === 'job_cancelled');
      final = store.pipelines.finishRun(
        runId,
        cancelled ? 'cancelled' : 'failed',
        cancelled ? 'Cancelled.' : (err as Error).message,
        Date.now(),
      );
      if (!cancelled)
        notifyPipeline(ctx.app, { pipeline: def.name, runId, kind: 'failed', message: `Run ${runId} failed: ${final.reason}` });
      if (cancelled) throw err;
    } finally {
      clearInterval(heartbeat);
      changed();
    }
    return {
      run: final,
      registered: final.modelVersion !== null && final.steps.find((s) => s.name === 'register')?.status === 'succeeded',
    };
  },
};

async function runSteps(s: RunState): Promise<PipelineRun> {
  const { store, run } = s;
  for (const step of PIPELINE_STEPS) {
    const current = store.pipelines.getRun(run.id).steps.find((x) => x.name === step)!;
    if (current.status === 'succeeded' || current.status === 'skipped') continue;
    if (s.ctx.signal.aborted) throw new AppError('job_cancelled', 'Cancelled.');
    store.pipelines.updateStep(run.id, step, { status: 'running', startedAt: Date.now(), finishedAt: null });
    s.progress(step, 0);
    let outcome: StepOutcome;
    try {
      outcome = await STEPS[step](s);
    } catch (err) {
      if (err instanceof AppError && err.code === 'job_cancelled') throw err;
      if (s.ctx.signal.aborted) throw new AppError('job_cancelled', 'Cancelled.');
      const message = err instanceof StepFailure || err instanceof AppError ? err.message : `Unexpected error: ${(err as Error).message}`;
      s.log(step, message);
      store.pipelines.updateStep(run.id, step, { status: 'failed', finishedAt: Date.now() });
      throw new Error(`${step}: ${message}`);
    }
    if (outcome.detail) Object.assign(s.done, outcome.detail);
    store.pipelines.updateStep(run.id, step, {
      status: outcome.skipped ? 'skipped' : 'succeeded',
      finishedAt: Date.now(),
      detail: outcome.detail,
    });
    if (outcome.stop) {
      const status = outcome.stop.status;
      const final = store.pipelines.finishRun(run.id, status, outcome.stop.reason, Date.now());
      if (status === 'refused')
        notifyPipeline(s.ctx.app, {
          pipeline: s.def.name,
          runId: run.id,
          kind: 'refused',
          message: `Run ${run.id}: ${outcome.stop.reason}`,
        });
      return final;
    }
  }
  return store.pipelines.finishRun(run.id, 'succeeded', null, Date.now());
}

function newestVersion(store: Store, dataset: string): DatasetVersion | null {
  const d = store.datasets.listDatasets().find((x) => x.name === dataset);
  const id = d?.versions[0]?.id;
  return id === undefined ? null : store.datasets.getVersion(id);
}

const STEPS: Record<PipelineStepName, (s: RunState) => Promise<StepOutcome>> = {
  /** The newest version of the dataset, or the watched file imported as one (when its bytes are new). */
  async import(s) {
    const { def, store } = s;
    if (def.source.kind === 'dataset') {
      const v = newestVersion(store, def.source.dataset);
      if (!v)
        throw new StepFailure(
          `Dataset "${def.source.dataset}" does not exist any more (deleted or renamed); edit the pipeline's data source.`,
        );
      s.log('import', `Using ${v.datasetName}@${v.tag} (${v.rows.toLocaleString('en')} rows, newest version).`);
      store.pipelines.setRunLinks(s.run.id, { datasetVersionId: v.id });
      return { detail: { datasetVersionId: v.id, datasetLabel: `${v.datasetName}@${v.tag}`, imported: false } };
    }
    const file = path.resolve(def.source.path);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile())
      throw new StepFailure(`The watched file ${file} does not exist (moved or deleted?).`);
    let options;
    try {
      options = csvOptionsFromSniff(sniffCsvFile(file));
    } catch (err) {
      throw new StepFailure(`The watched file ${file} could not be read as CSV: ${(err as Error).message}`);
    }
    const tag = `pipeline-${s.run.id}`;
    const result = await importDatasetJob.execute(
      { ...s.ctx, progress: (d, t) => s.progress('import', t ? d / t : 0, 'import') },
      { path: file, name: def.source.dataset, tag, sourceName: path.basename(file), options },
    );
    s.log('import', result.message);
    store.pipelines.setRunLinks(s.run.id, { datasetVersionId: result.versionId });
    return {
      detail: { datasetVersionId: result.versionId, datasetLabel: `${result.name}@${result.tag}`, imported: result.reused !== 'version' },
    };
  },

  /** The suite must pass: a failure stops the run before training and names the rules. */
  async validate(s) {
    const { def, store } = s;
    if (!def.validationSuite) {
      s.log('validate', 'No validation suite: skipped.');
      return { skipped: true };
    }
    const version = store.datasets.getVersion(s.done.datasetVersionId!);
    const suite = store.datasets.findSuiteByName(version.datasetId, def.validationSuite);
    if (!suite)
      throw new StepFailure(`Validation suite "${def.validationSuite}" of dataset "${version.datasetName}" does not exist (deleted?).`);
    const record = await validateVersionJob.execute(s.ctx, { suiteId: suite.id, versionId: version.id });
    const failed = record.result.results.filter((r) => !r.passed);
    for (const r of record.result.results) s.log('validate', `${r.passed ? '✓' : '✗'} ${r.message}`);
    if (!record.passed) {
      const reason = `Validation failed (${failed.length} of ${record.result.results.length} rules): ${failed.map((r) => r.message).join('; ')}`;
      throw new StepFailure(reason);
    }
    return { detail: { validationResultId: record.id } };
  },

  /** One run per candidate model, in the pipeline's experiment, one after the other. */
  async train(s) {
    const { def, store } = s;
    const version = store.datasets.getVersion(s.done.datasetVersionId!);
    const experimentId = pipelineExperiment(store, def.name);
    const runIds: string[] = [];
    const comparison = def.models.length > 1 ? `pipeline-${s.run.id}` : undefined;
    for (const [i, model] of def.models.entries()) {
      let spec;
      try {
        spec = trainSpecOf(
          store,
          { ...def.training, ...model } as never,
          sourceFromVersion(store, version),
          version,
          def.recipe ?? undefined,
        );
      } catch (err) {
        throw new StepFailure(`${model.algorithm}: ${(err as Error).message}`);
      }
      s.log('train', `Training ${model.algorithm} (${i + 1} of ${def.models.length}) on ${version.datasetName}@${version.tag}…`);
      const result = await trainJob.execute(
        { ...s.ctx, progress: (d, t) => s.progress('train', (i + (t ? d / t : 0)) / def.models.length, `${model.algorithm}`) },
        {
          ...spec,
          run: {
            experimentId,
            name: `${def.name} #${s.run.id} · ${model.algorithm}`,
            source: 'pipeline',
            comparison,
            sharedJob: true,
            tags: [
              { key: 'mlwb.pipeline', value: def.name },
              { key: 'mlwb.pipeline.run', value: String(s.run.id) },
            ],
          },
        },
      );
      runIds.push(result.runId);
      s.log('train', `${model.algorithm}: run ${result.runId} finished in ${(result.durationMs / 1000).toFixed(1)} s.`);
    }
    return { detail: { runIds } };
  },

  /** The best candidate by the chosen metric (the task's headline by default). */
  async evaluate(s) {
    const { def, store } = s;
    const runs = s.done.runIds!.map((id) => store.tracking.getRun(id));
    const task = runs[0].tags['mlwb.task'];
    const metric = def.selectBy.metric ?? headlineMetric(task === 'regression' ? 'regression' : 'classification');
    const better = def.selectBy.better ?? defaultBetter(metric);
    const compared: ComparedRun[] = runs.map((r) => ({
      runId: r.info.runId,
      name: r.info.name,
      params: r.params,
      tags: r.tags,
      metrics: Object.fromEntries(r.metrics.map((m) => [m.key, m.value])),
    }));
    for (const r of compared) s.log('evaluate', `${r.name}: ${metric} = ${formatValue(r.metrics[metric])}`);
    const best = bestRun(compared, metric, better);
    if (!best) throw new StepFailure(`No candidate has the metric "${metric}" to choose by.`);
    s.log('evaluate', `Best by ${metric} (${better} is better): ${best.run.name} (${formatValue(best.value)}).`);
    return { detail: { bestRunId: best.run.runId, metric, metricValue: best.value } };
  },

  /** The registration gates (the chapter's should_register_model); a refusal stops the run and says which check and by how much. */
  async gate(s) {
    const { def, store } = s;
    const runId = s.done.bestRunId!;
    const sha = store.tracking.listArtifacts(runId).find((a) => a.path === MODEL_ARTIFACT)?.sha256;
    if (!sha) throw new StepFailure(`Run ${runId} has no model artifact.`);
    const report = await evaluateGates(s.env, store.tracking.getRun(runId), def.gates, def.model, sha);
    for (const c of report.checks) s.log('gate', `${c.passed ? '✓' : '✗'} ${c.message}`);
    if (!report.checks.length) s.log('gate', 'No gates: every model is registered.');
    if (!report.passed) {
      const failed = report.checks.filter((c) => !c.passed).map((c) => c.message);
      // Audited as the registry audits any refusal.
      store.registry.appendAudit({
        ...s.who,
        action: 'gate-refused',
        model: def.model,
        comment: failed.join('; '),
        detail: { runId, gates: report },
      });
      s.ctx.app.events.emit('changed', { topic: 'registry' });
      return { detail: { gates: report }, stop: { status: 'refused', reason: `Gate refused the model: ${failed.join('; ')}` } };
    }
    return { detail: { gates: report } };
  },

  async register(s) {
    const { def, store } = s;
    const result = await registerModel(s.env, s.who, {
      runId: s.done.bestRunId!,
      name: def.model,
      description: `Registered by pipeline "${def.name}" (run ${s.run.id}, definition v${s.run.pipelineVersion}).`,
      gates: def.gates,
      checked: s.done.gates,
    });
    if (!result.registered || !result.version) throw new StepFailure('The registry refused the model.');
    const v = result.version;
    s.log('register', `Registered as ${def.model} v${v.version}.`);
    store.pipelines.setRunLinks(s.run.id, { modelVersion: v.version });
    let stage = 'None';
    if (def.stage === 'Staging') {
      await transitionVersion(s.env, s.who, {
        name: def.model,
        version: v.version,
        stage: 'Staging',
        comment: `Pipeline "${def.name}" run ${s.run.id}: passed its gates.`,
      });
      stage = 'Staging';
      s.log('register', `Moved v${v.version} to Staging.`);
      notifyPipeline(s.ctx.app, {
        pipeline: def.name,
        runId: s.run.id,
        kind: 'staging',
        message: `${def.model} v${v.version} reached Staging (run ${s.run.id}).`,
      });
    }
    return { detail: { modelVersion: v.version, stage } };
  },

  /** Only with the user's rule: into Production when it beats Production on the same test rows (or there is none). */
  async promote(s) {
    const { def, store } = s;
    if (!def.promotion.toProduction) {
      s.log('promote', 'Automatic promotion is off: a person promotes to Production.');
      return { skipped: true };
    }
    const version = store.registry.getVersion(def.model, s.done.modelVersion!);
    const check = await beatProductionCheck(
      s.env,
      store.tracking.getRun(version.runId),
      { metric: def.gates.metric },
      def.model,
      version.modelSha256,
    );
    s.log('promote', `${check.passed ? '✓' : '✗'} ${check.message}`);
    if (!check.passed) return { detail: { promoted: false }, stop: { status: 'succeeded', reason: `Not promoted: ${check.message}.` } };
    const previous = store.registry.findModel(def.model)?.production ?? [];
    const result = await transitionVersion(s.env, s.who, {
      name: def.model,
      version: version.version,
      stage: 'Production',
      comment: `Pipeline "${def.name}" run ${s.run.id}: ${check.message}.`,
    });
    if ('request' in result && result.request) {
      s.log('promote', `The model requires approval: request ${result.request.id} is waiting for an approver.`);
      return { detail: { promoted: false } };
    }
    s.log('promote', `v${version.version} is now in Production${previous.length ? ` (v${previous.join(', v')} archived)` : ''}.`);
    notifyPipeline(s.ctx.app, {
      pipeline: def.name,
      runId: s.run.id,
      kind: 'promoted',
      message: `${def.model} v${version.version} was promoted to Production by the pipeline (run ${s.run.id}).`,
    });
    return { detail: { promoted: true, stage: 'Production' } };
  },
};

function formatValue(v: unknown): string {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : String(v ?? '—');
}

/** The experiment a pipeline's runs go to ("Pipeline NAME"), created on the first run. */
function pipelineExperiment(store: Store, name: string): number {
  const title = `Pipeline ${name}`;
  const existing = store.tracking.findExperimentByName(title);
  if (existing) {
    if (existing.lifecycleStage === 'deleted') store.tracking.restoreExperiment(existing.id);
    return existing.id;
  }
  return store.tracking.createExperiment({ name: title, description: `Runs trained by pipeline "${name}".` }).id;
}
