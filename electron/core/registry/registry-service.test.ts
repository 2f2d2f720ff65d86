import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { call, callError } from '../../../tests/helpers/call-channel';
import { QUICK_SETTINGS, registerRun, trainQuickRuns } from '../../../tests/helpers/registry';
import { createTestApp, importSample, type TestApp } from '../../../tests/helpers/test-app';
import { databasePath } from '../store/database';

let app: TestApp | undefined;
afterEach(() => {
  app?.cleanup();
  app = undefined;
});

describe('registering models', () => {
  it('registers a run as version 1 of a model created on the fly, then version 2; versions point at the run and its model object', async () => {
    app = createTestApp();
    const [a, b] = await trainQuickRuns(app, [{ algorithm: 'logreg' }, { algorithm: 'rf', params: { nEstimators: 20 } }]);
    const v1 = await registerRun(app, a, 'churn');
    const v2 = await registerRun(app, b, 'churn');
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v1.stage).toBe('None');
    expect(v1.source).toBe(`runs:/${a}/model`);
    const artifact = app.ctx.store.tracking.getArtifact(a, 'model/model.json');
    expect(v1.modelSha256).toBe(artifact.sha256);
    expect(v1.algorithm).toBe('logreg');
    expect(v1.datasetLabel).toMatch(/churn/);
    expect(v1.metrics.accuracy).toBeGreaterThan(0.5);
    const detail = await call(app, 'registry:model', { name: 'churn' });
    expect(detail.versions.map((v) => v.version)).toEqual([2, 1]);
    expect((await call(app, 'registry:versionsOfRun', { runId: b })).map((v) => v.version)).toEqual([2]);
    const audit = await call(app, 'registry:audit', { model: 'churn' });
    expect(audit.map((e) => [e.action, e.version])).toEqual([
      ['register', 2],
      ['register', 1],
    ]);
    expect(audit[0].actor).not.toBe('');
  });

  it('refuses to register when a gate fails, says which check and by how much, and registers nothing', async () => {
    app = createTestApp();
    const [runId] = await trainQuickRuns(app);
    const accuracy = app.ctx.store.tracking.getRun(runId).metrics.find((m) => m.key === 'accuracy')!.value as number;
    const res = await call(app, 'registry:register', {
      runId,
      name: 'gated',
      gates: { metric: { key: 'accuracy', op: '>=', threshold: accuracy + 0.05 }, maxCvGap: 0.1 },
    });
    expect(res.registered).toBe(false);
    expect(res.version).toBeNull();
    const metric = res.gates.checks.find((c) => c.id === 'metric')!;
    expect(metric.passed).toBe(false);
    expect(metric.shortfall).toBeCloseTo(0.05, 9);
    expect(metric.message).toMatch(/accuracy is .* \(short by 0\.05\)/);
    const gap = res.gates.checks.find((c) => c.id === 'cv-gap')!;
    const cv = app.ctx.store.tracking.getRun(runId).metrics.find((m) => m.key === 'cv_accuracy_mean')!.value as number;
    expect(gap.actual).toBeCloseTo(Math.abs(accuracy - cv), 12);
    expect(app.ctx.store.registry.findModel('gated')).toBeUndefined();
    const refused = await call(app, 'registry:audit', { action: 'gate-refused' });
    expect(refused).toHaveLength(1);
    expect(refused[0].comment).toMatch(/accuracy/);

    const ok = await call(app, 'registry:register', {
      runId,
      name: 'gated',
      gates: { metric: { key: 'accuracy', op: '>=', threshold: accuracy - 0.01 } },
    });
    expect(ok.registered).toBe(true);
    expect(ok.version!.gates!.passed).toBe(true);
  });

  it('"beats Production" scores both models on the candidate run\'s own test rows', async () => {
    app = createTestApp();
    const [weak, strong] = await trainQuickRuns(app, [
      { algorithm: 'rf', params: { nEstimators: 1, maxDepth: 1 } },
      { algorithm: 'rf', params: { nEstimators: 30 } },
    ]);
    const prod = await registerRun(app, strong, 'm');
    await call(app, 'registry:transition', { name: 'm', version: prod.version, stage: 'Production', comment: 'first release' });
    const report = await call(app, 'registry:checkGates', { runId: weak, name: 'm', gates: { beatProduction: true } });
    const check = report.checks[0];
    expect(check.id).toBe('beat-production');
    expect(check.passed).toBe(false);
    // Production scored on the same rows it was tested on gives its own logged test accuracy.
    expect(check.threshold).toBeCloseTo(prod.metrics.accuracy, 12);
    expect(check.actual).toBeCloseTo(app.ctx.store.tracking.getRun(weak).metrics.find((m) => m.key === 'accuracy')!.value as number, 12);
    expect(check.message).toMatch(/does not beat Production v1/);
  });

  it('registers runs automatically at the end of a launch, behind the gates; a refused run stays finished and unregistered', async () => {
    app = createTestApp();
    const versionId = await importSample(app);
    const { jobs } = await call(app, 'runs:launch', {
      experimentId: 0,
      settings: { versionId, ...QUICK_SETTINGS },
      models: [{ algorithm: 'logreg' }, { algorithm: 'rf', params: { nEstimators: 1, maxDepth: 1 } }],
      register: { name: 'auto', gates: { metric: { key: 'accuracy', op: '>=', threshold: 0.75 } } },
    });
    const done = await Promise.all(jobs.map((j) => app!.ctx.jobs.waitFor(j.id)));
    expect(done.map((j) => j.status)).toEqual(['succeeded', 'succeeded']);
    const results = done.map((j) => j.result as { runId: string; registration: { registered: boolean } });
    const accuracies = results.map(
      (r) => app!.ctx.store.tracking.getRun(r.runId).metrics.find((m) => m.key === 'accuracy')!.value as number,
    );
    expect(results.map((r) => r.registration.registered)).toEqual(accuracies.map((a) => a >= 0.75));
    const registered = app.ctx.store.registry.findModel('auto')?.versionCount ?? 0;
    expect(registered).toBe(accuracies.filter((a) => a >= 0.75).length);
    // The seeded sample gives one model on each side of the threshold.
    expect(results.map((r) => r.registration.registered)).toEqual([true, false]);
  });

  it('refuses a run that is not finished or has no model', async () => {
    app = createTestApp();
    const run = app.ctx.store.tracking.createRun({ experimentId: 0, name: 'outside', userId: 'someone', source: 'mlflow-client' });
    expect((await callError(app, 'registry:register', { runId: run.runId, name: 'x' })).message).toMatch(/running; only a finished run/);
    app.ctx.store.tracking.updateRun(run.runId, { status: 'FINISHED', endTime: Date.now() });
    expect((await callError(app, 'registry:register', { runId: run.runId, name: 'x' })).message).toMatch(/no model artifact/);
    expect((await callError(app, 'registry:register', { runId: run.runId, name: 'a/b' })).code).toBe('invalid_payload');
  });
});

