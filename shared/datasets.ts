/**
 * Dataset domain types and zod schemas shared by main, workers, renderer and CLI.
 * No Node or DOM imports here: this file is bundled into the renderer too.
 */
import { z } from 'zod';

/** Column types the sniffer infers and the user can correct in the import wizard. */
export const columnTypeSchema = z.enum(['number', 'integer', 'category', 'boolean', 'date', 'text']);
export type ColumnType = z.infer<typeof columnTypeSchema>;

/** Text encodings we accept. Latin-1 is never guessed: the user picks it. */
export const encodingSchema = z.enum(['utf-8', 'utf-8-bom', 'latin1']);
export type TextEncoding = z.infer<typeof encodingSchema>;

/** Field delimiters the sniffer tries. */
export const delimiterSchema = z.enum([',', ';', '\t', '|']);
export type Delimiter = z.infer<typeof delimiterSchema>;

/** Default missing-value markers (compared exactly, after no trimming). */
export const DEFAULT_MISSING_MARKERS: readonly string[] = ['', 'NA', 'NaN', 'null', '?'];

/** One column of a dataset schema. */
export const columnSchemaSchema = z
  .object({
    name: z.string().min(1).max(1000),
    type: columnTypeSchema,
  })
  .strict();
export type ColumnSchema = z.infer<typeof columnSchemaSchema>;

/** How to read a CSV: the sniffed values, possibly corrected by the user. */
export const csvOptionsSchema = z
  .object({
    delimiter: delimiterSchema,
    hasHeader: z.boolean(),
    encoding: encodingSchema,
    missingMarkers: z.array(z.string().max(100)).max(32),
    /** Column types and names in file order (the header's names, possibly corrected in the wizard). */
    columns: z.array(columnSchemaSchema).min(1).max(10_000),
    /** What to do with rows whose field count differs from the header: fail (default) or skip them. */
    raggedRows: z.enum(['error', 'skip']).default('error'),
  })
  .strict();
export type CsvOptions = z.infer<typeof csvOptionsSchema>;

/** What the sniffer found in the head of a file, for the import wizard. */
export interface SniffResult {
  delimiter: Delimiter;
  hasHeader: boolean;
  encoding: TextEncoding;
  missingMarkers: string[];
  columns: ColumnSchema[];
  /** First rows as decoded strings (header excluded), for the preview grid. */
  previewRows: string[][];
  /** Non-fatal findings, e.g. "column 3 has no name, called col_3". */
  warnings: string[];
  fileSize: number;
}

/** Histogram bin of a numeric column. */
export interface HistogramBin {
  lo: number;
  hi: number;
  count: number;
}

/** Per-column profile. Numeric fields are present for number/integer columns only. */
export interface ColumnProfile {
  name: string;
  type: ColumnType;
  count: number;
  missing: number;
  missingShare: number;
  /** Values that did not parse as the column type (e.g. "abc" in a number column). */
  invalid: number;
  /** First row numbers (1-based data rows) with invalid values. */
  invalidExamples: number[];
  distinct: number;
  /** True when the distinct set hit its cap: `distinct` is then a lower bound. */
  distinctCapped: boolean;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  q25?: number;
  median?: number;
  q75?: number;
  /** True when quantiles come from a uniform reservoir sample (very large files). */
  quantilesApproximate?: boolean;
  histogram?: HistogramBin[];
  /** Most frequent values (categories, booleans, text, dates) with their counts. */
  topValues?: { value: string; count: number }[];
  /** Lexicographic min/max of date columns (ISO strings sort by time). */
  minText?: string;
  maxText?: string;
}

/** Whole-dataset profile produced by the one-pass import. */
export interface DatasetProfile {
  rows: number;
  columns: ColumnProfile[];
  duplicateRows: number;
  /** Rows skipped because their field count was wrong (only with raggedRows: 'skip'). */
  skippedRows: number;
  /** Lines (1-based, physical) of the first skipped rows. */
  skippedExamples: number[];
  warnings: string[];
}

/** Result of hashing + parsing + profiling a file in one pass. */
export interface ImportScan {
  sha256: string;
  md5?: string;
  size: number;
  mtimeMs: number;
  profile: DatasetProfile;
}

// ---------- Validation suites ----------

const columnRef = z.string().min(1).max(1000);
const optionalNumber = z.number().finite().optional();

