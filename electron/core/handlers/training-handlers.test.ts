import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../shared/jobs';
import type { RequestOf } from '../../../shared/ipc';
import type { RunDetail } from '../../../shared/tracking';
import type { AlgorithmId } from '../../../shared/training';
import { call, callError } from '../../../tests/helpers/call-channel';
import { expectCvSummary } from '../../../tests/helpers/cv-summary';
import { createTestApp, importCsvText, importSample, waitUntil, type TestApp } from '../../../tests/helpers/test-app';
import { deserializeModel, predictRecords } from '../training/model';
import type { TrainJobResult } from '../training/training-job';

let app: TestApp | undefined;
let tmp: string | undefined;
afterEach(() => {
  app?.cleanup();
  app = undefined;
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
});

/** The run settings `runs:launch` takes (what the New run wizard sends). */
type Settings = Record<string, unknown> & { versionId: number; target: string };

/** `runs:launch` of one model into the default experiment: the request the wizard sends. */
function launchRequest(
  settings: Settings,
  algorithm: AlgorithmId | string,
  params: Record<string, unknown> = {},
): RequestOf<'runs:launch'> {
  return { experimentId: 0, settings, models: [{ algorithm: algorithm as AlgorithmId, params }] };
}

/** Launches one model and returns its train job (not waited for). */
async function launch(a: TestApp, settings: Settings, algorithm: AlgorithmId, params: Record<string, unknown> = {}): Promise<JobRecord> {
  const { jobs } = await call(a, 'runs:launch', launchRequest(settings, algorithm, params));
  expect(jobs).toHaveLength(1);
  return jobs[0];
}

/** Launches one model and waits for its job to end. */
async function trained(a: TestApp, settings: Settings, algorithm: AlgorithmId, params: Record<string, unknown> = {}): Promise<JobRecord> {
  return a.ctx.jobs.waitFor((await launch(a, settings, algorithm, params)).id);
}

/** The refusal of a one-model launch. */
function refused(a: TestApp, settings: Settings, algorithm: AlgorithmId | string, params: Record<string, unknown> = {}) {
  return callError(a, 'runs:launch', launchRequest(settings, algorithm, params));
}

const resultOf = (job: JobRecord) => job.result as TrainJobResult;

/** A run's latest metric value by key (undefined when not logged). */
function metric(run: RunDetail, key: string): number | undefined {
  const v = run.metrics.find((m) => m.key === key)?.value;
  return typeof v === 'number' ? v : undefined;
}

/** A JSON artifact of a run, parsed. */
async function jsonArtifact<T>(a: TestApp, runId: string, path: string): Promise<T> {
  return JSON.parse((await call(a, 'runs:artifact', { runId, path })).text!) as T;
}

function objectCount(workspace: string): number {
  const root = path.join(workspace, 'objects');
  return fs
    .readdirSync(root)
    .filter((d) => d !== 'tmp')
    .reduce((n, d) => n + fs.readdirSync(path.join(root, d)).length, 0);
}

