import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrainingResult } from '../../../shared/training';
import { createStore, type Store } from '../store';
import { trainingRunRecord } from '../tracking/record-run';
import { writeTrainingRecord } from '../tracking/run-writer';
import { buildModelCard, cardImportance, cardMetrics } from './model-card';

let store: Store | undefined;
let dir: string | undefined;
afterEach(() => {
  store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  store = dir = undefined;
});

function open(): Store {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-card-'));
  store = createStore(dir);
  return store;
}

/** What a finished rf run on churn@v2 reports (the shape the train job hands to trainingRunRecord). */
function result(sha256: string): TrainingResult {
  return {
    task: 'classification',
    source: 'churn@v2',
    target: 'churned',
    algorithm: 'rf',
    split: { nTrain: 400, nTest: 100, testSize: 0.2, stratified: true, seed: 7 },
    test: {
      accuracy: 0.84,
      precisionMacro: 0.8,
      recallMacro: 0.78,
      f1Macro: 0.79,
      rocAuc: 0.9,
      logLoss: 0.35,
      confusionMatrix: [
        [60, 8],
        [8, 24],
      ],
    } as never,
    cv: {
      folds: 3,
      perFold: [{ accuracy: 0.8 }, { accuracy: 0.82 }, { accuracy: 0.86 }] as never,
      mean: { accuracy: 0.8267, rocAuc: 0.88 },
      std: { accuracy: 0.025, rocAuc: 0.02 },
    },
    importance: { features: ['tenure', 'plan=pro', 'charges'], impurity: [0.5, 0.1, 0.4] },
    warnings: [],
    model: {
      sha256,
      bytes: 10,
      params: { nEstimators: 50, maxDepth: 8 },
      seed: 7,
      classes: ['0', '1'],
      featureNames: ['tenure', 'plan=pro', 'charges'],
      trainingDataHash: 'f'.repeat(64),
      engineVersion: '1.0.0',
      formatVersion: 2,
    },
    workers: 1,
    durationMs: 1234,
  };
}

/** A run as the train job records it (params, metrics, tags, JSON artifacts), on a dataset version, registered as churn v1. */
function registeredRun(s: Store, recipe = true) {
  const dv = s.datasets.insertVersion({
    datasetName: 'churn',
    tag: 'v2',
    sha256: 'a'.repeat(64),
    md5: null,
    size: 1000,
    rows: 500,
    schema: [
      { name: 'tenure', type: 'integer' },
      { name: 'plan', type: 'category' },
      { name: 'charges', type: 'number' },
      { name: 'churned', type: 'integer' },
    ],
    csvOptions: {
      delimiter: ',',
      hasHeader: true,
      encoding: 'utf-8',
      missingMarkers: [''],
      columns: [
        { name: 'tenure', type: 'integer' },
        { name: 'plan', type: 'category' },
        { name: 'charges', type: 'number' },
        { name: 'churned', type: 'integer' },
      ],
      raggedRows: 'error',
    },
    profile: { rows: 500, columns: [] } as never,
    sourcePath: '/tmp/churn.csv',
    sourceName: 'churn.csv',
  });
  const model = s.objects.writeObject('{"format":"mlwb-model"}');
  const info = s.tracking.createRun({
    experimentId: 0,
    name: 'forest-7',
    userId: 'aiko',
    source: 'app',
    datasetVersionId: dv.id,
    startTime: 1_700_000_000_000,
  });
  const inputs = {
    source: { label: 'churn@v2', sha256: dv.sha256, versionId: dv.id },
    target: 'churned',
    algorithm: 'rf',
    params: { nEstimators: 50 },
    seed: 7,
    testSize: 0.2,
    cvFolds: 3,
    recipe: recipe ? { id: 3, name: 'scaled', spec: { target: 'churned', drop: [] } } : undefined,
  };
  const record = trainingRunRecord(
    inputs,
    result(model.sha256),
    { appVersion: '0.0.0', userId: 'aiko', os: 'Linux', runName: 'forest-7' },
    1_700_000_060_000,
  );
  writeTrainingRecord(s, info.runId, record, { sha256: model.sha256, bytes: model.size });
  s.tracking.updateRun(info.runId, { status: 'FINISHED', endTime: 1_700_000_060_000 });
  const v = s.registry.createVersion({ name: 'churn', runId: info.runId, modelSha256: model.sha256, createdBy: 'aiko', createModel: true });
  return { dv, runId: info.runId, version: v };
}

