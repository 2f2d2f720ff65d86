import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecipeSpec } from '../../../shared/datasets';
import { AppError } from '../../../shared/errors';
import { readCsvTable } from '../datasets/read-table';
import { csvOptionsFromSniff, parseCsvText, sniffCsvFile } from '../datasets/sniff-csv';
import { deserializeModel, predictRecords, serializeModel } from '../training/model';
import { trainModel } from '../training/train';
import { loadSpecDataset, type TrainSpec } from '../training/training-spec';
import {
  csvField,
  mergeScoredParts,
  scoreBatchTask,
  mergeStats,
  scoreCsvFile,
  scoredHeader,
  summarize,
  type ScoreBatchTaskParams,
} from './score-batch-task';

let dir: string;
let sample: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-score-task-'));
  // The bundled sample's first 600 rows (tests/helpers/test-app.ts would pull in the whole app).
  const lines = fs.readFileSync(path.resolve(__dirname, '../../../resources/sample/churn.csv'), 'utf8').split('\n');
  sample = path.join(dir, 'churn-600.csv');
  fs.writeFileSync(sample, lines.slice(0, 601).join('\n') + '\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function trainTo(file: string, over: Partial<TrainSpec> = {}): Promise<string> {
  const spec: TrainSpec = {
    source: { path: sample, label: 'churn-600.csv', options: csvOptionsFromSniff(sniffCsvFile(sample)) },
    target: 'churned',
    algorithm: 'rf',
    params: { nEstimators: 12, maxDepth: 6 },
    seed: 5,
    testSize: 0.2,
    cvFolds: 0,
    ...over,
  };
  const result = await trainModel(loadSpecDataset(spec), {
    algorithm: spec.algorithm,
    params: spec.params,
    seed: spec.seed,
    testSize: spec.testSize,
    permutationImportance: false,
  });
  const modelPath = path.join(dir, file);
  fs.writeFileSync(modelPath, serializeModel(result.model));
  return modelPath;
}

function paramsFor(modelPath: string, input: string, out: string, chunkRows?: number): ScoreBatchTaskParams {
  return {
    modelPath,
    modelLabel: 'model churn v1',
    input: { path: input, options: csvOptionsFromSniff(sniffCsvFile(input)), label: path.basename(input) },
    outPath: path.join(dir, out),
    chunkRows,
  };
}

/** The worker task as a worker runs it (its errors mapped for the trip to main). */
const scoringRun = (params: ScoreBatchTaskParams) => scoreBatchTask.run(params, { progress: () => {} });

/** The records of a CSV as the app reads them (sniffed options, typed cells). */
function recordsOf(file: string) {
  const table = readCsvTable(file, csvOptionsFromSniff(sniffCsvFile(file)));
  return table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c.name, r[i]])));
}

