/**
 * The wizard's hyper-parameter fields per model (names as the engine's parameters), with
 * their input bounds from the contract's limits (shared/training.ts PARAM_LIMITS), so the
 * form offers what the app, the CLI and the engine accept.
 */
import { PARAM_LIMITS, type AlgorithmId, type NumberLimit, type TrainTask } from '../../../../../shared/training';

/** One hyper-parameter field of the form (names as the engine's parameters). */
export interface ParamField {
  key: string;
  kind: 'int' | 'number' | 'optionalInt' | 'select' | 'bool' | 'maxFeatures';
  /** Default shown in the field (the engine's default). */
  def: string | boolean;
  min?: number;
  max?: number;
  step?: number;
  options?: readonly string[];
  /** Only for these tasks (e.g. criterion gini/entropy for classification). */
  tasks?: readonly TrainTask[];
  /** Only for these models (within a shared list). */
  only?: readonly AlgorithmId[];
  /** Shown under "More parameters". */
  advanced?: boolean;
}

/** A field's input bounds: the contract's limits (shared/training.ts), so the form offers what the app, CLI and engine accept. */
const bounds = (l: NumberLimit): { min: number; max: number } => ({ min: l.min, max: l.max });

const FOREST: ParamField[] = [
  { key: 'nEstimators', kind: 'int', def: '100', ...bounds(PARAM_LIMITS.forest.nEstimators) },
  { key: 'maxDepth', kind: 'optionalInt', def: '', ...bounds(PARAM_LIMITS.forest.maxDepth) },
  { key: 'maxFeatures', kind: 'maxFeatures', def: '' },
  { key: 'minSamplesLeaf', kind: 'int', def: '1', ...bounds(PARAM_LIMITS.forest.minSamplesLeaf) },
  { key: 'minSamplesSplit', kind: 'int', def: '2', ...bounds(PARAM_LIMITS.forest.minSamplesSplit), advanced: true },
  { key: 'maxLeafNodes', kind: 'optionalInt', def: '', ...bounds(PARAM_LIMITS.forest.maxLeafNodes), advanced: true },
  { key: 'criterion', kind: 'select', def: 'gini', options: ['gini', 'entropy'], tasks: ['classification'], advanced: true },
  { key: 'classWeight', kind: 'select', def: 'none', options: ['none', 'balanced'], tasks: ['classification'], advanced: true },
  { key: 'bootstrap', kind: 'bool', def: true, only: ['rf'], advanced: true },
  { key: 'oobScore', kind: 'bool', def: false, only: ['rf'], advanced: true },
];

/** The form's fields per model, main ones first. */
export const PARAM_FIELDS: Record<AlgorithmId, readonly ParamField[]> = {
  rf: FOREST,
  et: FOREST.map((f) => (f.key === 'bootstrap' ? { ...f, def: false } : f)),
  gbm: [
    { key: 'maxIter', kind: 'int', def: '100', ...bounds(PARAM_LIMITS.gbm.maxIter) },
    { key: 'learningRate', kind: 'number', def: '0.1', ...bounds(PARAM_LIMITS.gbm.learningRate), step: 0.01 },
    { key: 'maxLeafNodes', kind: 'int', def: '31', ...bounds(PARAM_LIMITS.gbm.maxLeafNodes) },
    { key: 'maxDepth', kind: 'optionalInt', def: '', ...bounds(PARAM_LIMITS.gbm.maxDepth) },
    { key: 'minSamplesLeaf', kind: 'int', def: '20', ...bounds(PARAM_LIMITS.gbm.minSamplesLeaf) },
    { key: 'l2Regularization', kind: 'number', def: '0', ...bounds(PARAM_LIMITS.gbm.l2Regularization), step: 0.1, advanced: true },
    { key: 'earlyStopping', kind: 'select', def: 'auto', options: ['auto', 'on', 'off'], advanced: true },
    { key: 'validationFraction', kind: 'number', def: '0.1', ...bounds(PARAM_LIMITS.gbm.validationFraction), step: 0.05, advanced: true },
    { key: 'nIterNoChange', kind: 'int', def: '10', ...bounds(PARAM_LIMITS.gbm.nIterNoChange), advanced: true },
  ],
  logreg: [
    { key: 'C', kind: 'number', def: '1', ...bounds(PARAM_LIMITS.logreg.C), step: 0.1 },
    { key: 'maxIter', kind: 'int', def: '1000', ...bounds(PARAM_LIMITS.logreg.maxIter) },
    { key: 'standardize', kind: 'bool', def: true },
    { key: 'fitIntercept', kind: 'bool', def: true, advanced: true },
  ],
  linear: [
    { key: 'alpha', kind: 'number', def: '0', ...bounds(PARAM_LIMITS.linear.alpha), step: 0.1 },
    // Off by default, as the engine, the CLI and scikit-learn's Ridge.
    { key: 'standardize', kind: 'bool', def: false },
    { key: 'fitIntercept', kind: 'bool', def: true, advanced: true },
  ],
};

/** Whether a field applies to a model and task. */
export function fieldApplies(f: ParamField, algorithm: AlgorithmId, task: TrainTask | null): boolean {
  return (!f.only || f.only.includes(algorithm)) && (!f.tasks || !task || f.tasks.includes(task));
}

export type ParamValues = Record<string, string | boolean>;

/** Form values → the request's params: empty fields are left to the engine's defaults. */
export function paramsFromForm(
  algorithm: AlgorithmId,
  task: TrainTask | null,
  values: ParamValues,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const f of PARAM_FIELDS[algorithm]) {
    if (!fieldApplies(f, algorithm, task)) continue;
    const v = values[f.key] ?? f.def;
    if (f.kind === 'bool') out[f.key] = v === true;
    else if (f.kind === 'select') out[f.key] = String(v);
    else if (typeof v === 'string' && v.trim() !== '') {
      const s = v.trim();
      // maxFeatures: sqrt / log2 / all, or a number (a share ≤ 1 or a count); anything else reaches zod as is.
      out[f.key] = f.kind === 'maxFeatures' && !Number.isFinite(Number(s)) ? s : Number(s);
    }
  }
  return out;
}
