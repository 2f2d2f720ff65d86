/**
 * Turns a plain in-memory table into the numeric, column-major matrix the
 * learners use, and records the encoding so the same transformation is
 * replayed at prediction time (it is stored inside the model).
 */
import type { CellValue as StoredCellValue, ColumnType, DataTable, Recipe, RecipeSpec } from '../../../shared/datasets';
import type { TrainTask } from '../../../shared/training';
import { applyRecipeToRecord, fitRecipe, type RecipeRecord } from '../datasets/recipe';
import { gatherRows } from './binning';
import { TrainingError } from './errors';

export type { ColumnType };
/** A cell as the engine reads it: a stored cell, or undefined for a field a record to predict lacks. */
export type CellValue = StoredCellValue | undefined;

/** One column of a table: values in row order, `null` for missing. */
export interface TableColumn {
  name: string;
  type: ColumnType;
  values: CellValue[];
}

/**
 * A column-major table, the engine's input (the datasets capability reads
 * row-major {@link DataTable}s; {@link toColumnTable} turns one into this).
 */
export interface ColumnTable {
  columns: TableColumn[];
}

/** Row-major (datasets) table → column-major (training) table. */
export function toColumnTable(t: Pick<DataTable, 'rows'> & { columns: readonly { name: string; type: ColumnType }[] }): ColumnTable {
  return {
    columns: t.columns.map((c, j) => ({ name: c.name, type: c.type, values: t.rows.map((r) => r[j] ?? null) })),
  };
}

/** How one source column became one or more matrix columns. */
export interface SourceFeature {
  name: string;
  type: ColumnType;
  /** For category columns: the one-hot categories, in matrix order. */
  categories?: string[];
}

/** Everything needed to re-encode new rows exactly as the training rows were. */
export interface Encoding {
  target: string;
  task: TrainTask;
  /** Class labels (classification), index = class code. */
  classes?: string[];
  sources: SourceFeature[];
  /** Matrix column names: numeric columns keep their name, one-hot columns are `name=category`. */
  featureNames: string[];
  /** Columns not used as features and why (`text`, `all-missing`; `recipe` for a recipe's drops). */
  dropped: { name: string; reason: string }[];
  /**
   * The datasets preprocessing recipe fitted on the training rows, when the
   * run used one: it replaces the built-in encoding of `sources` (records are
   * imputed, scaled and one-hot encoded by it, in `featureNames` order).
   */
  recipe?: Recipe;
}

/** Raw rows kept with a recipe data set so every split part (and CV fold) refits the recipe on its own training rows. */
export interface RecipeRaw {
  spec: RecipeSpec;
  columns: DataTable['columns'];
  /** Row-major cells, aligned with `y`. */
  rows: DataTable['rows'];
}

/** A numeric data set: column-major X (NaN = missing), target y (class index or value). */
export interface Dataset {
  X: Float64Array;
  nRows: number;
  nFeatures: number;
  y: Float64Array;
  nClasses: number; // 0 for regression
  encoding: Encoding;
  /** Notes on what was done to the input (dropped rows/columns). */
  warnings: string[];
  /** Present when features come from a recipe: the raw rows to refit it on any subset. */
  raw?: RecipeRaw;
}

/** Options of {@link tableToDataset}. */
export interface TableToDatasetOptions {
  target: string;
  /** Forced task; by default inferred from the target column. */
  task?: TrainTask;
  /** Feature columns to use (default: all but the target). */
  features?: string[];
  /** Most frequent categories kept per category column (rest encode as all zeros). */
  maxCategories?: number;
}

const MISSING_STRINGS = new Set(['', 'na', 'nan', 'null', 'none', 'n/a', '?']);

/** True when the cell counts as missing. */
export function isMissingCell(v: CellValue): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'number') return Number.isNaN(v);
  if (typeof v === 'string') return MISSING_STRINGS.has(v.trim().toLowerCase());
  return false;
}

function cellToNumber(v: CellValue, type: ColumnType, column: string): number {
  if (isMissingCell(v)) return NaN;
  let x: number;
  if (typeof v === 'boolean') x = v ? 1 : 0;
  else if (type === 'boolean' && typeof v === 'string') {
    const s = v.trim().toLowerCase();
    x = s === 'true' || s === 'yes' || s === '1' ? 1 : s === 'false' || s === 'no' || s === '0' ? 0 : NaN;
  } else if (type === 'date' && typeof v === 'string') x = Date.parse(v);
  else x = typeof v === 'number' ? v : Number(v);
  // A value that does not parse as the column's type counts as missing (the data profile reports it as invalid).
  if (Number.isNaN(x)) return NaN;
  if (!Number.isFinite(x)) {
    throw new TrainingError('NON_FINITE_VALUE', `Column "${column}" contains an infinite value; replace it or mark it missing`, { column });
  }
  return x;
}