describe('training from the app (runs:launch, read back through runs:get and runs:artifact)', () => {
  it('lists the sample with its columns, trains a random forest on it and gives metrics, the run and the model', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const sources = await call(app, 'training:sources', {});
    expect(sources.map((s) => s.label)).toEqual(['churn@sample']);
    const cols = new Map(sources[0].columns.map((c) => [c.name, c]));
    expect(cols.get('churned')).toMatchObject({ type: 'integer', detectedTask: 'classification' });
    expect(cols.get('monthly_charges')).toMatchObject({ type: 'number', detectedTask: 'regression' });
    expect(cols.get('contract')?.detectedTask).toBe('classification');

    const started = await launch(app, { versionId, target: 'churned', cvFolds: 3, seed: 7 }, 'rf', { nEstimators: 30, maxDepth: 8 });
    expect(started.kind).toBe('train');
    expect(started.title).toMatch(/rf on churn@sample → churned/);
    const job = await app.ctx.jobs.waitFor(started.id);
    expect(job.status, job.error ?? '').toBe('succeeded');
    expect(job.progressDone).toBeGreaterThan(0);
    const r = resultOf(job);

    const run = await call(app, 'runs:get', { runId: r.runId });
    expect(run.info).toMatchObject({ status: 'FINISHED', experimentId: 0, jobId: job.id, datasetVersionId: versionId, source: 'app' });
    expect(run.dataset).toMatchObject({ versionId, label: 'churn@sample' });
    expect(run.dataset!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run.params).toMatchObject({
      model: 'rf',
      target: 'churned',
      cv_folds: '3',
      seed: '7',
      test_size: '0.2',
      stratify: 'true',
      recipe: 'None',
      nEstimators: '30',
      maxDepth: '8',
    });
    expect(run.tags['mlwb.task']).toBe('classification');
    expect(run.reproducible).toBe(true);
    const accuracy = metric(run, 'accuracy')!;
    expect(accuracy).toBeGreaterThan(0.6);
    for (const k of ['precision_macro', 'recall_macro', 'f1_macro', 'f1_weighted', 'roc_auc', 'log_loss'])
      expect(Number.isFinite(metric(run, k)), k).toBe(true);
    const split = (await jsonArtifact<{ split: { nTest: number } }>(app, r.runId, 'metrics.json')).split;
    const cm = await jsonArtifact<{ labels: string[]; matrix: number[][] }>(app, r.runId, 'confusion_matrix.json');
    expect(cm.labels).toEqual(['0', '1']);
    expect(cm.matrix.flat().reduce((a, b) => a + b, 0)).toBe(split.nTest);
    expect((await jsonArtifact<{ fpr: number[] }>(app, r.runId, 'roc_curve.json')).fpr.length).toBeGreaterThan(2);
    // The CV summary is the summary of its folds, and the run logs the same mean and std.
    expectCvSummary(r.cv!, 3);
    expect(metric(run, 'cv_accuracy_mean')).toBe(r.cv!.mean.accuracy);
    expect(metric(run, 'cv_accuracy_std')).toBe(r.cv!.std.accuracy);
    const importance = await jsonArtifact<{ features: string[]; impurity: number[] }>(app, r.runId, 'feature_importance.json');
    expect(importance.features.length).toBeGreaterThan(0);
    expect(importance.features.length).toBe(importance.impurity.length);

    // The model file: the run's model/model.json artifact, the object the job stored, and it predicts.
    expect(run.artifacts.map((a) => a.path)).toContain('model/model.json');
    const model = await call(app, 'runs:artifact', { runId: r.runId, path: 'model/model.json' });
    expect(model.name).toBe('model.json');
    expect(model.sha256).toBe(r.model.sha256);
    expect(crypto.createHash('sha256').update(model.text!).digest('hex')).toBe(r.model.sha256);
    const parsed = deserializeModel(model.text!);
    expect(parsed.seed).toBe(7);
    expect(parsed.params.nEstimators).toBe(30);
    const [p] = predictRecords(parsed, [{ tenure_months: 3, contract: 'Month-to-month', monthly_charges: 90 }]);
    expect(['0', '1']).toContain(p.prediction);

    // The runs table lists it with its headline metric.
    const listed = (await call(app, 'runs:search', { experimentIds: [0] })).runs;
    expect(listed.map((x) => x.info.runId)).toEqual([r.runId]);
    expect(listed[0].metrics.accuracy).toBe(accuracy);
    expect(listed[0].params.model).toBe('rf');

    // A regression run: linear regression on a numeric target ("auto" resolves to regression).
    const reg = await trained(app, { versionId, target: 'monthly_charges', cvFolds: 2 }, 'linear', { alpha: 1 });
    expect(reg.status, reg.error ?? '').toBe('succeeded');
    const regRun = await call(app, 'runs:get', { runId: resultOf(reg).runId });
    expect(regRun.tags['mlwb.task']).toBe('regression');
    expect(Number.isFinite(metric(regRun, 'rmse'))).toBe(true);
    expect(metric(regRun, 'accuracy')).toBeUndefined();

    // "Clear finished" in the job tray hides the jobs there, but the runs and their results stay.
    expect((await call(app, 'jobs:clearFinished', {})).removed).toBeGreaterThanOrEqual(3);
    expect(await call(app, 'jobs:list', {})).toEqual([]);
    const after = await call(app, 'runs:search', { experimentIds: [0], orderBy: ['attributes.start_time DESC'] });
    expect(after.runs.map((x) => x.info.runId)).toEqual([resultOf(reg).runId, r.runId]);
    expect(metric(await call(app, 'runs:get', { runId: r.runId }), 'accuracy')).toBe(accuracy);
  });

  it('answers bad input with clear errors and leaves the store intact', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const good = await trained(app, { versionId, target: 'churned', cvFolds: 0 }, 'logreg');
    expect(good.status, good.error ?? '').toBe('succeeded');
    const datasetsBefore = (await call(app, 'datasets:list', {})).length;
    const objectsBefore = objectCount(app.workspaceDir);
    const jobsBefore = app.ctx.store.jobs.listJobs(100).length;
    const churned = { versionId, target: 'churned' };

    // Checked against the version's columns and profile (the wizard's checks, again on the server).
    const unknown = await refused(app, { versionId, target: 'nope' }, 'rf');
    expect(unknown.code).toBe('bad_input');
    expect(unknown.message).toMatch(/^Target "nope": no such column in churn@sample \(columns: customer_id, /);
    expect(unknown.details).toEqual([{ path: 'settings.target', message: unknown.message }]);
    const feature = await refused(app, { ...churned, features: ['tenure_months', 'colour'] }, 'rf');
    expect(feature.code).toBe('bad_input');
    expect(feature.message).toBe('Features "colour": no such column in churn@sample.');
    const logregReg = await refused(app, { versionId, target: 'monthly_charges' }, 'logreg');
    expect(logregReg.message).toBe('Model 1 (logreg) cannot do regression.');
    const entropyReg = await refused(app, { versionId, target: 'monthly_charges' }, 'rf', { criterion: 'entropy' });
    expect(entropyReg.message).toMatch(/criterion: must be squared_error for regression/);
    const textReg = await refused(app, { versionId, target: 'contract', task: 'regression' }, 'rf', { nEstimators: 5 });
    expect(textReg.code).toBe('bad_input');
    expect(textReg.message).toBe('Regression needs a numeric target; "contract" is category.');
    const ids = await refused(app, { versionId, target: 'customer_id' }, 'gbm');
    expect(ids.message).toMatch(/"customer_id" has 5,?000 classes for 5,?000 rows/);

    // Refused by the contract: the path names the model's parameter or the setting.
    const zeroTrees = await refused(app, churned, 'rf', { nEstimators: 0 });
    expect(zeroTrees.code).toBe('invalid_payload');
    expect(zeroTrees.message).toBe('Invalid request to runs:launch: models.0.params.nEstimators: must be ≥ 1');
    const typo = await refused(app, churned, 'rf', { trees: 3 });
    expect(typo.code).toBe('invalid_payload');
    expect(typo.message).toMatch(/models\.0\.params: Unknown parameter "trees" for random forest; known: nEstimators/);
    const svm = await refused(app, churned, 'svm');
    expect(svm.code).toBe('invalid_payload');
    expect(svm.message).toMatch(/models\.0\.algorithm/);
    expect((await refused(app, { ...churned, cvFolds: 1 }, 'rf')).message).toBe(
      'Invalid request to runs:launch: settings.cvFolds: must be 0 (no cross-validation) or from 2 to 20',
    );
    const testSize = await refused(app, { ...churned, testSize: 0.95 }, 'rf');
    expect(testSize.code).toBe('invalid_payload');
    expect(testSize.message).toMatch(/settings\.testSize: must be ≤ 0\.9/);
    const missing = await refused(app, { versionId: 999, target: 'churned' }, 'rf');
    expect(missing.code).toBe('not_found');
    expect(missing.message).toBe('No dataset version with id 999.');

    // Data that cannot be trained as asked is refused up front, with the reason.
    const tiny = await importCsvText(app, 'tiny', 'x,y\n1,a\n2,b\n3,a\n4,b\n5,a\n6,b\n');
    const folds = await refused(app, { versionId: tiny, target: 'y', testSize: 0, cvFolds: 10 }, 'rf', { nEstimators: 3 });
    expect(folds.code).toBe('bad_input');
    expect(folds.message).toBe('10 folds need at least 10 rows of each class; class "a" has 3.');
    const oneClass = await importCsvText(
      app,
      'one-class',
      'x,label\n' + Array.from({ length: 20 }, (_, i) => `${i},yes`).join('\n') + '\n',
    );
    const one = await refused(app, { versionId: oneClass, target: 'label' }, 'rf', { nEstimators: 3 });
    expect(one.code).toBe('bad_input');
    expect(one.message).toMatch(/"label" has only one class/);

    // The store is intact: no job or run was started, no object but the two imports was added, the earlier run still reads.
    expect(app.ctx.store.jobs.listJobs(100).filter((j) => j.kind === 'train').length).toBe(1);
    expect(app.ctx.store.jobs.listJobs(100).length).toBe(jobsBefore + 2);
    expect((await call(app, 'runs:search', { experimentIds: [0], runViewType: 'ALL' })).runs).toHaveLength(1);
    expect((await call(app, 'datasets:list', {})).length).toBe(datasetsBefore + 2);
    expect(objectCount(app.workspaceDir)).toBe(objectsBefore + 2);
    const goodRun = await call(app, 'runs:get', { runId: resultOf(good).runId });
    expect(metric(goodRun, 'accuracy')).toBeGreaterThan(0.6);
    expect((await call(app, 'runs:artifact', { runId: goodRun.info.runId, path: 'model/model.json' })).text).toMatch(
      /"format":"mlwb-model"/,
    );
    // No such run.
    const noRun = await callError(app, 'runs:get', { runId: '0123456789abcdef0123456789abcdef' });
    expect(noRun.code).toBe('not_found');
    expect(noRun.message).toBe('No run with id 0123456789abcdef0123456789abcdef.');
  });

  it('trains with a saved recipe of the same dataset; refuses one of another dataset or target, leaving the store intact', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const other = await importCsvText(
      app,
      'other',
      'x,churned\n' + Array.from({ length: 40 }, (_, i) => `${i},${i % 2}`).join('\n') + '\n',
    );
    const spec = {
      target: 'churned',
      drop: ['customer_id'],
      numericImpute: 'median' as const,
      numericConstant: 0,
      categoricalImpute: 'mode' as const,
      categoricalConstant: 'missing',
      scale: true,
      oneHot: true,
      topK: 4,
    };
    const save = async (v: number, name: string, s: typeof spec) => {
      const job = await app!.ctx.jobs.waitFor(((await call(app!, 'recipes:save', { versionId: v, name, spec: s })) as JobRecord).id);
      expect(job.status, job.error ?? '').toBe('succeeded');
      const sourceVersion = app!.ctx.store.datasets.getVersion(v);
      return app!.ctx.store.datasets.listRecipes(sourceVersion.datasetId).find((r) => r.name === name)!.id;
    };
    const mine = await save(versionId, 'churn-prep', spec);
    const foreign = await save(other, 'other-prep', spec);
    const wrongTarget = await save(versionId, 'for-contract', { ...spec, target: 'contract' });
    const recipesBefore = JSON.stringify(app.ctx.store.datasets.listRecipes(app.ctx.store.datasets.getVersion(versionId).datasetId));
    const jobsBefore = app.ctx.store.jobs.listJobs(100).length;
    const objectsBefore = objectCount(app.workspaceDir);

    const cross = await refused(app, { versionId, target: 'churned', recipeId: foreign }, 'rf');
    expect(cross.code).toBe('bad_input');
    expect(cross.message).toMatch(/Recipe "other-prep" \(#\d+\) belongs to another dataset, not churn/);
    const target = await refused(app, { versionId, target: 'churned', recipeId: wrongTarget }, 'rf');
    expect(target.code).toBe('bad_input');
    expect(target.message).toMatch(/was made for target "contract", not "churned"/);
    expect((await refused(app, { versionId, target: 'churned', recipeId: 9999 }, 'rf')).code).toBe('not_found');
    expect(app.ctx.store.jobs.listJobs(100).length).toBe(jobsBefore);
    expect(objectCount(app.workspaceDir)).toBe(objectsBefore);
    expect(JSON.stringify(app.ctx.store.datasets.listRecipes(app.ctx.store.datasets.getVersion(versionId).datasetId))).toBe(recipesBefore);

    const job = await trained(app, { versionId, target: 'churned', cvFolds: 2, recipeId: mine }, 'logreg');
    expect(job.status, job.error ?? '').toBe('succeeded');
    const r = resultOf(job);
    const run = await call(app, 'runs:get', { runId: r.runId });
    expect(run.params.recipe).toBe('churn-prep');
    expect(run.tags['mlwb.recipe']).toBe('churn-prep');
    expect(await jsonArtifact(app, r.runId, 'recipe.json')).toMatchObject({ id: mine, name: 'churn-prep', spec: { target: 'churned' } });
    expect(r.model.featureNames).toContain('contract=__other__');
    const model = deserializeModel((await call(app, 'runs:artifact', { runId: r.runId, path: 'model/model.json' })).text!);
    expect(model.encoding.recipe!.spec.target).toBe('churned');
    // Serving scores raw rows: strings, a missing number, an unseen category.
    const [p] = predictRecords(model, [{ tenure_months: '3', monthly_charges: '', contract: 'Lifetime' }]);
    expect(['0', '1']).toContain(p.prediction);
  });

  it('cancels a running train job: its run is KILLED, without metrics or model', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const started = await launch(app, { versionId, target: 'churned', cvFolds: 5 }, 'rf', { nEstimators: 3000 });
    const a = app;
    const running = await waitUntil(() => a.ctx.store.tracking.findRunByJob(started.id), 20_000, 'the run to start');
    expect(running.status).toBe('RUNNING');
    await call(app, 'jobs:cancel', { id: started.id });
    const job = await app.ctx.jobs.waitFor(started.id);
    expect(job.status).toBe('cancelled');
    const run = await call(app, 'runs:get', { runId: running.runId });
    expect(run.info).toMatchObject({ status: 'KILLED', jobId: started.id, error: null });
    expect(run.info.endTime).not.toBeNull();
    expect(run.params).toMatchObject({ model: 'rf', nEstimators: '3000', cv_folds: '5' });
    expect(metric(run, 'accuracy')).toBeUndefined();
    expect(run.artifacts).toEqual([]);
    const noModel = await callError(app, 'runs:artifact', { runId: running.runId, path: 'model/model.json' });
    expect(noModel.code).toBe('not_found');
    expect(noModel.message).toBe(`Run ${running.runId} has no artifact "model/model.json".`);
    expect(
      (await call(app, 'runs:search', { experimentIds: [0], filter: "attributes.status = 'KILLED'" })).runs.map((x) => x.info.runId),
    ).toEqual([running.runId]);
  });
});
