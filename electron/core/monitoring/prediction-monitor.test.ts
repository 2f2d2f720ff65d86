import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictionLogEntry } from '../../../shared/serving';
import { call, callError } from '../../../tests/helpers/call-channel';
import { registerRun, trainQuickRuns } from '../../../tests/helpers/registry';
import { createTestApp, makeTempDir, type TestApp } from '../../../tests/helpers/test-app';

let app: TestApp;
let dir: string;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5); // a UTC midnight

/** 10 predictions on day 0 (7 "yes", 3 "no") and 4 on day 1 (all "no"). */
function entries(): PredictionLogEntry[] {
  const out: PredictionLogEntry[] = [];
  const add = (i: number, at: number, prediction: string) =>
    out.push({
      predictionId: `p${i}`,
      model: 'churn',
      version: 1,
      at,
      latencyMs: 1,
      inputs: {},
      prediction,
      probabilities: null,
      source: 'batch',
      serverId: null,
    });
  for (let i = 0; i < 10; i++) add(i, T0 + i * 3_600_000, i < 7 ? 'yes' : 'no');
  for (let i = 10; i < 14; i++) add(i, T0 + DAY + (i - 10) * 3_600_000, 'no');
  return out;
}

beforeAll(async () => {
  dir = makeTempDir();
  app = createTestApp();
  const [runId] = await trainQuickRuns(app);
  await registerRun(app, runId, 'churn');
  app.ctx.store.serving.appendPredictions(entries(), 1_000_000);
}, 120_000);
afterAll(() => {
  app.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('prediction monitoring', () => {
  it('counts predictions and class shares per UTC day', async () => {
    const m = await call(app, 'monitoring:predictions', { name: 'churn', window: '1d' });
    expect(m.task).toBe('classification');
    expect(m.windows.map((w) => [w.start, w.count])).toEqual([
      [T0, 10],
      [T0 + DAY, 4],
    ]);
    expect(m.windows[0].classShares).toEqual({ yes: 0.7, no: 0.3 });
    expect(m.windows[1].classShares).toEqual({ no: 1 });
    expect(m.windows[0].accuracy).toBeNull();
    const sixHours = await call(app, 'monitoring:predictions', { name: 'churn', window: '6h', to: T0 + DAY - 1 });
    expect(sixHours.windows.map((w) => w.count)).toEqual([6, 4]);
  });

  it('refuses a CSV without the id column, naming it, and writes nothing', async () => {
    const file = path.join(dir, 'no-id.csv');
    fs.writeFileSync(file, 'id,actual\np0,yes\n');
    const err = await callError(app, 'monitoring:importActuals', { name: 'churn', file });
    expect(err.message).toMatch(/prediction_id/);
    expect(app.ctx.store.monitoring.countActuals()).toBe(0);
  });

  it('matches nothing for unknown ids and writes nothing', async () => {
    const file = path.join(dir, 'unknown.csv');
    fs.writeFileSync(file, 'prediction_id,actual\nzz1,yes\nzz2,no\n');
    const r = await call(app, 'monitoring:importActuals', { name: 'churn', file });
    expect(r).toEqual({ rows: 2, matched: 0, unmatched: 2, alerts: 0 });
    expect(app.ctx.store.monitoring.countActuals()).toBe(0);
    expect(app.ctx.store.monitoring.countAlerts('accuracy')).toBe(0);
  });

  it('joins actual labels: accuracy equals a hand count, one alert for the window under 0.7, none above', async () => {
    // Day 0: p0..p6 predicted yes, p7..p9 no. Actuals: p0..p4 yes, p5..p9 no → 8 of 10 right (0.8, above 0.7).
    // Day 1: all predicted no; actuals p10,p11 yes, p12,p13 no → 2 of 4 right (0.5, under 0.7).
    const lines = ['prediction_id,actual'];
    for (let i = 0; i < 10; i++) lines.push(`p${i},${i < 5 ? 'yes' : 'no'}`);
    for (let i = 10; i < 14; i++) lines.push(`p${i},${i < 12 ? 'yes' : 'no'}`);
    lines.push('nope,yes');
    const file = path.join(dir, 'actuals.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const r = await call(app, 'monitoring:importActuals', { name: 'churn', file });
    expect(r).toEqual({ rows: 15, matched: 14, unmatched: 1, alerts: 1 });
    const m = await call(app, 'monitoring:predictions', { name: 'churn', window: '1d' });
    const [d0, d1] = m.windows;
    expect(d0.labelled).toBe(10);
    expect(d0.accuracy).toBeCloseTo(8 / 10, 12);
    expect(d0.belowThreshold).toBe(false);
    expect(d1.accuracy).toBeCloseTo(2 / 4, 12);
    expect(d1.belowThreshold).toBe(true);
    // Day 1 macro F1 by hand: class no P=2/4 R=1 F1=2/3; class yes P=0 R=0 F1=0 → 1/3.
    expect(d1.f1).toBeCloseTo(1 / 3, 12);
    const alerts = app.ctx.store.monitoring.listAlerts({ model: 'churn' }).filter((a) => a.kind === 'accuracy');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].value).toBeCloseTo(0.5, 12);
    // Importing again does not alert the same window twice.
    const again = await call(app, 'monitoring:importActuals', { name: 'churn', file });
    expect(again.alerts).toBe(0);
    expect(app.ctx.store.monitoring.countAlerts('accuracy')).toBe(1);
  });

  it('keeps settings per model and refuses an unknown model', async () => {
    expect((await call(app, 'monitoring:settings', { name: 'churn' })).threshold).toBe(0.7);
    const s = await call(app, 'monitoring:setSettings', { name: 'churn', enabled: true, window: '6h', threshold: 0.9 });
    expect(s).toEqual({ name: 'churn', enabled: true, window: '6h', threshold: 0.9 });
    const err = await callError(app, 'monitoring:setSettings', { name: 'ghost', enabled: true });
    expect(err.code).toBe('not_found');
    expect(app.ctx.store.monitoring.getSettings('ghost')).toBeNull();
  });
});
