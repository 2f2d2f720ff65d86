/**
 * Hyper-parameter parsing shared by the models: accepts loose `k=v` strings
 * (CLI) or typed values, validates them and reports bad ones as TrainingError.
 */
import { TrainingError } from './errors';

export type MaxFeatures = 'sqrt' | 'log2' | 'all' | number;

/** Resolve a max-features setting to a feature count (≥ 1). Fractions in (0, 1] are shares; integers > 1 are counts. */
export function resolveMaxFeatures(mf: MaxFeatures | undefined, p: number, fallback: MaxFeatures): number {
  const v = mf ?? fallback;
  let k: number;
  if (v === 'sqrt') k = Math.floor(Math.sqrt(p));
  else if (v === 'log2') k = Math.floor(Math.log2(p));
  else if (v === 'all') k = p;
  else if (typeof v === 'number' && v > 0 && v <= 1) k = Math.floor(v * p);
  else if (typeof v === 'number' && Number.isInteger(v) && v > 1) k = v;
  else throw new TrainingError('BAD_PARAM', `maxFeatures must be sqrt, log2, all, a fraction in (0,1] or an integer ≥ 1; got ${String(v)}`);
  return Math.max(1, Math.min(p, k));
}

/** Parse a `k=v` value: numbers, booleans, null, `none`/`inf` → Infinity-like, else string. */
export function parseParamValue(raw: string): unknown {
  const s = raw.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null' || s.toLowerCase() === 'none') return null;
  if (s !== '' && Number.isFinite(Number(s))) return Number(s);
  return s;
}

/** Read a numeric param with bounds. `null` maps to `nullValue` (e.g. Infinity for "no limit"). */
export function numParam(
  params: Record<string, unknown>,
  key: string,
  def: number,
  opts: { min?: number; max?: number; integer?: boolean; nullValue?: number } = {},
): number {
  const v = params[key];
  if (v === undefined) return def;
  if (v === null && opts.nullValue !== undefined) return opts.nullValue;
  const x = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(x) && !(x === Infinity && opts.nullValue === Infinity))
    throw new TrainingError('BAD_PARAM', `Parameter ${key} must be a number; got ${JSON.stringify(v)}`);
  if (opts.integer && Number.isFinite(x) && !Number.isInteger(x))
    throw new TrainingError('BAD_PARAM', `Parameter ${key} must be an integer; got ${x}`);
  if (opts.min !== undefined && x < opts.min) throw new TrainingError('BAD_PARAM', `Parameter ${key} must be ≥ ${opts.min}; got ${x}`);
  if (opts.max !== undefined && x > opts.max) throw new TrainingError('BAD_PARAM', `Parameter ${key} must be ≤ ${opts.max}; got ${x}`);
  return x;
}

/** Read an enum param. */
export function enumParam<T extends string>(params: Record<string, unknown>, key: string, def: T, allowed: readonly T[]): T {
  const v = params[key];
  if (v === undefined || v === null) return def;
  if (typeof v !== 'string' || !allowed.includes(v as T))
    throw new TrainingError('BAD_PARAM', `Parameter ${key} must be one of ${allowed.join(', ')}; got ${JSON.stringify(v)}`);
  return v as T;
}

/** Read a boolean param. */
export function boolParam(params: Record<string, unknown>, key: string, def: boolean): boolean {
  const v = params[key];
  if (v === undefined || v === null) return def;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 1) return true;
  if (v === 'false' || v === 0) return false;
  throw new TrainingError('BAD_PARAM', `Parameter ${key} must be true or false; got ${JSON.stringify(v)}`);
}

/** Reject params the model does not know, so typos are not silently ignored. */
export function checkKnownParams(params: Record<string, unknown>, known: readonly string[], model: string): void {
  for (const k of Object.keys(params)) {
    if (!known.includes(k)) throw new TrainingError('BAD_PARAM', `Unknown parameter "${k}" for ${model}; known: ${known.join(', ')}`);
  }
}