function cellToLabel(v: CellValue): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v).trim();
}

/** Sort labels numerically when they all look like numbers, else lexicographically (as numpy.unique would for their type). */
export function sortLabels(labels: string[]): string[] {
  const allNumeric = labels.every((l) => l !== '' && Number.isFinite(Number(l)));
  return allNumeric ? [...labels].sort((a, b) => Number(a) - Number(b)) : [...labels].sort();
}

function inferTask(col: TableColumn): TrainTask {
  if (col.type === 'category' || col.type === 'boolean' || col.type === 'text') return 'classification';
  // Numeric target: integer codes with few distinct values are class labels (like sklearn's type_of_target).
  const distinct = new Set<number>();
  for (const v of col.values) {
    if (isMissingCell(v)) continue;
    const x = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(x)) return 'regression';
    distinct.add(x);
    if (distinct.size > 20) return 'regression';
  }
  return 'classification';
}

/** The target of a table: task, kept rows (target present), codes or values, class labels. */
export function encodeTarget(
  table: ColumnTable,
  opts: Pick<TableToDatasetOptions, 'target' | 'task'>,
): { task: TrainTask; keep: number[]; y: Float64Array; classes?: string[]; warnings: string[] } {
  const cols = table.columns;
  if (!cols.length) throw new TrainingError('EMPTY_DATA', 'The table has no columns');
  const targetCol = cols.find((c) => c.name === opts.target);
  if (!targetCol) throw new TrainingError('UNKNOWN_COLUMN', `Unknown target column "${opts.target}"`, { column: opts.target });
  const nAll = targetCol.values.length;
  for (const c of cols) {
    if (c.values.length !== nAll)
      throw new TrainingError('BAD_INPUT', `Column "${c.name}" has ${c.values.length} values, expected ${nAll}`);
  }
  const warnings: string[] = [];
  const task = opts.task ?? inferTask(targetCol);

  // Rows kept: target present.
  const keep: number[] = [];
  for (let i = 0; i < nAll; i++) if (!isMissingCell(targetCol.values[i])) keep.push(i);
  if (keep.length < nAll) warnings.push(`${nAll - keep.length} rows with a missing target were dropped`);
  const n = keep.length;
  if (n === 0) throw new TrainingError('EMPTY_DATA', 'No rows with a target value');

  const y = new Float64Array(n);
  let classes: string[] | undefined;
  if (task === 'classification') {
    const labels = keep.map((i) => cellToLabel(targetCol.values[i]));
    classes = sortLabels([...new Set(labels)]);
    if (classes.length < 2)
      throw new TrainingError(
        'ONE_CLASS',
        `The target "${opts.target}" has only one class (${classes[0]}); classification needs at least two`,
      );
    if (classes.length > n / 2) {
      throw new TrainingError(
        'TOO_MANY_CLASSES',
        `The target "${opts.target}" has ${classes.length} classes for ${n} rows; classification needs on average at least 2 rows per class`,
        { classes: classes.length, rows: n },
      );
    }
    const index = new Map(classes.map((c, k) => [c, k]));
    for (let r = 0; r < n; r++) y[r] = index.get(labels[r])!;
  } else {
    if (targetCol.type === 'category' || targetCol.type === 'text' || targetCol.type === 'boolean') {
      throw new TrainingError('NON_NUMERIC_TARGET', `Regression needs a numeric target; "${opts.target}" is ${targetCol.type}`);
    }
    for (let r = 0; r < n; r++) {
      const v = targetCol.values[keep[r]];
      const x = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(x))
        throw new TrainingError('NON_NUMERIC_TARGET', `Regression needs a numeric target; "${opts.target}" has value ${JSON.stringify(v)}`);
      y[r] = x;
    }
  }
  return { task, keep, y, classes, warnings };
}

/**
 * Encode a table into a numeric data set.
 * Behaviour on awkward input (documented in MODEL-FORMAT.md):
 * rows with a missing target are dropped; all-missing and text columns are
 * dropped; constant columns are kept (they never split); NaN/null are
 * missing; ±Infinity is an error.
 */
