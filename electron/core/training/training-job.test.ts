import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  makeTempDir,
  SAMPLE_CSV as SAMPLE,
  waitUntil,
  writeSampleHead,
  type TestApp,
} from '../../../tests/helpers/test-app';
import { csvOptionsFromSniff, sniffCsvFile } from '../datasets/sniff-csv';
import { serializeModel } from './model';
import { trainModel } from './train';
import { splitRange, trainJob, type TrainJobResult } from './training-job';
import { loadSpecDataset, specToRequest, type TrainSpec } from './training-spec';

let app: TestApp | undefined;
const dirs: string[] = [];
afterEach(() => {
  app?.cleanup();
  app = undefined;
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function specFor(file: string, over: Partial<TrainSpec> = {}): TrainSpec {
  const s = sniffCsvFile(file);
  return {
    source: {
      path: file,
      label: path.basename(file),
      options: csvOptionsFromSniff(s),
    },
    target: 'churned',
    algorithm: 'rf',
    params: { nEstimators: 24, maxDepth: 8 },
    seed: 3,
    testSize: 0.25,
    cvFolds: 3,
    ...over,
  };
}

/** The first `n` rows of the sample, in a temp file. */
function smallSample(n: number): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return writeSampleHead(path.join(dir, 'churn-small.csv'), n);
}

describe('train job', () => {
  it('splits tree indices into contiguous ranges', () => {
    expect(splitRange(100, 2)).toEqual([
      [0, 50],
      [50, 100],
    ]);
    expect(splitRange(5, 3)).toEqual([
      [0, 2],
      [2, 3],
      [3, 5],
    ]);
    expect(splitRange(1, 4)).toEqual([[0, 1]]);
  });

  it('spreads forest trees over 2 workers and gives the model and metrics of a one-process run', async () => {
    app = createTestApp();
    const spec = specFor(smallSample(1200));
    const messages: string[] = [];
    const unsubscribe = app.ctx.events.subscribe((name, payload) => {
      const m = name === 'job' ? (payload as { progressMessage?: string | null }).progressMessage : null;
      if (m) messages.push(m);
    });
    const rec = app.ctx.jobs.start(trainJob, spec);
    const final = await app.ctx.jobs.waitFor(rec.id);
    unsubscribe();
    // The total is known up front: 24 trees × (3 folds + the final forest), whichever worker reports first.
    const totals = messages.map((m) => /^\d+ of (\d+) trees$/.exec(m)?.[1]).filter((t): t is string => t !== undefined);
    expect(totals.length).toBeGreaterThan(0);
    expect(new Set(totals)).toEqual(new Set(['96']));
    expect(final.status, final.error ?? '').toBe('succeeded');
    const r = final.result as TrainJobResult;
    expect(r.workers).toBe(2);
    expect(r.cv!.folds).toBe(3);
    expect(r.test).toHaveProperty('accuracy');
    // Same spec, one process, no pool.
    const local = await trainModel(loadSpecDataset(spec), specToRequest(spec));
    const storedModel = fs.readFileSync(app.ctx.store.objects.objectPath(r.model.sha256), 'utf8');
    expect(storedModel).toBe(serializeModel(local.model));
    expect(JSON.stringify([r.test, r.cv])).toBe(JSON.stringify([local.test, local.cv]));
    // The OOB curve is computed from the merged forest: 2 workers give the one-process curve, one point per tree.
    expect(r.series!.oob_error).toHaveLength(24);
    expect(r.series).toEqual(local.series);
    expect(final.progressDone).toBeGreaterThan(0);
  });

  it('trains with a recipe spec over 2 workers: the model of a one-process run, with the recipe embedded', async () => {
    app = createTestApp();
    const recipe = {
      id: 1,
      name: 'r',
      spec: {
        target: 'churned',
        drop: ['customer_id'],
        numericImpute: 'median' as const,
        numericConstant: 0,
        categoricalImpute: 'mode' as const,
        categoricalConstant: 'missing',
        scale: true,
        oneHot: true,
        topK: 5,
      },
    };
    const spec = specFor(smallSample(600), { recipe, params: { nEstimators: 10, maxDepth: 6 }, cvFolds: 2 });
    const final = await app.ctx.jobs.waitFor(app.ctx.jobs.start(trainJob, spec).id);
    expect(final.status, final.error ?? '').toBe('succeeded');
    const r = final.result as TrainJobResult;
    const local = await trainModel(loadSpecDataset(spec), specToRequest(spec));
    const stored = fs.readFileSync(app.ctx.store.objects.objectPath(r.model.sha256), 'utf8');
    expect(stored).toBe(serializeModel(local.model));
    expect(JSON.parse(stored).encoding.recipe.spec.drop).toContain('customer_id');
    expect(r.model.featureNames).toContain('contract=__other__');
  });

  it('runs gradient boosting and logistic regression in a worker', async () => {
    app = createTestApp();
    const file = smallSample(800);
    for (const algorithm of ['gbm', 'logreg'] as const) {
      const final = await app.ctx.jobs.waitFor(app.ctx.jobs.start(trainJob, specFor(file, { algorithm, params: {} })).id);
      expect(final.status, final.error ?? '').toBe('succeeded');
      expect((final.result as TrainJobResult).test).toHaveProperty('rocAuc');
    }
  });

  it('can be cancelled while trees are being built', async () => {
    app = createTestApp();
    const rec = app.ctx.jobs.start(trainJob, specFor(SAMPLE, { params: { nEstimators: 2000 }, cvFolds: 5 }));
    await waitUntil(() => app!.ctx.store.jobs.getJob(rec.id).status === 'running', 20_000, 'job running');
    await new Promise((r) => setTimeout(r, 300));
    app.ctx.jobs.cancel(rec.id);
    const final = await app.ctx.jobs.waitFor(rec.id);
    expect(final.status).toBe('cancelled');
  });

  it('fails with a clear message on bad input', async () => {
    app = createTestApp();
    const file = smallSample(50);
    const oneClass = path.join(path.dirname(file), 'one-class.csv');
    fs.writeFileSync(oneClass, 'a,b,churned\n' + Array.from({ length: 30 }, (_, i) => `${i},${i % 3},1`).join('\n') + '\n');
    const final = await app.ctx.jobs.waitFor(app.ctx.jobs.start(trainJob, specFor(oneClass)).id);
    expect(final.status).toBe('failed');
    expect(final.error).toMatch(/only one class/);
    const badParam = await app.ctx.jobs.waitFor(app.ctx.jobs.start(trainJob, specFor(file, { params: { nEstimators: -1 } })).id);
    expect(badParam.status).toBe('failed');
    expect(badParam.error).toMatch(/nEstimators: must be ≥ 1/);
  });
});
