/**
 * Where a training job's data comes from, shared by the CLI (`mlwb train
 * --data FILE|NAME@TAG`) and the app's handlers (a dataset version id): one
 * function turns a dataset version (or a user file, sniffed as an import
 * would) into the spec's `source`, and one checks a spec against the source's
 * columns and the model's parameters before any worker starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DatasetVersion, RecipeRecord } from '../../../shared/contracts/datasets';
import { AppError } from '../../../shared/errors';
import { detectTask, type TrainRequestSettings, type TrainTask } from '../../../shared/training';
import { toInputError } from '../datasets/dataset-tasks';
import { csvOptionsFromSniff, sniffCsvFile } from '../datasets/sniff-csv';
import type { Store } from '../store';
import { isTrainingError } from './errors';
import { resolveParams } from './train';
import type { TrainSpec } from './training-spec';

/** The source of a dataset version: its immutable object file and stored read options. */
export function sourceFromVersion(store: Store, v: DatasetVersion): TrainSpec['source'] {
  return {
    path: store.objects.objectPath(v.sha256),
    label: `${v.datasetName}@${v.tag}`,
    options: v.csvOptions,
    versionId: v.id,
    sha256: v.sha256,
  };
}

/** The source of a CSV file, read with the options an import would sniff. */
export function sourceFromFile(file: string): TrainSpec['source'] {
  try {
    const s = sniffCsvFile(file);
    return {
      path: file,
      label: path.basename(file),
      options: csvOptionsFromSniff(s),
    };
  } catch (err) {
    throw toInputError(err);
  }
}

/**
 * The recipe a run uses, by id (the app) or by name or id (the CLI), checked
 * against the run: it must belong to the version's dataset, and it must know
 * the target as its target (a recipe made for another target, or none, would
 * have fitted the training target as a feature) and must not drop it.
 * Throws AppError('bad_input') naming the recipe and the dataset.
 */
export function resolveTrainingRecipe(
  store: Store,
  v: DatasetVersion,
  ref: number | string,
  target: string,
): NonNullable<TrainSpec['recipe']> {
  let rec: RecipeRecord;
  if (typeof ref === 'number' || /^\d+$/.test(ref.trim())) {
    rec = store.datasets.getRecipe(Number(ref));
  } else {
    const found = store.datasets.listRecipes(v.datasetId).find((r) => r.name === ref.trim());
    if (!found) {
      const names = store.datasets.listRecipes(v.datasetId).map((r) => r.name);
      throw new AppError(
        'not_found',
        `No recipe named "${ref}" for dataset ${v.datasetName} (recipes: ${names.length ? names.join(', ') : 'none'}).`,
      );
    }
    rec = found;
  }
  const label = `Recipe "${rec.name}" (#${rec.id})`;
  if (rec.datasetId !== v.datasetId) {
    throw new AppError(
      'bad_input',
      `${label} belongs to another dataset, not ${v.datasetName}; choose a recipe saved for ${v.datasetName}.`,
      {
        recipeId: rec.id,
      },
    );
  }
  const spec = rec.recipe.spec;
  if (spec.drop.includes(target)) {
    throw new AppError('bad_input', `${label} drops the target "${target}"; a recipe must leave the target alone.`, {
      recipeId: rec.id,
      column: target,
    });
  }
  if (spec.target !== target) {
    throw new AppError(
      'bad_input',
      spec.target
        ? `${label} was made for target "${spec.target}", not "${target}": it would treat "${target}" as a feature. Save a recipe with target "${target}".`
        : `${label} has no target, so it would treat "${target}" as a feature. Save a recipe with target "${target}".`,
      { recipeId: rec.id, column: target },
    );
  }
  return { id: rec.id, name: rec.name, spec };
}

/** `FILE` (an existing file) or `NAME@TAG` (a dataset version) → the spec's source. */
export function resolveTrainingSource(store: () => Store, data: string): TrainSpec['source'] {
  const file = path.resolve(data);
  if (fs.existsSync(file) && fs.statSync(file).isFile()) return sourceFromFile(file);
  if (!data.includes('@')) throw new AppError('not_found', `${data}: no such file, and not a dataset version reference NAME@TAG.`);
  const s = store();
  return sourceFromVersion(s, s.datasets.findVersionByRef(data));
}

/**
 * A parsed train request (the app's or the CLI's: the same schema's fields) on
 * a resolved source → the job's spec, checked by {@link checkTrainSpec}.
 * With a dataset version, "auto" is resolved from its profile (so the app
 * shows the task that is trained) and a recipe (id, or name for the CLI) is
 * resolved against it; a file's task is left to the data, in the worker.
 */
export function trainSpecOf(
  store: Store,
  req: TrainRequestSettings,
  source: TrainSpec['source'],
  version?: DatasetVersion,
  recipe?: number | string,
): TrainSpec {
  let task: TrainTask | undefined = req.task === 'auto' ? undefined : req.task;
  const column = version?.csvOptions.columns.find((c) => c.name === req.target);
  if (!task && version && column) {
    const p = version.profile.columns.find((c) => c.name === column.name);
    task = detectTask({ type: column.type, distinct: p?.distinct ?? 0 }) ?? undefined;
  }
  const spec: TrainSpec = {
    source,
    target: req.target,
    task,
    features: req.features?.filter((f) => f !== req.target),
    algorithm: req.algorithm,
    params: req.params,
    seed: req.seed,
    testSize: req.testSize,
    cvFolds: req.cvFolds,
    stratify: req.stratify,
  };
  if (recipe !== undefined) {
    if (!version) throw new AppError('bad_input', 'A recipe needs a dataset version as the data: recipes are saved per dataset.');
    spec.recipe = resolveTrainingRecipe(store, version, recipe, req.target);
  }
  checkTrainSpec(spec);
  return spec;
}

/**
 * Checks a spec before its job starts: the target and features are columns of
 * the source, and the parameters are valid for the model — when the task is
 * known (given, or implied by a non-numeric target; a numeric target's task is
 * decided by the data in the worker). Throws AppError('bad_input') with the
 * engine's message and `details.trainingCode`.
 */
export function checkTrainSpec(spec: TrainSpec): void {
  const names = spec.source.options.columns.map((c) => c.name);
  const column = spec.source.options.columns.find((c) => c.name === spec.target);
  if (!column) {
    throw new AppError('bad_input', `Target "${spec.target}": no such column in ${spec.source.label} (columns: ${names.join(', ')}).`, {
      trainingCode: 'UNKNOWN_COLUMN',
      column: spec.target,
    });
  }
  const unknown = (spec.features ?? []).filter((f) => !names.includes(f));
  if (unknown.length) {
    throw new AppError('bad_input', `Features ${unknown.map((f) => `"${f}"`).join(', ')}: no such column in ${spec.source.label}.`, {
      trainingCode: 'UNKNOWN_COLUMN',
      column: unknown[0],
    });
  }
  if (spec.features && spec.features.every((f) => f === spec.target)) {
    throw new AppError('bad_input', 'Choose at least one feature column besides the target.', { trainingCode: 'NO_FEATURES' });
  }
  const task = spec.task ?? (['category', 'boolean', 'text'].includes(column.type) ? 'classification' : undefined);
  if (!task) return;
  try {
    resolveParams(spec.algorithm, spec.params, task);
  } catch (err) {
    if (isTrainingError(err)) throw new AppError('bad_input', err.message, { trainingCode: err.code });
    throw err;
  }
}