export function tableToDataset(table: ColumnTable, opts: TableToDatasetOptions): Dataset {
  const cols = table.columns;
  const { task, keep, y, classes, warnings } = encodeTarget(table, opts);
  const n = keep.length;

  const featureCols = opts.features
    ? opts.features.map((f) => {
        const c = cols.find((cc) => cc.name === f);
        if (!c) throw new TrainingError('UNKNOWN_COLUMN', `Unknown feature column "${f}"`, { column: f });
        return c;
      })
    : cols.filter((c) => c.name !== opts.target);

  const sources: SourceFeature[] = [];
  const dropped: { name: string; reason: string }[] = [];
  const maxCat = opts.maxCategories ?? 100;
  for (const c of featureCols) {
    if (c.name === opts.target) continue;
    // Missing first: an import types an all-empty column as text, and the user should hear it is empty.
    let present = 0;
    for (const i of keep) if (!isMissingCell(c.values[i])) present++;
    if (present === 0) {
      dropped.push({ name: c.name, reason: 'all-missing' });
      warnings.push(`Column "${c.name}" is entirely missing and was not used`);
      continue;
    }
    if (c.type === 'text') {
      dropped.push({ name: c.name, reason: 'text' });
      continue;
    }
    if (c.type === 'category') {
      const counts = new Map<string, number>();
      for (const i of keep) {
        const v = c.values[i];
        if (isMissingCell(v)) continue;
        const l = cellToLabel(v);
        counts.set(l, (counts.get(l) ?? 0) + 1);
      }
      let cats = [...counts.keys()];
      if (cats.length > maxCat) {
        cats = cats.sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : 1)).slice(0, maxCat);
        warnings.push(`Column "${c.name}": only the ${maxCat} most frequent categories are encoded`);
      }
      sources.push({ name: c.name, type: c.type, categories: sortLabels(cats) });
    } else sources.push({ name: c.name, type: c.type });
  }
  if (!sources.length) throw new TrainingError('NO_FEATURES', 'No usable feature columns');
  const encoding: Encoding = { target: opts.target, task, classes, sources, featureNames: featureNamesOf(sources), dropped };
  const byName = new Map(featureCols.map((c) => [c.name, c]));
  const X = encodeColumns(encoding, (name) => byName.get(name)!.values, n, keep);
  return { X, nRows: n, nFeatures: encoding.featureNames.length, y, nClasses: classes ? classes.length : 0, encoding, warnings };
}

function featureNamesOf(sources: SourceFeature[]): string[] {
  const names: string[] = [];
  for (const s of sources) {
    if (s.categories) for (const c of s.categories) names.push(`${s.name}=${c}`);
    else names.push(s.name);
  }
  return names;
}

function encodeColumns(enc: Encoding, valuesOf: (name: string) => CellValue[] | undefined, n: number, rows?: number[]): Float64Array {
  const p = enc.featureNames.length;
  const X = new Float64Array(n * p);
  let f = 0;
  for (const s of enc.sources) {
    const vals = valuesOf(s.name);
    if (s.categories) {
      const index = new Map(s.categories.map((c, k) => [c, k]));
      const width = s.categories.length;
      for (let r = 0; r < n; r++) {
        const v = vals ? vals[rows ? rows[r] : r] : null;
        if (isMissingCell(v)) continue; // missing / unseen category: all zeros
        const k = index.get(cellToLabel(v));
        if (k !== undefined) X[(f + k) * n + r] = 1;
      }
      f += width;
    } else {
      const off = f * n;
      for (let r = 0; r < n; r++) X[off + r] = vals ? cellToNumber(vals[rows ? rows[r] : r], s.type, s.name) : NaN;
      f++;
    }
  }
  return X;
}

/** Column-major matrix of records through a fitted recipe (imputation, scaling, one-hot). */
function recipeMatrix(recipe: Recipe, n: number, recordAt: (r: number) => RecipeRecord): Float64Array {
  const p = recipe.featureNames.length;
  const X = new Float64Array(n * p);
  for (let r = 0; r < n; r++) {
    const v = applyRecipeToRecord(recipe, recordAt(r));
    for (let f = 0; f < p; f++) X[f * n + r] = v[f];
  }
  return X;
}

