import { describe, expect, it } from 'vitest';
import { tableToDataset, type ColumnTable } from './data-matrix';
import { TrainingError } from './errors';
import { stratifiedKFold } from './split';
import { trainModel } from './train';
import { csvTextToTable } from '../../../tests/helpers/training-table';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TrainingError);
    return (e as TrainingError).code;
  }
  return undefined;
}

async function asyncCodeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TrainingError);
    return (e as TrainingError).code;
  }
  return undefined;
}

const rows = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');

describe('bad input gets clear typed errors or documented behaviour', () => {
  it('one-class target', () => {
    const t = csvTextToTable('a,y\n' + rows(20, (i) => `${i},yes`));
    expect(codeOf(() => tableToDataset(t, { target: 'y' }))).toBe('ONE_CLASS');
  });

  it('more classes than rows allow', () => {
    const t = csvTextToTable('a,y\n' + rows(10, (i) => `${i},c${i}`));
    expect(codeOf(() => tableToDataset(t, { target: 'y' }))).toBe('TOO_MANY_CLASSES');
  });

  it('non-numeric target for regression', () => {
    const t = csvTextToTable('a,y\n' + rows(20, (i) => `${i},${i % 2 ? 'x' : 'z'}`));
    expect(codeOf(() => tableToDataset(t, { target: 'y', task: 'regression' }))).toBe('NON_NUMERIC_TARGET');
  });

  it('unknown target column, no rows with a target, and an empty or header-only file', () => {
    expect(codeOf(() => tableToDataset(csvTextToTable('a,b\n1,2\n'), { target: 'nope' }))).toBe('UNKNOWN_COLUMN');
    expect(codeOf(() => tableToDataset(csvTextToTable('a,y\n1,\n2,\n'), { target: 'y' }))).toBe('EMPTY_DATA');
    // The file is refused when it is read, as an import would refuse it, with the reason.
    for (const [text, csvError] of [
      ['', 'empty_file'],
      ['a,y\n', 'header_only'],
    ]) {
      expect(() => csvTextToTable(text)).toThrow(
        expect.objectContaining({ code: 'bad_input', details: expect.objectContaining({ csvError }) }),
      );
    }
  });

  it('Infinity in a feature is an error naming the column; NaN is a missing value', () => {
    const bad: ColumnTable = {
      columns: [
        { name: 'a', type: 'number', values: [1, Infinity, 3, 4] },
        { name: 'y', type: 'integer', values: [0, 1, 0, 1] },
      ],
    };
    expect(codeOf(() => tableToDataset(bad, { target: 'y' }))).toBe('NON_FINITE_VALUE');
    const ok: ColumnTable = {
      columns: [
        { name: 'a', type: 'number', values: [1, NaN, 3, null] },
        { name: 'y', type: 'integer', values: [0, 1, 0, 1] },
      ],
    };
    const ds = tableToDataset(ok, { target: 'y' });
    expect(Number.isNaN(ds.X[1]) && Number.isNaN(ds.X[3])).toBe(true);
  });

  it('an all-missing column is dropped with a warning; a constant column is kept', async () => {
    const t = csvTextToTable('gone,const,a,y\n' + rows(60, (i) => `,7,${i},${i < 30 ? 'lo' : 'hi'}`));
    const ds = tableToDataset(t, { target: 'y' });
    expect(ds.encoding.featureNames).toEqual(['const', 'a']);
    expect(ds.encoding.dropped).toEqual([{ name: 'gone', reason: 'all-missing' }]);
    expect(ds.warnings.join(' ')).toMatch(/gone/);
    for (const algorithm of ['rf', 'gbm', 'logreg'] as const) {
      const r = await trainModel(ds, { algorithm, params: algorithm === 'rf' ? { nEstimators: 5 } : {}, seed: 1 });
      expect((r.test as { accuracy: number }).accuracy).toBeGreaterThan(0.8);
    }
  });

  it('fewer rows than folds', async () => {
    expect(codeOf(() => stratifiedKFold([0, 1, 0], 2, 5, 0))).toBe('TOO_FEW_ROWS');
    const t = csvTextToTable('a,y\n' + rows(8, (i) => `${i},${i % 2}`));
    const ds = tableToDataset(t, { target: 'y' });
    expect(await asyncCodeOf(trainModel(ds, { algorithm: 'logreg', cvFolds: 10, testSize: 0.25 }))).toBe('TOO_FEW_ROWS');
  });

  it('bad parameters and wrong model for the task', async () => {
    const t = csvTextToTable('a,y\n' + rows(40, (i) => `${i},${i % 2}`));
    const ds = tableToDataset(t, { target: 'y' });
    expect(await asyncCodeOf(trainModel(ds, { algorithm: 'rf', params: { nEstimators: 0 } }))).toBe('BAD_PARAM');
    expect(await asyncCodeOf(trainModel(ds, { algorithm: 'rf', params: { depth: 3 } }))).toBe('BAD_PARAM');
    expect(await asyncCodeOf(trainModel(ds, { algorithm: 'linear' }))).toBe('BAD_PARAM');
  });

  it('rows with a missing target are dropped and reported', () => {
    const t = csvTextToTable('a,y\n' + rows(20, (i) => `${i},${i === 3 ? '' : i % 2}`));
    const ds = tableToDataset(t, { target: 'y' });
    expect(ds.nRows).toBe(19);
    expect(ds.warnings[0]).toMatch(/1 rows with a missing target/);
  });

  it('cancellation stops a forest between trees', async () => {
    const t = csvTextToTable('a,y\n' + rows(200, (i) => `${i},${i % 2}`));
    const ds = tableToDataset(t, { target: 'y' });
    let calls = 0;
    const code = await asyncCodeOf(trainModel(ds, { algorithm: 'rf' }, { shouldStop: () => ++calls > 3 }));
    expect(code).toBe('CANCELLED');
  });
});
