import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../tests/helpers/cli';
import { registerRun, trainQuickRuns } from '../../../tests/helpers/registry';
import { createTestApp, type TestApp } from '../../../tests/helpers/test-app';
import { monitorCommand } from './monitor';

let app: TestApp;
const T0 = Date.UTC(2026, 0, 5);

beforeAll(async () => {
  app = createTestApp();
  const [runId] = await trainQuickRuns(app);
  await registerRun(app, runId, 'churn');
  await registerRun(app, runId, 'churn');
  const row = (i: number, version: number, at: number, prediction: string) => ({
    predictionId: `q${i}`,
    model: 'churn',
    version,
    at,
    latencyMs: 1,
    inputs: {},
    prediction,
    probabilities: null,
    source: 'batch' as const,
    serverId: null,
  });
  app.ctx.store.serving.appendPredictions(
    [row(1, 1, T0 + 1000, 'yes'), row(2, 1, T0 + 2000, 'no'), row(3, 2, T0 + 3000, 'no'), row(4, 2, T0 + 86_400_000, 'no')],
    1000,
  );
}, 120_000);
afterAll(() => app.cleanup());

describe('mlwb monitor', () => {
  it('prints the windows as JSON, for all versions or one', async () => {
    const all = await runCli(app, ['monitor', 'churn', '--window', '1d', '--json'], [monitorCommand]);
    expect(all.code, all.err).toBe(0);
    const doc = JSON.parse(all.out);
    expect(doc.windows.map((w: { count: number }) => w.count)).toEqual([3, 1]);
    expect(doc.windows[0].classShares.no).toBeCloseTo(2 / 3, 12);
    // Prediction drift of the newest version (v2: 2 logged) against its test split's predictions (classes 0 / 1).
    expect(doc.predictionDrift).toMatchObject({ version: 2, test: 'chi-square', rows: 2, drifted: true });
    const one = await runCli(app, ['monitor', 'churn/1', '--json'], [monitorCommand]);
    expect(one.code, one.err).toBe(0);
    expect(JSON.parse(one.out)).toMatchObject({ version: 1, window: '1d', windows: [{ count: 2, classShares: { yes: 0.5, no: 0.5 } }] });
  });

  it('refuses a bad window and an unknown model', async () => {
    const bad = await runCli(app, ['monitor', 'churn', '--window', '2d'], [monitorCommand]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--window/);
    const ghost = await runCli(app, ['monitor', 'ghost', '--json'], [monitorCommand]);
    expect(ghost.code).not.toBe(0);
  });
});
