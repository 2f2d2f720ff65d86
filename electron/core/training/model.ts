/**
 * The trained-model envelope (what is saved, registered and served), its
 * JSON serialisation, and prediction. The format is documented in
 * MODEL-FORMAT.md; bump MODEL_FORMAT_VERSION on any incompatible change.
 */
import type { AlgorithmId } from '../../../shared/training';
import { createHash } from 'node:crypto';
import { encodeRecords, type CellValue, type Dataset, type Encoding } from './data-matrix';
import { TrainingError } from './errors';
import type { FlatTree } from './flat-tree';
import { predictForest, type ForestModel } from './forest';
import { predictGbm, type GbmModel } from './gradient-boosting';
import { predictLinear, type LinearModel } from './linear-models';

export const MODEL_FORMAT = 'mlwb-model';
export const MODEL_FORMAT_VERSION = 2;
/** Format versions this engine reads: 1 (no `encoding.recipe`) is a subset of 2. */
export const READABLE_FORMAT_VERSIONS: readonly number[] = [1, 2];
/** Version of this training engine, recorded in every model. */
export const ENGINE_VERSION = '1.0.0';

/** The model kinds: the shared list's ids (shared/training.ts). */
export type Algorithm = AlgorithmId;
export type Estimator = ForestModel | GbmModel | LinearModel;

/** A trained model with everything needed to reproduce and serve it. */
export interface TrainedModel {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  engine: { name: 'mlwb-training'; version: string };
  algorithm: Algorithm;
  task: 'classification' | 'regression';
  /** Resolved hyper-parameters (defaults filled in). */
  params: Record<string, unknown>;
  seed: number;
  /** Feature encoding: source columns and types, one-hot categories, matrix feature names, class labels. */
  encoding: Encoding;
  /** sha256 of the training matrix, target and feature names. */
  trainingDataHash: string;
  nTrainingRows: number;
  estimator: Estimator;
}

/** Content hash of a data set's numbers (matrix, target, feature names). */
export function hashDataset(ds: Dataset): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ features: ds.encoding.featureNames, classes: ds.encoding.classes ?? null, n: ds.nRows }));
  h.update(new Uint8Array(ds.X.buffer, ds.X.byteOffset, ds.X.byteLength));
  h.update(new Uint8Array(ds.y.buffer, ds.y.byteOffset, ds.y.byteLength));
  return h.digest('hex');
}

/**
 * Model outputs for a column-major batch (nRows × nFeatures): class
 * probabilities row-major (nRows × K) for classification, values for
 * regression. A single row is simply a batch with nRows = 1 (the feature
 * vector itself).
 */
export function predictOutputs(model: TrainedModel, X: Float64Array, nRows: number): Float64Array {
  const p = model.encoding.featureNames.length;
  if (X.length !== nRows * p) throw new TrainingError('BAD_INPUT', `Expected ${nRows}×${p} feature values, got ${X.length}`);
  const e = model.estimator;
  if (e.type === 'forest') return predictForest(e, X, nRows);
  if (e.type === 'gbm') return predictGbm(e, X, nRows);
  return predictLinear(e, X, nRows);
}

/** Predicted class indices (classification) or values (regression). */
export function predictCodes(model: TrainedModel, X: Float64Array, nRows: number): Float64Array {
  const out = predictOutputs(model, X, nRows);
  if (model.task === 'regression') return out;
  return argmaxRows(out, nRows, model.encoding.classes!.length);
}

/** Row-wise argmax of a row-major n × K matrix (first maximum wins, like numpy). */
export function argmaxRows(P: Float64Array, n: number, K: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (P[i * K + k] > P[i * K + best]) best = k;
    out[i] = best;
  }
  return out;
}

/** One prediction for a record, as served. */
export interface RecordPrediction {
  prediction: string | number;
  /** Class label → probability (classification). */
  probabilities?: Record<string, number>;
}

