/**
 * `mlwb mlflow import DIR` / the MLflow page's "Import from MLflow": reads an
 * mlruns folder (reader.ts) and writes its experiments, runs and registry into
 * the workspace.
 *
 * Where the work runs: in main, chunked — one run at a time (its files read
 * with async fs, its lines parsed, then one store transaction), yielding to
 * the event loop between runs. Not a worker task: the store writes must happen
 * in main anyway, and shipping millions of parsed points over the worker pipe
 * would cost more than parsing them (a run of 50 metrics × 100 steps parses in
 * about a millisecond), so main is never held for more than one run.
 *
 * Rules: a run is imported whole or not at all (one transaction; its artifact
 * objects are removed again if the transaction fails); a run id already in the
 * workspace is skipped; an experiment whose name exists receives the runs;
 * a model version is registered through the registry service (audited, via
 * "mlflow-import") only when its run carries a workbench model.
 */
import fs from 'node:fs';
import { AppError } from '../../../../shared/errors';
import {
  emptyCounts,
  MLFLOW_FILES_SKIPPED_CAP,
  type MlflowFilesReport,
  type MlflowImportRequest,
  type MlflowSkipped,
} from '../../../../shared/mlflow-files';
import { MODEL_STAGES, type ModelStage } from '../../../../shared/registry';
import type { Experiment } from '../../../../shared/tracking';
import type { JobContext, JobKind } from '../../jobs/job-kind';
import type { Actor } from '../../registry/actor';
import * as registry from '../../registry/registry-service';
import type { Store } from '../../store';
import { currentUser } from '../../tracking/record-run';
import { mediaTypeOf } from '../artifacts';
import { ItemError, openMlrunsStore, type ExperimentEntry, type MlrunsReader, type ParsedModel, type ParsedRun } from './reader';

const MODEL_ARTIFACT = 'model/model.json';
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

class Report {
  readonly counts = emptyCounts();
  readonly skipped: MlflowSkipped[] = [];
  skippedCount = 0;
  skip(s: MlflowSkipped) {
    this.skippedCount++;
    if (this.skipped.length < MLFLOW_FILES_SKIPPED_CAP) this.skipped.push(s);
  }
  done(direction: 'import' | 'export', dir: string, started: number): MlflowFilesReport {
    return { direction, dir, counts: this.counts, skipped: this.skipped, skippedCount: this.skippedCount, elapsedMs: Date.now() - started };
  }
}

function cancelled(ctx: JobContext): void {
  if (ctx.signal.aborted) throw new AppError('job_cancelled', 'Cancelled.');
}

/** The local experiment for an MLflow one: the one of the same name, or a new one (kept as MLflow had it). */
function localExperiment(store: Store, e: ExperimentEntry, report: Report, created: Map<string, Experiment>): Experiment {
  const existing = store.tracking.findExperimentByName(e.name);
  if (existing) return existing;
  const description = e.tags.find((t) => t.key === 'mlflow.note.content')?.value ?? '';
  const exp = store.tracking.createExperiment({
    name: e.name,
    description,
    tags: e.tags.filter((t) => t.key !== 'mlflow.note.content'),
    createdAt: e.creationTime ?? undefined,
  });
  report.counts.experiment++;
  created.set(e.folder, exp);
  return exp;
}

/** Writes one parsed run in one transaction; the objects its artifacts added are removed if it fails. */
async function writeRun(store: Store, experimentId: number, run: ParsedRun): Promise<void> {
  const added: string[] = [];
  const entries: { path: string; sha256: string; size: number }[] = [];
  try {
    for (const a of run.artifacts) {
      const o = await store.objects.writeObjectStream(fs.createReadStream(a.absPath));
      if (o.created) added.push(o.sha256);
      entries.push({ path: a.relPath, sha256: o.sha256, size: o.size });
    }
    store.transaction(() => {
      store.tracking.createRun({
        id: run.runId,
        experimentId,
        name: run.name,
        userId: run.userId,
        source: 'mlflow-import',
        status: run.status,
        startTime: run.startTime,
        endTime: run.endTime,
      });
      store.tracking.logBatch(run.runId, { params: run.params, tags: run.tags, metrics: run.metrics });
      if (run.inputs.length) store.tracking.logRunInputs(run.runId, run.inputs);
      for (const e of entries) store.tracking.addArtifact(run.runId, { ...e, mediaType: mediaTypeOf(e.path) });
      if (run.lifecycleStage === 'deleted') store.tracking.deleteRun(run.runId);
    });
  } catch (err) {
    for (const h of added) if (!store.tracking.isObjectReferenced(h)) store.objects.removeObject(h);
    throw err;
  }
}