describe('stages, approvals, rollback and the audit log', () => {
  it('keeps one Production version: promoting archives the previous one, two racing promotions leave one and two audit rows', async () => {
    app = createTestApp();
    const runs = await trainQuickRuns(app, [
      { algorithm: 'logreg' },
      { algorithm: 'logreg', params: { C: 0.5 } },
      { algorithm: 'logreg', params: { C: 2 } },
    ]);
    for (const r of runs) await registerRun(app, r, 'race');
    await call(app, 'registry:transition', { name: 'race', version: 1, stage: 'Production', comment: 'v1' });
    const both = await Promise.all([
      call(app, 'registry:transition', { name: 'race', version: 2, stage: 'Production', comment: 'v2 wins' }),
      call(app, 'registry:transition', { name: 'race', version: 3, stage: 'Production', comment: 'v3 wins' }),
    ]);
    expect(both.every((r) => r.done)).toBe(true);
    const model = app.ctx.store.registry.getModel('race');
    expect(model.production).toHaveLength(1);
    const stages = app.ctx.store.registry.listVersions('race').map((v) => v.stage);
    expect(stages.filter((s) => s === 'Production')).toHaveLength(1);
    expect(stages.filter((s) => s === 'Archived')).toHaveLength(2);
    const promotions = (await call(app, 'registry:audit', { model: 'race', action: 'transition' })).filter(
      (e) => e.to === 'Production' && e.version !== 1,
    );
    expect(promotions).toHaveLength(2);
    // A/B: keeping the current one gives two Production versions.
    await call(app, 'registry:transition', { name: 'race', version: 1, stage: 'Production', comment: 'A/B', keepExisting: true });
    expect(app.ctx.store.registry.getModel('race').production).toHaveLength(2);
  });

  it('needs an approved request when the model requires approval; the requester cannot approve unless self-approval is allowed', async () => {
    app = createTestApp();
    const [r] = await trainQuickRuns(app);
    await registerRun(app, r, 'gov');
    await call(app, 'registry:updateModel', { name: 'gov', requireApproval: true });
    const res = await call(app, 'registry:transition', { name: 'gov', version: 1, stage: 'Production', comment: 'ready for customers' });
    expect(res.done).toBe(false);
    if (res.done) return;
    expect(app.ctx.store.registry.getVersion('gov', 1).stage).toBe('None');
    expect(
      (await callError(app, 'registry:transition', { name: 'gov', version: 1, stage: 'Production', comment: 'again' })).message,
    ).toMatch(/already has a pending request/);
    const self = await callError(app, 'registry:decide', { requestId: res.request.id, decision: 'approve', comment: 'ok' });
    expect(self.code).toBe('forbidden');
    expect(app.ctx.store.registry.getVersion('gov', 1).stage).toBe('None');
    await call(app, 'settings:update', { allowSelfApproval: true });
    const approved = await call(app, 'registry:decide', { requestId: res.request.id, decision: 'approve', comment: 'checked the card' });
    expect(approved.done && approved.version.stage).toBe('Production');
    const [req] = await call(app, 'registry:approvals', { name: 'gov' });
    expect(req.status).toBe('approved');
    expect(req.decisionComment).toBe('checked the card');
    const actions = (await call(app, 'registry:audit', { model: 'gov' })).map((e) => e.action);
    expect(actions.slice(0, 3)).toEqual(['transition', 'approval-approve', 'approval-request']);
    expect((await callError(app, 'registry:decide', { requestId: req.id, decision: 'reject', comment: 'late' })).message).toMatch(
      /already approved/,
    );
  });

  it('rolls back to the previous Production version, recorded as a rollback with its reason', async () => {
    app = createTestApp();
    const runs = await trainQuickRuns(app, [{ algorithm: 'logreg' }, { algorithm: 'logreg', params: { C: 3 } }]);
    for (const r of runs) await registerRun(app, r, 'rb');
    expect((await callError(app, 'registry:rollback', { name: 'rb', comment: 'x' })).message).toMatch(/no Production version/);
    await call(app, 'registry:transition', { name: 'rb', version: 1, stage: 'Staging', comment: 'try' });
    await call(app, 'registry:transition', { name: 'rb', version: 1, stage: 'Production', comment: 'release 1' });
    expect((await callError(app, 'registry:rollback', { name: 'rb', comment: 'x' })).message).toMatch(/no other Production version/);
    await call(app, 'registry:transition', { name: 'rb', version: 2, stage: 'Production', comment: 'release 2' });
    const back = await call(app, 'registry:rollback', { name: 'rb', comment: 'v2 mislabels churners' });
    expect(back.version).toBe(1);
    expect(back.stage).toBe('Production');
    expect(app.ctx.store.registry.getVersion('rb', 2).stage).toBe('Archived');
    const [last] = await call(app, 'registry:audit', { model: 'rb', action: 'rollback' });
    expect(last).toMatchObject({ version: 1, to: 'Production', comment: 'v2 mislabels churners' });
    expect(app.ctx.store.registry.counts()).toMatchObject({ rollbacks: 1, stagedBeforeProduction: 1 });
    expect((await callError(app, 'registry:transition', { name: 'rb', version: 1, stage: 'Staging', comment: '   ' })).message).toMatch(
      /comment is required/,
    );
  });

  it('aliases name one version each and move; deleting a Production version is refused; the audit log is append-only and exports to CSV', async () => {
    app = createTestApp();
    const runs = await trainQuickRuns(app, [{ algorithm: 'logreg' }, { algorithm: 'logreg', params: { C: 3 } }]);
    for (const r of runs) await registerRun(app, r, 'al');
    await call(app, 'registry:setAlias', { name: 'al', alias: 'champion', version: 1 });
    const moved = await call(app, 'registry:setAlias', { name: 'al', alias: 'champion', version: 2 });
    expect(moved.aliases).toEqual({ champion: 2 });
    expect(app.ctx.store.registry.resolveVersion('al', { kind: 'alias', alias: 'champion' }).version).toBe(2);
    expect((await callError(app, 'registry:setAlias', { name: 'al', alias: 'v3', version: 1 })).code).toBe('invalid_payload');
    await call(app, 'registry:transition', { name: 'al', version: 2, stage: 'Production', comment: 'go' });
    expect((await callError(app, 'registry:deleteVersion', { name: 'al', version: 2 })).message).toMatch(/in Production/);
    await call(app, 'registry:deleteVersion', { name: 'al', version: 1 });
    // Numbers are never reused.
    const v3 = await registerRun(app, runs[0], 'al');
    expect(v3.version).toBe(3);

    const csv = await call(app, 'registry:auditCsv', { model: 'al' });
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('id,time,actor,via,action,model,version,from,to,comment,detail');
    expect(lines).toHaveLength((await call(app, 'registry:audit', { model: 'al' })).length + 1);
    expect(csv).toMatch(/alias-set,al,2,champion=v1,champion=v2/);

    // Even straight SQL cannot rewrite or remove history.
    const db = new Database(databasePath(app.ctx.workspaceDir));
    expect(() => db.prepare(`UPDATE registry_audit SET comment = 'edited'`).run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM registry_audit').run()).toThrow(/append-only/);
    db.close();
  });

  it('a registered run cannot be purged with its experiment', async () => {
    app = createTestApp();
    const exp = await call(app, 'experiments:create', { name: 'keep', description: '' });
    const [runId] = await trainQuickRuns(app, [{ algorithm: 'logreg' }], undefined, exp.id);
    await registerRun(app, runId, 'kept');
    await call(app, 'experiments:delete', { id: exp.id });
    const refused = await callError(app, 'experiments:purge', { id: exp.id });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(/registered as kept v1/);
    expect(app.ctx.store.tracking.getRunInfo(runId).runId).toBe(runId);
    const model = app.ctx.store.registry.getVersion('kept', 1);
    expect(app.ctx.store.objects.hasObject(model.modelSha256)).toBe(true);
  });
});
