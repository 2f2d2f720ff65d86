import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineDefinitionSchema } from '../../../shared/pipelines';
import { call } from '../../../tests/helpers/call-channel';
import { registerRun, trainQuickRuns } from '../../../tests/helpers/registry';
import { createTestApp, type TestApp } from '../../../tests/helpers/test-app';
import { windowStart } from '../monitoring/prediction-monitor';
import { ROLLBACK_VERDICT, watchRollbacks } from './rollback-watch';

const DAY = 86_400_000;
let app: TestApp;
let promotedAt: number;

/** Logs predictions of a version at `at` with actual labels: `right` of them correct, `wrong` not. */
function served(version: number, at: number, right: number, wrong: number, tag: string) {
  const rows = Array.from({ length: right + wrong }, (_, i) => ({
    predictionId: `${tag}-${i}`,
    model: 'churn',
    version,
    at: at + i,
    latencyMs: 1,
    inputs: {},
    prediction: 'yes',
    probabilities: null,
    source: 'batch' as const,
    serverId: null,
  }));
  app.ctx.store.serving.appendPredictions(rows, 1000);
  app.ctx.store.monitoring.upsertActuals(rows.map((r, i) => ({ predictionId: r.predictionId, actual: i < right ? 'yes' : 'no' })));
}

/** A pipeline whose run promoted `version` to Production (as its promote step records it). */
function promotedBy(name: string, version: number, at: number, rollbackIfWorse = true) {
  const store = app.ctx.store;
  const def = pipelineDefinitionSchema.parse({
    name,
    source: { kind: 'dataset', dataset: 'churn' },
    training: { target: 'churned', testSize: 0.25, cvFolds: 0, seed: 7 },
    models: [{ algorithm: 'logreg', params: {} }],
    model: 'churn',
    gates: {},
    promotion: { toProduction: true, rollbackIfWorse },
  });
  const p = store.pipelines.save(def, 'test', at);
  const run = store.pipelines.startRun({ pipelineId: p.id, trigger: 'schedule', owner: 'app@test:1', now: at })!;
  store.pipelines.updateStep(run.id, 'promote', { status: 'succeeded', startedAt: at, finishedAt: at, detail: { promoted: true, stage: 'Production' } });
  store.pipelines.setRunLinks(run.id, { modelVersion: version });
  store.pipelines.finishRun(run.id, 'succeeded', null, at);
  return store.pipelines.get(name);
}

const promoteLog = (runId: number) =>
  app.ctx.store.pipelines
    .getRun(runId)
    .steps.find((s) => s.name === 'promote')!
    .log.map((l) => l.text);

beforeAll(async () => {
  app = createTestApp();
  const [runId] = await trainQuickRuns(app);
  await registerRun(app, runId, 'churn');
  await registerRun(app, runId, 'churn');
  await call(app, 'registry:transition', { name: 'churn', version: 1, stage: 'Production', comment: 'first' });
  await call(app, 'registry:transition', { name: 'churn', version: 2, stage: 'Production', comment: 'by the pipeline' });
  promotedAt = Date.now();
  // v1's last full day before the promotion: 9 of 10 right; v2's first full day after it: 6 of 10 right.
  served(1, windowStart(promotedAt, '1d') - DAY + 1000, 9, 1, 'old');
  served(2, windowStart(promotedAt, '1d') + DAY + 1000, 6, 4, 'new');
}, 60_000);
afterAll(() => app.cleanup());

describe('automatic rollback after a pipeline promotion', () => {
  it('waits for a complete labelled window, then rolls back once when the new version is worse', async () => {
    const p = promotedBy('auto promote', 2, promotedAt);
    const runId = app.ctx.store.pipelines.listRuns({ pipelineId: p.id })[0].id;
    const firstEnd = windowStart(promotedAt, '1d') + 2 * DAY;
    // The first window after the promotion is not complete yet: nothing happens.
    expect(watchRollbacks(app.ctx, [p], firstEnd - 1, 'app')).toEqual([]);
    expect(promoteLog(runId)).toEqual([]);

    const events = watchRollbacks(app.ctx, [p], firstEnd + 1, 'app');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'rolled-back', pipeline: 'auto promote' });
    expect(events[0].type === 'rolled-back' && events[0].message).toMatch(/^churn rolled back from v2 to v1: accuracy 0\.6000 .* vs 0\.9000 /);
    expect(app.ctx.store.registry.getModel('churn').production).toEqual([1]);
    const audit = app.ctx.store.registry.listAudit({ model: 'churn', limit: 1 })[0];
    expect(audit).toMatchObject({ action: 'rollback', version: 1, actor: 'pipeline auto promote', via: 'app' });
    expect(app.ctx.store.pipelines.notifications(false)[0]).toMatchObject({ kind: 'rolled-back', pipeline: 'auto promote', runId });
    expect(promoteLog(runId)).toEqual([expect.stringMatching(new RegExp(`^${ROLLBACK_VERDICT} accuracy .*: worse, rolled back to v1\\.$`))]);

    // Done once: the next ticks leave it alone.
    expect(watchRollbacks(app.ctx, [p], firstEnd + DAY, 'app')).toEqual([]);
    expect(promoteLog(runId)).toHaveLength(1);
  });

  it('keeps a version that is not worse, and does nothing when the rule is off', async () => {
    // v1 is in Production again; pretend a pipeline promoted it and compare with v2 before it (0.6 → 0.9 is better).
    const at = windowStart(promotedAt, '1d') + 2 * DAY + DAY / 2;
    const p = promotedBy('kept', 1, at);
    served(1, windowStart(at, '1d') + DAY + 1000, 9, 1, 'later');
    const runId = app.ctx.store.pipelines.listRuns({ pipelineId: p.id })[0].id;
    expect(watchRollbacks(app.ctx, [p], windowStart(at, '1d') + 2 * DAY + 1, 'app')).toEqual([]);
    expect(promoteLog(runId)).toEqual([expect.stringMatching(/: not worse, kept v1\.$/)]);
    expect(app.ctx.store.registry.getModel('churn').production).toEqual([1]);

    const off = promotedBy('no watch', 1, at, false);
    const offRun = app.ctx.store.pipelines.listRuns({ pipelineId: off.id })[0].id;
    expect(watchRollbacks(app.ctx, [off], windowStart(at, '1d') + 2 * DAY + 1, 'app')).toEqual([]);
    expect(promoteLog(offRun)).toEqual([]);
  });
});
