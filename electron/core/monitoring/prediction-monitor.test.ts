import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictionLogEntry } from '../../../shared/serving';
import { call, callError } from '../../../tests/helpers/call-channel';
import type { HeldOutPredictions } from '../registry/registry-tasks';
import { comparePredictions } from './prediction-monitor';
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
    expect(r).toEqual({ mode: 'joined', rows: 2, matched: 0, unmatched: 2, alerts: 0, scored: null });
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
    expect(r).toEqual({ mode: 'joined', rows: 15, matched: 14, unmatched: 1, alerts: 1, scored: null });
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
    // The alert names its window in columns (what "once per window" is checked on).
    expect(alerts[0]).toMatchObject({ windowStart: T0 + DAY, windowSize: '1d' });
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

  it('compares served predictions with the test split: KS and chi-square as scipy', () => {
    // scipy.stats.ks_2samp([1.5,2,3,4,5,5,9], [3,4,5,6,7,8,8.5,10]) → 0.48214285714285715, 0.2522144522144522
    const held: HeldOutPredictions = { rows: 7, task: 'regression', values: [1.5, 2, 3, 4, 5, 5, 9], labels: null };
    const ks = comparePredictions(held, [3, 4, 5, 6, 7, 8, 8.5, 10], 2)!;
    expect(ks).toMatchObject({ version: 2, test: 'ks', rows: 8, testRows: 7, drifted: false });
    expect(ks.statistic).toBeCloseTo(0.48214285714285715, 14);
    expect(ks.pValue / 0.2522144522144522 - 1).toBeLessThan(1e-9);
    expect(ks.bars.reduce((a, b) => a + b.logged, 0)).toBeCloseTo(1, 12);
    // 2 x 2 with Yates: test 30 yes / 70 no, served 60 / 40 — by hand.
    const cls: HeldOutPredictions = { rows: 100, task: 'classification', values: null, labels: [...Array(30).fill('yes'), ...Array(70).fill('no')] };
    const chi = comparePredictions(cls, [...Array(60).fill('yes'), ...Array(40).fill('no')], 1)!;
    // Rows of 100 each, columns yes 90 / no 110: expected 45 and 55 per row.
    const yates = (o: number, ex: number) => (Math.abs(o - ex) - 0.5) ** 2 / ex;
    expect(chi.statistic).toBeCloseTo(yates(30, 45) + yates(60, 45) + yates(70, 55) + yates(40, 55), 12);
    expect(chi.drifted).toBe(true);
    expect(chi.bars).toEqual([
      { label: 'no', test: 0.7, logged: 0.4 },
      { label: 'yes', test: 0.3, logged: 0.6 },
    ]);
    expect(comparePredictions(held, [null, 'x'], 1)).toBeNull();
  });

  it("scores the version's test split in a worker, compares the logged predictions with it, and alerts once per window", async () => {
    const [runId] = await trainQuickRuns(app);
    await registerRun(app, runId, 'churn-drift');
    // The split's predictions, as the worker task gives them.
    const spec = app.ctx.store.tracking.getRunSpec(runId);
    const mv = app.ctx.store.registry.getVersion('churn-drift', 1);
    const held = await app.ctx.pool.runTask<HeldOutPredictions>('registry-predict-held-out', {
      spec,
      modelPath: app.ctx.store.objects.objectPath(mv.modelSha256),
    });
    const classes = [...new Set(held.labels)];
    expect(held.rows).toBe(held.labels!.length);
    // The sample's classes are 0 (2,221 rows) and 1 (1,740): the split's predictions hold both.
    expect(classes.sort()).toEqual(['0', '1']);
    // Served: every prediction "1" — far from the split's shares.
    const served: PredictionLogEntry[] = Array.from({ length: 60 }, (_, i) => ({
      predictionId: `d${i}`,
      model: 'churn-drift',
      version: 1,
      at: T0 + i * 60_000,
      latencyMs: 1,
      inputs: {},
      prediction: 1,
      probabilities: null,
      source: 'batch',
      serverId: null,
    }));
    app.ctx.store.serving.appendPredictions(served, 1_000_000);
    const m = await call(app, 'monitoring:predictions', { name: 'churn-drift', window: '1d' });
    const d = m.predictionDrift!;
    expect(m.predictionDriftNote).toBeNull();
    expect(d).toMatchObject({ version: 1, test: 'chi-square', rows: 60, testRows: held.rows, drifted: true });
    const ones = held.labels!.filter((l) => l === '1').length;
    expect(d.bars.find((b) => b.label === '1')).toEqual({ label: '1', test: ones / held.rows, logged: 1 });
    const alerts = () => app.ctx.store.monitoring.listAlerts({ model: 'churn-drift' }).filter((a) => a.kind === 'prediction-drift');
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]).toMatchObject({ modelVersion: 1, windowStart: T0, windowSize: '1d' });
    await call(app, 'monitoring:predictions', { name: 'churn-drift', window: '1d' });
    expect(alerts()).toHaveLength(1);
    // No logged predictions in the span: a note, no drift.
    const none = await call(app, 'monitoring:predictions', { name: 'churn-drift', window: '1d', from: T0 + 10 * DAY });
    expect(none.predictionDrift).toBeNull();
    expect(none.predictionDriftNote).toMatch(/No logged predictions/);
  }, 60_000);

  it('takes the actual labels from a scored file (prediction and actual columns in the same file)', async () => {
    // As batch scoring writes it: the input columns, the label column the input had, then prediction and probabilities.
    const file = path.join(dir, 'scored.csv');
    const lines = ['tenure,churned,prediction,probability_no,probability_yes'];
    // 10 rows: 6 right, 4 wrong → accuracy 0.6 (under 0.7).
    for (let i = 0; i < 10; i++) lines.push(`${i},${i < 5 ? 'yes' : 'no'},${i < 3 || i >= 7 ? (i < 5 ? 'yes' : 'no') : i < 5 ? 'no' : 'yes'},0.5,0.5`);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const before = app.ctx.store.monitoring.countActuals();
    const r = await call(app, 'monitoring:importActuals', { name: 'churn', file, actualColumn: 'churned' });
    expect(r).toMatchObject({ mode: 'scored-file', rows: 10, matched: 10, unmatched: 0, alerts: 1 });
    expect(r.scored!.accuracy).toBeCloseTo(0.6, 12);
    expect(r.scored!.belowThreshold).toBe(true);
    expect(app.ctx.store.monitoring.countActuals()).toBe(before);
    const m = await call(app, 'monitoring:predictions', { name: 'churn', window: '1d' });
    expect(m.labelledSets[0]).toMatchObject({ sourceLabel: 'scored.csv', labelled: 10 });
    // The same file again: recorded, but no second alert.
    const again = await call(app, 'monitoring:importActuals', { name: 'churn', file, actualColumn: 'churned' });
    expect(again.alerts).toBe(0);
    // A scored file without the label column: refused, naming it.
    const err = await callError(app, 'monitoring:importActuals', { name: 'churn', file, actualColumn: 'label' });
    expect(err.message).toMatch(/"label"/);
  });
});
