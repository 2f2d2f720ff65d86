/**
 * Turns a scoring request's JSON body into the records a model predicts: the
 * workbench's `/predict` shapes (`features`, `instances`, `records`) and
 * MLflow's `/invocations` shapes (`dataframe_split`, `dataframe_records`,
 * `instances`, `inputs`). zod checks each envelope; every cell is then checked
 * against its column's type, so a refusal names the field, the column and
 * what was wrong ("records[0].tenure must be a number; got "abc"").
 */
import { z } from 'zod';
import type { ColumnType } from '../../../shared/datasets';
import { SERVING_LIMITS } from '../../../shared/serving';
import { formatZodIssues } from '../../../shared/zod-issues';
import { listRecipeInputs } from '../datasets/recipe';
import type { CellValue } from '../training/data-matrix';
import type { TrainedModel } from '../training/model';

/** A refusal with its HTTP status and MLflow-style error code. */
export class ServingRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errorCode = status === 400 ? 'BAD_REQUEST' : status === 404 ? 'ENDPOINT_NOT_FOUND' : 'INVALID_REQUEST',
  ) {
    super(message);
    this.name = 'ServingRequestError';
  }
}

const bad = (message: string) => new ServingRequestError(400, message);

/** One column a request must carry, in the model's source order. */
export interface InputColumn {
  name: string;
  type: ColumnType;
}

/** What a model reads from a request: its input columns in order, and the known columns it ignores. */
export interface ModelInputs {
  columns: InputColumn[];
  /** The target and the columns training dropped: accepted in records (a row copied from the data) and ignored. */
  ignored: ReadonlySet<string>;
}

/**
 * The request columns of a model: `encoding.sources` (name and type), which
 * with a recipe are the recipe's inputs (listRecipeInputs), in the same order.
 */
export function modelInputsOf(model: TrainedModel): ModelInputs {
  const enc = model.encoding;
  const types = new Map(enc.sources.map((s) => [s.name, s.type]));
  const names = enc.recipe ? listRecipeInputs(enc.recipe) : enc.sources.map((s) => s.name);
  const columns = names.map((name) => ({ name, type: types.get(name) ?? 'number' }));
  const used = new Set(names);
  const ignored = new Set([enc.target, ...enc.dropped.map((d) => d.name)].filter((n) => !used.has(n)));
  return { columns, ignored };
}

/** A model's records, ready for predictRecords. */
export type InputRecord = Record<string, CellValue>;

export interface ParsedRequest {
  records: InputRecord[];
  /** True for the many-row shapes: the answer then holds arrays. */
  many: boolean;
}

// ---------- envelopes ----------

const rows = (field: string) =>
  z
    .array(z.unknown())
    .min(1, `${field} holds no rows.`)
    .max(SERVING_LIMITS.maxRowsPerRequest, `${field} may hold at most ${SERVING_LIMITS.maxRowsPerRequest} rows per request.`);
const recordSchema = z.record(z.string(), z.unknown());
const columnsObject = z.record(z.string(), z.array(z.unknown()));

/** `/predict` bodies: exactly one of these fields. */
export const predictBodySchemas = {
  features: z.strictObject({ features: z.array(z.unknown()) }),
  instances: z.strictObject({ instances: rows('instances') }),
  records: z.strictObject({ records: rows('records') }),
} as const;

/** MLflow `/invocations` bodies (its pyfunc scoring server's formats): exactly one of these fields, `params` allowed beside it. */
export const invocationsBodySchemas = {
  dataframe_split: z.strictObject({
    dataframe_split: z.strictObject({
      columns: z.array(z.string()).min(1, 'dataframe_split.columns names no column.'),
      data: rows('dataframe_split.data'),
      index: z.array(z.unknown()).optional(),
    }),
    params: recordSchema.optional(),
  }),
  dataframe_records: z.strictObject({ dataframe_records: rows('dataframe_records'), params: recordSchema.optional() }),
  instances: z.strictObject({ instances: z.union([rows('instances'), columnsObject]), params: recordSchema.optional() }),
  inputs: z.strictObject({ inputs: z.union([rows('inputs'), columnsObject]), params: recordSchema.optional() }),
} as const;

