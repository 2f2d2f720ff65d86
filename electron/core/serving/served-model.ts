import { deserializeModel, predictRecords, type RecordPrediction, type TrainedModel } from '../training/model';
import type { ServedModelPayload, ServedModels } from './protocol';
import { modelInputsOf, type InputRecord, type ModelInputs } from './request-parsing';

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

/** Parses a model file's JSON (throws TrainingError BAD_MODEL on a bad file). */
export function loadServedModel(payload: ServedModelPayload): ServedModel {
  const model = deserializeModel(payload.modelJson);
  return { version: payload.version, model, inputs: modelInputsOf(model), predict: (records) => predictRecords(model, records) };
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
