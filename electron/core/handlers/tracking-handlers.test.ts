import crypto from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../shared/jobs';
import { fromWireNumber, type ReproductionVerdict } from '../../../shared/tracking';
import { call, callError } from '../../../tests/helpers/call-channel';
import { createTestApp, importSample, waitUntil, type TestApp } from '../../../tests/helpers/test-app';
import { databasePath } from '../store/database';

let app: TestApp | undefined;
afterEach(() => {
  app?.cleanup();
  app = undefined;
});

const SETTINGS = { target: 'churned', testSize: 0.25, cvFolds: 3, seed: 7 };

async function launch(
  a: TestApp,
  versionId: number,
  models: { algorithm: 'rf' | 'gbm' | 'logreg' | 'et'; params?: Record<string, unknown> }[],
  experimentId = 0,
) {
  return call(a, 'runs:launch', { experimentId, settings: { versionId, ...SETTINGS }, models });
}

async function finish(a: TestApp, jobs: JobRecord[]): Promise<JobRecord[]> {
  return Promise.all(jobs.map((j) => a.ctx.jobs.waitFor(j.id)));
}

function runIdOf(job: JobRecord): string {
  return (job.result as { runId: string }).runId;
}

describe('runs from the app', () => {
  it('launches several models as sibling runs that record params, metrics, per-fold values, tags and artifacts', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const exp = await call(app, 'experiments:create', { name: 'churn trio', description: '' });
    const { comparison, jobs } = await launch(
      app,
      versionId,
      [
        { algorithm: 'logreg', params: { C: 1 } },
        { algorithm: 'rf', params: { nEstimators: 20 } },
        { algorithm: 'gbm', params: { maxIter: 20, learningRate: 0.1 } },
      ],
      exp.id,
    );
    expect(comparison).toMatch(/^[0-9a-f]{32}$/);
    const done = await finish(app, jobs);
    for (const j of done) expect(j.status, j.error ?? '').toBe('succeeded');

    const found = await call(app, 'runs:search', {
      experimentIds: [exp.id],
      filter: `tags.mlwb.comparison = '${comparison}'`,
      orderBy: ['params.model ASC'],
    });
    expect(found.runs.map((r) => r.params.model)).toEqual(['gbm', 'logreg', 'rf']);
    for (const r of found.runs) expect(r.info).toMatchObject({ status: 'FINISHED', experimentId: exp.id, source: 'app' });

    const rf = await call(app, 'runs:get', { runId: runIdOf(done[1]) });
    const jobResult = done[1].result as { model: { sha256: string }; test: { accuracy: number }; cv: { perFold: { accuracy: number }[] } };
    expect(rf.params).toMatchObject({
      model: 'rf',
      nEstimators: '20',
      target: 'churned',
      test_size: '0.25',
      cv_folds: '3',
      seed: '7',
      recipe: 'None',
    });
    const metric = (k: string) => rf.metrics.find((m) => m.key === k)?.value;
    expect(metric('accuracy')).toBe(jobResult.test.accuracy);
    expect(typeof metric('cv_accuracy_mean')).toBe('number');
    expect(typeof metric('roc_auc')).toBe('number');
    const folds = (await call(app, 'runs:metricHistory', { runIds: [rf.info.runId], keys: ['cv_fold_accuracy'] }))[rf.info.runId]
      .cv_fold_accuracy;
    expect(folds.map((p) => [p.step, p.value])).toEqual(jobResult.cv.perFold.map((f, i) => [i + 1, f.accuracy]));
    expect(rf.seriesKeys).toContain('cv_fold_accuracy');
    expect(rf.tags).toMatchObject({
      'mlwb.model_type': 'rf',
      'mlwb.dataset': 'churn@sample',
      'mlwb.seed': '7',
      'mlwb.comparison': comparison,
      'mlwb.app_version': '0.0.0-test',
      'mlflow.runName': rf.info.name,
    });
    expect(rf.tags['mlwb.dataset.sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(rf.tags['mlwb.engine_version']).toBeTruthy();
    expect(rf.tags['mlwb.os']).toBeTruthy();
    expect(rf.info.userId).toBe(rf.tags['mlflow.user']);
    expect(rf.dataset).toEqual({ versionId, label: 'churn@sample', sha256: rf.tags['mlwb.dataset.sha256'] });
    expect(rf.reproducible).toBe(true);
    expect(rf.info.endTime! >= rf.info.startTime).toBe(true);

    const paths = rf.artifacts.map((a) => a.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'model/model.json',
        'confusion_matrix.json',
        'classification_report.json',
        'roc_curve.json',
        'pr_curve.json',
        'feature_importance.json',
        'cv_results.json',
      ]),
    );
    const model = await call(app, 'runs:artifact', { runId: rf.info.runId, path: 'model/model.json' });
    expect(crypto.createHash('sha256').update(model.text!).digest('hex')).toBe(jobResult.model.sha256);
    const report = JSON.parse((await call(app, 'runs:artifact', { runId: rf.info.runId, path: 'classification_report.json' })).text!);
    expect(report.accuracy).toBeCloseTo(jobResult.test.accuracy, 12);
    expect(report.classes.map((c: { label: string }) => c.label)).toEqual(['0', '1']);
    expect((await callError(app, 'runs:artifact', { runId: rf.info.runId, path: 'nope.bin' })).code).toBe('not_found');
  });

  it('reproduces a run: identical metrics and model file; a missing data file is refused with a message', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const [job] = await finish(app, (await launch(app, versionId, [{ algorithm: 'gbm', params: { maxIter: 15 } }])).jobs);
    const original = runIdOf(job);
    const rep = await app.ctx.jobs.waitFor((await call(app, 'runs:reproduce', { runId: original })).id);
    expect(rep.status, rep.error ?? '').toBe('succeeded');
    const verdict = rep.result as ReproductionVerdict;
    expect(verdict.identical).toBe(true);
    expect(verdict.metricDifferences).toEqual([]);
    expect(verdict.modelSha256.reproduction).toBe(verdict.modelSha256.original);
    const again = await call(app, 'runs:get', { runId: verdict.reproductionRunId });
    expect(again.tags).toMatchObject({ 'mlwb.reproduced_from': original, 'mlwb.reproduction.identical': 'true' });
    expect(again.info.source).toBe('reproduction');

    // A run logged from outside has no inputs to re-run.
    const outside = app.ctx.store.tracking.createRun({ experimentId: 0, name: 'from python', userId: 'x', source: 'mlflow-client' });
    expect((await callError(app, 'runs:reproduce', { runId: outside.runId })).message).toMatch(/not trained by the workbench/);
    expect((await call(app, 'runs:get', { runId: outside.runId })).reproducible).toBe(false);

    // The version's bytes gone from objects/: a clear message, no job.
    const sha = (await call(app, 'runs:get', { runId: original })).tags['mlwb.dataset.sha256'];
    const file = app.ctx.store.objects.objectPath(sha);
    fs.chmodSync(file, 0o644);
    fs.rmSync(file);
    const err = await callError(app, 'runs:reproduce', { runId: original });
    expect(err.code).toBe('not_found');
    expect(err.message).toMatch(/missing from the workspace/);
  });

  it('marks a run failed when its worker is killed, and cancelled when its job is cancelled; the store stays intact', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const a = app;
    const { jobs } = await launch(a, versionId, [{ algorithm: 'rf', params: { nEstimators: 3000 } }]);
    await waitUntil(() => a.ctx.store.tracking.findRunByJob(jobs[0].id) && a.ctx.pool.workerPids.length > 0, 30_000, 'the run to start');
    for (const pid of a.ctx.pool.workerPids) process.kill(pid, 'SIGKILL');
    const killed = await a.ctx.jobs.waitFor(jobs[0].id);
    expect(killed.status).toBe('failed');
    const failedRun = a.ctx.store.tracking.findRunByJob(jobs[0].id)!;
    expect(failedRun.status).toBe('FAILED');
    expect(failedRun.error).toMatch(/worker process stopped unexpectedly/);
    expect(failedRun.endTime).not.toBeNull();

    const second = await launch(a, versionId, [{ algorithm: 'rf', params: { nEstimators: 3000 } }]);
    await waitUntil(() => a.ctx.store.tracking.findRunByJob(second.jobs[0].id), 30_000, 'the second run to start');
    await call(a, 'jobs:cancel', { id: second.jobs[0].id });
    expect((await a.ctx.jobs.waitFor(second.jobs[0].id)).status).toBe('cancelled');
    expect(a.ctx.store.tracking.findRunByJob(second.jobs[0].id)).toMatchObject({ status: 'KILLED', error: null });
    expect(a.ctx.store.health().integrity).toBe('ok');
  });

  it('refuses a bad launch before any job starts, and deleting an experiment while a run is running', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const bad = await callError(app, 'runs:launch', {
      experimentId: 0,
      settings: { versionId, ...SETTINGS },
      models: [
        { algorithm: 'rf', params: { nEstimators: 20 } },
        { algorithm: 'gbm', params: { learningRate: 50 } },
      ],
    });
    expect(bad.code).toBe('invalid_payload');
    expect(bad.message).toMatch(/models\.1\.params\.learningRate/);
    expect(
      (
        await callError(app, 'runs:launch', {
          experimentId: 0,
          settings: { versionId, ...SETTINGS, testSize: 0.95 },
          models: [{ algorithm: 'rf' }],
        })
      ).message,
    ).toMatch(/settings\.testSize/);
    expect(
      (
        await callError(app, 'runs:launch', {
          experimentId: 0,
          settings: { versionId, ...SETTINGS, target: 'nope' },
          models: [{ algorithm: 'rf' }],
        })
      ).code,
    ).toBe('bad_input');
    expect((await callError(app, 'runs:launch', { experimentId: 0, settings: { versionId, ...SETTINGS }, models: [] })).message).toMatch(
      /at least one model/,
    );
    expect(app.ctx.store.jobs.listJobs(50, { kind: 'train', includeDismissed: true })).toEqual([]);

    const exp = await call(app, 'experiments:create', { name: 'busy', description: '' });
    const { jobs } = await launch(app, versionId, [{ algorithm: 'rf', params: { nEstimators: 2000 } }], exp.id);
    const a = app;
    await waitUntil(() => a.ctx.store.tracking.findRunByJob(jobs[0].id), 30_000, 'the run to start');
    const refused = await callError(app, 'experiments:delete', { id: exp.id });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(/running run/);
    await call(app, 'jobs:cancel', { id: jobs[0].id });
    await app.ctx.jobs.waitFor(jobs[0].id);
    expect((await call(app, 'experiments:delete', { id: exp.id })).lifecycleStage).toBe('deleted');
    expect(
      (
        await callError(app, 'runs:launch', {
          experimentId: exp.id,
          settings: { versionId, ...SETTINGS },
          models: [{ algorithm: 'logreg' }],
        })
      ).message,
    ).toMatch(/in the trash/);
    expect((await call(app, 'experiments:purge', { id: exp.id })).runsDeleted).toBe(1);
  });

  it('lands two runs started at the same moment', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const [x, y] = await Promise.all([
      launch(app, versionId, [{ algorithm: 'logreg' }]),
      launch(app, versionId, [{ algorithm: 'logreg', params: { C: 0.5 } }]),
    ]);
    const done = await finish(app, [...x.jobs, ...y.jobs]);
    expect(done.map((j) => j.status)).toEqual(['succeeded', 'succeeded']);
    const ids = done.map(runIdOf);
    expect(new Set(ids).size).toBe(2);
    const all = await call(app, 'runs:search', { experimentIds: [0] });
    expect(all.runs.map((r) => r.info.runId).sort()).toEqual([...ids].sort());
  });

  it('stores odd tags safely or refuses them with a message', async () => {
    app = createTestApp();
    const run = app.ctx.store.tracking.createRun({ experimentId: 0, name: 'odd', userId: 'x', source: 'cli' });
    await call(app, 'runs:setTag', { runId: run.runId, key: 'メモ', value: '<script>alert(1)</script> ✓' });
    await call(app, 'runs:setTag', { runId: run.runId, key: 'empty', value: '' });
    await call(app, 'runs:setNote', { runId: run.runId, note: '# Title\n<img src=x onerror=alert(1)>' });
    const tags = (await call(app, 'runs:get', { runId: run.runId })).tags;
    expect(tags).toMatchObject({
      メモ: '<script>alert(1)</script> ✓',
      empty: '',
      'mlflow.note.content': '# Title\n<img src=x onerror=alert(1)>',
    });
    expect((await callError(app, 'runs:setTag', { runId: run.runId, key: 'x', value: 'v'.repeat(10_000) })).message).toMatch(
      /at most 8000 characters/,
    );
    expect((await callError(app, 'runs:setTag', { runId: run.runId, key: 'a;b', value: '1' })).message).toMatch(/may only contain/);
    app.ctx.store.tracking.logMetric(run.runId, { key: 'nan', value: NaN, timestamp: 1, step: 0 });
    const m = (await call(app, 'runs:get', { runId: run.runId })).metrics.find((x) => x.key === 'nan')!;
    expect(Number.isNaN(fromWireNumber(m.value))).toBe(true);
  });
});

