/**
 * `mlwb mlflow export DIR` / the MLflow page's "Export to an mlruns folder":
 * writes experiments, their runs (meta, params, tags, every metric point,
 * dataset inputs, artifact bytes from objects/) and the registry in MLflow's
 * file-store layout, so `mlflow ui --backend-store-uri DIR` opens them.
 * Into a new or empty folder only; artifact_location / artifact_uri / a
 * version's source are absolute `file://` URIs of that folder. A failed or
 * cancelled export removes what it wrote. Runs in main, one run at a time with
 * async writes (yielding between runs), as the import does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import YAML from 'yaml';
import { AppError } from '../../../../shared/errors';
import type { MlflowExportRequest, MlflowFilesReport } from '../../../../shared/mlflow-files';
import { fromWireNumber, type Experiment, type RunInfo } from '../../../../shared/tracking';
import type { JobContext, JobKind } from '../../jobs/job-kind';
import type { Store } from '../../store';
import { datasetId, fileUri, formatPythonFloat, inputId, MODELS_FOLDER, RUN_STATUS_CODES, TRASH_FOLDER, unsafeKeyPath } from './format';
import { Report } from './import-job';

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
/** As MLflow's write_yaml (yaml.safe_dump, block style, keys sorted). */
const yamlText = (doc: Record<string, unknown>) =>
  YAML.stringify(Object.fromEntries(Object.entries(doc).sort(([a], [b]) => (a < b ? -1 : 1))), { lineWidth: 0 });

/** Refuses a folder that exists and holds anything (an export never mixes with other files). Returns whether it exists. */
export function checkExportFolder(dir: string): boolean {
  const abs = path.resolve(dir);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    if (!fs.existsSync(path.dirname(abs)))
      throw new AppError('bad_input', `The folder ${path.dirname(abs)} does not exist; create it first or choose another place.`);
    return false;
  }
  if (!stat.isDirectory()) throw new AppError('bad_input', `${dir} is a file; choose a new or empty folder to export into.`);
  const entries = fs.readdirSync(abs);
  if (entries.length)
    throw new AppError(
      'bad_input',
      `${dir} is not empty (${entries.length} item${entries.length === 1 ? '' : 's'}); export into a new or empty folder. Nothing was written.`,
    );
  return true;
}

class Writer {
  constructor(readonly root: string) {}
  async file(rel: string, content: string | Buffer): Promise<void> {
    const abs = path.join(this.root, ...rel.split('/'));
    await fs.promises.mkdir(path.dirname(abs), { recursive: true });
    await fs.promises.writeFile(abs, content, { flag: 'wx' });
  }
  async copy(rel: string, from: string): Promise<void> {
    const abs = path.join(this.root, ...rel.split('/'));
    await fs.promises.mkdir(path.dirname(abs), { recursive: true });
    await pipeline(fs.createReadStream(from), fs.createWriteStream(abs, { flags: 'wx', mode: 0o644 }));
  }
  dirUri(rel: string): string {
    return fileUri(path.join(this.root, ...rel.split('/').filter(Boolean)));
  }
}

