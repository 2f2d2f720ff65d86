import { z } from 'zod';
import { defineChannel } from '../contract';
import {
  csvOptionsSchema,
  delimiterSchema,
  encodingSchema,
  recipeSpecSchema,
  validationSuiteSchema,
  type CellValue,
  type ColumnSchema,
  type CsvOptions,
  type DatasetDiff,
  type DatasetProfile,
  type Recipe,
  type RecipeSpec,
  type SniffResult,
  type SuiteResult,
  type ValidationSuite,
} from '../datasets';
import type { JobRecord } from '../jobs';

const id = z.number().int().positive();
const filePath = z.string().min(1).max(4096);
/** Dataset names appear in CLI references (NAME@TAG), so no '@' and no slashes. */
export const datasetNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^@/\\]+$/, 'must not contain @, / or \\');
export const versionTagSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^@/\\\s]+$/, 'must not contain spaces, @, / or \\');

/** One immutable version of a dataset, as listed. */
export interface DatasetVersionSummary {
  id: number;
  datasetId: number;
  tag: string;
  sha256: string;
  size: number;
  rows: number;
  columns: number;
  createdAt: string;
  sourceName: string;
}

/** A full version: schema, read options, profile. */
export interface DatasetVersion extends DatasetVersionSummary {
  datasetName: string;
  sourcePath: string;
  md5: string | null;
  schema: ColumnSchema[];
  csvOptions: CsvOptions;
  profile: DatasetProfile;
}

/** A dataset with its versions, newest first. */
export interface DatasetSummary {
  id: number;
  name: string;
  createdAt: string;
  versions: DatasetVersionSummary[];
}

/** What an import job reports when it succeeds. */
export interface ImportResult {
  datasetId: number;
  versionId: number;
  name: string;
  tag: string;
  sha256: string;
  rows: number;
  /** 'version': the dataset already had these exact bytes (no new version); 'object': bytes shared with another dataset (no second copy). */
  reused: 'none' | 'object' | 'version';
  message: string;
}

/** A saved validation suite. */
export interface SuiteRecord {
  id: number;
  datasetId: number;
  name: string;
  rules: ValidationSuite['rules'];
  createdAt: string;
  updatedAt: string;
}

/** A stored outcome of running a suite on a version. */
export interface ValidationResultRecord {
  id: number;
  suiteId: number | null;
  versionId: number;
  suiteName: string;
  passed: boolean;
  createdAt: string;
  result: SuiteResult;
}

/** A saved, fitted recipe. */
export interface RecipeRecord {
  id: number;
  datasetId: number;
  versionId: number;
  name: string;
  recipe: Recipe;
  createdAt: string;
}

/** The recipe applied to the first rows, for the editor's preview. */
export interface RecipePreview {
  recipe: Recipe;
  columns: ColumnSchema[];
  input: CellValue[][];
  output: number[][];
  /** Rows the preview's recipe was fitted on (the first rows of the version). */
  fittedOnRows: number;
}

const sniffOverrides = z
  .object({
    delimiter: delimiterSchema.optional(),
    hasHeader: z.boolean().optional(),
    encoding: encodingSchema.optional(),
    missingMarkers: z.array(z.string().max(20)).max(32).optional(),
  })
  .strict();

export const importRequestSchema = z
  .object({
    path: filePath,
    name: datasetNameSchema,
    tag: versionTagSchema,
    options: csvOptionsSchema,
    /** File name shown in the UI (a staged upload has a temp path). */
    sourceName: z.string().max(500).optional(),
  })
  .strict();
export type ImportRequest = z.infer<typeof importRequestSchema>;

export const datasetChannels = {
  'datasets:sniff': defineChannel(z.object({ path: filePath, overrides: sniffOverrides.optional() }).strict())<SniffResult>(),
  'datasets:import': defineChannel(importRequestSchema)<JobRecord>(),
  'datasets:importSample': defineChannel(z.object({}).strict())<JobRecord>(),
  'datasets:list': defineChannel(z.object({}).strict())<DatasetSummary[]>(),
  'datasets:version': defineChannel(z.object({ id }).strict())<DatasetVersion>(),
  'datasets:diff': defineChannel(z.object({ a: id, b: id }).strict())<DatasetDiff>(),
  'datasets:export': defineChannel(z.object({ id, destination: filePath.optional() }).strict())<{ path: string; bytes: number }>(),
  'datasets:readText': defineChannel(z.object({ id }).strict())<{ name: string; text: string }>(),
  'validation:listSuites': defineChannel(z.object({ datasetId: id }).strict())<SuiteRecord[]>(),
  'validation:saveSuite': defineChannel(z.object({ datasetId: id, id: id.optional(), suite: validationSuiteSchema }).strict())<SuiteRecord>(),
  'validation:deleteSuite': defineChannel(z.object({ id }).strict())<{ deleted: boolean }>(),
  'validation:suggest': defineChannel(z.object({ versionId: id, name: z.string().min(1).max(200).optional() }).strict())<ValidationSuite>(),
  'validation:run': defineChannel(z.object({ suiteId: id, versionId: id }).strict())<JobRecord>(),
  'validation:listResults': defineChannel(z.object({ versionId: id }).strict())<ValidationResultRecord[]>(),
  'recipes:list': defineChannel(z.object({ datasetId: id }).strict())<RecipeRecord[]>(),
  'recipes:preview': defineChannel(z.object({ versionId: id, spec: recipeSpecSchema, rows: z.number().int().min(1).max(50).default(10) }).strict())<RecipePreview>(),
  'recipes:save': defineChannel(z.object({ versionId: id, name: z.string().trim().min(1).max(200), spec: recipeSpecSchema }).strict())<JobRecord>(),
  'recipes:get': defineChannel(z.object({ id }).strict())<RecipeRecord>(),
};

export type { RecipeSpec };