function pickEnvelope<K extends string>(body: unknown, fields: readonly K[], endpoint: string): K {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw bad(`${endpoint} takes a JSON object with one of: ${fields.join(', ')}.`);
  const present = fields.filter((f) => Object.hasOwn(body, f));
  if (present.length === 1) return present[0];
  if (present.length > 1) throw bad(`Send only one of ${present.join(', ')}.`);
  const keys = Object.keys(body);
  throw bad(
    keys.length
      ? `${endpoint} does not know the field "${clip(keys[0])}"; send one of: ${fields.join(', ')}.`
      : `The body is empty; ${endpoint} takes one of: ${fields.join(', ')}.`,
  );
}

function parseEnvelope<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw bad(formatZodIssues(r.error.issues));
  return r.data;
}

// ---------- cells ----------

const MISSING = new Set(['', 'na', 'nan', 'null', 'none', 'n/a', '?']);
const TRUE_WORDS = new Set(['true', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'no', '0']);

function clip(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(clip(v));
  return String(v);
}

/** Why a cell was refused: the end of the sentence that names it ("must be a number; got "abc"."). */
class CellProblem {
  constructor(readonly text: string) {}
}

/**
 * One cell checked against its column's type and normalised: numbers stay
 * numbers (numeric strings become numbers), missing-value words become null,
 * boolean words become booleans. Anything else is a CellProblem (only then is
 * a sentence built: this runs for every cell of every request).
 */
function checkCell(v: unknown, type: ColumnType): CellValue | CellProblem {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return new CellProblem(`must be a finite number; got ${describe(v)}.`);
    if (type === 'number' || type === 'integer' || type === 'date' || type === 'category' || type === 'text') return v;
  }
  if (typeof v === 'object') return new CellProblem(`must be a single value; got ${describe(v)}.`);
  const missingWord = typeof v === 'string' && MISSING.has(v.trim().toLowerCase());
  switch (type) {
    case 'number':
    case 'integer': {
      if (typeof v === 'string') {
        if (missingWord) return null;
        const n = Number(v.trim());
        if (Number.isFinite(n)) return n;
        if (!Number.isNaN(n)) return new CellProblem(`must be a finite number; got ${describe(v)}.`);
      }
      return new CellProblem(`must be a number; got ${describe(v)}.`);
    }
    case 'boolean': {
      if (typeof v === 'boolean') return v;
      if (missingWord) return null;
      const word = String(v).trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return new CellProblem(`must be true or false; got ${describe(v)}.`);
    }
    case 'date': {
      if (typeof v === 'string') {
        if (missingWord) return null;
        if (!Number.isNaN(Date.parse(v))) return v;
      }
      return new CellProblem(`must be a date (ISO 8601 text or epoch milliseconds); got ${describe(v)}.`);
    }
    default:
      return v as CellValue;
  }
}

/** {@link checkCell}, throwing the refusal with `where` named. */
export function toCell(v: unknown, column: InputColumn, where: string): CellValue {
  const cell = checkCell(v, column.type);
  if (cell instanceof CellProblem) throw bad(`${where} ${cell.text}`);
  return cell;
}

function columnList(inputs: ModelInputs): string {
  const names = inputs.columns.map((c) => c.name);
  return names.length > 25 ? `${names.slice(0, 25).join(', ')}, … (${names.length} in all)` : names.join(', ');
}

/** A row given as values in the model's column order. */
function rowFromArray(row: unknown, inputs: ModelInputs, where: string): InputRecord {
  if (!Array.isArray(row))
    throw bad(`${where} must be an array of ${inputs.columns.length} values or an object of columns; got ${describe(row)}.`);
  const n = inputs.columns.length;
  if (row.length !== n)
    throw bad(
      `${where} has ${row.length} value${row.length === 1 ? '' : 's'}; the model reads ${n}, in this order: ${columnList(inputs)} (null for a missing value).`,
    );
  const rec: InputRecord = {};
  for (let i = 0; i < n; i++) {
    const c = inputs.columns[i];
    const cell = checkCell(row[i], c.type);
    if (cell instanceof CellProblem) throw bad(`${where}[${i}] ("${clip(c.name)}") ${cell.text}`);
    rec[c.name] = cell;
  }
  return rec;
}

/** A row given as `{column: value}`: every input column present, no unknown ones. */
function rowFromRecord(row: unknown, inputs: ModelInputs, where: string): InputRecord {
  if (row === null || typeof row !== 'object' || Array.isArray(row))
    throw bad(`${where} must be an object of columns; got ${describe(row)}.`);
  const given = row as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!inputs.ignored.has(key) && !inputs.columns.some((c) => c.name === key))
      throw bad(`${where} has an unknown column "${clip(key)}"; the model reads: ${columnList(inputs)}.`);
  }
  const rec: InputRecord = {};
  for (const c of inputs.columns) {
    if (!Object.hasOwn(given, c.name)) throw bad(`${where} lacks the column "${clip(c.name)}" (send null for a missing value).`);
    const cell = checkCell(given[c.name], c.type);
    if (cell instanceof CellProblem) throw bad(`${where}.${clip(c.name)} ${cell.text}`);
    rec[c.name] = cell;
  }
  return rec;
}