describe('model card', () => {
  it('gathers the version, its run, dataset version, recipe, metrics with CV spread, importances and stage history', () => {
    const s = open();
    const { dv, runId } = registeredRun(s);
    const audit = (
      action: 'register' | 'transition' | 'rollback' | 'alias-set',
      from: string | null,
      to: string | null,
      comment: string,
      at: number,
      version = 1,
    ) => s.registry.appendAudit({ actor: 'aiko', via: 'app', action, model: 'churn', version, from, to, comment, at });
    audit('register', null, 'None', '', 1000);
    audit('transition', 'None', 'Staging', 'try it', 2000);
    audit('alias-set', null, 'champion', '', 2500);
    audit('transition', 'Staging', 'Production', 'beats v0', 3000);
    audit('transition', 'None', 'Staging', 'another version', 3500, 2);
    s.registry.setStage('churn', 1, 'Production');

    const card = buildModelCard(s, 'churn', 1);
    expect(card.version).toMatchObject({ name: 'churn', version: 1, runId, stage: 'Production' });
    expect(card.model.name).toBe('churn');
    expect(card.run).toMatchObject({
      id: runId,
      name: 'forest-7',
      experimentName: 'Default',
      startTime: 1_700_000_000_000,
      endTime: 1_700_000_060_000,
    });
    expect(card.run.params).toMatchObject({ model: 'rf', nEstimators: '50', cv_folds: '3', recipe: 'scaled' });
    expect(card.dataset).toEqual({ label: 'churn@v2', versionId: dv.id, sha256: 'a'.repeat(64), rows: 500, columns: 4, tag: 'v2' });
    expect(card.recipe).toEqual({ name: 'scaled' });
    // Test values with their CV mean ± std; a CV-only key has no test value; per-fold and duration rows are left out.
    expect(card.metrics.find((m) => m.key === 'accuracy')).toEqual({ key: 'accuracy', test: 0.84, cvMean: 0.8267, cvStd: 0.025 });
    expect(card.metrics.find((m) => m.key === 'roc_auc')).toEqual({ key: 'roc_auc', test: 0.9, cvMean: 0.88, cvStd: 0.02 });
    expect(card.metrics.find((m) => m.key === 'log_loss')).toEqual({ key: 'log_loss', test: 0.35, cvMean: null, cvStd: null });
    expect(card.metrics.map((m) => m.key)).not.toContain('training_duration_s');
    expect(card.metrics.map((m) => m.key).some((k) => k.startsWith('cv_'))).toBe(false);
    expect(card.featureImportance).toEqual([
      { feature: 'tenure', importance: 0.5 },
      { feature: 'charges', importance: 0.4 },
      { feature: 'plan=pro', importance: 0.1 },
    ]);
    // Oldest first, this version's stage moves only (not the alias, not version 2's).
    expect(card.stages).toEqual([
      { at: 1000, actor: 'aiko', from: null, to: 'None', comment: '' },
      { at: 2000, actor: 'aiko', from: 'None', to: 'Staging', comment: 'try it' },
      { at: 3000, actor: 'aiko', from: 'Staging', to: 'Production', comment: 'beats v0' },
    ]);
  });

  it('has no recipe without one and refuses an unknown model or version', () => {
    const s = open();
    registeredRun(s, false);
    expect(buildModelCard(s, 'churn', 1).recipe).toBeNull();
    expect(() => buildModelCard(s, 'churn', 2)).toThrow(/2/);
    expect(() => buildModelCard(s, 'nope', 1)).toThrow(/nope/);
  });

  it('reads metrics and importances defensively', () => {
    expect(cardMetrics({ r2: 0.5, cv_r2_mean: 0.4, cv_r2_std: 0.1, cv_fold_r2: 0.3, cv_rmse_mean: 2, training_duration_s: 3 })).toEqual([
      { key: 'r2', test: 0.5, cvMean: 0.4, cvStd: 0.1 },
      { key: 'rmse', test: null, cvMean: 2, cvStd: null },
    ]);
    // With the run's test keys, training series (oob_error per tree) are not test values.
    expect(
      cardMetrics({ accuracy: 0.8, oob_error: 0.2, oob_score: 0.79, cv_accuracy_mean: 0.78, cv_accuracy_std: 0.01 }, ['accuracy']),
    ).toEqual([
      { key: 'accuracy', test: 0.8, cvMean: 0.78, cvStd: 0.01 },
      { key: 'oob_score', test: 0.79, cvMean: null, cvStd: null },
    ]);
    expect(cardImportance(null)).toEqual([]);
    expect(cardImportance({ features: ['a', 'b'], impurity: [0.2, 'x'] })).toEqual([{ feature: 'a', importance: 0.2 }]);
    expect(cardImportance({ features: ['a', 'b'], permutation: { mean: [0.1, 0.3], std: [0, 0] } })).toEqual([
      { feature: 'b', importance: 0.3 },
      { feature: 'a', importance: 0.1 },
    ]);
  });
});