/** Predict records keyed by source column name (the serving path). */
export function predictRecords(model: TrainedModel, records: Record<string, CellValue>[]): RecordPrediction[] {
  const X = encodeRecords(model.encoding, records);
  const n = records.length;
  const out = predictOutputs(model, X, n);
  if (model.task === 'regression') return Array.from(out, (v) => ({ prediction: v }));
  const classes = model.encoding.classes!;
  const K = classes.length;
  const res: RecordPrediction[] = [];
  for (let i = 0; i < n; i++) {
    let best = 0;
    const probabilities: Record<string, number> = {};
    for (let k = 0; k < K; k++) {
      probabilities[classes[k]] = out[i * K + k];
      if (out[i * K + k] > out[i * K + best]) best = k;
    }
    res.push({ prediction: classes[best], probabilities });
  }
  return res;
}

// ---------- serialisation ----------

interface TreeJson {
  nNodes: number;
  nOut: number;
  feature: number[];
  threshold: (number | null)[];
  bin: number[];
  missingLeft: number[];
  left: number[];
  value: number[];
}

function treeToJson(t: FlatTree): TreeJson {
  return {
    nNodes: t.nNodes,
    nOut: t.nOut,
    feature: Array.from(t.feature),
    // JSON has no -Infinity: null marks a "missing values go left, all others right" split.
    threshold: Array.from(t.threshold, (v) => (v === -Infinity ? null : v)),
    bin: Array.from(t.bin),
    missingLeft: Array.from(t.missingLeft),
    left: Array.from(t.left),
    value: Array.from(t.value),
  };
}

function treeFromJson(j: TreeJson): FlatTree {
  const n = j.nNodes;
  const arrays = [j.feature, j.threshold, j.bin, j.missingLeft, j.left];
  if (
    !Number.isInteger(n) ||
    n < 1 ||
    arrays.some((a) => !Array.isArray(a) || a.length !== n) ||
    !Array.isArray(j.value) ||
    j.value.length !== n * j.nOut
  ) {
    throw new TrainingError('BAD_MODEL', 'Malformed tree in model file');
  }
  const tree: FlatTree = {
    nNodes: n,
    nOut: j.nOut,
    feature: Int32Array.from(j.feature),
    threshold: Float64Array.from(j.threshold, (v) => (v === null ? -Infinity : v)),
    bin: Int16Array.from(j.bin),
    missingLeft: Uint8Array.from(j.missingLeft),
    left: Int32Array.from(j.left),
    value: Float64Array.from(j.value),
  };
  for (let i = 0; i < n; i++) {
    if (tree.feature[i] >= 0 && !(tree.left[i] > i && tree.left[i] + 1 < n))
      throw new TrainingError('BAD_MODEL', 'Tree node links are invalid');
  }
  return tree;
}

/** Serialise a model to a JSON string. */
export function serializeModel(model: TrainedModel): string {
  const e = model.estimator;
  const estimator = e.type === 'linear' ? e : { ...e, trees: e.trees.map(treeToJson) };
  return JSON.stringify({ ...model, estimator });
}

/** Parse a model JSON string (validates the envelope and tree structure). */
export function deserializeModel(json: string): TrainedModel {
  let obj: TrainedModel & { estimator: { trees?: TreeJson[] } };
  try {
    obj = JSON.parse(json);
  } catch (e) {
    throw new TrainingError('BAD_MODEL', `Model file is not valid JSON: ${(e as Error).message}`);
  }
  if (!obj || obj.format !== MODEL_FORMAT) throw new TrainingError('BAD_MODEL', 'Not an MLOps Workbench model file');
  if (!READABLE_FORMAT_VERSIONS.includes(obj.formatVersion))
    throw new TrainingError(
      'BAD_MODEL',
      `Unsupported model format version ${obj.formatVersion} (this engine reads ${READABLE_FORMAT_VERSIONS.join(', ')})`,
    );
  const est = obj.estimator as unknown as { type: string; trees?: TreeJson[] };
  if (!est || !['forest', 'gbm', 'linear'].includes(est.type)) throw new TrainingError('BAD_MODEL', 'Unknown estimator type');
  if (est.type !== 'linear') {
    if (!Array.isArray(est.trees) || !est.trees.length) throw new TrainingError('BAD_MODEL', 'Model has no trees');
    (est as unknown as { trees: FlatTree[] }).trees = est.trees.map(treeFromJson);
  }
  return obj as TrainedModel;
}
