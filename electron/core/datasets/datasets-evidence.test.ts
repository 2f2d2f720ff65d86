import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, importSample, type TestApp } from '../../../tests/helpers/test-app';
import { collectWorkspaceEvidence } from '../maturity/evidence-providers';
import { datasetVersionsEvidence } from './datasets-evidence';

let app: TestApp;
beforeAll(() => {
  app = createTestApp();
});
afterAll(() => app.cleanup());

describe('datasets evidence', () => {
  it('finds nothing while the versioned store is empty', async () => {
    expect(await datasetVersionsEvidence.collect({ store: app.ctx.store, nowMs: Date.now() })).toBeNull();
  });

  it('counts versions and data sets once data is imported, as the Maturity page shows them', async () => {
    await importSample(app);
    expect(await datasetVersionsEvidence.collect({ store: app.ctx.store, nowMs: Date.now() })).toEqual({
      summary: { en: '1 version of 1 data set in the versioned store', ja: 'バージョン管理ストアに 1 データセット・1 バージョン' },
      facts: { datasets: 1, versions: 1 },
    });
    const version = app.ctx.store.datasets.findVersionByRef('churn@sample');
    app.ctx.store.datasets.insertVersion({ ...version, datasetName: 'churn', tag: 'v2' });
    app.ctx.store.datasets.insertVersion({ ...version, datasetName: 'churn copy', tag: 'v1' });
    const [found] = await collectWorkspaceEvidence(app.ctx.store);
    expect(found).toMatchObject({ providerId: 'datasets.versions', page: 'data', facts: { datasets: 2, versions: 3 } });
    expect(found.summary.en).toBe('3 versions of 2 data sets in the versioned store');
    expect(found.itemIds).toEqual(['l1-data-versioning', 'l0-data-no-versioning', 'l0-data-local-files']);
  }, 60_000);
});