/** Registers the versions of one MLflow model whose runs carry a workbench model, with their stage, tags, description and aliases. */
async function importModel(ctx: JobContext, m: ParsedModel, report: Report): Promise<void> {
  const { store } = ctx.app;
  const env: registry.RegistryEnv = { store, events: ctx.app.events, runTask: (name, params) => ctx.runTask(name, params) };
  for (const s of m.skipped) report.skip(s);
  const modelExisted = Boolean(store.registry.findModel(m.name));
  const localOf = new Map<number, number>();
  for (const v of m.versions) {
    cancelled(ctx);
    const item = `${m.name} v${v.version}`;
    const who: Actor = { actor: v.userId || currentUser() || 'unknown', via: 'mlflow-import' };
    const skip = (reason: string) => report.skip({ kind: 'version', item, file: `${v.folder}/meta.yaml`, reason });
    let info;
    try {
      info = store.tracking.getRunInfo(v.runId);
    } catch {
      skip(`its run ${v.runId || '(none)'} is not in the workspace (nor in this folder)`);
      continue;
    }
    const same = store.registry.findModel(m.name) ? store.registry.versionsOfRun(v.runId).find((x) => x.name === m.name) : undefined;
    if (same) {
      localOf.set(v.version, same.version);
      skip(`already in the workspace (version ${same.version} of "${m.name}" is from the same run)`);
      continue;
    }
    if (!store.tracking.listArtifacts(v.runId).some((a) => a.path === MODEL_ARTIFACT)) {
      skip(
        `run "${info.name}" has no workbench model (${MODEL_ARTIFACT}); an MLflow (pickled) model cannot be registered — the workbench scores only its own model format`,
      );
      continue;
    }
    let local;
    try {
      const result = await registry.registerModel(env, who, { runId: v.runId, name: m.name, description: v.description });
      if (!result.version) throw new Error('refused by the model’s gates');
      local = result.version;
    } catch (err) {
      skip((err as Error).message);
      continue;
    }
    localOf.set(v.version, local.version);
    report.counts.version++;
    if (!modelExisted && report.counts.version > 0 && local.version === 1) {
      if (m.description)
        registry.audited(env, () => store.registry.updateModel(m.name, { description: m.description }), {
          ...who,
          action: 'update',
          model: m.name,
          to: 'description',
        });
      for (const t of m.tags)
        registry.audited(env, () => store.registry.setModelTag(m.name, t.key, t.value), {
          ...who,
          action: 'tag-set',
          model: m.name,
          to: `${t.key}=${t.value}`,
        });
      report.counts.model++;
    }
    for (const t of v.tags)
      registry.audited(env, () => store.registry.setVersionTag(m.name, local.version, t.key, t.value), {
        ...who,
        action: 'tag-set',
        model: m.name,
        version: local.version,
        to: `${t.key}=${t.value}`,
      });
    if (v.stage !== 'None') {
      if (!(MODEL_STAGES as readonly string[]).includes(v.stage)) skip(`unknown stage "${v.stage}" (left in None)`);
      else if (v.stage === 'Production' && store.registry.getModel(m.name).requireApproval)
        skip(`registered in None, not Production: "${m.name}" needs an approved request to enter Production (Registry page)`);
      else {
        const stage = v.stage as ModelStage;
        // keepExisting: MLflow allows several versions in Production; the import keeps them as they were, with no approval step.
        registry.audited(env, () => store.registry.setStage(m.name, local.version, stage, { keepExisting: true }), {
          ...who,
          action: 'transition',
          model: m.name,
          version: local.version,
          from: 'None',
          to: stage,
          comment: 'imported from an MLflow file store',
        });
      }
    }
  }
  for (const a of m.aliases) {
    const local = localOf.get(a.version);
    if (local === undefined) {
      report.skip({
        kind: 'alias',
        item: `${m.name}@${a.alias}`,
        file: `${m.folder}/aliases/${a.alias}`,
        reason: `version ${a.version} was not imported`,
      });
      continue;
    }
    if (store.registry.getModel(m.name).aliases[a.alias] === local) continue;
    registry.setAlias(env, { actor: currentUser() || 'unknown', via: 'mlflow-import' }, m.name, a.alias, local);
    report.counts.alias++;
  }
}

/** Checks the folder before a job starts (the UI and CLI show the refusal at once). */
export async function checkImportFolder(dir: string): Promise<MlrunsReader> {
  try {
    return await openMlrunsStore(dir);
  } catch (err) {
    throw new AppError('bad_input', (err as Error).message);
  }
}

