/**
 * What a training run logs, in MLflow's vocabulary: params (strings), metrics
 * (test metrics under their snake_case names, CV mean/std, per-fold values and
 * per-step series as metric histories), system tags and JSON artifacts. One
 * pure function serves the live train job and the upgrade of train jobs that
 * were recorded before runs existed, so both give the same run.
 */
import os from 'node:os';
import type { MetricSet, TrainingResult } from '../../../shared/training';
import { SYSTEM_TAGS } from '../../../shared/tracking';
import type { KeyValue, MetricPointInput } from '../store/tracking-repo';

/** The inputs of a run as the train job's spec records them. */
export interface RunInputs {
  source: { label: string; sha256?: string; versionId?: number };
  target: string;
  task?: string;
  features?: string[];
  algorithm: string;
  params: Record<string, unknown>;
  seed: number;
  testSize: number;
  cvFolds: number;
  stratify?: boolean;
  recipe?: { id: number; name: string; spec?: unknown };
}

/** A JSON artifact to store under the run (the model file is already an object). */
export interface JsonArtifact {
  path: string;
  value: unknown;
}

export interface RunRecord {
  params: KeyValue[];
  metrics: MetricPointInput[];
  tags: KeyValue[];
  artifacts: JsonArtifact[];
}

/** `precisionMacro` → `precision_macro`, `rocAuc` → `roc_auc`, `r2` stays. */
export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** A param value as a string (MLflow's params are strings); null is Python's None, as MLflow clients log it. */
export function paramText(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The OS user running the app (a run's author). */
export function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? '';
  }
}

/** The operating system, for the `mlwb.os` tag. */
export function osDescription(): string {
  return `${os.type()} ${os.release()} ${os.arch()}`;
}

function scalarMetrics(set: MetricSet | Record<string, unknown>): [string, number][] {
  return Object.entries(set).filter((e): e is [string, number] => typeof e[1] === 'number');
}

/** The param list of a run: the model's effective hyper-parameters plus the run's inputs. */
export function runParams(inputs: RunInputs, effectiveParams: Record<string, unknown>): KeyValue[] {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries({ ...inputs.params, ...effectiveParams })) out.set(k, paramText(v));
  out.set('model', inputs.algorithm);
  out.set('target', inputs.target);
  out.set('test_size', paramText(inputs.testSize));
  out.set('cv_folds', paramText(inputs.cvFolds));
  out.set('stratify', paramText(inputs.stratify !== false));
  out.set('seed', paramText(inputs.seed));
  out.set('recipe', inputs.recipe ? inputs.recipe.name : 'None');
  if (inputs.features) out.set('features', inputs.features.join(','));
  return [...out].map(([key, value]) => ({ key, value: value.slice(0, 6000) }));
}

/** Per-class precision, recall, F1 and support from a confusion matrix (rows = true class), as scikit-learn's classification_report. */
export function classificationReport(labels: string[], matrix: number[][]) {
  const total = matrix.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const classes = labels.map((label, i) => {
    const tp = matrix[i]?.[i] ?? 0;
    const support = (matrix[i] ?? []).reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((s, row) => s + (row[i] ?? 0), 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const mean = (k: 'precision' | 'recall' | 'f1') => classes.reduce((s, c) => s + c[k], 0) / Math.max(1, classes.length);
  const weighted = (k: 'precision' | 'recall' | 'f1') => classes.reduce((s, c) => s + c[k] * c.support, 0) / Math.max(1, total);
  const correct = labels.reduce((s, _, i) => s + (matrix[i]?.[i] ?? 0), 0);
  return {
    classes,
    accuracy: total > 0 ? correct / total : 0,
    macroAvg: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support: total },
    weightedAvg: { precision: weighted('precision'), recall: weighted('recall'), f1: weighted('f1'), support: total },
  };
}

/** Environment facts a run records as tags. */
export interface RunEnvironment {
  appVersion: string;
  userId: string;
  os: string;
  runName: string;
}

/**
 * Everything a finished training run logs. `timestamp` stamps the metric
 * points (the run's end), so a re-run logs the same values at other times.
 */
export function trainingRunRecord(inputs: RunInputs, result: TrainingResult, env: RunEnvironment, timestamp: number): RunRecord {
  const metrics: MetricPointInput[] = [];
  const point = (key: string, value: number, step = 0, at = timestamp) => metrics.push({ key, value, timestamp: at, step });
  if (result.test) for (const [k, v] of scalarMetrics(result.test)) point(snakeCase(k), v);
  if (result.cv) {
    for (const [k, v] of Object.entries(result.cv.mean)) point(`cv_${snakeCase(k)}_mean`, v);
    for (const [k, v] of Object.entries(result.cv.std)) point(`cv_${snakeCase(k)}_std`, v);
    result.cv.perFold.forEach((fold, i) => {
      for (const [k, v] of scalarMetrics(fold)) point(`cv_fold_${snakeCase(k)}`, v, i + 1);
    });
  }
  if (result.oobScore !== undefined) point('oob_score', result.oobScore);
  for (const [key, points] of Object.entries(result.series ?? {})) for (const p of points) point(key, p.value, p.step, p.timestamp);
  point('training_duration_s', result.durationMs / 1000);

  const tags: KeyValue[] = [
    { key: SYSTEM_TAGS.runName, value: env.runName },
    { key: SYSTEM_TAGS.user, value: env.userId },
    { key: SYSTEM_TAGS.sourceName, value: 'MLOps Workbench' },
    { key: SYSTEM_TAGS.sourceType, value: 'LOCAL' },
    { key: SYSTEM_TAGS.modelType, value: inputs.algorithm },
    { key: SYSTEM_TAGS.task, value: result.task },
    { key: SYSTEM_TAGS.dataset, value: inputs.source.label },
    { key: SYSTEM_TAGS.datasetSha256, value: inputs.source.sha256 ?? result.model.trainingDataHash },
    { key: SYSTEM_TAGS.recipe, value: inputs.recipe ? inputs.recipe.name : 'none' },
    { key: SYSTEM_TAGS.seed, value: String(inputs.seed) },
    { key: SYSTEM_TAGS.appVersion, value: env.appVersion },
    { key: SYSTEM_TAGS.engineVersion, value: result.model.engineVersion },
    { key: SYSTEM_TAGS.os, value: env.os },
  ];

  const artifacts: JsonArtifact[] = [];
  const test = result.test as (MetricSet & { confusionMatrix?: number[][] }) | undefined;
  if (test?.confusionMatrix && result.model.classes) {
    artifacts.push({ path: 'confusion_matrix.json', value: { labels: result.model.classes, matrix: test.confusionMatrix } });
    artifacts.push({ path: 'classification_report.json', value: classificationReport(result.model.classes, test.confusionMatrix) });
  }
  if (result.curves) {
    artifacts.push({ path: 'roc_curve.json', value: result.curves.roc });
    artifacts.push({ path: 'pr_curve.json', value: result.curves.pr });
  }
  artifacts.push({ path: 'feature_importance.json', value: result.importance });
  if (result.cv) artifacts.push({ path: 'cv_results.json', value: result.cv });
  if (inputs.recipe?.spec)
    artifacts.push({ path: 'recipe.json', value: { id: inputs.recipe.id, name: inputs.recipe.name, spec: inputs.recipe.spec } });
  artifacts.push({
    path: 'metrics.json',
    value: {
      task: result.task,
      split: result.split,
      test: result.test ?? null,
      oobScore: result.oobScore ?? null,
      warnings: result.warnings,
    },
  });

  return { params: runParams(inputs, result.model.params), metrics, tags, artifacts };
}
