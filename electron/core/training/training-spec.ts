/**
 * The plain-data description of a training job (what crosses from main to
 * the workers) and how a worker turns it into a Dataset. Reading the CSV goes
 * through the datasets capability's reader, with the version's (or sniffed)
 * CSV options, so training sees exactly the typed values the profile saw.
 */
import type { CsvOptions, DataTable, RecipeSpec } from '../../../shared/datasets';
import { readCsvTable } from '../datasets/read-table';
import type { TrainTask } from '../../../shared/training';
import { tableToDataset, tableToRecipeDataset, toColumnTable, type Dataset } from './data-matrix';
import type { Algorithm } from './model';
import type { TrainRequest } from './train';
import type { RunTarget } from '../tracking/training-run';

/** Everything a training job needs; plain JSON. */
export interface TrainSpec {
  source: {
    /** CSV file to read (a dataset version's object file, or a user file). */
    path: string;
    options: CsvOptions;
    /** Shown in titles and results: `name@tag` or the file name. */
    label: string;
    versionId?: number;
    sha256?: string;
  };
  target: string;
  task?: TrainTask;
  features?: string[];
  algorithm: Algorithm;
  params: Record<string, unknown>;
  seed: number;
  testSize: number;
  cvFolds: number;
  stratify?: boolean;
  permutationImportance?: boolean;
  /**
   * A saved preprocessing recipe of the same dataset: its spec is refitted on
   * the training rows (and per CV fold) and embedded in the model, replacing
   * the built-in encoding. The stored recipe's fitted values are not used.
   */
  recipe?: { id: number; name: string; spec: RecipeSpec };
  /** Where the run this job records goes (default: the Default experiment, a generated name). */
  run?: RunTarget;
}

/** Read and encode the spec's data set (in a worker). */
export function loadSpecDataset(spec: TrainSpec, onProgress?: (done: number, total: number) => void): Dataset {
  const table = readCsvTable(spec.source.path, spec.source.options, {
    onProgress: onProgress ? (p) => onProgress(p.bytesDone, p.bytesTotal) : undefined,
  });
  return specDataset(spec, table);
}

/** Encode an already-read table as the spec's data set. */
export function specDataset(spec: TrainSpec, table: DataTable): Dataset {
  if (spec.recipe) return tableToRecipeDataset(table, spec.recipe.spec, { target: spec.target, task: spec.task, features: spec.features });
  return tableToDataset(toColumnTable(table), { target: spec.target, task: spec.task, features: spec.features });
}

/** The engine request of a spec. */
export function specToRequest(spec: TrainSpec): TrainRequest {
  return {
    algorithm: spec.algorithm,
    params: spec.params,
    seed: spec.seed,
    testSize: spec.testSize,
    cvFolds: spec.cvFolds,
    stratify: spec.stratify,
    permutationImportance: spec.permutationImportance,
  };
}