/** A single Great Expectations-like rule. */
export const validationRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('column_exists'), column: columnRef }).strict(),
  z.object({ kind: z.literal('not_null'), column: columnRef, maxMissingShare: z.number().min(0).max(1).default(0) }).strict(),
  z.object({ kind: z.literal('between'), column: columnRef, min: optionalNumber, max: optionalNumber }).strict(),
  z.object({ kind: z.literal('in_set'), column: columnRef, values: z.array(z.string().max(1000)).min(1).max(10_000) }).strict(),
  z.object({ kind: z.literal('unique'), column: columnRef }).strict(),
  z.object({ kind: z.literal('matches_regex'), column: columnRef, pattern: z.string().min(1).max(1000) }).strict(),
  z.object({ kind: z.literal('type_is'), column: columnRef, type: columnTypeSchema }).strict(),
  z.object({ kind: z.literal('mean_between'), column: columnRef, min: optionalNumber, max: optionalNumber }).strict(),
  z.object({ kind: z.literal('min_between'), column: columnRef, min: optionalNumber, max: optionalNumber }).strict(),
  z.object({ kind: z.literal('max_between'), column: columnRef, min: optionalNumber, max: optionalNumber }).strict(),
  z.object({ kind: z.literal('row_count_between'), min: optionalNumber, max: optionalNumber }).strict(),
]);
export type ValidationRule = z.infer<typeof validationRuleSchema>;
export type ValidationRuleKind = ValidationRule['kind'];

/** A named suite of rules attached to a dataset. */
export const validationSuiteSchema = z
  .object({
    name: z.string().min(1).max(200),
    rules: z.array(validationRuleSchema).max(1000),
  })
  .strict();
export type ValidationSuite = z.infer<typeof validationSuiteSchema>;

/** Outcome of one rule. */
export interface RuleResult {
  rule: ValidationRule;
  passed: boolean;
  /** The measured value (missing share, mean, row count, count of failing values…). */
  observed: number | string | null;
  /** Count of rows violating a row-level rule. */
  failingCount: number;
  /** First failing data rows (1-based) with the offending value. */
  failingExamples: { row: number; value: string }[];
  message: string;
}

/** Outcome of running a suite over a dataset version. */
export interface SuiteResult {
  suiteName: string;
  passed: boolean;
  rows: number;
  results: RuleResult[];
  durationMs: number;
}

// ---------- Preprocessing recipes ----------

/** What the user asks for; fitting turns this into a Recipe with learned values. */
export const recipeSpecSchema = z
  .object({
    /** Target column: left out of the features. */
    target: z.string().max(1000).optional(),
    drop: z.array(z.string().max(1000)).max(10_000).default([]),
    numericImpute: z.enum(['median', 'mean', 'constant']).default('median'),
    numericConstant: z.number().finite().default(0),
    categoricalImpute: z.enum(['mode', 'constant']).default('mode'),
    categoricalConstant: z.string().max(200).default('missing'),
    scale: z.boolean().default(true),
    oneHot: z.boolean().default(true),
    /** Categories beyond the k most frequent go to an "other" bucket. */
    topK: z.number().int().min(1).max(1000).default(20),
  })
  .strict();
export type RecipeSpec = z.infer<typeof recipeSpecSchema>;

/** A fitted numeric step. */
export const numericStepSchema = z.object({
  column: z.string(),
  kind: z.literal('numeric'),
  impute: z.number(),
  scaleMean: z.number().nullable(),
  scaleStd: z.number().nullable(),
});
/** A fitted categorical step (booleans are treated as categories "true"/"false"). */
export const categoricalStepSchema = z.object({
  column: z.string(),
  kind: z.literal('categorical'),
  impute: z.string(),
  categories: z.array(z.string()),
  oneHot: z.boolean(),
  /** Whether an "other" bucket column exists (categories were cut to top k). */
  other: z.boolean(),
});
export const recipeStepSchema = z.discriminatedUnion('kind', [numericStepSchema, categoricalStepSchema]);
export type RecipeStep = z.infer<typeof recipeStepSchema>;

/** A fitted, replayable recipe (stored as JSON with a run and a model). */
export const recipeSchema = z.object({
  version: z.literal(1),
  spec: recipeSpecSchema,
  steps: z.array(recipeStepSchema),
  featureNames: z.array(z.string()),
  dropped: z.array(z.string()),
});
export type Recipe = z.infer<typeof recipeSchema>;

/** A cell of an in-memory table: numbers for numeric columns, strings otherwise, null when missing. */
export type CellValue = number | string | boolean | null;

/** A small in-memory table (row-major), used by recipes, previews and training. */
export interface DataTable {
  columns: ColumnSchema[];
  rows: CellValue[][];
}

// ---------- Diff ----------

/** Change of one statistic between two versions. */
export interface StatChange {
  stat: string;
  before: number | null;
  after: number | null;
  delta: number | null;
  /** Relative change (delta / |before|), null when before is 0 or missing. */
  relative: number | null;
}

/** Schema and statistics difference between two dataset versions. */
export interface DatasetDiff {
  added: ColumnSchema[];
  removed: ColumnSchema[];
  retyped: { name: string; before: ColumnType; after: ColumnType }[];
  rowsBefore: number;
  rowsAfter: number;
  rowDelta: number;
  duplicateRowsBefore: number;
  duplicateRowsAfter: number;
  columns: { name: string; changes: StatChange[] }[];
}

/** Missing share above which the profile warns (the chapter's 30%). */
export const MISSING_WARN_SHARE = 0.3;
