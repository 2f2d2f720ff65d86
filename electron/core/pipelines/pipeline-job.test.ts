import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PipelineDefinitionInput, PipelineRunOutcome } from '../../../shared/pipelines';
import { call, callError } from '../../../tests/helpers/call-channel';
import { createTestApp, importSample, SAMPLE_CSV, waitUntil, writeSampleHead, type TestApp } from '../../../tests/helpers/test-app';

let app: TestApp | undefined;
afterEach(() => {
  app?.cleanup();
  app = undefined;
});

/** A pipeline on the churn sample that trains in a second: logistic regression, no CV unless asked. */
function definition(overrides: Partial<PipelineDefinitionInput> = {}): PipelineDefinitionInput {
  return {
    name: 'churn nightly',
    source: { kind: 'dataset', dataset: 'churn' },
    training: { target: 'churned', testSize: 0.25, cvFolds: 0, seed: 7 },
    models: [{ algorithm: 'logreg', params: {} }],
    model: 'churn-model',
    gates: { metric: { key: 'accuracy', op: '>=', threshold: 0.5 } },
    ...overrides,
  };
}

async function runToEnd(a: TestApp, name: string): Promise<PipelineRunOutcome> {
  const { job } = await call(a, 'pipelines:run', { name });
  const done = await a.ctx.jobs.waitFor(job.id);
  return done.result as PipelineRunOutcome;
}

const stepStatuses = (o: PipelineRunOutcome) => Object.fromEntries(o.run.steps.map((s) => [s.name, s.status]));

