import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tableToDataset } from './data-matrix';
import { deserializeModel, predictOutputs, predictRecords, serializeModel, type Algorithm } from './model';
import { trainModel } from './train';
import { mixedCsv } from '../../../tests/helpers/serving';
import { csvTextToTable } from '../../../tests/helpers/training-table';

let dir = '';
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('model format', () => {
  const table = csvTextToTable(mixedCsv(400, 3));
  const cls = tableToDataset(table, { target: 'label' });
  const reg = tableToDataset(table, { target: 'price', features: ['x1', 'x2', 'color', 'flag'] });

  it('one-hot encodes categories and maps class labels', () => {
    expect(cls.encoding.featureNames).toEqual(['x1', 'x2', 'color=blue', 'color=green', 'color=red', 'flag', 'price']);
    expect(cls.encoding.classes).toEqual(['high', 'low', 'mid']);
    expect(reg.encoding.task).toBe('regression');
  });

  it.each<[Algorithm, 'cls' | 'reg']>([
    ['rf', 'cls'],
    ['et', 'cls'],
    ['gbm', 'cls'],
    ['logreg', 'cls'],
    ['rf', 'reg'],
    ['gbm', 'reg'],
    ['linear', 'reg'],
  ])('%s (%s): save → load → identical predictions; one row = batch row', async (algorithm, which) => {
    const ds = which === 'cls' ? cls : reg;
    const r = await trainModel(ds, {
      algorithm,
      params: algorithm === 'rf' || algorithm === 'et' ? { nEstimators: 10 } : {},
      seed: 7,
      permutationImportance: false,
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-model-'));
    const file = path.join(dir, 'model.json');
    fs.writeFileSync(file, serializeModel(r.model));
    const loaded = deserializeModel(fs.readFileSync(file, 'utf8'));
    expect(loaded.trainingDataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded.encoding.classes).toEqual(ds.encoding.classes);
    const a = predictOutputs(r.model, ds.X, ds.nRows);
    const b = predictOutputs(loaded, ds.X, ds.nRows);
    expect(Array.from(b)).toEqual(Array.from(a));
    const K = ds.nClasses || 1;
    const row = Float64Array.from({ length: ds.nFeatures }, (_, f) => ds.X[f * ds.nRows + 5]);
    expect(Array.from(predictOutputs(loaded, row, 1))).toEqual(Array.from(a.subarray(5 * K, 6 * K)));
    // Same request again: bit-identical model.
    const again = await trainModel(ds, {
      algorithm,
      params: algorithm === 'rf' || algorithm === 'et' ? { nEstimators: 10 } : {},
      seed: 7,
      permutationImportance: false,
    });
    expect(serializeModel(again.model)).toBe(serializeModel(r.model));
  });

  it('predicts records by column name, with labels and probabilities', async () => {
    const r = await trainModel(cls, { algorithm: 'rf', params: { nEstimators: 10 }, seed: 1 });
    const out = predictRecords(r.model, [
      { x1: 9.5, x2: 1, color: 'red', flag: 'true', price: 130 },
      { x1: 0.5, x2: null, color: 'unseen', flag: false, price: 20 },
    ]);
    expect(out[0].prediction).toBe('high');
    expect(out[1].prediction).toBe('low');
    expect(Object.values(out[0].probabilities!).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('rejects files that are not models', () => {
    expect(() => deserializeModel('{"format":"other"}')).toThrow(/Not an MLOps Workbench model/);
    expect(() => deserializeModel('not json')).toThrow(/not valid JSON/);
  });
});
