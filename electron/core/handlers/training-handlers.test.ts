import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../shared/contracts/datasets';
import type { JobRecord } from '../../../shared/jobs';
import type { ClassificationMetricSet, RegressionMetricSet } from '../../../shared/training';
import { call, callError } from '../../../tests/helpers/call-channel';
import { expectCvSummary } from '../../../tests/helpers/cv-summary';
import { createTestApp, importSample, makeTempDir, waitUntil, type TestApp } from '../../../tests/helpers/test-app';
import { deserializeModel, predictRecords } from '../training/model';

let app: TestApp | undefined;
let tmp: string | undefined;
afterEach(() => {
  app?.cleanup();
  app = undefined;
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
});

async function importCsv(a: TestApp, name: string, content: string): Promise<number> {
  tmp ??= makeTempDir('mlwb-train-input-');
  const file = path.join(tmp, `${name}.csv`);
  fs.writeFileSync(file, content);
  const s = await call(a, 'datasets:sniff', { path: file });
  const options = {
    delimiter: s.delimiter,
    hasHeader: s.hasHeader,
    encoding: s.encoding,
    missingMarkers: s.missingMarkers,
    columns: s.columns,
    raggedRows: 'error' as const,
  };
  const job = await a.ctx.jobs.waitFor((await call(a, 'datasets:import', { path: file, name, tag: 'v1', options })).id);
  expect(job.status, job.error ?? '').toBe('succeeded');
  return (job.result as ImportResult).versionId;
}

async function finished(a: TestApp, job: JobRecord): Promise<JobRecord> {
  return a.ctx.jobs.waitFor(job.id);
}

function objectCount(workspace: string): number {
  const root = path.join(workspace, 'objects');
  return fs
    .readdirSync(root)
    .filter((d) => d !== 'tmp')
    .reduce((n, d) => n + fs.readdirSync(path.join(root, d)).length, 0);
}

