import { encodeRecords } from '../training/data-matrix';
import { deserializeModel, predictRecords, type RecordPrediction, type TrainedModel } from '../training/model';
import type { ServedModelPayload, ServedModels } from './protocol';
import { modelInputsOf, type InputRecord, type ModelInputs } from './request-parsing';
import { compileRowForest } from './row-forest';

/** A model version loaded in the server process, with the columns its requests carry. */
export interface ServedModel {
  version: number;
  model: TrainedModel;
  inputs: ModelInputs;
  predict(records: InputRecord[]): RecordPrediction[];
}

/** The versions answering now: swapped as one object, so a request sees one consistent set. */
export interface ServingSet {
  primary: ServedModel;
  challenger: (ServedModel & { share: number }) | null;
}

/** Up to this many rows a forest answers row by row (row-forest.ts); larger requests take the engine's batch path. */
const ROW_PATH_MAX_ROWS = 4;

/**
 * predictRecords, with forests answering small requests through their
 * single-row layout (the same numbers, fewer cache misses per request).
 */
function predictorOf(model: TrainedModel): (records: InputRecord[]) => RecordPrediction[] {
  const e = model.estimator;
  const forest = e.type === 'forest' ? compileRowForest(e) : null;
  if (!forest) return (records) => predictRecords(model, records);
  const p = model.encoding.featureNames.length;
  const classes = model.task === 'classification' ? model.encoding.classes! : null;
  const row = new Float64Array(p);
  const out = new Float64Array(forest.nOut);
  // All-numeric inputs without a recipe: the matrix row is the record's numbers in order (missing → NaN, as encodeColumns).
  const enc = model.encoding;
  const numeric =
    !enc.recipe &&
    enc.sources.length === p &&
    enc.sources.every((s, f) => (s.type === 'number' || s.type === 'integer') && enc.featureNames[f] === s.name);
  const names = enc.sources.map((s) => s.name);
  const numericRow = (rec: InputRecord): boolean => {
    for (let f = 0; f < p; f++) {
      const v = rec[names[f]];
      if (typeof v === 'number') row[f] = v;
      else if (v === null || v === undefined) row[f] = NaN;
      else return false;
    }
    return true;
  };
  return (records) => {
    const n = records.length;
    if (n > ROW_PATH_MAX_ROWS) return predictRecords(model, records);
    // Otherwise the engine's encoding (one-hot, booleans, dates, recipe), column-major; then one row at a time.
    let X: Float64Array | null = null;
    const res: RecordPrediction[] = [];
    for (let i = 0; i < n; i++) {
      if (!numeric || !numericRow(records[i])) {
        X ??= encodeRecords(enc, records);
        for (let f = 0; f < p; f++) row[f] = X[f * n + i];
      }
      forest.predictRow(row, out);
      if (!classes) {
        res.push({ prediction: out[0] });
        continue;
      }
      // As predictRecords: the first largest probability wins.
      let best = 0;
      const probabilities: Record<string, number> = {};
      for (let k = 0; k < classes.length; k++) {
        probabilities[classes[k]] = out[k];
        if (out[k] > out[best]) best = k;
      }
      res.push({ prediction: classes[best], probabilities });
    }
    return res;
  };
}

/** Parses a model file's JSON (throws TrainingError BAD_MODEL on a bad file). */
export function loadServedModel(payload: ServedModelPayload): ServedModel {
  const model = deserializeModel(payload.modelJson);
  return { version: payload.version, model, inputs: modelInputsOf(model), predict: predictorOf(model) };
}

/** Loads every version of a serving set before anything answers with it. */
export function loadServingSet(models: ServedModels): ServingSet {
  const primary = loadServedModel(models.primary);
  const challenger = models.challenger ? { ...loadServedModel(models.challenger), share: models.challenger.share } : null;
  return { primary, challenger };
}

/** The version answering one request: the challenger for `share` of them (random, per request). */
export function pickVersion(set: ServingSet, random: () => number = Math.random): ServedModel {
  return set.challenger && random() < set.challenger.share ? set.challenger : set.primary;
}