describe('upgrade', () => {
  it('turns train jobs recorded before runs existed into runs of the Default experiment, once', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const [job] = await finish(app, (await launch(app, versionId, [{ algorithm: 'logreg' }])).jobs);
    const before = await call(app, 'runs:get', { runId: runIdOf(job) });
    const workspaceDir = app.workspaceDir;
    app.ctx.close();
    // Make it the workspace of the previous release: no tracking tables, no migration 7.
    const db = new Database(databasePath(workspaceDir));
    db.exec(`DROP TABLE saved_views; DROP TABLE artifacts; DROP TABLE latest_metrics; DROP TABLE metric_points; DROP TABLE tags; DROP TABLE params; DROP TABLE runs;
             DROP TABLE experiment_tags; DROP TABLE experiments; DELETE FROM schema_migrations WHERE version = 7;`);
    db.close();

    app = createTestApp({ workspaceDir });
    const runs = (await call(app, 'runs:search', { experimentIds: [0] })).runs;
    expect(runs).toHaveLength(1);
    const adopted = await call(app, 'runs:get', { runId: runs[0].info.runId });
    expect(adopted.info).toMatchObject({
      status: 'FINISHED',
      source: 'upgrade',
      jobId: job.id,
      experimentId: 0,
      datasetVersionId: versionId,
    });
    expect(adopted.params).toEqual(before.params);
    const values = (r: typeof before) =>
      Object.fromEntries(r.metrics.filter((m) => m.key !== 'training_duration_s').map((m) => [m.key, m.value]));
    expect(values(adopted)).toEqual(values(before));
    expect(adopted.artifacts.map((a) => [a.path, a.sha256])).toEqual(before.artifacts.map((a) => [a.path, a.sha256]));
    expect(adopted.tags['mlwb.upgraded_from_job']).toBe(String(job.id));

    // A second start adopts nothing new.
    const dir = app.workspaceDir;
    app.ctx.close();
    app = createTestApp({ workspaceDir: dir });
    expect((await call(app, 'runs:search', { experimentIds: [0] })).runs).toHaveLength(1);
  });
});