/** Encode new rows (records keyed by column name) with a training encoding. Unknown/missing columns become missing values (imputed when the encoding has a recipe). */
export function encodeRecords(enc: Encoding, records: Record<string, CellValue>[]): Float64Array {
  const n = records.length;
  if (enc.recipe) return recipeMatrix(enc.recipe, n, (r) => records[r]);
  return encodeColumns(enc, (name) => records.map((r) => r[name]), n);
}

/** Encode a table (e.g. a new data set version) with a training encoding. */
export function encodeTable(enc: Encoding, table: ColumnTable): { X: Float64Array; nRows: number } {
  const n = table.columns.length ? table.columns[0].values.length : 0;
  if (enc.recipe) {
    return { X: recipeMatrix(enc.recipe, n, (r) => Object.fromEntries(table.columns.map((c) => [c.name, c.values[r]]))), nRows: n };
  }
  const byName = new Map(table.columns.map((c) => [c.name, c.values]));
  return { X: encodeColumns(enc, (name) => byName.get(name), n), nRows: n };
}

/** Options of {@link tableToRecipeDataset}. */
export interface RecipeDatasetOptions {
  target: string;
  task?: TrainTask;
  /** Feature columns to use (default: all but the target); the others are added to the recipe's drops. */
  features?: string[];
}

/**
 * Encode a row-major table with a preprocessing recipe spec instead of the
 * built-in encoding. The recipe is fitted on the rows given (all rows with a
 * target, here); the raw rows are kept so {@link splitRecipeDataset} refits it
 * on each training part — like a scikit-learn Pipeline, the held-out rows
 * never inform imputation, scaling or the one-hot categories. The target is
 * never transformed: the spec's target is set to it.
 */
export function tableToRecipeDataset(table: DataTable, spec: RecipeSpec, opts: RecipeDatasetOptions): Dataset {
  const ti = table.columns.findIndex((c) => c.name === opts.target);
  const targetTable: ColumnTable = {
    columns: ti < 0 ? [] : [{ name: opts.target, type: table.columns[ti].type, values: table.rows.map((r) => r[ti]) }],
  };
  if (ti < 0) throw new TrainingError('UNKNOWN_COLUMN', `Unknown target column "${opts.target}"`, { column: opts.target });
  if (spec.drop.includes(opts.target))
    throw new TrainingError('BAD_INPUT', `The recipe drops the target "${opts.target}"; a recipe must leave the target alone`, {
      column: opts.target,
    });
  for (const f of opts.features ?? [])
    if (!table.columns.some((c) => c.name === f)) throw new TrainingError('UNKNOWN_COLUMN', `Unknown feature column "${f}"`, { column: f });
  const { task, keep, y, classes, warnings } = encodeTarget(targetTable, opts);
  const unused = opts.features ? table.columns.map((c) => c.name).filter((c) => c !== opts.target && !opts.features!.includes(c)) : [];
  const raw: RecipeRaw = {
    spec: { ...spec, target: opts.target, drop: [...spec.drop, ...unused.filter((c) => !spec.drop.includes(c))] },
    columns: table.columns,
    rows: keep.map((i) => table.rows[i]),
  };
  const head = { task, classes, target: opts.target };
  return { ...fitRecipeRows(raw, head, raw.rows.map((_, i) => i), y)[0], warnings, raw };
}

function recordOf(columns: DataTable['columns'], row: DataTable['rows'][number]): RecipeRecord {
  const rec: RecipeRecord = {};
  for (let i = 0; i < columns.length; i++) rec[columns[i].name] = row[i];
  return rec;
}

/** Fit the recipe on raw rows `fitRows` and encode them and (optionally) `otherRows` with it. */
function fitRecipeRows(
  raw: RecipeRaw,
  head: { task: TrainTask; classes?: string[]; target: string },
  fitRows: ArrayLike<number>,
  y: Float64Array,
  otherRows?: ArrayLike<number>,
): Dataset[] {
  const fitTable: DataTable = { columns: raw.columns, rows: Array.from(fitRows, (i) => raw.rows[i]) };
  const recipe = fitRecipe(fitTable, raw.spec);
  if (!recipe.featureNames.length) throw new TrainingError('NO_FEATURES', 'The recipe leaves no feature columns');
  const types = new Map(raw.columns.map((c) => [c.name, c.type]));
  const encoding: Encoding = {
    target: head.target,
    task: head.task,
    classes: head.classes,
    sources: recipe.steps.map((s) => ({ name: s.column, type: types.get(s.column) ?? 'number' })),
    featureNames: recipe.featureNames,
    dropped: recipe.dropped.map((name) => ({ name, reason: 'recipe' })),
    recipe,
  };
  const part = (rows: ArrayLike<number>): Dataset => {
    const n = rows.length;
    const sub: RecipeRaw = { ...raw, rows: Array.from(rows, (i) => raw.rows[i]) };
    const X = recipeMatrix(recipe, n, (r) => recordOf(raw.columns, sub.rows[r]));
    const yy = Float64Array.from(rows, (i) => y[i]);
    return { X, nRows: n, nFeatures: recipe.featureNames.length, y: yy, nClasses: head.classes ? head.classes.length : 0, encoding, warnings: [], raw: sub };
  };
  return otherRows ? [part(fitRows), part(otherRows)] : [part(fitRows)];
}

