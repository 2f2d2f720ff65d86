import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../shared/jobs';
import type { PredictionSet, ScoreBatchRequest } from '../../../shared/serving';
import { createTestApp, importSample, SAMPLE_CSV, waitUntil, writeSampleHead, type TestApp } from '../../../tests/helpers/test-app';
import { dispatchRequest } from '../handlers/dispatch';
import { readCsvTable } from '../datasets/read-table';
import { csvOptionsFromSniff, parseCsvText, sniffCsvFile } from '../datasets/sniff-csv';
import { deserializeModel, predictRecords, type TrainedModel } from '../training/model';
import { trainJob, type TrainJobResult } from '../training/training-job';
import { sourceFromVersion } from '../training/training-source';
import type { ScoreBatchResult } from './score-batch-job';
import { scoreCsvFile } from './score-batch-task';

let app: TestApp;
let versionId: number;
let model: TrainedModel;
let inputs: string;

beforeAll(async () => {
  app = createTestApp();
  const { store } = app.ctx;
  versionId = await importSample(app);
  const v = store.datasets.getVersion(versionId);
  const trained = await app.ctx.jobs.waitFor(
    app.ctx.jobs.start(trainJob, {
      source: sourceFromVersion(store, v),
      target: 'churned',
      algorithm: 'rf',
      params: { nEstimators: 20, maxDepth: 7 },
      seed: 11,
      testSize: 0.2,
      cvFolds: 0,
    }).id,
  );
  expect(trained.status, trained.error ?? '').toBe('succeeded');
  const r = trained.result as TrainJobResult;
  const version = store.registry.createVersion({
    name: 'churn',
    runId: r.runId,
    modelSha256: r.model.sha256,
    createdBy: 'test',
    createModel: true,
  });
  store.registry.setStage('churn', version.version, 'Production');
  model = deserializeModel(fs.readFileSync(store.objects.objectPath(r.model.sha256), 'utf8'));
  inputs = path.join(app.workspaceDir, 'test-inputs');
  fs.mkdirSync(inputs, { recursive: true });
}, 120_000);
afterAll(() => app?.cleanup());

async function score(req: ScoreBatchRequest): Promise<JobRecord> {
  const started = await dispatchRequest(app.handlers, 'scoring:start', req);
  if (!started.ok) throw Object.assign(new Error(started.error.message), started.error);
  return app.ctx.jobs.waitFor((started.value as JobRecord).id);
}

async function csvTextOf(set: PredictionSet): Promise<string> {
  const res = await dispatchRequest(app.handlers, 'scoring:csv', { id: set.id });
  if (!res.ok) throw new Error(res.error.message);
  return res.value as string;
}

/** 150,000 rows (about 15 MB: two workers score it, and it runs long enough to cancel mid-way on any machine). */
function bigFile(): string {
  const big = path.join(inputs, 'big.csv');
  if (fs.existsSync(big)) return big;
  const [header, ...body] = fs.readFileSync(SAMPLE_CSV, 'utf8').trimEnd().split('\n');
  fs.writeFileSync(big, [header, ...Array.from({ length: 30 }, () => body).flat()].join('\n') + '\n');
  return big;
}

const setCount = () => app.ctx.store.scoring.countSets();
const tempFiles = () => fs.readdirSync(path.join(app.workspaceDir, 'objects', 'tmp'));

