/**
 * Import of an MLflow file store (an `mlruns/` folder) and export to one:
 * the requests (parsed by the IPC handlers and the CLI alike) and the report a
 * finished job carries.
 */
import { z } from 'zod';

const dirSchema = z
  .string()
  .trim()
  .min(1, 'Enter the path of a folder.')
  .max(4096, 'The folder path is longer than 4096 characters.')
  // eslint-disable-next-line no-control-regex
  .refine((p) => !/[\x00-\x1f]/.test(p), 'The folder path contains a control character.');

export const mlflowImportSchema = z.strictObject({
  /** The mlruns folder (the one holding `0/meta.yaml`, `models/`, …). */
  dir: dirSchema,
});
export type MlflowImportRequest = z.output<typeof mlflowImportSchema>;

export const mlflowExportSchema = z.strictObject({
  /** A new or empty folder; `mlflow ui --backend-store-uri DIR` opens it afterwards. */
  dir: dirSchema,
  /** Only these experiments (all of them, the trash included, when absent). */
  experimentIds: z.array(z.number().int().min(0)).max(10_000).optional(),
  /** Also write the model registry (`models/`); default true. */
  models: z.boolean().default(true),
});
export type MlflowExportRequest = z.output<typeof mlflowExportSchema>;

export const MLFLOW_FILES_KINDS = [
  'experiment',
  'run',
  'metric',
  'param',
  'tag',
  'input',
  'artifact',
  'model',
  'version',
  'alias',
] as const;
export type MlflowFilesKind = (typeof MLFLOW_FILES_KINDS)[number];

/** Something left out, and why (the file it came from, relative to the folder, when there is one). */
export interface MlflowSkipped {
  kind: MlflowFilesKind;
  /** What it is: an experiment's name, a run id, `model v3`, an artifact path… */
  item: string;
  file?: string;
  reason: string;
}

export interface MlflowFilesReport {
  direction: 'import' | 'export';
  /** The folder, absolute. */
  dir: string;
  /** How many were imported (or written), per kind; `metric` counts points. */
  counts: Record<MlflowFilesKind, number>;
  /** The first {@link MLFLOW_FILES_SKIPPED_CAP} skipped items. */
  skipped: MlflowSkipped[];
  /** All skipped items (may exceed `skipped.length`). */
  skippedCount: number;
  /** Wall time of the job, ms. */
  elapsedMs: number;
}

export const MLFLOW_FILES_SKIPPED_CAP = 500;

export const emptyCounts = (): Record<MlflowFilesKind, number> =>
  Object.fromEntries(MLFLOW_FILES_KINDS.map((k) => [k, 0])) as Record<MlflowFilesKind, number>;
