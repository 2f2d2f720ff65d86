/**
 * A version's model card: what it is (the registered version and its model),
 * how it was trained (the source run's params and tags, its dataset version
 * with hash and size, the recipe), how good it is (test metrics with the CV
 * mean ± std, feature importances — read from the run's JSON artifacts as the
 * run recorded them) and what happened to it (its registration and stage
 * transitions, from the append-only audit log). One builder serves the
 * registry page, the model-card report and `mlwb models card`.
 */
import fs from 'node:fs';
import { AppError } from '../../../shared/errors';
import type { AuditEntry, ModelCard } from '../../../shared/registry';
import { SYSTEM_TAGS } from '../../../shared/tracking';
import type { Store } from '../store';
import { snakeCase } from '../tracking/record-run';

/** Audit actions that move a version between stages (registration puts it in None). */
const STAGE_ACTIONS: ReadonlySet<AuditEntry['action']> = new Set(['register', 'transition', 'rollback']);

/** Metrics that are not a measure of the model (shown with the run instead). */
const NOT_QUALITY = new Set(['training_duration_s']);

function orNull<T>(read: () => T): T | null {
  try {
    return read();
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return null;
    throw error;
  }
}

/** A run's JSON artifact, or null when it has none (or its file is gone or unreadable). */
function readJsonArtifact(store: Pick<Store, 'tracking' | 'objects'>, runId: string, path: string): unknown {
  const entry = orNull(() => store.tracking.getArtifact(runId, path));
  if (!entry) return null;
  try {
    return JSON.parse(fs.readFileSync(store.objects.objectPath(entry.sha256), 'utf8')) as unknown;
  } catch {
    return null;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Test and CV rows from the run's latest metrics: `KEY` is the test value,
 * `cv_KEY_mean` / `cv_KEY_std` its cross-validation spread (per-fold
 * `cv_fold_*` and bookkeeping metrics are left out). With `testKeys` (what
 * the run's metrics.json says it measured on the test split) other plain
 * keys are left out too: they are training series (`train_loss`,
 * `oob_error` per tree), not test values; `oob_score` stays. Keys with a
 * test value come first, then CV-only keys, each alphabetically.
 */
export function cardMetrics(metrics: Record<string, number>, testKeys?: readonly string[]): ModelCard['metrics'] {
  const keys = new Set<string>();
  const tested = testKeys ? new Set([...testKeys, 'oob_score']) : null;
  for (const key of Object.keys(metrics)) {
    if (key.startsWith('cv_fold_') || NOT_QUALITY.has(key)) continue;
    const cv = /^cv_(.+)_(mean|std)$/.exec(key);
    if (cv) keys.add(cv[1]);
    else if (!tested || tested.has(key)) keys.add(key);
  }
  const rows = [...keys].map((key) => ({
    key,
    test: tested && !tested.has(key) ? null : finite(metrics[key]),
    cvMean: finite(metrics[`cv_${key}_mean`]),
    cvStd: finite(metrics[`cv_${key}_std`]),
  }));
  return rows.sort((a, b) => Number(a.test === null) - Number(b.test === null) || a.key.localeCompare(b.key));
}

/** Impurity (or coefficient) importances from `feature_importance.json`, largest first; permutation means when that is all there is. */
export function cardImportance(artifact: unknown): ModelCard['featureImportance'] {
  if (!isRecord(artifact) || !Array.isArray(artifact.features)) return [];
  const features = artifact.features as unknown[];
  const perm = isRecord(artifact.permutation) && Array.isArray(artifact.permutation.mean) ? (artifact.permutation.mean as unknown[]) : null;
  const values = Array.isArray(artifact.impurity) ? (artifact.impurity as unknown[]) : perm;
  if (!values) return [];
  return features
    .map((f, i) => ({ feature: String(f), importance: finite(values[i]) }))
    .filter((r): r is { feature: string; importance: number } => r.importance !== null)
    .sort((a, b) => b.importance - a.importance || a.feature.localeCompare(b.feature));
}

/** Test metrics from `metrics.json` (camelCase) under the run's snake_case keys, for runs whose metrics were not logged one by one. */
function metricsFromArtifacts(metricsJson: unknown, cvJson: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (isRecord(metricsJson) && isRecord(metricsJson.test)) {
    for (const [k, v] of Object.entries(metricsJson.test)) if (finite(v) !== null) out[snakeCase(k)] = v as number;
  }
  if (isRecord(cvJson) && isRecord(cvJson.mean) && isRecord(cvJson.std)) {
    for (const [k, v] of Object.entries(cvJson.mean)) if (finite(v) !== null) out[`cv_${snakeCase(k)}_mean`] = v as number;
    for (const [k, v] of Object.entries(cvJson.std)) if (finite(v) !== null) out[`cv_${snakeCase(k)}_std`] = v as number;
  }
  return out;
}

/**
 * Builds the card of `name` version `version`. Throws AppError('not_found')
 * for an unknown model or version; a run artifact or dataset version that is
 * gone leaves its part of the card empty rather than failing it.
 */
export function buildModelCard(
  store: Pick<Store, 'registry' | 'tracking' | 'datasets' | 'objects'>,
  name: string,
  version: number,
): ModelCard {
  const v = store.registry.getVersion(name, version);
  const model = store.registry.getModel(name);
  const run = store.tracking.getRun(v.runId);
  const experimentName = orNull(() => store.tracking.getExperiment(run.info.experimentId).name) ?? String(run.info.experimentId);

  const metricsJson = readJsonArtifact(store, v.runId, 'metrics.json');
  const cvJson = readJsonArtifact(store, v.runId, 'cv_results.json');
  const recipeJson = readJsonArtifact(store, v.runId, 'recipe.json');
  const importanceJson = readJsonArtifact(store, v.runId, 'feature_importance.json');

  // The dataset: the workspace version when the run trained on one, else what the run's tags and split say.
  const dv = v.datasetVersionId !== null ? orNull(() => store.datasets.getVersion(v.datasetVersionId!)) : null;
  const split = isRecord(metricsJson) && isRecord(metricsJson.split) ? metricsJson.split : null;
  const splitRows =
    split && finite(split.nTrain) !== null && finite(split.nTest) !== null ? (split.nTrain as number) + (split.nTest as number) : null;
  const dataset: ModelCard['dataset'] = dv
    ? {
        label: `${dv.datasetName}@${dv.tag}`,
        versionId: dv.id,
        sha256: dv.sha256,
        rows: dv.rows,
        columns: dv.csvOptions.columns.length,
        tag: dv.tag,
      }
    : {
        label: v.datasetLabel || run.tags[SYSTEM_TAGS.dataset] || '',
        versionId: v.datasetVersionId,
        sha256: run.tags[SYSTEM_TAGS.datasetSha256] ?? null,
        rows: splitRows,
        columns: null,
        tag: null,
      };

  const recipeName = isRecord(recipeJson) && typeof recipeJson.name === 'string' ? recipeJson.name : null;
  const recipeParam = run.params.recipe;
  const recipe = recipeName !== null ? { name: recipeName } : recipeParam && recipeParam !== 'None' ? { name: recipeParam } : null;

  const metricValues = Object.keys(v.metrics).length > 0 ? v.metrics : metricsFromArtifacts(metricsJson, cvJson);
  const testKeys =
    isRecord(metricsJson) && isRecord(metricsJson.test)
      ? Object.entries(metricsJson.test)
          .filter(([, value]) => typeof value === 'number')
          .map(([k]) => snakeCase(k))
      : undefined;

  const stages = store.registry
    .listAudit({ model: name })
    .filter((a) => a.version === version && STAGE_ACTIONS.has(a.action))
    .map((a) => ({
      at: a.at,
      actor: a.actor,
      from: a.action === 'register' ? null : a.from,
      to: a.action === 'register' ? (a.to ?? 'None') : a.to,
      comment: a.comment,
    }))
    .reverse();

  return {
    version: v,
    model: { name: model.name, description: model.description, aliases: model.aliases },
    run: {
      id: run.info.runId,
      name: run.info.name,
      experimentId: run.info.experimentId,
      experimentName,
      startTime: run.info.startTime,
      endTime: run.info.endTime,
      params: run.params,
      tags: run.tags,
    },
    dataset,
    recipe,
    metrics: cardMetrics(metricValues, testKeys),
    featureImportance: cardImportance(importanceJson),
    stages,
  };
}