describe('pipeline runs', () => {
  it('validates, trains two candidates, picks the best, passes the gate, registers it into Staging as "pipeline NAME", and keeps old runs on their definition version', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const datasetId = app.ctx.store.datasets.getVersion(versionId).datasetId;
    await call(app, 'validation:saveSuite', {
      datasetId,
      suite: {
        name: 'basic',
        rules: [
          { kind: 'column_exists', column: 'churned' },
          { kind: 'row_count_between', min: 100 },
        ],
      },
    });
    await call(app, 'pipelines:save', {
      definition: definition({
        validationSuite: 'basic',
        models: [
          { algorithm: 'logreg', params: {} },
          { algorithm: 'rf', params: { nEstimators: 10 } },
        ],
      }),
    });
    const outcome = await runToEnd(app, 'churn nightly');
    expect(outcome.run.status, outcome.run.reason ?? '').toBe('succeeded');
    expect(outcome.registered).toBe(true);
    expect(stepStatuses(outcome)).toEqual({
      import: 'succeeded',
      validate: 'succeeded',
      train: 'succeeded',
      evaluate: 'succeeded',
      gate: 'succeeded',
      register: 'succeeded',
      promote: 'skipped',
    });
    const train = outcome.run.steps.find((s) => s.name === 'train')!;
    const evaluate = outcome.run.steps.find((s) => s.name === 'evaluate')!;
    expect(train.detail.runIds).toHaveLength(2);
    // The best by accuracy (the classification headline) is the one registered.
    const accuracies = train.detail.runIds!.map(
      (id) => app!.ctx.store.tracking.getRun(id).metrics.find((m) => m.key === 'accuracy')!.value as number,
    );
    expect(evaluate.detail.metric).toBe('accuracy');
    expect(evaluate.detail.metricValue).toBe(Math.max(...accuracies));
    expect(evaluate.detail.bestRunId).toBe(train.detail.runIds![accuracies.indexOf(Math.max(...accuracies))]);
    // Every step says what it did, with timings.
    for (const s of outcome.run.steps.filter((x) => x.status === 'succeeded')) {
      expect(s.log.length, s.name).toBeGreaterThan(0);
      expect(s.finishedAt! >= s.startedAt!).toBe(true);
    }
    expect(outcome.run.steps.find((s) => s.name === 'validate')!.log.map((l) => l.text)).toEqual([
      expect.stringMatching(/^✓ /),
      expect.stringMatching(/^✓ /),
    ]);

    const version = app.ctx.store.registry.getVersion('churn-model', 1);
    expect(version.stage).toBe('Staging');
    expect(version.runId).toBe(evaluate.detail.bestRunId);
    expect(outcome.run.modelVersion).toBe(1);
    expect(outcome.run.datasetVersionId).toBe(versionId);
    // The runs are in the pipeline's experiment, marked as pipeline runs.
    const run = app.ctx.store.tracking.getRun(evaluate.detail.bestRunId!);
    expect(app.ctx.store.tracking.getExperiment(run.info.experimentId).name).toBe('Pipeline churn nightly');
    expect(run.info.source).toBe('pipeline');
    expect(run.tags['mlwb.pipeline']).toBe('churn nightly');
    // Every automatic action is audited as the pipeline.
    const audit = await call(app, 'registry:audit', { model: 'churn-model' });
    expect(audit.map((e) => [e.action, e.actor, e.to])).toEqual([
      ['transition', 'pipeline churn nightly', 'Staging'],
      ['register', 'pipeline churn nightly', 'None'],
    ]);
    const notes = await call(app, 'pipelines:notifications', {});
    expect(notes.map((n) => n.kind)).toEqual(['staging']);
    expect(notes[0].message).toMatch(/churn-model v1 reached Staging/);

    // Editing makes version 2; the finished run keeps version 1.
    const edited = await call(app, 'pipelines:save', { definition: definition({ description: 'edited' }) });
    expect(edited.version).toBe(2);
    const detail = await call(app, 'pipelines:get', { name: 'churn nightly' });
    expect(detail.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(detail.versions[1].definition.validationSuite).toBe('basic');
    expect(detail.runs[0].pipelineVersion).toBe(1);
    expect(detail.lastRun?.status).toBe('succeeded');
  }, 60_000);

  it('stops before training when validation fails, naming the rules; a gate refusal says which check failed and by how much and registers nothing', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const datasetId = app.ctx.store.datasets.getVersion(versionId).datasetId;
    await call(app, 'validation:saveSuite', {
      datasetId,
      suite: { name: 'strict', rules: [{ kind: 'row_count_between', min: 1_000_000 }] },
    });
    await call(app, 'pipelines:save', { definition: definition({ validationSuite: 'strict' }) });
    const failed = await runToEnd(app, 'churn nightly');
    expect(failed.run.status).toBe('failed');
    expect(failed.registered).toBe(false);
    expect(failed.run.reason).toMatch(/^validate: Validation failed \(1 of 1 rules\)/);
    expect(stepStatuses(failed)).toMatchObject({ import: 'succeeded', validate: 'failed', train: 'skipped', register: 'skipped' });
    expect(app.ctx.store.tracking.findExperimentByName('Pipeline churn nightly')).toBeUndefined();
    expect((await call(app, 'pipelines:notifications', {})).map((n) => n.kind)).toEqual(['failed']);

    // The suite is fixed; a retry reruns the run from its failed step (the import is not run again) on the same definition.
    const suite = app.ctx.store.datasets.findSuiteByName(datasetId, 'strict')!;
    await call(app, 'validation:saveSuite', {
      datasetId,
      id: suite.id,
      suite: { name: 'strict', rules: [{ kind: 'row_count_between', min: 10 }] },
    });
    const importLog = failed.run.steps[0].log;
    const retry = await call(app, 'pipelines:retry', { runId: failed.run.id });
    const retried = (await app.ctx.jobs.waitFor(retry.job.id)).result as PipelineRunOutcome;
    expect(retried.run.id).toBe(failed.run.id);
    expect(retried.run.status, retried.run.reason ?? '').toBe('succeeded');
    expect(retried.run.steps[0].log).toEqual(importLog);
    expect(app.ctx.store.registry.getVersion('churn-model', 1).stage).toBe('Staging');
    expect((await callError(app, 'pipelines:retry', { runId: failed.run.id })).code).toBe('conflict');

    await call(app, 'pipelines:save', { definition: definition({ gates: { metric: { key: 'accuracy', op: '>=', threshold: 0.999 } } }) });
    const refused = await runToEnd(app, 'churn nightly');
    expect(refused.run.status).toBe('refused');
    expect(refused.registered).toBe(false);
    expect(app.ctx.store.registry.getModel('churn-model').versionCount).toBe(1);
    expect(refused.run.reason).toMatch(/^Gate refused the model: accuracy is 0\.\d+, the gate needs >= 0\.999 \(short by 0\.\d+\)$/);
    expect(stepStatuses(refused)).toMatchObject({ gate: 'succeeded', register: 'skipped', promote: 'skipped' });
    const audit = await call(app, 'registry:audit', { action: 'gate-refused' });
    expect(audit.map((e) => e.actor)).toEqual(['pipeline churn nightly']);
  }, 60_000);

  it('fails at its first step with a clear message when its dataset, suite or recipe is gone; a run already going refuses a second', async () => {
    app = createTestApp();
    await call(app, 'pipelines:save', { definition: definition({ source: { kind: 'dataset', dataset: 'gone' } }) });
    const noData = await runToEnd(app, 'churn nightly');
    expect(noData.run.status).toBe('failed');
    expect(noData.run.reason).toBe(
      'import: Dataset "gone" does not exist any more (deleted or renamed); edit the pipeline\'s data source.',
    );

    await importSample(app);
    await call(app, 'pipelines:save', { definition: definition({ recipe: 'missing recipe' }) });
    const noRecipe = await runToEnd(app, 'churn nightly');
    expect(noRecipe.run.status).toBe('failed');
    expect(noRecipe.run.reason).toMatch(/^train: logreg: .*missing recipe/);

    await call(app, 'pipelines:save', { definition: definition() });
    const first = await call(app, 'pipelines:run', { name: 'churn nightly' });
    const second = await callError(app, 'pipelines:run', { name: 'churn nightly' });
    expect(second.code).toBe('conflict');
    expect(second.message).toMatch(/already running/);
    await app.ctx.jobs.waitFor(first.job.id);
    // Only the first went on; the lock is free again.
    expect(app.ctx.store.pipelines.listRuns().map((r) => r.status)).toEqual(['succeeded', 'failed', 'failed']);
    expect(app.ctx.store.pipelines.isLocked(first.run.pipelineId)).toBe(false);

    // A run held by another process (a headless scheduler elsewhere) cannot be cancelled from here, and keeps its lock.
    const foreign = app.ctx.store.pipelines.startRun({
      pipelineId: first.run.pipelineId,
      trigger: 'schedule',
      owner: 'scheduler@elsewhere:4242',
      now: Date.now(),
    })!;
    const refusal = await callError(app, 'pipelines:cancel', { runId: foreign.id });
    expect(refusal.code).toBe('conflict');
    expect(refusal.message).toMatch(/running in another process \(scheduler@elsewhere:4242\)/);
    expect((await callError(app, 'pipelines:run', { name: 'churn nightly' })).code).toBe('conflict');
  }, 60_000);

  it('imports a watched CSV (a path with spaces, # and non-ASCII) as a new version only when its bytes change', async () => {
    app = createTestApp();
    const dir = path.join(app.workspaceDir, 'in box #1 データ');
    fs.mkdirSync(dir);
    const file = writeSampleHead(path.join(dir, 'churn export.csv'), 1500);
    await call(app, 'pipelines:save', { definition: definition({ source: { kind: 'watch', path: file, dataset: 'churn-feed' } }) });
    const first = await runToEnd(app, 'churn nightly');
    expect(first.run.status, first.run.reason ?? '').toBe('succeeded');
    const imported = first.run.steps[0].detail;
    expect(imported.imported).toBe(true);
    expect(imported.datasetLabel).toBe(`churn-feed@pipeline-${first.run.id}`);
    expect(app.ctx.store.datasets.getVersion(imported.datasetVersionId!).rows).toBe(1500);

    const same = await runToEnd(app, 'churn nightly');
    expect(same.run.steps[0].detail).toMatchObject({ imported: false, datasetVersionId: imported.datasetVersionId });

    fs.copyFileSync(SAMPLE_CSV, file);
    const changed = await runToEnd(app, 'churn nightly');
    expect(changed.run.steps[0].detail.imported).toBe(true);
    expect(app.ctx.store.datasets.getVersion(changed.run.steps[0].detail.datasetVersionId!).rows).toBe(5000);
    expect(app.ctx.store.registry.getModel('churn-model').versionCount).toBe(3);

    fs.rmSync(file);
    const missing = await runToEnd(app, 'churn nightly');
    expect(missing.run.reason).toBe(`import: The watched file ${file} does not exist (moved or deleted?).`);
  }, 60_000);

  it('marks the run failed when its worker is killed mid-step and cancelled when cancelled, frees the lock, and the next run works', async () => {
    app = createTestApp();
    await importSample(app);
    const a = app;
    await call(a, 'pipelines:save', { definition: definition({ models: [{ algorithm: 'rf', params: { nEstimators: 3000 } }] }) });
    const training = async () => {
      const started = await call(a, 'pipelines:run', { name: 'churn nightly' });
      await waitUntil(
        () =>
          a.ctx.store.pipelines.getRun(started.run.id).steps.find((s) => s.name === 'train')!.status === 'running' &&
          a.ctx.pool.workerPids.length > 0,
        30_000,
        'the train step',
      );
      return started;
    };
    const killed = await training();
    for (const pid of a.ctx.pool.workerPids) process.kill(pid, 'SIGKILL');
    await a.ctx.jobs.waitFor(killed.job.id);
    const afterKill = a.ctx.store.pipelines.getRun(killed.run.id);
    expect(afterKill.status).toBe('failed');
    expect(afterKill.steps.find((s) => s.name === 'train')!.status).toBe('failed');

    const cancelled = await training();
    await call(a, 'pipelines:cancel', { runId: cancelled.run.id });
    await a.ctx.jobs.waitFor(cancelled.job.id);
    const afterCancel = a.ctx.store.pipelines.getRun(cancelled.run.id);
    expect(afterCancel.status).toBe('cancelled');
    expect(afterCancel.steps.map((s) => s.status)).toEqual([
      'succeeded',
      'skipped',
      'cancelled',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(a.ctx.store.pipelines.isLocked(afterCancel.pipelineId)).toBe(false);

    // The next run works.
    await call(a, 'pipelines:save', { definition: definition() });
    expect((await runToEnd(a, 'churn nightly')).run.status).toBe('succeeded');
  }, 90_000);
});