describe('score-batch job', () => {
  it('scores a dataset version with the Production version: one row per input, predictions and probabilities as predictRecords gives', async () => {
    const job = await score({ name: 'churn', datasetVersionId: versionId });
    expect(job.status, job.error ?? '').toBe('succeeded');
    const res = job.result as ScoreBatchResult;
    expect(res.predictionSet).toMatchObject({
      model: 'churn',
      version: 1,
      sourceLabel: 'churn@sample',
      datasetVersionId: versionId,
      rows: 5000,
      jobId: job.id,
    });
    const text = await csvTextOf(res.predictionSet);
    const rows = parseCsvText(text, ',');
    const lines = text.trimEnd().split('\n');
    const v = app.ctx.store.datasets.getVersion(versionId);
    const table = readCsvTable(SAMPLE_CSV, v.csvOptions);
    expect(rows[0]).toEqual([...v.csvOptions.columns.map((c) => c.name), 'prediction', 'probability_0', 'probability_1']);
    expect(rows).toHaveLength(table.rows.length + 1);
    const expected = predictRecords(
      model,
      table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c.name, r[i]]))),
    );
    const counts: Record<string, number> = { '0': 0, '1': 0 };
    const raw = fs.readFileSync(SAMPLE_CSV, 'utf8').trimEnd().split('\n');
    rows.slice(1).forEach((row, i) => {
      // The input columns are the input's bytes (quoted fields stay quoted).
      expect(lines[i + 1].startsWith(`${raw[i + 1]},`)).toBe(true);
      const [pred, p0, p1] = row.slice(-3);
      expect(pred).toBe(expected[i].prediction);
      expect(Number(p0)).toBe(expected[i].probabilities!['0']);
      expect(Number(p1)).toBe(expected[i].probabilities!['1']);
      expect(Math.abs(Number(p0) + Number(p1) - 1)).toBeLessThan(1e-12);
      counts[pred]++;
    });
    expect(res.predictionSet.summary).toEqual({ '0': counts['0'] / 5000, '1': counts['1'] / 5000 });
    const listed = await dispatchRequest(app.handlers, 'scoring:sets', { name: 'churn' });
    expect(listed.ok && (listed.value as PredictionSet[]).map((s) => s.id)).toEqual([res.predictionSet.id]);
  });

  it('scores a CSV file by version number and copies the scored file to out; refuses to overwrite it', async () => {
    const file = writeSampleHead(path.join(inputs, 'head-300.csv'), 300);
    const out = path.join(inputs, 'out', 'scored.csv');
    const job = await score({ name: 'churn', selector: { kind: 'version', version: 1 }, file, out });
    expect(job.status, job.error ?? '').toBe('succeeded');
    const res = job.result as ScoreBatchResult;
    expect(res.out).toBe(out);
    expect(res.predictionSet).toMatchObject({ sourceLabel: 'head-300.csv', datasetVersionId: null, rows: 300 });
    const text = fs.readFileSync(out, 'utf8');
    expect(text.trimEnd().split('\n')).toHaveLength(301);
    expect(fs.readFileSync(app.ctx.store.objects.objectPath(res.predictionSet.sha256), 'utf8')).toBe(text);
    const before = setCount();
    const again = await score({ name: 'churn', file, out });
    expect(again.status).toBe('failed');
    expect(again.error).toMatch(/scored\.csv already exists/);
    expect(setCount()).toBe(before);
  });

  it('fails with a message naming the problem, and records nothing, for bad input', async () => {
    const before = setCount();
    const lines = fs.readFileSync(SAMPLE_CSV, 'utf8').split('\n').slice(0, 51).filter(Boolean);
    const drop = lines[0].split(',').indexOf('tenure_months');
    const noTenure = path.join(inputs, 'no-tenure.csv');
    fs.writeFileSync(
      noTenure,
      lines
        .map((l) =>
          l
            .split(',')
            .filter((_, i) => i !== drop)
            .join(','),
        )
        .join('\n') + '\n',
    );
    const empty = path.join(inputs, 'empty.csv');
    fs.writeFileSync(empty, '');
    const headerOnly = path.join(inputs, 'header-only.csv');
    fs.writeFileSync(headerOnly, `${lines[0]}\n`);
    const cases: Array<[ScoreBatchRequest, RegExp]> = [
      [{ name: 'churn', file: noTenure }, /^no-tenure\.csv has no column "tenure_months", which churn v1 \(churn\/Production\) needs/],
      [{ name: 'churn', file: path.join(inputs, 'missing.csv') }, /missing\.csv: it does not exist/],
      [{ name: 'churn', file: empty }, /^empty\.csv has no rows to score: the file is empty/],
      [{ name: 'churn', file: headerOnly }, /^header-only\.csv has no rows to score: it has a header line but no data rows/],
      [{ name: 'churn', file: inputs }, /it is a folder/],
      [{ name: 'nope', datasetVersionId: versionId }, /nope/],
      [{ name: 'churn', selector: { kind: 'stage', stage: 'Staging' }, datasetVersionId: versionId }, /no version in Staging/],
      [{ name: 'churn', selector: { kind: 'alias', alias: 'champion' }, datasetVersionId: versionId }, /no alias "champion"/],
      [{ name: 'churn', datasetVersionId: 999 }, /999/],
    ];
    for (const [req, message] of cases) {
      const job = await score(req);
      expect(job.status, JSON.stringify(req)).toBe('failed');
      expect(job.error).toMatch(message);
    }
    expect(setCount()).toBe(before);
    expect(tempFiles()).toEqual([]);
    // Neither file nor dataset version, or both: refused before any job starts.
    const neither = await dispatchRequest(app.handlers, 'scoring:start', { name: 'churn' });
    expect(!neither.ok && neither.error.message).toMatch(/either a dataset version or a CSV file/);
  });

  it('scores a large file over both workers into the bytes one pass writes', async () => {
    const big = bigFile();
    const messages = new Set<string>();
    const unsubscribe = app.ctx.events.subscribe((name, payload) => {
      const m = name === 'job' ? (payload as JobRecord).progressMessage : null;
      if (m) messages.add(m);
    });
    const job = await score({ name: 'churn', file: big });
    unsubscribe();
    expect(job.status, job.error ?? '').toBe('succeeded');
    // Only the merge of parts says so.
    expect(messages).toContain('writing the scored file');
    const res = job.result as ScoreBatchResult;
    expect(res.predictionSet.rows).toBe(150_000);
    const single = path.join(inputs, 'single.csv');
    const one = scoreCsvFile({
      modelPath: app.ctx.store.objects.objectPath(app.ctx.store.registry.getVersion('churn', 1).modelSha256),
      modelLabel: 'churn v1',
      input: { path: big, options: csvOptionsFromSniff(sniffCsvFile(big)), label: 'big.csv' },
      outPath: single,
    });
    expect(res.predictionSet.sha256).toBe(one.sha256);
    for (const [k, v] of Object.entries(one.summary)) expect(res.predictionSet.summary[k]).toBeCloseTo(v, 12);
  }, 90_000);

  it('can be cancelled while it scores; nothing is recorded and no temp file is left', async () => {
    const big = bigFile();
    const before = setCount();
    const started = await dispatchRequest(app.handlers, 'scoring:start', { name: 'churn', file: big });
    if (!started.ok) throw new Error(started.error.message);
    const id = (started.value as JobRecord).id;
    await waitUntil(() => app.ctx.store.jobs.getJob(id).progressDone > 0, 60_000, 'scoring progress');
    app.ctx.jobs.cancel(id);
    const final = await app.ctx.jobs.waitFor(id);
    expect(final.status).toBe('cancelled');
    expect(setCount()).toBe(before);
    await waitUntil(() => tempFiles().length === 0, 10_000, 'temp file removal');
  }, 90_000);
});
