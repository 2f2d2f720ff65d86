/**
 * MLflow's artifacts proxy (`mlflow server --serve-artifacts`): upload, download
 * and list under /api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/<path>
 * — the URIs `mlflow-artifacts:/…` a run's artifact_uri points at — kept in the
 * workspace's content-addressed objects/ store and listed per run in the
 * tracking store's `artifacts` table. An upload streams into objects/tmp while
 * being hashed and is adopted under its SHA-256 only when whole; a refused or
 * broken upload leaves nothing behind. Paths are checked before any byte is
 * read: `..`, absolute paths, backslashes and control characters (NUL) are
 * refused with MLflow's INVALID_PARAMETER_VALUE.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { MLFLOW_LIMITS, unsafeArtifactPath } from '../../../shared/mlflow';
import type { ArtifactEntry } from '../../../shared/tracking';
import type { Store } from '../store';
import type { MlflowDeps } from './tracking-api';
import { MlflowApiError, runArtifactUri } from './wire';

/** A proxy path split into its run and the artifact's path inside the run. */
export interface ArtifactTarget {
  experimentId: number;
  runId: string;
  /** '' for the run's artifact root. */
  relPath: string;
}

/** Checks a proxy path (already URL-decoded) and splits it; throws MLflow's error for an unsafe or foreign path. */
export function parseArtifactPath(raw: string, { allowShort = false } = {}): ArtifactTarget | null {
  const p = raw.replace(/\/+$/, '');
  const problem = unsafeArtifactPath(p);
  if (problem) throw new MlflowApiError('INVALID_PARAMETER_VALUE', `${problem}: '${p.slice(0, 200)}'`);
  if (p.split('/').some((s) => s === '') && p !== '')
    throw new MlflowApiError('INVALID_PARAMETER_VALUE', `Invalid path: empty path segments are not allowed: '${p.slice(0, 200)}'`);
  const m = /^(\d{1,15})\/([0-9a-f]{32})\/artifacts(?:\/(.*))?$/.exec(p);
  if (!m) {
    if (allowShort) return null;
    throw new MlflowApiError(
      'INVALID_PARAMETER_VALUE',
      `Invalid artifact path '${p.slice(0, 200)}': the workbench keeps artifacts per run, under <experiment_id>/<run_id>/artifacts/<path>.`,
    );
  }
  return { experimentId: Number(m[1]), runId: m[2], relPath: m[3] ?? '' };
}

function runOfTarget(store: Store, t: ArtifactTarget) {
  let info;
  try {
    info = store.tracking.getRunInfo(t.runId);
  } catch {
    throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Run with id=${t.runId} not found`);
  }
  if (info.experimentId !== t.experimentId)
    throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Run ${t.runId} is not in experiment ${t.experimentId}`);
  return info;
}

const MEDIA_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.html': 'text/html',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.yaml': 'text/yaml',
  '.yml': 'text/yaml',
  '.pkl': 'application/octet-stream',
  '.md': 'text/markdown',
};
export const mediaTypeOf = (p: string) =>
  p.endsWith('/MLmodel') || p === 'MLmodel' ? 'text/yaml' : (MEDIA_TYPES[path.extname(p).toLowerCase()] ?? 'application/octet-stream');