describe('training handlers', () => {
  it('lists the sample with its columns, trains a random forest on it and gives metrics, the run and the model', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const sources = await call(app, 'training:sources', {});
    expect(sources.map((s) => s.label)).toEqual(['churn@sample']);
    const cols = new Map(sources[0].columns.map((c) => [c.name, c]));
    expect(cols.get('churned')).toMatchObject({ type: 'integer', detectedTask: 'classification' });
    expect(cols.get('monthly_charges')).toMatchObject({ type: 'number', detectedTask: 'regression' });
    expect(cols.get('contract')?.detectedTask).toBe('classification');

    const started = await call(app, 'training:start', {
      versionId,
      target: 'churned',
      algorithm: 'rf',
      params: { nEstimators: 30, maxDepth: 8 },
      cvFolds: 3,
      seed: 7,
    });
    expect(started.kind).toBe('train');
    expect(started.title).toMatch(/rf on churn@sample → churned/);
    const job = await finished(app, started);
    expect(job.status, job.error ?? '').toBe('succeeded');
    expect(job.progressDone).toBeGreaterThan(0);

    const run = await call(app, 'training:run', { jobId: job.id });
    expect(run.status).toBe('succeeded');
    expect(run.request).toMatchObject({
      source: 'churn@sample',
      versionId,
      target: 'churned',
      task: 'classification',
      cvFolds: 3,
      seed: 7,
      testSize: 0.2,
    });
    expect(run.request!.dataSha256).toMatch(/^[0-9a-f]{64}$/);
    const r = run.result!;
    expect(r.task).toBe('classification');
    const test = r.test as ClassificationMetricSet;
    expect(test.accuracy).toBeGreaterThan(0.6);
    for (const k of ['precisionMacro', 'recallMacro', 'f1Macro', 'f1Weighted', 'rocAuc', 'logLoss'] as const)
      expect(Number.isFinite(test[k])).toBe(true);
    expect(test.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(r.split.nTest);
    expect(r.curves!.roc.fpr.length).toBeGreaterThan(2);
    expectCvSummary(r.cv!, 3);
    expect(r.importance.features.length).toBe(r.importance.impurity.length);
    expect(r.model.seed).toBe(7);
    expect(r.model.params.nEstimators).toBe(30);

    const model = await call(app, 'training:model', { jobId: job.id });
    expect(crypto.createHash('sha256').update(model.text).digest('hex')).toBe(r.model.sha256);
    expect(model.name).toMatch(/^rf-churn@sample-churned-[0-9a-f]{12}\.model\.json$/);
    const [p] = predictRecords(deserializeModel(model.text), [{ tenure_months: 3, contract: 'Month-to-month', monthly_charges: 90 }]);
    expect(['0', '1']).toContain(p.prediction);

    const recent = await call(app, 'training:recent', {});
    expect(recent[0]).toMatchObject({ jobId: job.id, status: 'succeeded', algorithm: 'rf', target: 'churned', task: 'classification' });
    expect(recent[0].testScore).toBeCloseTo(test.accuracy, 12);
    expect(recent[0].cvMean).toBeCloseTo(r.cv!.mean.accuracy, 12);

    // A regression run: linear regression on a numeric target ("auto" resolves to regression).
    const reg = await finished(
      app,
      await call(app, 'training:start', { versionId, target: 'monthly_charges', algorithm: 'linear', params: { alpha: 1 }, cvFolds: 2 }),
    );
    expect(reg.status, reg.error ?? '').toBe('succeeded');
    const regRun = await call(app, 'training:run', { jobId: reg.id });
    expect(regRun.result!.task).toBe('regression');
    expect(Number.isFinite((regRun.result!.test as RegressionMetricSet).rmse)).toBe(true);

    // "Clear finished" in the job tray hides the jobs there, but the runs and their results stay.
    expect((await call(app, 'jobs:clearFinished', {})).removed).toBeGreaterThanOrEqual(3);
    expect(await call(app, 'jobs:list', {})).toEqual([]);
    expect((await call(app, 'training:recent', {})).map((x) => x.jobId)).toEqual([reg.id, job.id]);
    expect((await call(app, 'training:run', { jobId: job.id })).result!.test).toEqual(test);
  });

  it('answers bad input with clear errors and leaves the store intact', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const good = await finished(app, await call(app, 'training:start', { versionId, target: 'churned', algorithm: 'logreg', cvFolds: 0 }));
    expect(good.status).toBe('succeeded');
    const datasetsBefore = JSON.stringify(await call(app, 'datasets:list', {}));
    const objectsBefore = objectCount(app.workspaceDir);
    const jobsBefore = app.ctx.store.jobs.listJobs(100).length;

    // Refused before any job starts.
    const unknown = await callError(app, 'training:start', { versionId, target: 'nope', algorithm: 'rf' });
    expect(unknown.code).toBe('bad_input');
    expect(unknown.message).toMatch(/Target "nope": no such column in churn@sample \(columns: customer_id, gender/);
    const feature = await callError(app, 'training:start', {
      versionId,
      target: 'churned',
      algorithm: 'rf',
      features: ['tenure_months', 'colour'],
    });
    expect(feature.message).toMatch(/"colour": no such column/);
    const logregReg = await callError(app, 'training:start', { versionId, target: 'monthly_charges', algorithm: 'logreg' });
    expect(logregReg.message).toMatch(/Logistic regression needs a classification target/);
    const entropyReg = await callError(app, 'training:start', {
      versionId,
      target: 'monthly_charges',
      algorithm: 'rf',
      params: { criterion: 'entropy' },
    });
    expect(entropyReg.message).toMatch(/criterion: must be squared_error for regression/);
    const zeroTrees = await callError(app, 'training:start', { versionId, target: 'churned', algorithm: 'rf', params: { nEstimators: 0 } });
    expect(zeroTrees.code).toBe('invalid_payload');
    expect(zeroTrees.message).toMatch(/params\.nEstimators/);
    expect((await callError(app, 'training:start', { versionId, target: 'churned', algorithm: 'rf', params: { trees: 3 } })).code).toBe(
      'invalid_payload',
    );
    expect((await callError(app, 'training:start', { versionId, target: 'churned', algorithm: 'svm' })).code).toBe('invalid_payload');
    expect((await callError(app, 'training:start', { versionId, target: 'churned', algorithm: 'rf', cvFolds: 1 })).message).toMatch(
      /cvFolds: must be 0/,
    );
    expect((await callError(app, 'training:start', { versionId, target: 'churned', algorithm: 'rf', testSize: 0.95 })).code).toBe(
      'invalid_payload',
    );
    expect((await callError(app, 'training:start', { versionId: 999, target: 'churned', algorithm: 'rf' })).code).toBe('not_found');
    expect(app.ctx.store.jobs.listJobs(100).length).toBe(jobsBefore);

    // Found by the engine in the worker: the job fails with its message.
    const textReg = await finished(
      app,
      await call(app, 'training:start', { versionId, target: 'contract', task: 'regression', algorithm: 'rf', params: { nEstimators: 5 } }),
    );
    expect(textReg.status).toBe('failed');
    expect(textReg.error).toMatch(/Regression needs a numeric target; "contract" is category/);
    const ids = await finished(app, await call(app, 'training:start', { versionId, target: 'customer_id', algorithm: 'gbm' }));
    expect(ids.status).toBe('failed');
    expect(ids.error).toMatch(/"customer_id" has 5,?000 classes for 5,?000 rows/);
    const tiny = await importCsv(app, 'tiny', 'x,y\n1,a\n2,b\n3,a\n4,b\n5,a\n6,b\n');
    const folds = await finished(
      app,
      await call(app, 'training:start', {
        versionId: tiny,
        target: 'y',
        algorithm: 'rf',
        testSize: 0,
        cvFolds: 10,
        params: { nEstimators: 3 },
      }),
    );
    expect(folds.status).toBe('failed');
    expect(folds.error).toMatch(/fold/i);
    const oneClass = await importCsv(app, 'one-class', 'x,label\n' + Array.from({ length: 20 }, (_, i) => `${i},yes`).join('\n') + '\n');
    const one = await finished(
      app,
      await call(app, 'training:start', { versionId: oneClass, target: 'label', algorithm: 'rf', params: { nEstimators: 3 } }),
    );
    expect(one.status).toBe('failed');
    expect(one.error).toMatch(/only one class/);
    const failedRun = await call(app, 'training:run', { jobId: one.id });
    expect(failedRun).toMatchObject({ status: 'failed', result: null });
    expect(failedRun.error).toMatch(/only one class/);
    expect((await callError(app, 'training:model', { jobId: one.id })).message).toMatch(/has no model: it failed/);

    // The store is intact: the earlier run still reads, no model object was added by the failures.
    expect(JSON.parse(JSON.stringify(await call(app, 'datasets:list', {}))).length).toBe(JSON.parse(datasetsBefore).length + 2);
    expect(objectCount(app.workspaceDir)).toBe(objectsBefore + 2);
    expect((await call(app, 'training:run', { jobId: good.id })).result!.test).toHaveProperty('accuracy');
    expect((await call(app, 'training:model', { jobId: good.id })).text).toMatch(/"format":"mlwb-model"/);
    // Not a train job.
    const importJob = app.ctx.store.jobs.listJobs(100).find((j) => j.kind !== 'train')!;
    expect((await callError(app, 'training:run', { jobId: importJob.id })).message).toMatch(/is not a train job/);
  });

  it('trains with a saved recipe of the same dataset; refuses one of another dataset or target, leaving the store intact', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const other = await importCsv(app, 'other', 'x,churned\n' + Array.from({ length: 40 }, (_, i) => `${i},${i % 2}`).join('\n') + '\n');
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
      const job = await finished(app!, (await call(app!, 'recipes:save', { versionId: v, name, spec: s })) as JobRecord);
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

    const cross = await callError(app, 'training:start', { versionId, target: 'churned', algorithm: 'rf', recipeId: foreign });
    expect(cross.code).toBe('bad_input');
    expect(cross.message).toMatch(/Recipe "other-prep" \(#\d+\) belongs to another dataset, not churn/);
    const target = await callError(app, 'training:start', { versionId, target: 'churned', algorithm: 'rf', recipeId: wrongTarget });
    expect(target.message).toMatch(/was made for target "contract", not "churned"/);
    expect((await callError(app, 'training:start', { versionId, target: 'churned', algorithm: 'rf', recipeId: 9999 })).code).toBe(
      'not_found',
    );
    expect(app.ctx.store.jobs.listJobs(100).length).toBe(jobsBefore);
    expect(objectCount(app.workspaceDir)).toBe(objectsBefore);
    expect(JSON.stringify(app.ctx.store.datasets.listRecipes(app.ctx.store.datasets.getVersion(versionId).datasetId))).toBe(recipesBefore);

    const job = await finished(
      app,
      await call(app, 'training:start', { versionId, target: 'churned', algorithm: 'logreg', cvFolds: 2, recipeId: mine }),
    );
    expect(job.status, job.error ?? '').toBe('succeeded');
    const run = await call(app, 'training:run', { jobId: job.id });
    expect(run.request!.recipe).toEqual({ id: mine, name: 'churn-prep' });
    expect(run.result!.model.featureNames).toContain('contract=__other__');
    const model = deserializeModel((await call(app, 'training:model', { jobId: job.id })).text);
    expect(model.encoding.recipe!.spec.target).toBe('churned');
    // Serving scores raw rows: strings, a missing number, an unseen category.
    const [p] = predictRecords(model, [{ tenure_months: '3', monthly_charges: '', contract: 'Lifetime' }]);
    expect(['0', '1']).toContain(p.prediction);
  });

  it('cancels a running train job', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const started = await call(app, 'training:start', {
      versionId,
      target: 'churned',
      algorithm: 'rf',
      params: { nEstimators: 3000 },
      cvFolds: 5,
    });
    await waitUntil(() => app!.ctx.store.jobs.getJob(started.id).status === 'running', 20_000, 'train job running');
    await call(app, 'jobs:cancel', { id: started.id });
    const job = await finished(app, started);
    expect(job.status).toBe('cancelled');
    expect((await call(app, 'training:recent', {}))[0]).toMatchObject({
      jobId: started.id,
      status: 'cancelled',
      algorithm: 'rf',
      testScore: null,
    });
  });
});