describe('score-batch task', () => {
  let rfModel: string;
  beforeAll(async () => {
    rfModel = await trainTo('rf.json');
  });

  it('writes every input row with its columns as they were, the prediction and per-class probabilities equal to predictRecords', () => {
    // A chunk size that does not divide the row count: the short last chunk is scored too.
    const res = scoreCsvFile(paramsFor(rfModel, sample, 'scored.csv', 97));
    expect(res.rows).toBe(600);
    expect(res.columns.slice(-3)).toEqual(['prediction', 'probability_0', 'probability_1']);
    const text = fs.readFileSync(path.join(dir, 'scored.csv'), 'utf8');
    expect(res.bytes).toBe(Buffer.byteLength(text));
    const inLines = fs.readFileSync(sample, 'utf8').trimEnd().split('\n');
    const outLines = text.trimEnd().split('\n');
    expect(outLines).toHaveLength(601);
    const expected = predictRecords(deserializeModel(fs.readFileSync(rfModel, 'utf8')), recordsOf(sample));
    const shares = { '0': 0, '1': 0 };
    for (let i = 1; i <= 600; i++) {
      // The input columns are the input's bytes.
      expect(outLines[i].startsWith(`${inLines[i]},`)).toBe(true);
      const [pred, p0, p1] = outLines[i].slice(inLines[i].length + 1).split(',');
      const want = expected[i - 1];
      expect(pred).toBe(String(want.prediction));
      expect(Number(p0)).toBe(want.probabilities!['0']);
      expect(Number(p1)).toBe(want.probabilities!['1']);
      expect(Number(p0) + Number(p1)).toBeCloseTo(1, 12);
      shares[pred as '0' | '1']++;
    }
    expect(res.summary).toEqual({ '0': shares['0'] / 600, '1': shares['1'] / 600 });
  });

  it('scores in parts (every n-th chunk) that merge into the same bytes and summary as one pass', async () => {
    const whole = scoreCsvFile(paramsFor(rfModel, sample, 'whole.csv', 50));
    const regression = await trainTo('reg-parts.json', { target: 'monthly_charges', task: 'regression' });
    const wholeReg = scoreCsvFile(paramsFor(regression, sample, 'whole-reg.csv', 50));
    for (const [model, one, name] of [
      [rfModel, whole, 'whole.csv'],
      [regression, wholeReg, 'whole-reg.csv'],
    ] as const) {
      for (const of of [2, 3, 13]) {
        const parts = Array.from({ length: of }, (_, index) => ({
          ...paramsFor(model, sample, `part-${of}-${index}-${name}`, 50),
          part: { index, of },
        }));
        const results = parts.map((p) => scoreCsvFile(p));
        // 600 rows in chunks of 50 = 12 chunks, dealt round-robin (13 parts: the last has none).
        expect(results.map((r) => r.chunkBytes.length)).toEqual(
          Array.from({ length: of }, (_, i) => Math.floor(12 / of) + (i < 12 % of ? 1 : 0)),
        );
        expect(results.every((r) => r.rows === 600)).toBe(true);
        const merged = mergeScoredParts({
          columns: results[0].columns,
          parts: parts.map((p, i) => ({ path: p.outPath, chunkBytes: results[i].chunkBytes })),
          outPath: path.join(dir, `merged-${of}-${name}`),
        });
        expect(fs.readFileSync(path.join(dir, `merged-${of}-${name}`), 'utf8')).toBe(fs.readFileSync(path.join(dir, name), 'utf8'));
        expect(merged).toEqual({ sha256: one.sha256, bytes: one.bytes });
        const summary = summarize(results.map((r) => r.stats).reduce(mergeStats), results[0].classes, 600);
        for (const [k, v] of Object.entries(one.summary)) expect(summary[k]).toBeCloseTo(v, 9);
      }
    }
  });

  it('re-quotes fields of a semicolon file and keeps quoted commas; a prediction column name already taken gets a suffix', () => {
    const model = deserializeModel(fs.readFileSync(rfModel, 'utf8'));
    const table = readCsvTable(sample, csvOptionsFromSniff(sniffCsvFile(sample)), { maxRows: 20 });
    const names = [...table.columns.map((c) => c.name), 'prediction'];
    const lines = [names.join(';')];
    table.rows.forEach((r, i) =>
      lines.push(
        [...r.map((v) => (v === null ? '' : String(v))), i === 0 ? 'a,"b"' : 'x']
          .map((v) => (/[;"]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v))
          .join(';'),
      ),
    );
    const file = path.join(dir, 'semicolon.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const res = scoreCsvFile(paramsFor(rfModel, file, 'semicolon-scored.csv'));
    expect(res.rows).toBe(20);
    expect(res.columns.slice(-4)).toEqual(['prediction', 'prediction_2', 'probability_0', 'probability_1']);
    const out = parseCsvText(fs.readFileSync(path.join(dir, 'semicolon-scored.csv'), 'utf8'), ',');
    expect(out[0]).toEqual(res.columns);
    expect(out[1][names.length - 1]).toBe('a,"b"');
    const expected = predictRecords(model, recordsOf(file));
    out.slice(1).forEach((row, i) => expect(row[names.length]).toBe(String(expected[i].prediction)));
  });

  it('scores a regression model (prediction only) and a recipe model through its recipe', async () => {
    const regression = await trainTo('reg.json', { target: 'monthly_charges', task: 'regression' });
    const res = scoreCsvFile(paramsFor(regression, sample, 'reg.csv'));
    expect(res.task).toBe('regression');
    expect(res.columns.at(-1)).toBe('prediction');
    const preds = predictRecords(deserializeModel(fs.readFileSync(regression, 'utf8')), recordsOf(sample)).map(
      (p) => p.prediction as number,
    );
    const mean = preds.reduce((a, b) => a + b, 0) / preds.length;
    expect(res.summary.mean).toBeCloseTo(mean, 9);
    expect(res.summary.min).toBe(Math.min(...preds));
    expect(res.summary.max).toBe(Math.max(...preds));
    const spec: RecipeSpec = {
      target: 'churned',
      drop: ['customer_id'],
      numericImpute: 'median',
      numericConstant: 0,
      categoricalImpute: 'mode',
      categoricalConstant: 'missing',
      scale: true,
      oneHot: true,
      topK: 3,
    };
    const withRecipe = await trainTo('recipe.json', { algorithm: 'logreg', params: {}, recipe: { id: 1, name: 'r', spec } });
    const model = deserializeModel(fs.readFileSync(withRecipe, 'utf8'));
    expect(model.encoding.recipe).toBeDefined();
    const r = scoreCsvFile(paramsFor(withRecipe, sample, 'recipe-scored.csv'));
    const lines = fs.readFileSync(path.join(dir, 'recipe-scored.csv'), 'utf8').trimEnd().split('\n').slice(1);
    const expected = predictRecords(model, recordsOf(sample));
    expect(r.rows).toBe(600);
    lines.forEach((line, i) => expect(line.split(',').at(-1)).toBe(String(expected[i].probabilities!['1'])));
  });

  it('refuses input without a column the model needs, naming the column, and writes nothing', () => {
    const lines = fs.readFileSync(sample, 'utf8').split('\n');
    const header = lines[0].split(',');
    const drop = header.indexOf('tenure_months');
    const cut = lines.filter(Boolean).map((l) =>
      l
        .split(',')
        .filter((_, i) => i !== drop)
        .join(','),
    );
    const file = path.join(dir, 'no-tenure.csv');
    fs.writeFileSync(file, cut.join('\n') + '\n');
    const out = path.join(dir, 'no-tenure-scored.csv');
    let error: unknown;
    try {
      scoreCsvFile(paramsFor(rfModel, file, 'no-tenure-scored.csv'));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('bad_input');
    expect((error as AppError).message).toMatch(
      /^no-tenure\.csv has no column "tenure_months", which model churn v1 needs \(it has: customer_id, gender/,
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('names the file and the column of an infinite value', () => {
    const lines = fs.readFileSync(sample, 'utf8').split('\n').slice(0, 11);
    const header = lines[0].split(',');
    const at = header.indexOf('monthly_charges');
    const cells = lines[5].split(',');
    cells[at] = '1e999';
    lines[5] = cells.join(',');
    const file = path.join(dir, 'infinite.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    let error: unknown;
    try {
      scoringRun(paramsFor(rfModel, file, 'infinite-scored.csv'));
    } catch (err) {
      error = err;
    }
    expect((error as AppError).code).toBe('bad_input');
    expect((error as AppError).message).toMatch(/^infinite\.csv: Column "monthly_charges" contains an infinite value/);
  });

  it('quotes output fields only when they need it, and makes unique names', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(scoredHeader(['x', 'prediction', 'prediction_2'], ['yes', 'no']).added).toEqual([
      'prediction_3',
      'probability_yes',
      'probability_no',
    ]);
  });
});
