import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, importSample, type TestApp } from '../../../tests/helpers/test-app';
import { collectWorkspaceEvidence } from '../maturity/evidence-providers';
import { validationRunsEvidence } from './validation-evidence';

const DAY = 86_400_000;
let app: TestApp;
beforeAll(() => {
  app = createTestApp();
});
afterAll(() => app.cleanup());

const collectAt = (nowMs: number) => validationRunsEvidence.collect({ store: app.ctx.store, nowMs });

describe('validation evidence', () => {
  it('finds nothing without suites or runs, even with data imported', async () => {
    expect(await collectAt(Date.now())).toBeNull();
    await importSample(app);
    expect(await collectAt(Date.now())).toBeNull();
    expect((await collectWorkspaceEvidence(app.ctx.store)).map((e) => e.providerId)).toEqual(['datasets.versions']);
  }, 60_000);

  it('counts saved suites and the runs of the last 30 days', async () => {
    const version = app.ctx.store.datasets.findVersionByRef('churn@sample');
    const suite = await app.handlers['validation:saveSuite']({
      datasetId: version.datasetId,
      suite: { name: 'size', rules: [{ kind: 'row_count_between', min: 1000 }] },
    });
    expect(await collectAt(Date.now())).toEqual({
      summary: { en: '1 saved validation suite, 0 runs in the last 30 days', ja: '保存済み検証スイート 1 件、過去30日間の実行 0 回' },
      facts: { suites: 1, runs: 0 },
    });
    for (let i = 0; i < 2; i++) {
      const job = await app.ctx.jobs.waitFor((await app.handlers['validation:run']({ suiteId: suite.id, versionId: version.id })).id);
      expect(job.status, job.error ?? '').toBe('succeeded');
    }
    const now = await collectAt(Date.now());
    expect(now?.facts).toEqual({ suites: 1, runs: 2 });
    expect(now?.summary.en).toBe('1 saved validation suite, 2 runs in the last 30 days');
    // 31 days on, the runs are no longer recent; the saved suite still is evidence.
    expect((await collectAt(Date.now() + 31 * DAY))?.facts).toEqual({ suites: 1, runs: 0 });
    expect((await collectAt(Date.now() + 29 * DAY))?.facts).toEqual({ suites: 1, runs: 2 });
  }, 60_000);
});