/**
 * Split a data set into a training part and a held-out part. With a recipe
 * data set the recipe is refitted on the training part only and both parts
 * are encoded with that fit; otherwise rows are simply selected.
 */
export function splitDataset(ds: Dataset, trainRows: ArrayLike<number>, otherRows: ArrayLike<number>): [Dataset, Dataset] {
  if (!ds.raw) return [subsetDataset(ds, trainRows), subsetDataset(ds, otherRows)];
  const [a, b] = fitRecipeRows(ds.raw, { task: ds.encoding.task, classes: ds.encoding.classes, target: ds.encoding.target }, trainRows, ds.y, otherRows);
  return [a, b];
}

/** Map predicted class indices back to labels. */
export function decodeClasses(enc: Encoding, codes: ArrayLike<number>): string[] {
  if (!enc.classes) throw new TrainingError('BAD_INPUT', 'Not a classification encoding');
  return Array.from(codes, (k) => enc.classes![k]);
}

/** Build a data set directly from a column-major matrix (for callers that already have numbers). */
export function matrixToDataset(
  X: Float64Array,
  nRows: number,
  nFeatures: number,
  y: ArrayLike<number>,
  opts: { task: TrainTask; featureNames?: string[]; classes?: string[]; target?: string },
): Dataset {
  if (X.length !== nRows * nFeatures) throw new TrainingError('BAD_INPUT', `Matrix has ${X.length} values, expected ${nRows}×${nFeatures}`);
  if (y.length !== nRows) throw new TrainingError('BAD_INPUT', `Target has ${y.length} values, expected ${nRows}`);
  if (nRows === 0) throw new TrainingError('EMPTY_DATA', 'No rows');
  for (let i = 0; i < X.length; i++) {
    if (X[i] === Infinity || X[i] === -Infinity)
      throw new TrainingError('NON_FINITE_VALUE', `Feature ${Math.floor(i / nRows)} contains an infinite value`);
  }
  const featureNames = opts.featureNames ?? Array.from({ length: nFeatures }, (_, j) => `x${j}`);
  const yy = Float64Array.from(y);
  let classes = opts.classes;
  if (opts.task === 'classification') {
    let maxK = 0;
    for (let i = 0; i < nRows; i++) {
      if (!Number.isInteger(yy[i]) || yy[i] < 0) throw new TrainingError('BAD_INPUT', 'Class codes must be non-negative integers');
      if (yy[i] > maxK) maxK = yy[i];
    }
    classes = classes ?? Array.from({ length: maxK + 1 }, (_, k) => String(k));
    if (new Set(yy).size < 2) throw new TrainingError('ONE_CLASS', 'The target has only one class');
  } else {
    for (let i = 0; i < nRows; i++)
      if (!Number.isFinite(yy[i])) throw new TrainingError('NON_NUMERIC_TARGET', 'Regression target must be finite numbers');
  }
  const encoding: Encoding = {
    target: opts.target ?? 'y',
    task: opts.task,
    classes,
    sources: featureNames.map((name) => ({ name, type: 'number' as const })),
    featureNames,
    dropped: [],
  };
  return { X, nRows, nFeatures, y: yy, nClasses: classes ? classes.length : 0, encoding, warnings: [] };
}

/** Select rows of a data set (used by splits and CV). */
export function subsetDataset(ds: Dataset, rows: ArrayLike<number>): Dataset {
  const n = rows.length;
  const X = gatherRows(ds.X, ds.nRows, ds.nFeatures, rows);
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) y[r] = ds.y[rows[r]];
  const out: Dataset = { ...ds, X, y, nRows: n, warnings: [] };
  if (ds.raw) out.raw = { ...ds.raw, rows: Array.from(rows, (i) => ds.raw!.rows[i]) };
  return out;
}
