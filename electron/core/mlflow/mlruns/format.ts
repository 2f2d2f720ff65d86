/**
 * The pieces of MLflow's file store format (mlflow/store/tracking/file_store.py,
 * mlflow/store/model_registry/file_store.py) both directions share: run
 * statuses as MLflow writes them (integers in meta.yaml), metric lines
 * (`timestamp value [step]`, as `_get_metric_from_line` reads them), numbers
 * as Python prints and parses floats, and `file://` URIs of local folders.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { RunStatus } from '../../../../shared/tracking';

/** MLflow's RunStatus enum values (mlflow/entities/run_status.py). */
export const RUN_STATUS_CODES: Record<RunStatus, number> = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 };
const STATUS_OF_CODE = new Map<number, RunStatus>(Object.entries(RUN_STATUS_CODES).map(([k, v]) => [v, k as RunStatus]));

/** A run's status from meta.yaml: the integer MLflow writes (or the name, as very old stores did); RUNNING when absent, as MLflow reads it. */
export function statusFromMeta(v: unknown): RunStatus | null {
  if (v === undefined || v === null) return 'RUNNING';
  if (typeof v === 'number') return STATUS_OF_CODE.get(v) ?? null;
  if (typeof v === 'string' && v in RUN_STATUS_CODES) return v as RunStatus;
  return null;
}

/** Folders inside an experiment's folder that are not runs (FileStore.RESERVED_EXPERIMENT_FOLDERS). */
export const RESERVED_EXPERIMENT_FOLDERS = new Set(['tags', 'datasets', 'traces']);
export const TRASH_FOLDER = '.trash';
export const MODELS_FOLDER = 'models';

const FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INT = /^[+-]?\d+$/;

/** Python's float(str) for what MLflow writes: decimals, exponents, nan and inf in any case. Null when it is not a number. */
export function parsePythonFloat(s: string): number | null {
  const t = s.trim();
  const lower = t.toLowerCase();
  if (lower === 'nan' || lower === '+nan' || lower === '-nan') return NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return FLOAT.test(t) ? Number(t) : null;
}

/** A metric value as Python's str(float) writes it (what MLflow's reader takes back). */
export function formatPythonFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return Number.isInteger(v) && Math.abs(v) < 1e16 ? `${v}.0` : String(v);
}

export interface MetricLine {
  timestamp: number;
  value: number;
  step: number;
}

const isDigits = (s: string, from: number, to: number): boolean => {
  if (to <= from || to - from > 15) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};

/** `digits number digits`, checked by hand (a regex costs twice as much per line); null sends the line the long way. */
function commonLine(line: string): MetricLine | null {
  const a = line.indexOf(' ');
  const b = a < 0 ? -1 : line.indexOf(' ', a + 1);
  if (b < 0 || !isDigits(line, 0, a) || !isDigits(line, b + 1, line.length)) return null;
  for (let i = a + 1; i < b; i++) {
    const c = line.charCodeAt(i);
    // digits . - + e E only: no hex, binary, "Infinity" or "_" that Number() reads and Python does not
    if (!((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69)) return null;
  }
  const value = Number(line.slice(a + 1, b));
  if (b === a + 1 || Number.isNaN(value)) return null;
  return { timestamp: Number(line.slice(0, a)), value, step: Number(line.slice(b + 1)) };
}

/** One line of a metric file, or the reason it is malformed (MLflow accepts 2 fields, step 0, or 3). */
export function parseMetricLine(line: string): MetricLine | string {
  // The line as MLflow writes it (one regex, the hot path of an import); anything else goes the long way.
  const fast = commonLine(line);
  if (fast) return fast;
  const parts = line.trim().split(' ');
  if (parts.length !== 2 && parts.length !== 3)
    return `${parts.length} field${parts.length === 1 ? '' : 's'}; expected "timestamp value" or "timestamp value step"`;
  const [ts, val, step] = parts;
  if (!INT.test(ts)) return `timestamp "${ts.slice(0, 40)}" is not an integer`;
  const value = parsePythonFloat(val);
  if (value === null) return `value "${val.slice(0, 40)}" is not a number`;
  if (step !== undefined && !INT.test(step)) return `step "${step.slice(0, 40)}" is not an integer`;
  const timestamp = Number(ts);
  const s = step === undefined ? 0 : Number(step);
  if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(s)) return 'timestamp or step out of range';
  return { timestamp, value, step: s };
}

/**
 * The `file://` URI of an absolute local path, as MLflow's path_to_local_file_uri
 * (pathlib's as_uri): every byte but unreserved ones and `/` percent-encoded,
 * so spaces, `#` and non-ASCII names survive. `pathImpl` is path.win32 for a
 * Windows path (`C:\a b` → `file:///C:/a%20b`; `\\host\share` → `file://host/share`).
 */
export function fileUri(absPath: string, pathImpl: typeof path.posix | typeof path.win32 = path): string {
  const resolved = pathImpl.resolve(absPath);
  const encode = (segment: string) =>
    encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (pathImpl.sep === '\\') {
    const slashed = resolved.replace(/\\/g, '/');
    if (slashed.startsWith('//')) {
      const [host, ...rest] = slashed.slice(2).split('/');
      return `file://${host}/${rest.map(encode).join('/')}`;
    }
    const m = /^([A-Za-z]:)(\/.*)?$/.exec(slashed);
    if (m) return `file:///${m[1].toUpperCase()}${(m[2] ?? '/').split('/').map(encode).join('/')}`;
    return `file:///${slashed.split('/').map(encode).join('/')}`;
  }
  return `file://${resolved.split('/').map(encode).join('/')}`;
}

/** The local path of a `file:` URI (null for any other scheme or a remote host). */
export function pathOfFileUri(uri: string, pathImpl: typeof path.posix | typeof path.win32 = path): string | null {
  const m = /^file:(?:\/\/([^/]*))?(\/.*)?$/.exec(uri.trim());
  if (!m) return null;
  const host = m[1] ?? '';
  let p: string;
  try {
    p = decodeURIComponent(m[2] ?? '/');
  } catch {
    return null;
  }
  if (pathImpl.sep === '\\') {
    if (host && host !== 'localhost') return `\\\\${host}${p.replace(/\//g, '\\')}`;
    return p.replace(/^\/([A-Za-z]:)/, '$1').replace(/\//g, '\\');
  }
  if (host && host !== 'localhost') return null;
  return p;
}

/** A dataset's folder name in `<experiment>/datasets/` and an input's in `<run>/inputs/` (FileStore._get_dataset_id / _get_input_id). */
export const datasetId = (name: string, digest: string) =>
  crypto.createHash('md5').update(name, 'utf8').update(digest, 'utf8').digest('hex');
export const inputId = (dataset: string, runId: string) =>
  crypto.createHash('md5').update(dataset, 'utf8').update(runId, 'utf8').digest('hex');

/** A key (metric, param, tag) or a model name that can be a relative path inside the export folder; the reason otherwise. */
export function unsafeKeyPath(key: string): string | null {
  if (!key) return 'an empty name';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f\\:*?"<>|]/.test(key)) return 'a character a file name cannot hold';
  if (key.startsWith('/') || key.endsWith('/')) return 'a leading or trailing "/"';
  if (key.split('/').some((p) => p === '' || p === '.' || p === '..' || p.length > 255)) return 'an empty, "." or ".." path part';
  return null;
}
