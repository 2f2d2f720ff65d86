/**
 * Reads an MLflow file store (an `mlruns/` folder) without trusting it: every
 * path is resolved against the folder's real path and a symbolic link that
 * leads out of it is never followed; names that are not plain relative paths
 * are refused; a malformed meta.yaml or metric line makes that item a
 * "skipped" entry with the file and the reason, never an exception.
 *
 * Files are read with synchronous calls (a run's files are small and many:
 * one thread-pool round trip per open/stat/read/close cost more than the
 * reading); the import job reads one run at a time and yields between runs,
 * so main is held for one run's files at most.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { MLFLOW_LIMITS, unsafeArtifactPath } from '../../../../shared/mlflow';
import type { MlflowSkipped } from '../../../../shared/mlflow-files';
import { LIFECYCLE_STAGES, type LifecycleStage, type RunStatus } from '../../../../shared/tracking';
import type { KeyValue, MetricPointInput, RunDatasetInput } from '../../store/tracking-repo';
import { MODELS_FOLDER, parseMetricLine, pathOfFileUri, RESERVED_EXPERIMENT_FOLDERS, statusFromMeta, TRASH_FOLDER } from './format';

const RUN_ID = /^[0-9a-f]{32}$/;
/** meta.yaml fields MLflow keeps as strings. */
const TEXT_FIELDS = [
  'run_id',
  'run_uuid',
  'experiment_id',
  'name',
  'run_name',
  'user_id',
  'digest',
  'source_id',
  'destination_id',
  'description',
  'source',
];

/** A failure to read one item, carrying the file (relative to the store) it came from. */
export class ItemError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ExperimentEntry {
  /** Its folder, relative to the store: `0`, `.trash/12`. */
  folder: string;
  id: string;
  name: string;
  lifecycleStage: LifecycleStage;
  creationTime: number | null;
  tags: KeyValue[];
}

export interface ArtifactFile {
  /** Path inside the run's artifact root (`model/MLmodel`). */
  relPath: string;
  absPath: string;
  size: number;
}

export interface ParsedRun {
  runId: string;
  name: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  userId: string;
  lifecycleStage: LifecycleStage;
  params: KeyValue[];
  tags: KeyValue[];
  metrics: MetricPointInput[];
  inputs: RunDatasetInput[];
  artifacts: ArtifactFile[];
  /** Parts of the run left out (an artifact behind a link, an input without its dataset); the run itself is imported. */
  skipped: MlflowSkipped[];
}

export interface ParsedVersion {
  folder: string;
  version: number;
  runId: string;
  stage: string;
  description: string;
  userId: string;
  source: string;
  tags: KeyValue[];
}

export interface ParsedModel {
  folder: string;
  name: string;
  description: string;
  tags: KeyValue[];
  versions: ParsedVersion[];
  /** alias → MLflow version number */
  aliases: { alias: string; version: number }[];
  skipped: MlflowSkipped[];
}