/** Rows that may each be an array (column order) or an object (by column). */
function rowsFromEither(list: unknown[], inputs: ModelInputs, field: string): InputRecord[] {
  return list.map((row, i) =>
    Array.isArray(row) ? rowFromArray(row, inputs, `${field}[${i}]`) : rowFromRecord(row, inputs, `${field}[${i}]`),
  );
}

/** Columnar input `{column: [values…]}` (MLflow's tensor-style `inputs`). */
function rowsFromColumns(cols: Record<string, unknown[]>, inputs: ModelInputs, field: string): InputRecord[] {
  const lengths = new Set(Object.values(cols).map((v) => v.length));
  if (lengths.size > 1) throw bad(`${field}: every column needs the same number of values (got ${[...lengths].join(', ')}).`);
  const n = lengths.size ? [...lengths][0] : 0;
  if (n === 0) throw bad(`${field} holds no rows.`);
  if (n > SERVING_LIMITS.maxRowsPerRequest) throw bad(`${field} may hold at most ${SERVING_LIMITS.maxRowsPerRequest} rows per request.`);
  return Array.from({ length: n }, (_, r) =>
    rowFromRecord(Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v[r]])), inputs, `${field}[row ${r}]`),
  );
}

// ---------- the two endpoints ----------

/** Parses a `/predict` body: `features` (one row, model column order), `instances` (rows of values) or `records` (rows by column). */
export function parsePredictBody(body: unknown, inputs: ModelInputs): ParsedRequest {
  // The chapter's one-row shape is most requests; when the body is plainly that, its schema accepts it as is.
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const keys = Object.keys(body);
    const features = (body as { features?: unknown }).features;
    if (keys.length === 1 && keys[0] === 'features' && Array.isArray(features))
      return { records: [rowFromArray(features, inputs, 'features')], many: false };
  }
  const kind = pickEnvelope(body, ['features', 'instances', 'records'] as const, 'POST /predict');
  if (kind === 'features') {
    const { features } = parseEnvelope(predictBodySchemas.features, body);
    return { records: [rowFromArray(features, inputs, 'features')], many: false };
  }
  if (kind === 'instances') {
    const { instances } = parseEnvelope(predictBodySchemas.instances, body);
    return { records: rowsFromEither(instances, inputs, 'instances'), many: true };
  }
  const { records } = parseEnvelope(predictBodySchemas.records, body);
  return { records: records.map((r, i) => rowFromRecord(r, inputs, `records[${i}]`)), many: true };
}

/** Parses an MLflow `/invocations` body (`dataframe_split`, `dataframe_records`, `instances` or `inputs`). */
export function parseInvocationsBody(body: unknown, inputs: ModelInputs): InputRecord[] {
  const kind = pickEnvelope(body, ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const, 'POST /invocations');
  if (kind === 'dataframe_split') {
    const { dataframe_split: split } = parseEnvelope(invocationsBodySchemas.dataframe_split, body);
    const { columns, data } = split;
    if (new Set(columns).size !== columns.length) throw bad('dataframe_split.columns names a column twice.');
    return data.map((row, i) => {
      const where = `dataframe_split.data[${i}]`;
      if (!Array.isArray(row)) throw bad(`${where} must be an array of ${columns.length} values; got ${describe(row)}.`);
      if (row.length !== columns.length) throw bad(`${where} has ${row.length} values for ${columns.length} columns.`);
      return rowFromRecord(Object.fromEntries(columns.map((c, j) => [c, row[j]])), inputs, where);
    });
  }
  if (kind === 'dataframe_records') {
    const { dataframe_records: recs } = parseEnvelope(invocationsBodySchemas.dataframe_records, body);
    return recs.map((r, i) => rowFromRecord(r, inputs, `dataframe_records[${i}]`));
  }
  const parsed = parseEnvelope(invocationsBodySchemas[kind], body) as Record<string, unknown[] | Record<string, unknown[]>>;
  const value = parsed[kind];
  return Array.isArray(value) ? rowsFromEither(value, inputs, kind) : rowsFromColumns(value, inputs, kind);
}
