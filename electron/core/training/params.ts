/**
 * Hyper-parameter helpers shared by the models: typed values are validated
 * with the shared zod schemas (one source for every limit) and bad ones are
 * reported as TrainingError; `k=v` strings from the CLI are typed first.
 */
import type { z } from 'zod';
import { formatZodIssues } from '../../../shared/zod-issues';
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

/** Types a `k=v` value from the CLI: numbers, booleans, `null`/`none` → null (no limit), else the string. */
export function parseParamValue(raw: string): unknown {
  const s = raw.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null' || s.toLowerCase() === 'none') return null;
  if (s !== '' && Number.isFinite(Number(s))) return Number(s);
  return s;
}

/**
 * Validates a model's parameters with its shared schema (shared/training.ts:
 * the same one the app's contract and the CLI parse with), so the engine
 * refuses exactly what they refuse, in the same words. Throws BAD_PARAM.
 */
export function parseModelParams<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new TrainingError('BAD_PARAM', formatZodIssues(parsed.error.issues));
  return parsed.data;
}
