import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fromWireNumber, type WireNumber } from '../../../shared/tracking';
import { createTestApp, makeTempDir, writeSampleHead, type TestApp } from '../../../tests/helpers/test-app';
import { csvOptionsFromSniff, sniffCsvFile } from '../datasets/sniff-csv';
import { trainJob, type TrainJobResult } from '../training/training-job';
import type { TrainSpec } from '../training/training-spec';

// End to end at the store: a train job's per-step series become the run's metric histories.
let app: TestApp | undefined;
const dirs: string[] = [];
afterEach(() => {
  app?.cleanup();
  app = undefined;
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function sample(rows: number): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return writeSampleHead(path.join(dir, 'churn-small.csv'), rows);
}

function specFor(file: string, over: Partial<TrainSpec>): TrainSpec {
  return {
    source: { path: file, label: path.basename(file), options: csvOptionsFromSniff(sniffCsvFile(file)) },
    target: 'churned',
    algorithm: 'rf',
    params: {},
    seed: 3,
    testSize: 0.25,
    cvFolds: 0,
    ...over,
  };
}

async function train(spec: TrainSpec): Promise<TrainJobResult> {
  const final = await app!.ctx.jobs.waitFor(app!.ctx.jobs.start(trainJob, spec).id);
  expect(final.status, final.error ?? '').toBe('succeeded');
  return final.result as TrainJobResult;
}

const values = (points: { value: WireNumber }[]) => points.map((p) => fromWireNumber(p.value));

describe('per-step series in a run', () => {
  it('gradient boosting with early stopping: train_loss and validation_loss, one point per iteration', async () => {
    app = createTestApp();
    const r = await train(specFor(sample(800), { algorithm: 'gbm', params: { maxIter: 200, earlyStopping: 'on', nIterNoChange: 5 } }));
    const model = JSON.parse(fs.readFileSync(app.ctx.store.objects.objectPath(r.model.sha256), 'utf8'));
    const nIt: number = model.estimator.nIterations;
    expect(nIt).toBeGreaterThan(1);
    expect(nIt).toBeLessThan(200);
    const tracking = app.ctx.store.tracking;
    expect(tracking.seriesKeys(r.runId)).toEqual(expect.arrayContaining(['train_loss', 'validation_loss']));
    const trainLoss = tracking.metricHistory(r.runId, 'train_loss');
    const valLoss = tracking.metricHistory(r.runId, 'validation_loss');
    const steps = Array.from({ length: nIt }, (_, i) => i + 1);
    expect(trainLoss.map((p) => p.step)).toEqual(steps);
    expect(valLoss.map((p) => p.step)).toEqual(steps);
    // The validation curve is the one the model file records (its first entry is the baseline, before iteration 1).
    expect(values(valLoss)).toEqual(model.estimator.validationLoss.slice(1));
    const tl = values(trainLoss);
    expect(tl.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    // Each iteration is stamped when it ended (the run page's time axis): in order, within the run.
    const info = tracking.getRunInfo(r.runId);
    const times = trainLoss.map((p) => p.timestamp);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(info.startTime);
    expect(times.at(-1)!).toBeLessThanOrEqual(info.endTime!);
    // …and not at the moment the run's final metrics were logged, as the step-less metrics are.
    const logged = tracking.getRun(r.runId).metrics.find((m) => m.key === 'log_loss')!.timestamp;
    expect(times[0]).toBeLessThan(logged);
    expect(tl.at(-1)!).toBeLessThan(tl[0]);
  });

  it('random forest with oob_score: oob_error by number of trees, the last point 1 − oob_score', async () => {
    app = createTestApp();
    const r = await train(specFor(sample(600), { params: { nEstimators: 10, maxDepth: 6, oobScore: true } }));
    const tracking = app.ctx.store.tracking;
    const oob = tracking.metricHistory(r.runId, 'oob_error');
    expect(oob.map((p) => p.step)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    const run = tracking.getRun(r.runId);
    const latest = (key: string) => fromWireNumber(run.metrics.find((m) => m.key === key)!.value);
    expect(latest('oob_score')).toBe(r.oobScore);
    expect(values(oob).at(-1)).toBe(1 - latest('oob_score'));
    // The latest value of the series (MLflow: the highest step) is its last point.
    expect(latest('oob_error')).toBe(values(oob).at(-1));
  });
});
