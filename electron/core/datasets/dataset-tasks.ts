import type { RecipePreview } from '../../../shared/contracts/datasets';
import type { CsvOptions, ImportScan, Recipe, RecipeSpec, SuiteResult, ValidationSuite } from '../../../shared/datasets';
import { AppError } from '../../../shared/errors';
import type { WorkerTask } from '../jobs/worker-task';
import { runSuite } from '../validation/run-suite';
import { CsvFormatError } from './csv-errors';
import { FileChangedError } from './hash-file';
import { scanAndProfileCsv } from './profile-csv';
import { readCsvTable } from './read-table';
import { applyRecipe, fitRecipe } from './recipe';

/** Turns the core's input errors into AppError('bad_input') so their message and lines cross the process boundary. */
export function toInputError(err: unknown): unknown {
  if (err instanceof CsvFormatError) return new AppError('bad_input', err.message, { csvError: err.code, lines: err.lines });
  if (err instanceof FileChangedError) return new AppError('bad_input', err.message, { csvError: 'file_changed' });
  const e = err as NodeJS.ErrnoException;
  if (e && (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR')) {
    return new AppError('bad_input', `Cannot read ${e.path ?? 'the file'}: ${e.code === 'ENOENT' ? 'it does not exist (was it moved or deleted?)' : e.code === 'EISDIR' ? 'it is a folder' : 'permission denied'}.`);
  }
  return err;
}

function formatRows(n: number): string {
  return n.toLocaleString('en');
}

/** Parameters of the ingest task: read the source once, hash, profile and copy it to `tempPath`. */
export interface IngestParams {
  sourcePath: string;
  tempPath: string;
  options: CsvOptions;
  md5?: boolean;
}

/**
 * Worker side of an import: one pass over the source file that hashes,
 * parses, profiles and copies it to a temp file in objects/tmp (removed on
 * failure). Progress is bytes, with the row count in the message.
 */
export const ingestTask: WorkerTask<IngestParams, ImportScan> = {
  name: 'dataset-ingest',
  run(params, ctx) {
    try {
      return scanAndProfileCsv(params.sourcePath, params.options, {
        copyTo: params.tempPath,
        md5: params.md5,
        progressEveryBytes: 4 << 20,
        onProgress: (p) => ctx.progress(p.bytesDone, p.bytesTotal, `${formatRows(p.rows)} rows`),
      });
    } catch (err) {
      throw toInputError(err);
    }
  },
};

/** Runs a validation suite over a version's file. */
export const validateTask: WorkerTask<{ path: string; options: CsvOptions; suite: ValidationSuite }, SuiteResult> = {
  name: 'dataset-validate',
  run({ path, options, suite }, ctx) {
    try {
      return runSuite(path, options, suite, { onProgress: (p) => ctx.progress(p.bytesDone, p.bytesTotal, `${formatRows(p.rows)} rows`) });
    } catch (err) {
      throw toInputError(err);
    }
  },
};

/** Fits a preprocessing recipe on a whole version. */
export const fitRecipeTask: WorkerTask<{ path: string; options: CsvOptions; spec: RecipeSpec }, Recipe> = {
  name: 'recipe-fit',
  run({ path, options, spec }, ctx) {
    try {
      const table = readCsvTable(path, options, { onProgress: (p) => ctx.progress(p.bytesDone, p.bytesTotal, `${formatRows(p.rows)} rows`) });
      return fitRecipe(table, spec);
    } catch (err) {
      throw toInputError(err);
    }
  },
};

/** Rows the recipe preview fits on (the first rows of the version). */
export const PREVIEW_FIT_ROWS = 20_000;

/** The recipe editor's preview: fit on the first rows, apply to the first `rows` of them. */
export const previewRecipeTask: WorkerTask<{ path: string; options: CsvOptions; spec: RecipeSpec; rows: number }, RecipePreview> = {
  name: 'recipe-preview',
  run({ path, options, spec, rows }) {
    try {
      const table = readCsvTable(path, options, { maxRows: PREVIEW_FIT_ROWS });
      const recipe = fitRecipe(table, spec);
      const head = { columns: table.columns, rows: table.rows.slice(0, rows) };
      return { recipe, columns: table.columns, input: head.rows, output: applyRecipe(recipe, head), fittedOnRows: table.rows.length };
    } catch (err) {
      throw toInputError(err);
    }
  },
};

/** Every dataset worker task, for the worker's task list. */
export const DATASET_TASKS: readonly WorkerTask[] = [ingestTask, validateTask, fitRecipeTask, previewRecipeTask];