export async function runMlrunsImport(ctx: JobContext, params: MlflowImportRequest): Promise<MlflowFilesReport> {
  const started = Date.now();
  const { store } = ctx.app;
  const reader = await checkImportFolder(params.dir);
  const report = new Report();
  const experiments: { entry: ExperimentEntry; runs: string[] }[] = [];
  for (const folder of await reader.experimentFolders()) {
    try {
      const entry = await reader.readExperiment(folder);
      experiments.push({ entry, runs: await reader.runFolders(folder) });
    } catch (err) {
      if (!(err instanceof ItemError)) throw err;
      const runs = (await reader.runFolders(folder)).length;
      report.skip({
        kind: 'experiment',
        item: folder,
        file: err.file,
        reason: `${err.message}${runs ? ` (its ${runs} run folder(s) not read)` : ''}`,
      });
    }
  }
  const { models, skipped: modelSkips } = await reader.readModels();
  for (const s of modelSkips) report.skip(s);
  const total = experiments.reduce((n, e) => n + e.runs.length, 0) + models.reduce((n, m) => n + m.versions.length, 0);
  let done = 0;
  ctx.progress(0, total, `Reading ${reader.root}`);
  const created = new Map<string, Experiment>();
  // The Experiments page follows the import: a `changed` event at most once a second while runs arrive.
  let announced = Date.now();
  const announce = (force = false) => {
    if (!force && Date.now() - announced < 1000) return;
    announced = Date.now();
    ctx.app.events.emit('changed', { topic: 'tracking' });
  };
  try {
    for (const { entry, runs } of experiments) {
      cancelled(ctx);
      let exp: Experiment;
      try {
        exp = localExperiment(store, entry, report, created);
      } catch (err) {
        report.skip({ kind: 'experiment', item: entry.name, file: `${entry.folder}/meta.yaml`, reason: (err as Error).message });
        done += runs.length;
        continue;
      }
      for (const folder of runs) {
        cancelled(ctx);
        const runId = folder.slice(folder.lastIndexOf('/') + 1);
        try {
          if (/^[0-9a-f]{32}$/.test(runId) && existsRun(store, runId)) {
            report.skip({ kind: 'run', item: runId, file: folder, reason: 'already in the workspace' });
          } else if (exp.lifecycleStage === 'deleted') {
            report.skip({
              kind: 'run',
              item: runId,
              file: folder,
              reason: `the workspace's experiment "${exp.name}" is in the trash; restore it to import this run`,
            });
          } else {
            const run = await reader.readRun(entry, folder);
            cancelled(ctx);
            await writeRun(store, exp.id, run);
            report.counts.run++;
            report.counts.metric += run.metrics.length;
            report.counts.param += run.params.length;
            report.counts.tag += run.tags.length;
            report.counts.input += run.inputs.length;
            report.counts.artifact += run.artifacts.length;
            for (const s of run.skipped) report.skip(s);
          }
        } catch (err) {
          if (err instanceof AppError && err.code === 'job_cancelled') throw err;
          const file = err instanceof ItemError ? err.file : folder;
          report.skip({ kind: 'run', item: runId, file, reason: (err as Error).message });
        }
        done++;
        ctx.progress(done, total, `${entry.name}: ${report.counts.run} run(s) imported`);
        announce();
        await yieldToLoop();
      }
    }
    // Experiments that were in MLflow's trash go to the workspace's trash once their runs are in.
    for (const { entry } of experiments) {
      const exp = created.get(entry.folder);
      if (!exp || entry.lifecycleStage !== 'deleted') continue;
      try {
        store.tracking.deleteExperiment(exp.id);
      } catch (err) {
        report.skip({
          kind: 'experiment',
          item: entry.name,
          file: `${entry.folder}/meta.yaml`,
          reason: `imported, but left active: ${(err as Error).message}`,
        });
      }
    }
  } finally {
    // Also when cancelled: the runs already written are there to see.
    if (report.counts.run > 0 || created.size > 0) announce(true);
  }
  for (const m of models) {
    cancelled(ctx);
    await importModel(ctx, m, report);
    done += m.versions.length;
    ctx.progress(done, total, `Registry: ${report.counts.version} version(s) imported`);
  }
  return report.done('import', reader.root, started);
}

function existsRun(store: Store, runId: string): boolean {
  try {
    store.tracking.getRunInfo(runId);
    return true;
  } catch {
    return false;
  }
}

export const mlrunsImportJob: JobKind<MlflowImportRequest, MlflowFilesReport> = {
  kind: 'mlflow-import',
  title: (p) => `Import MLflow runs from ${p.dir}`,
  execute: runMlrunsImport,
};

export { Report };
