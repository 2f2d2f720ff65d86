/**
 * The worker side of a drift check: reads both sides into columns (a CSV —
 * a dataset version's object file with its stored options, or a user's file
 * sniffed as an import would — or logged prediction inputs main read from
 * SQLite and passed as plain rows) and runs driftColumns. Workers never open
 * the database.
 */
import type { ColumnType, CsvOptions } from '../../../shared/datasets';
import type { DriftColumnInput, DriftColumnSet, DriftOptions, DriftResult } from '../../../shared/drift';
import { AppError } from '../../../shared/errors';
import { scanCsvFile } from '../datasets/csv-scan';
import { toInputError } from '../datasets/dataset-tasks';
import { CancelledError } from '../datasets/hash-file';
import { parseNumberBytes } from '../datasets/parse-number';
import { typedCell } from '../datasets/read-table';
import type { TaskContext, WorkerTask } from '../jobs/worker-task';
import { driftColumns } from './column-drift';

/** One side of a check as plain data. */
export type DriftSide =
  | { kind: 'csv'; label: string; path: string; options: CsvOptions }
  /**
   * Logged predictions' inputs, one object per row (keys are column names); or
   * an empty set (a header-only CSV, a span with no logged predictions) whose
   * `columns` are its header's names (absent: the baseline's columns).
   */
  | { kind: 'rows'; label: string; rows: readonly Record<string, unknown>[]; columns?: string[] };

/** What `drift-check` needs. */
export interface DriftTaskParams {
  baseline: DriftSide;
  current: DriftSide;
  /** Left out of both sides (the model's target). */
  exclude: string[];
  options: DriftOptions;
}

/** Column types a drift test applies to; dates and free text (ids, notes) are left out. */
function driftKind(type: ColumnType): 'number' | 'category' | null {
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'category' || type === 'boolean') return 'category';
  return null;
}

/** Reads the columns of a CSV a drift test applies to, column-wise (numbers unboxed, NaN for missing). */
export function readCsvColumns(
  side: Extract<DriftSide, { kind: 'csv' }>,
  exclude: ReadonlySet<string>,
  onProgress?: (done: number, total: number) => void,
  kinds: ReadonlyMap<string, 'number' | 'category'> = new Map(),
): DriftColumnSet {
  const { options } = side;
  const latin1 = options.encoding === 'latin1';
  const markers = options.missingMarkers.map((m) => Buffer.from(m, latin1 ? 'latin1' : 'utf8'));
  const numericMarker = markers.some((m) => !Number.isNaN(parseNumberBytes(m, 0, m.length)));
  // A column the baseline tests but this file types as text (all cells empty, or words) is read as text,
  // so the report says "all missing" or "type changed" instead of "not in the current set".
  const picked = options.columns
    .map((c, index) => ({ name: c.name, type: c.type, kind: driftKind(c.type) ?? (kinds.has(c.name) ? 'category' : null), index }))
    .filter((c): c is typeof c & { kind: 'number' | 'category' } => c.kind !== null && !exclude.has(c.name));
  let capacity = 1024;
  const numbers = picked.map((c) => (c.kind === 'number' ? new Float64Array(capacity) : null));
  const categories = picked.map((c) => (c.kind === 'category' ? ([] as (string | null)[]) : null));
  let rows = 0;
  try {
    scanCsvFile(
      side.path,
      {
        delimiter: options.delimiter,
        hasHeader: options.hasHeader,
        encoding: options.encoding,
        raggedRows: options.raggedRows,
        columnCount: options.columns.length,
      },
      {
        onRow(buf, spans) {
          if (rows === capacity) {
            capacity *= 2;
            for (let k = 0; k < numbers.length; k++) {
              const old = numbers[k];
              if (!old) continue;
              const grown = new Float64Array(capacity);
              grown.set(old);
              numbers[k] = grown;
            }
          }
          for (let k = 0; k < picked.length; k++) {
            const c = picked[k];
            if (c.kind === 'number') {
              // The tokenizer's number is the cell (no marker compares) unless a missing marker could itself be a number.
              const n = spans.numbers[c.index];
              if (n === n && !numericMarker && (c.type === 'number' || Number.isInteger(n))) numbers[k]![rows] = n;
              else {
                const v = typedCell(buf, spans, c.index, c.type, markers, latin1);
                numbers[k]![rows] = v === null ? NaN : (v as number);
              }
              continue;
            }
            const v = typedCell(buf, spans, c.index, c.type, markers, latin1);
            categories[k]!.push(v === null ? null : String(v));
          }
          rows++;
        },
      },
      { sha256: false, onProgress: onProgress ? (p) => onProgress(p.bytesDone, p.bytesTotal) : undefined },
    );
  } catch (err) {
    if (err instanceof CancelledError) throw new AppError('job_cancelled', 'Cancelled.');
    const e = toInputError(err);
    if (e instanceof AppError) throw new AppError(e.code, `${side.label}: ${e.message}`, e.details);
    throw e;
  }
  const columns: DriftColumnInput[] = picked.map((c, k) => {
    if (c.kind === 'number') return { name: c.name, kind: 'number', values: numbers[k]!.subarray(0, rows) };
    const values = categories[k]!;
    // Empty everywhere in a column the baseline reads as numbers: all missing numbers.
    if (kinds.get(c.name) === 'number' && values.every((v) => v === null))
      return { name: c.name, kind: 'number', values: new Float64Array(rows).fill(NaN) };
    return { name: c.name, kind: 'category', values };
  });
  return { rows, columns };
}