function listRuns(store: Store, experimentId: number): RunInfo[] {
  const out: RunInfo[] = [];
  let pageToken: string | undefined;
  do {
    const page = store.tracking.searchRuns({ experimentIds: [experimentId], runViewType: 'ALL', maxResults: 50_000, pageToken });
    out.push(...page.runs.map((r) => r.info));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return out;
}

async function exportRun(store: Store, w: Writer, expFolder: string, info: RunInfo, report: Report): Promise<void> {
  const run = store.tracking.getRun(info.runId);
  const base = `${expFolder}/${info.runId}`;
  await w.file(
    `${base}/meta.yaml`,
    yamlText({
      artifact_uri: w.dirUri(`${base}/artifacts`),
      end_time: info.endTime,
      entry_point_name: '',
      experiment_id: String(info.experimentId),
      lifecycle_stage: info.lifecycleStage,
      run_id: info.runId,
      run_name: info.name,
      run_uuid: info.runId,
      source_name: '',
      source_type: 4,
      source_version: '',
      start_time: info.startTime,
      status: RUN_STATUS_CODES[info.status],
      tags: [],
      user_id: info.userId,
      ...(info.lifecycleStage === 'deleted' ? { deleted_time: info.endTime ?? info.startTime } : {}),
    }),
  );
  await fs.promises.mkdir(path.join(w.root, base, 'artifacts'), { recursive: true });
  const keyFile = async (kind: 'param' | 'tag' | 'metric', folder: string, key: string, content: string) => {
    const problem = unsafeKeyPath(key);
    if (problem) {
      report.skip({ kind, item: `${info.runId} ${key.slice(0, 200)}`, reason: `the key has ${problem}, so it cannot be a file name` });
      return false;
    }
    try {
      await w.file(`${base}/${folder}/${key}`, content);
    } catch (err) {
      // "loss" and "loss/val" cannot both be files in one folder (MLflow could not have logged both).
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTDIR' && code !== 'EISDIR') throw err;
      report.skip({
        kind,
        item: `${info.runId} ${key.slice(0, 200)}`,
        reason: 'another key is a folder of this name (or this one of another key)',
      });
      return false;
    }
    return true;
  };
  for (const [key, value] of Object.entries(run.params)) if (await keyFile('param', 'params', key, value)) report.counts.param++;
  const tags = { ...run.tags };
  if (tags['mlflow.runName'] === undefined) tags['mlflow.runName'] = info.name;
  if (tags['mlflow.user'] === undefined && info.userId) tags['mlflow.user'] = info.userId;
  for (const [key, value] of Object.entries(tags)) if (await keyFile('tag', 'tags', key, value)) report.counts.tag++;
  for (const m of run.metrics) {
    const points = store.tracking.metricHistory(info.runId, m.key);
    const text = points.map((p) => `${p.timestamp} ${formatPythonFloat(fromWireNumber(p.value))} ${p.step}\n`).join('');
    if (await keyFile('metric', 'metrics', m.key, text)) report.counts.metric += points.length;
  }
  for (const input of store.tracking.listRunInputs(info.runId)) {
    const ds = datasetId(input.name, input.digest);
    const dsMeta = `${expFolder}/datasets/${ds}/meta.yaml`;
    if (!fs.existsSync(path.join(w.root, ...dsMeta.split('/'))))
      await w.file(
        dsMeta,
        yamlText({
          digest: input.digest,
          name: input.name,
          profile: input.profile ?? null,
          schema: input.schema ?? null,
          source: input.source,
          source_type: input.sourceType,
        }),
      );
    await w.file(
      `${base}/inputs/${inputId(ds, info.runId)}/meta.yaml`,
      yamlText({
        destination_id: ds,
        destination_type: 'RUN',
        source_id: ds,
        source_type: 'DATASET',
        tags: Object.fromEntries(input.tags.map((t) => [t.key, t.value])),
      }),
    );
    report.counts.input++;
  }
  for (const a of run.artifacts) {
    const problem = unsafeKeyPath(a.path);
    if (problem) {
      report.skip({ kind: 'artifact', item: `${info.runId} ${a.path.slice(0, 200)}`, reason: `the path has ${problem}` });
      continue;
    }
    if (!store.objects.hasObject(a.sha256)) {
      report.skip({ kind: 'artifact', item: `${info.runId} ${a.path}`, reason: 'its bytes are missing from the workspace (objects/)' });
      continue;
    }
    await w.copy(`${base}/artifacts/${a.path}`, store.objects.objectPath(a.sha256));
    report.counts.artifact++;
  }
  report.counts.run++;
}

async function exportExperiment(ctx: JobContext, w: Writer, e: Experiment, report: Report, step: () => void): Promise<void> {
  const { store } = ctx.app;
  const folder = e.lifecycleStage === 'deleted' ? `${TRASH_FOLDER}/${e.id}` : String(e.id);
  await w.file(
    `${folder}/meta.yaml`,
    yamlText({
      artifact_location: w.dirUri(folder),
      creation_time: e.createdAt,
      experiment_id: String(e.id),
      last_update_time: e.updatedAt,
      lifecycle_stage: e.lifecycleStage,
      name: e.name,
    }),
  );
  const tags = { ...e.tags };
  if (e.description && tags['mlflow.note.content'] === undefined) tags['mlflow.note.content'] = e.description;
  for (const [key, value] of Object.entries(tags)) {
    const problem = unsafeKeyPath(key);
    if (problem) report.skip({ kind: 'tag', item: `${e.name} ${key.slice(0, 200)}`, reason: `the key has ${problem}` });
    else await w.file(`${folder}/tags/${key}`, value);
  }
  report.counts.experiment++;
  for (const info of listRuns(store, e.id)) {
    if (ctx.signal.aborted) throw new AppError('job_cancelled', 'Cancelled.');
    await exportRun(store, w, folder, info, report);
    step();
    await yieldToLoop();
  }
}

async function exportRegistry(store: Store, w: Writer, report: Report, exportedRuns: Map<string, string>): Promise<void> {
  for (const m of store.registry.listModels('')) {
    const problem = unsafeKeyPath(m.name);
    if (problem || m.name.includes('/')) {
      report.skip({ kind: 'model', item: m.name, reason: `the name has ${problem ?? 'a "/"'}, so it cannot be a folder name` });
      continue;
    }
    const folder = `${MODELS_FOLDER}/${m.name}`;
    await w.file(
      `${folder}/meta.yaml`,
      yamlText({ creation_timestamp: m.createdAt, description: m.description, last_updated_timestamp: m.updatedAt, name: m.name }),
    );
    for (const [key, value] of Object.entries(m.tags)) if (!unsafeKeyPath(key)) await w.file(`${folder}/tags/${key}`, value);
    for (const v of store.registry.listVersions(m.name)) {
      const runFolder = exportedRuns.get(v.runId);
      const source = runFolder ? w.dirUri(`${runFolder}/artifacts/model`) : `runs:/${v.runId}/model`;
      await w.file(
        `${folder}/version-${v.version}/meta.yaml`,
        yamlText({
          creation_timestamp: v.createdAt,
          current_stage: v.stage,
          description: v.description,
          last_updated_timestamp: v.updatedAt,
          name: m.name,
          run_id: v.runId,
          run_link: '',
          source,
          status: 'READY',
          status_message: '',
          storage_location: source,
          user_id: v.createdBy,
          version: v.version,
        }),
      );
      for (const [key, value] of Object.entries(v.tags))
        if (!unsafeKeyPath(key)) await w.file(`${folder}/version-${v.version}/tags/${key}`, value);
      if (!runFolder)
        report.skip({
          kind: 'version',
          item: `${m.name} v${v.version}`,
          reason: `written, but its run ${v.runId} is in an experiment not exported`,
        });
      report.counts.version++;
    }
    for (const [alias, version] of Object.entries(m.aliases)) {
      await w.file(`${folder}/aliases/${alias}`, String(version));
      report.counts.alias++;
    }
    report.counts.model++;
  }
}

export async function runMlrunsExport(ctx: JobContext, params: MlflowExportRequest): Promise<MlflowFilesReport> {
  const started = Date.now();
  const { store } = ctx.app;
  const root = path.resolve(params.dir);
  const existed = checkExportFolder(root);
  const all = store.tracking.listExperiments('all');
  const wanted = params.experimentIds ? all.filter((e) => params.experimentIds!.includes(e.id)) : all;
  if (params.experimentIds) {
    const missing = params.experimentIds.filter((id) => !all.some((e) => e.id === id));
    if (missing.length) throw new AppError('not_found', `No experiment with id ${missing.join(', ')}.`);
  }
  await fs.promises.mkdir(root, { recursive: true });
  const w = new Writer(await fs.promises.realpath(root));
  const report = new Report();
  const total = wanted.reduce((n, e) => n + store.tracking.countExperimentRuns(e.id), 0);
  let done = 0;
  ctx.progress(0, total, `Writing ${w.root}`);
  try {
    await fs.promises.mkdir(path.join(w.root, TRASH_FOLDER), { recursive: true });
    const exportedRuns = new Map<string, string>();
    for (const e of wanted) {
      if (ctx.signal.aborted) throw new AppError('job_cancelled', 'Cancelled.');
      const folder = e.lifecycleStage === 'deleted' ? `${TRASH_FOLDER}/${e.id}` : String(e.id);
      await exportExperiment(ctx, w, e, report, () => {
        done++;
        ctx.progress(done, total, `${e.name}: ${report.counts.run} run(s) written`);
      });
      for (const info of listRuns(store, e.id)) exportedRuns.set(info.runId, `${folder}/${info.runId}`);
    }
    if (params.models) {
      await fs.promises.mkdir(path.join(w.root, MODELS_FOLDER), { recursive: true });
      await exportRegistry(store, w, report, exportedRuns);
    }
  } catch (err) {
    // The folder was new or empty: what is in it now is this export's, removed so no half-written store is left.
    if (existed) for (const name of fs.readdirSync(w.root)) fs.rmSync(path.join(w.root, name), { recursive: true, force: true });
    else fs.rmSync(w.root, { recursive: true, force: true });
    throw err;
  }
  return report.done('export', w.root, started);
}

export const mlrunsExportJob: JobKind<MlflowExportRequest, MlflowFilesReport> = {
  kind: 'mlflow-export',
  title: (p) => `Export to an mlruns folder at ${p.dir}`,
  execute: runMlrunsExport,
};