/** What a directory holds: its files and subfolders, one level, by name. */
function listLevel(entries: ArtifactEntry[], dir: string): { path: string; is_dir: boolean; file_size?: number }[] {
  const prefix = dir ? `${dir}/` : '';
  const out = new Map<string, { path: string; is_dir: boolean; file_size?: number }>();
  for (const a of entries) {
    if (!a.path.startsWith(prefix)) continue;
    const rest = a.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) out.set(rest, { path: prefix + rest, is_dir: false, file_size: a.size });
    else {
      const name = rest.slice(0, slash);
      if (!out.has(name)) out.set(name, { path: prefix + name, is_dir: true });
    }
  }
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** GET /api/2.0/mlflow-artifacts/artifacts?path=… — one level, names only (as MLflow's proxy). */
export function listProxyArtifacts(store: Store, rawPath: string | undefined) {
  const target = parseArtifactPath(rawPath ?? '', { allowShort: true });
  if (!target) return { files: [] };
  runOfTarget(store, target);
  const files = listLevel(store.tracking.listArtifacts(target.runId), target.relPath).map((f) => ({
    ...f,
    path: path.posix.basename(f.path),
  }));
  return { files };
}

/** GET /api/2.0/mlflow/artifacts/list?run_id=…&path=… — one level, paths from the run's root. */
export function listRunArtifacts(store: Store, runId: string, relPath: string | undefined) {
  const p = (relPath ?? '').replace(/\/+$/, '');
  const problem = p ? unsafeArtifactPath(p) : null;
  if (problem) throw new MlflowApiError('INVALID_PARAMETER_VALUE', `${problem}: '${p.slice(0, 200)}'`);
  let info;
  try {
    info = store.tracking.getRunInfo(runId);
  } catch {
    throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`);
  }
  return { root_uri: runArtifactUri(info.experimentId, runId), files: listLevel(store.tracking.listArtifacts(runId), p) };
}

/** GET …/artifacts/<path>: streams the file (404 when the run has no such file). */
export function downloadArtifact(store: Store, target: ArtifactTarget, res: http.ServerResponse): void {
  runOfTarget(store, target);
  let entry: ArtifactEntry;
  try {
    entry = store.tracking.getArtifact(target.runId, target.relPath);
  } catch {
    throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `No such file or directory: '${target.relPath}'`);
  }
  const file = store.objects.objectPath(entry.sha256);
  res.writeHead(200, {
    'content-type': entry.mediaType,
    'content-length': entry.size,
    'content-disposition': `attachment; filename="${path.posix.basename(entry.path).replace(/["\\]/g, '_')}"`,
  });
  fs.createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/**
 * PUT …/artifacts/<path>: streams the body into objects/ (hashing it on the
 * way) and records it as the run's artifact. Calls `done` once, with the
 * error to answer or null for success ({} as MLflow answers).
 */
export function uploadArtifact(
  deps: MlflowDeps,
  target: ArtifactTarget,
  req: http.IncomingMessage,
  done: (err: MlflowApiError | null) => void,
): void {
  const { store } = deps;
  const info = runOfTarget(store, target);
  if (info.lifecycleStage !== 'active')
    throw new MlflowApiError('INVALID_PARAMETER_VALUE', `The run ${target.runId} must be in the 'active' state. Current state is deleted.`);
  if (!target.relPath) throw new MlflowApiError('INVALID_PARAMETER_VALUE', 'An artifact upload needs a file path after artifacts/.');
  const declared = Number(req.headers['content-length']);
  if (declared > MLFLOW_LIMITS.maxArtifactBytes)
    throw new MlflowApiError('REQUEST_LIMIT_EXCEEDED', `The artifact is larger than ${MLFLOW_LIMITS.maxArtifactBytes} bytes.`);
  const temp = store.objects.createTempPath('.upload');
  const out = fs.createWriteStream(temp, { flags: 'wx' });
  const hash = crypto.createHash('sha256');
  let size = 0;
  let finished = false;
  const fail = (err: MlflowApiError) => {
    if (finished) return;
    finished = true;
    req.unpipe(out);
    out.destroy();
    fs.rm(temp, { force: true }, () => done(err));
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MLFLOW_LIMITS.maxArtifactBytes) {
      fail(new MlflowApiError('REQUEST_LIMIT_EXCEEDED', `The artifact is larger than ${MLFLOW_LIMITS.maxArtifactBytes} bytes.`));
      req.resume();
      return;
    }
    hash.update(chunk);
  });
  req.on('error', () => fail(new MlflowApiError('BAD_REQUEST', 'The upload was interrupted.')));
  out.on('error', (e) => fail(new MlflowApiError('INTERNAL_ERROR', `Could not write the artifact: ${e.message}`)));
  out.on('finish', () => {
    if (finished) return;
    finished = true;
    try {
      const sha256 = hash.digest('hex');
      store.objects.adoptTempFile(temp, sha256);
      store.tracking.addArtifact(target.runId, { path: target.relPath, sha256, size, mediaType: mediaTypeOf(target.relPath) });
      deps.changed('tracking');
      done(null);
    } catch (err) {
      fs.rmSync(temp, { force: true });
      done(new MlflowApiError('INTERNAL_ERROR', `Could not store the artifact: ${(err as Error).message}`));
    }
  });
  req.pipe(out);
}
