/**
 * Main's side of the prediction log: a column-wise batch from a server
 * process → prediction_log rows with their JSON text, built from the batch's
 * keys once instead of JSON.stringify on a fresh object per row (the values are
 * plain cells, already checked finite by the request parsing).
 */
import type { EncodedPrediction } from '../store/serving-repo';
import type { PredictionLogBatch } from './protocol';

/** JSON of one plain value (finite number, string, boolean or null). */
function cellJson(v: string | number | boolean | null | undefined): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return 'null';
}

/** `{"key":value,…}` from keys and values in the same order. */
function objectJson(prefixes: readonly string[], values: readonly (string | number | boolean | null)[]): string {
  let s = '{';
  for (let i = 0; i < prefixes.length; i++) s += prefixes[i] + cellJson(values[i]);
  return s + '}';
}

const prefixesOf = (keys: readonly string[]) => keys.map((k, i) => `${i ? ',' : ''}${JSON.stringify(k)}:`);

/** The rows of one batch, ready for store.serving.appendEncodedPredictions. */
export function encodeLogBatch(batch: PredictionLogBatch, model: string, serverId: number | null): EncodedPrediction[] {
  const inputKeys = prefixesOf(batch.columns);
  const classKeys = batch.classes ? prefixesOf(batch.classes) : null;
  const rows: EncodedPrediction[] = new Array(batch.predictionIds.length);
  for (let i = 0; i < rows.length; i++) {
    rows[i] = {
      predictionId: batch.predictionIds[i],
      serverId,
      model,
      version: batch.version,
      at: batch.at[i],
      latencyMs: batch.latencyMs[i],
      inputsJson: objectJson(inputKeys, batch.inputs[i]),
      predictionJson: cellJson(batch.predictions[i]),
      probabilitiesJson: classKeys && batch.probabilities ? objectJson(classKeys, batch.probabilities[i]) : null,
      source: 'server',
    };
  }
  return rows;
}