/**
 * Logged inputs → columns. A column is numeric when the other side says so
 * (`kinds`), or else when every present value is a finite-or-infinite number;
 * a non-number in a numeric column counts as missing.
 */
export function rowsToColumns(
  rows: readonly Record<string, unknown>[],
  exclude: ReadonlySet<string>,
  kinds: ReadonlyMap<string, 'number' | 'category'>,
): DriftColumnSet {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    for (const k of Object.keys(r)) {
      if (!seen.has(k) && !exclude.has(k)) {
        seen.add(k);
        names.push(k);
      }
    }
  }
  const columns: DriftColumnInput[] = names.map((name) => {
    const present = rows.map((r) => r[name]).filter((v) => v !== null && v !== undefined && v !== '');
    const kind = kinds.get(name) ?? (present.length > 0 && present.every((v) => typeof v === 'number') ? 'number' : 'category');
    if (kind === 'number') {
      const values = new Float64Array(rows.length);
      rows.forEach((r, i) => {
        const v = r[name];
        values[i] = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : NaN;
      });
      return { name, kind, values };
    }
    return {
      name,
      kind,
      values: rows.map((r) => {
        const v = r[name];
        return v === null || v === undefined || v === '' ? null : String(v);
      }),
    };
  });
  return { rows: rows.length, columns };
}

/** Reads both sides (baseline first, so logged rows take its column types) and runs the tests. */
export function runDriftTask(params: DriftTaskParams, ctx?: TaskContext): DriftResult {
  const exclude = new Set(params.exclude);
  const csvCount = [params.baseline, params.current].filter((s) => s.kind === 'csv').length;
  let sideIndex = 0;
  const read = (side: DriftSide, kinds: ReadonlyMap<string, 'number' | 'category'>): DriftColumnSet => {
    const offset = sideIndex++;
    if (side.kind === 'rows') return rowsToColumns(side.rows, exclude, kinds);
    return readCsvColumns(
      side,
      exclude,
      (done, total) =>
        ctx?.progress(offset * 100 + (total > 0 ? (done / total) * 100 : 0), Math.max(1, csvCount) * 100 + 10, `Reading ${side.label}`),
      kinds,
    );
  };
  const baseline = read(params.baseline, new Map());
  const kinds = new Map(baseline.columns.map((c) => [c.name, c.kind] as const));
  let current = read(params.current, kinds);
  if (baseline.rows === 0)
    throw new AppError('bad_input', `The baseline ${params.baseline.label} has no rows: nothing to compare against.`);
  if (current.rows === 0) current = emptyLike(baseline, params.current);
  if (baseline.columns.length === 0) {
    throw new AppError('bad_input', `The baseline ${params.baseline.label} has no number or category columns to test.`);
  }
  ctx?.progress(Math.max(1, csvCount) * 100, Math.max(1, csvCount) * 100 + 10, 'Testing columns');
  return driftColumns(baseline, current, params.options);
}

/**
 * An empty current set as columns: the baseline's columns (those its header
 * names, when it has one) with no values, so each is reported "the current set
 * is empty" — and a baseline column the header lacks as missing — instead of the check failing.
 */
function emptyLike(baseline: DriftColumnSet, side: DriftSide): DriftColumnSet {
  const names = side.kind === 'rows' && side.columns ? new Set(side.columns) : null;
  const columns: DriftColumnInput[] = baseline.columns
    .filter((c) => !names || names.has(c.name))
    .map((c) => (c.kind === 'number' ? { name: c.name, kind: 'number', values: new Float64Array(0) } : { name: c.name, kind: 'category', values: [] }));
  return { rows: 0, columns };
}

/** Runs a drift check on two sides. */
export const driftCheckTask: WorkerTask<DriftTaskParams, DriftResult> = {
  name: 'drift-check',
  run: (params, ctx) => runDriftTask(params, ctx),
};

export const DRIFT_TASKS: readonly WorkerTask[] = [driftCheckTask];
