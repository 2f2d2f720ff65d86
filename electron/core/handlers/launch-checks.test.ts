import { afterEach, describe, expect, it } from 'vitest';
import { call, callError } from '../../../tests/helpers/call-channel';
import { createTestApp, importCsvText, importSample, type TestApp } from '../../../tests/helpers/test-app';

let app: TestApp | undefined;
afterEach(() => {
  app?.cleanup();
  app = undefined;
});

/** 40 rows: `label` a/b with 35 / 5 rows (and 2 missing), `code` 0/1/2 integers, `same` one class, `x` a number. */
function smallCsv(): string {
  const lines = ['x,label,code,same'];
  for (let i = 0; i < 42; i++) lines.push(`${i * 1.5},${i >= 40 ? '' : i < 35 ? 'a' : 'b'},${i % 3},k`);
  return lines.join('\n');
}

describe('training:sources class counts and the launch re-check', () => {
  it('gives the rows per class of low-cardinality columns from the profile', async () => {
    app = createTestApp();
    await importCsvText(app, 'small', smallCsv());
    const [v] = await call(app, 'training:sources', {});
    const cols = new Map(v.columns.map((c) => [c.name, c]));
    expect(cols.get('label')?.classCounts).toEqual([
      { value: 'a', count: 35 },
      { value: 'b', count: 5 },
    ]);
    expect(cols.get('code')?.classCounts).toEqual([
      { value: '0', count: 14 },
      { value: '1', count: 14 },
      { value: '2', count: 14 },
    ]);
    expect(cols.get('same')?.classCounts).toEqual([{ value: 'k', count: 42 }]);
    // 42 distinct numbers: no class counts.
    expect(cols.get('x')?.classCounts).toBeUndefined();
  });

  it('gives the sample churn target its class counts (integer 0/1 from the per-value histogram)', async () => {
    app = createTestApp();
    await importSample(app);
    const [v] = await call(app, 'training:sources', {});
    const churned = v.columns.find((c) => c.name === 'churned')!;
    expect(churned.classCounts?.map((c) => c.value)).toEqual(['0', '1']);
    expect(churned.classCounts!.reduce((s, c) => s + c.count, 0)).toBe(v.rows - churned.missing);
  });

  it('refuses a launch whose k exceeds the smallest class, or whose target has one class, naming the field', async () => {
    app = createTestApp();
    const versionId = await importCsvText(app, 'small', smallCsv());
    const base = { versionId, target: 'label', testSize: 0, stratify: true, seed: 1 };
    const models = [{ algorithm: 'logreg' as const, params: {} }];
    const k = await callError(app, 'runs:launch', { experimentId: 0, settings: { ...base, cvFolds: 10 }, models });
    expect(k.code).toBe('bad_input');
    expect(k.message).toBe('10 folds need at least 10 rows of each class; class "b" has 5.');
    expect(k.details).toEqual([{ path: 'settings.cvFolds', message: k.message }]);
    const one = await callError(app, 'runs:launch', { experimentId: 0, settings: { ...base, target: 'same', cvFolds: 0 }, models });
    expect(one.details).toEqual([{ path: 'settings.target', message: expect.stringMatching(/has only one class/) }]);
    // No job was started by either.
    expect(app.ctx.store.jobs.listJobs(10, { kind: 'train' })).toEqual([]);
    // 5 folds fit; the launch goes through.
    const ok = await call(app, 'runs:launch', { experimentId: 0, settings: { ...base, cvFolds: 5 }, models });
    expect(ok.jobs).toHaveLength(1);
    await app.ctx.jobs.waitFor(ok.jobs[0].id);
  });
});