const isLink = (abs: string): boolean => {
  try {
    return fs.lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
};
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

/** Opens a store read-only. Throws a plain message when the folder is missing or not an MLflow file store. */
export async function openMlrunsStore(dir: string): Promise<MlrunsReader> {
  let root: string;
  try {
    root = await fs.promises.realpath(path.resolve(dir));
  } catch {
    throw new Error(`The folder ${dir} does not exist.`);
  }
  if (!(await fs.promises.stat(root)).isDirectory()) throw new Error(`${dir} is a file, not a folder.`);
  const reader = new MlrunsReader(root);
  const folders = await reader.experimentFolders();
  const hasModels = await reader.isDir(MODELS_FOLDER);
  if (folders.length === 0 && !hasModels)
    throw new Error(
      `${dir} is not an MLflow file store: it has no experiment folder with a meta.yaml (such as 0/meta.yaml) and no models/ folder. Choose the mlruns folder itself.`,
    );
  return reader;
}

export class MlrunsReader {
  constructor(readonly root: string) {}

  /** The real path of `rel` (inside the store), or null when it is missing or leads outside through a link. */
  private async inside(rel: string): Promise<{ abs: string; stat: fs.Stats } | null> {
    const abs = path.join(this.root, rel);
    let real: string;
    try {
      real = fs.realpathSync.native(abs);
    } catch {
      return null;
    }
    if (real !== this.root && !real.startsWith(this.root + path.sep)) return null;
    return { abs: real, stat: fs.statSync(real) };
  }

  async isDir(rel: string): Promise<boolean> {
    return (await this.inside(rel))?.stat.isDirectory() ?? false;
  }

  /** Names in a folder (empty when it is missing). */
  private async list(rel: string): Promise<fs.Dirent[]> {
    const at = await this.inside(rel);
    if (!at?.stat.isDirectory()) return [];
    return fs.readdirSync(at.abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** A file's text; throws ItemError when it is missing, a folder, or behind a link out of the store. */
  async readText(rel: string): Promise<string> {
    const at = await this.inside(rel);
    if (!at) {
      const exists = fs.existsSync(path.join(this.root, rel)) || isLink(path.join(this.root, rel));
      throw new ItemError(rel, exists ? 'a symbolic link that points outside the folder (not followed)' : 'missing');
    }
    if (!at.stat.isFile()) throw new ItemError(rel, 'not a file');
    return fs.readFileSync(at.abs, 'utf8');
  }

  /**
   * A meta.yaml as PyYAML (YAML 1.1, which MLflow writes) reads it. Fields that
   * are text in MLflow keep their characters even when they look like numbers
   * (a run id of digits, a name "1.0").
   */
  async readYaml(rel: string): Promise<Record<string, unknown>> {
    const text = await this.readText(rel);
    let doc: YAML.Document.Parsed;
    try {
      doc = YAML.parseDocument(text, { version: '1.1', uniqueKeys: false });
    } catch (err) {
      throw new ItemError(rel, `malformed YAML: ${(err as Error).message.split('\n')[0]}`);
    }
    if (doc.errors.length) throw new ItemError(rel, `malformed YAML: ${doc.errors[0].message.split('\n')[0]}`);
    const out = doc.toJS() as unknown;
    if (!isRecord(out)) throw new ItemError(rel, 'malformed meta.yaml: not a mapping of fields');
    for (const key of TEXT_FIELDS) {
      const node = doc.get(key, true);
      if (
        YAML.isScalar(node) &&
        node.type === 'PLAIN' &&
        typeof node.source === 'string' &&
        typeof node.value !== 'string' &&
        node.value !== null
      )
        out[key] = node.source;
    }
    return out;
  }

  /**
   * Files under a folder, recursively, as paths relative to it ('/'-separated).
   * A link out of the store, a link to a folder and a name that is not a plain
   * path part are reported in `skipped`, not followed.
   */
  async walk(
    rel: string,
    kind: MlflowSkipped['kind'],
    item: string,
  ): Promise<{ files: { key: string; abs: string; size: number }[]; skipped: MlflowSkipped[] }> {
    const files: { key: string; abs: string; size: number }[] = [];
    const skipped: MlflowSkipped[] = [];
    const visit = async (sub: string) => {
      for (const e of await this.list(sub ? `${rel}/${sub}` : rel)) {
        const key = sub ? `${sub}/${e.name}` : e.name;
        const fileRel = `${rel}/${key}`;
        const problem = unsafeArtifactPath(key);
        if (problem) {
          skipped.push({ kind, item, file: fileRel, reason: problem });
          continue;
        }
        if (e.isSymbolicLink()) {
          const at = await this.inside(fileRel);
          if (!at) skipped.push({ kind, item, file: fileRel, reason: 'a symbolic link that points outside the folder (not followed)' });
          else if (at.stat.isFile()) files.push({ key, abs: at.abs, size: at.stat.size });
          else skipped.push({ kind, item, file: fileRel, reason: 'a symbolic link to a folder (not followed)' });
        } else if (e.isDirectory()) await visit(key);
        else if (e.isFile()) {
          const abs = path.join(this.root, fileRel);
          files.push({ key, abs, size: fs.statSync(abs).size });
        }
      }
    };
    await visit('');
    return { files, skipped };
  }

  /** Experiment folders: `<id>/meta.yaml` at the root (active) and under .trash/ (deleted). */
  async experimentFolders(): Promise<string[]> {
    const out: string[] = [];
    for (const [base, prefix] of [
      ['', ''],
      [TRASH_FOLDER, `${TRASH_FOLDER}/`],
    ] as const) {
      for (const e of await this.list(base)) {
        if (!base && (e.name === TRASH_FOLDER || e.name === MODELS_FOLDER)) continue;
        const folder = `${prefix}${e.name}`;
        if (e.isSymbolicLink() && !(await this.inside(folder))) out.push(folder);
        else if (await this.isDir(folder)) {
          const at = await this.inside(`${folder}/meta.yaml`);
          if (at || isLink(path.join(this.root, folder, 'meta.yaml'))) out.push(folder);
        }
      }
    }
    return out;
  }

  /** Key/value files under a folder (tags, params): key = path inside it. */
  private async keyValues(
    rel: string,
    kind: MlflowSkipped['kind'],
    item: string,
  ): Promise<{ values: KeyValue[]; skipped: MlflowSkipped[] }> {
    const { files, skipped } = await this.walk(rel, kind, item);
    const values: KeyValue[] = [];
    for (const f of files) values.push({ key: f.key, value: fs.readFileSync(f.abs, 'utf8') });
    return { values, skipped };
  }

  async readExperiment(folder: string): Promise<ExperimentEntry> {
    const meta = await this.readYaml(`${folder}/meta.yaml`);
    const name = str(meta.name);
    if (!name) throw new ItemError(`${folder}/meta.yaml`, 'malformed meta.yaml: no experiment name');
    if (meta.experiment_id === undefined) throw new ItemError(`${folder}/meta.yaml`, 'malformed meta.yaml: no experiment_id');
    const stage = folder.startsWith(`${TRASH_FOLDER}/`) ? 'deleted' : str(meta.lifecycle_stage) || 'active';
    const { values: tags } = await this.keyValues(`${folder}/tags`, 'tag', name);
    return {
      folder,
      id: str(meta.experiment_id),
      name,
      lifecycleStage: (LIFECYCLE_STAGES as readonly string[]).includes(stage) ? (stage as LifecycleStage) : 'active',
      creationTime: num(meta.creation_time),
      tags,
    };
  }

  /** Run folders of an experiment (every sub-folder but the reserved ones; one without meta.yaml is reported by readRun). */
  async runFolders(expFolder: string): Promise<string[]> {
    const out: string[] = [];
    for (const e of await this.list(expFolder)) {
      if (RESERVED_EXPERIMENT_FOLDERS.has(e.name)) continue;
      // A link is listed too: one that leads out of the folder is reported by readRun, not followed.
      if (e.isDirectory() || e.isSymbolicLink()) out.push(`${expFolder}/${e.name}`);
    }
    return out;
  }

  /** One run, whole; throws ItemError (with the file) when any of its meta, params, tags or metrics is unreadable or malformed. */
  async readRun(exp: ExperimentEntry, runFolder: string): Promise<ParsedRun> {
    const metaRel = `${runFolder}/meta.yaml`;
    const meta = await this.readYaml(metaRel).catch((err: unknown) => {
      if (err instanceof ItemError && err.message === 'missing') throw new ItemError(metaRel, 'a run folder without meta.yaml');
      throw err;
    });
    const runId = str(meta.run_id ?? meta.run_uuid);
    const folderName = path.posix.basename(runFolder);
    if (!RUN_ID.test(runId)) throw new ItemError(metaRel, `malformed meta.yaml: run id "${runId.slice(0, 64)}" is not 32 hex characters`);
    if (runId !== folderName) throw new ItemError(metaRel, `the run id ${runId} is not the folder's name (${folderName})`);
    if (str(meta.experiment_id) !== exp.id)
      throw new ItemError(metaRel, `the run records experiment ${str(meta.experiment_id)}, not ${exp.id} (MLflow ignores it too)`);
    const status = statusFromMeta(meta.status);
    if (!status) throw new ItemError(metaRel, `malformed meta.yaml: unknown status ${JSON.stringify(meta.status)}`);
    const startTime = num(meta.start_time);
    if (startTime === null) throw new ItemError(metaRel, 'malformed meta.yaml: start_time is not a number');
    const skipped: MlflowSkipped[] = [];
    const params = await this.keyValues(`${runFolder}/params`, 'param', runId);
    const tags = await this.keyValues(`${runFolder}/tags`, 'tag', runId);
    skipped.push(...params.skipped, ...tags.skipped);
    const metrics: MetricPointInput[] = [];
    const metricFiles = await this.walk(`${runFolder}/metrics`, 'metric', runId);
    skipped.push(...metricFiles.skipped);
    for (const f of metricFiles.files) {
      const text = fs.readFileSync(f.abs, 'utf8');
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (lines[i].trim() === '') continue;
        const p = parseMetricLine(lines[i]);
        if (typeof p === 'string') throw new ItemError(`${runFolder}/metrics/${f.key}`, `line ${i + 1}: ${p}`);
        metrics.push({ key: f.key, value: p.value, timestamp: p.timestamp, step: p.step });
      }
    }
    const stage = str(meta.lifecycle_stage) || 'active';
    const name = str(meta.run_name) || tags.values.find((t) => t.key === 'mlflow.runName')?.value || runId;
    return {
      runId,
      name,
      status,
      startTime,
      endTime: num(meta.end_time),
      userId: str(meta.user_id),
      // Its own stage: a run in a trashed experiment comes back with the experiment when that is restored, as in MLflow.
      lifecycleStage: stage === 'deleted' ? 'deleted' : 'active',
      params: params.values,
      tags: tags.values,
      metrics,
      inputs: await this.readInputs(exp, runFolder, runId, skipped),
      artifacts: await this.readArtifacts(runFolder, runId, str(meta.artifact_uri), skipped),
      skipped,
    };
  }

  private async readInputs(exp: ExperimentEntry, runFolder: string, runId: string, skipped: MlflowSkipped[]): Promise<RunDatasetInput[]> {
    const out: RunDatasetInput[] = [];
    for (const e of await this.list(`${runFolder}/inputs`)) {
      const rel = `${runFolder}/inputs/${e.name}/meta.yaml`;
      try {
        const meta = await this.readYaml(rel);
        if (meta.source_type !== 'DATASET') continue;
        const dsRel = `${exp.folder}/datasets/${str(meta.source_id)}/meta.yaml`;
        if (!/^[0-9a-f]{32}$/.test(str(meta.source_id))) throw new ItemError(rel, 'malformed meta.yaml: source_id is not a dataset id');
        const ds = await this.readYaml(dsRel).catch((err: unknown) => {
          if (err instanceof ItemError && err.message === 'missing') throw new ItemError(dsRel, 'the dataset it names is missing');
          throw err;
        });
        const tags = isRecord(meta.tags) ? Object.entries(meta.tags).map(([key, value]) => ({ key, value: str(value) })) : [];
        out.push({
          name: str(ds.name),
          digest: str(ds.digest),
          sourceType: str(ds.source_type),
          source: str(ds.source),
          schema: ds.schema === undefined || ds.schema === null ? null : str(ds.schema),
          profile: ds.profile === undefined || ds.profile === null ? null : str(ds.profile),
          tags,
        });
      } catch (err) {
        if (!(err instanceof ItemError)) throw err;
        skipped.push({ kind: 'input', item: runId, file: err.file, reason: err.message });
      }
    }
    return out;
  }

  /**
   * The run's artifacts: its `artifacts/` folder, or — when that is absent — a
   * `file:` artifact_uri that stays inside the store (`..` refused). Remote
   * artifact stores (s3:, mlflow-artifacts:) are reported, not fetched.
   */
  private async readArtifacts(runFolder: string, runId: string, artifactUri: string, skipped: MlflowSkipped[]): Promise<ArtifactFile[]> {
    let rel = `${runFolder}/artifacts`;
    if (!(await this.isDir(rel)) && artifactUri) {
      const local = pathOfFileUri(artifactUri);
      if (local === null) {
        skipped.push({
          kind: 'artifact',
          item: runId,
          file: `${runFolder}/meta.yaml`,
          reason: `artifacts at ${artifactUri.slice(0, 200)} are not in the folder (only local artifacts are imported)`,
        });
        return [];
      }
      if (local.split(/[\\/]/).includes('..')) {
        skipped.push({
          kind: 'artifact',
          item: runId,
          file: `${runFolder}/meta.yaml`,
          reason: `artifact_uri ${artifactUri.slice(0, 200)} has ".." parts (refused)`,
        });
        return [];
      }
      const inside = path.relative(this.root, path.resolve(local));
      if (inside.startsWith('..') || path.isAbsolute(inside)) {
        if (fs.existsSync(local))
          skipped.push({
            kind: 'artifact',
            item: runId,
            file: `${runFolder}/meta.yaml`,
            reason: `artifacts at ${local} are outside the folder (not read)`,
          });
        return [];
      }
      rel = inside.split(path.sep).join('/');
    }
    const { files, skipped: out } = await this.walk(rel, 'artifact', runId);
    skipped.push(...out);
    const kept: ArtifactFile[] = [];
    for (const f of files) {
      if (f.size > MLFLOW_LIMITS.maxArtifactBytes)
        skipped.push({
          kind: 'artifact',
          item: runId,
          file: `${rel}/${f.key}`,
          reason: `larger than ${MLFLOW_LIMITS.maxArtifactBytes} bytes`,
        });
      else kept.push({ relPath: f.key, absPath: f.abs, size: f.size });
    }
    return kept;
  }

  /** The registry: `models/<name>/meta.yaml`, its `version-<n>/` folders, tags and aliases. */
  async readModels(): Promise<{ models: ParsedModel[]; skipped: MlflowSkipped[] }> {
    const models: ParsedModel[] = [];
    const skipped: MlflowSkipped[] = [];
    for (const e of await this.list(MODELS_FOLDER)) {
      const folder = `${MODELS_FOLDER}/${e.name}`;
      if (!(await this.isDir(folder))) continue;
      try {
        const meta = await this.readYaml(`${folder}/meta.yaml`);
        const name = str(meta.name) || e.name;
        const model: ParsedModel = {
          folder,
          name,
          description: str(meta.description),
          tags: (await this.keyValues(`${folder}/tags`, 'model', name)).values,
          versions: [],
          aliases: [],
          skipped: [],
        };
        for (const v of await this.list(folder)) {
          if (!v.name.startsWith('version-')) continue;
          const vRel = `${folder}/${v.name}/meta.yaml`;
          try {
            const vm = await this.readYaml(vRel);
            const version = Number(vm.version);
            if (!Number.isSafeInteger(version) || version < 1)
              throw new ItemError(vRel, `malformed meta.yaml: version ${JSON.stringify(vm.version)}`);
            model.versions.push({
              folder: `${folder}/${v.name}`,
              version,
              runId: str(vm.run_id),
              stage: str(vm.current_stage) || 'None',
              description: str(vm.description),
              userId: str(vm.user_id),
              source: str(vm.source),
              tags: (await this.keyValues(`${folder}/${v.name}/tags`, 'version', `${name} v${version}`)).values,
            });
          } catch (err) {
            if (!(err instanceof ItemError)) throw err;
            model.skipped.push({ kind: 'version', item: `${name} ${v.name}`, file: err.file, reason: err.message });
          }
        }
        model.versions.sort((a, b) => a.version - b.version);
        for (const a of await this.list(`${folder}/aliases`)) {
          const text = (await this.readText(`${folder}/aliases/${a.name}`).catch(() => '')).trim();
          if (/^\d+$/.test(text)) model.aliases.push({ alias: a.name, version: Number(text) });
          else
            model.skipped.push({
              kind: 'alias',
              item: `${name}@${a.name}`,
              file: `${folder}/aliases/${a.name}`,
              reason: 'not a version number',
            });
        }
        models.push(model);
      } catch (err) {
        if (!(err instanceof ItemError)) throw err;
        skipped.push({ kind: 'model', item: e.name, file: err.file, reason: err.message });
      }
    }
    return { models, skipped };
  }
}
