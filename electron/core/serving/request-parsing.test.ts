import { beforeAll, describe, expect, it } from 'vitest';
import { trainMixedModel } from '../../../tests/helpers/serving';
import { predictRecords, type TrainedModel } from '../training/model';
import { modelInputsOf, parseInvocationsBody, parsePredictBody, ServingRequestError, toCell, type ModelInputs } from './request-parsing';

let model: TrainedModel;
let inputs: ModelInputs;
beforeAll(async () => {
  model = await trainMixedModel('classification');
  inputs = modelInputsOf(model);
});

/** The refusal a parse throws (fails the test if it parses). */
function refusal(fn: () => unknown): ServingRequestError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ServingRequestError);
    return err as ServingRequestError;
  }
  throw new Error('parsed unexpectedly');
}

const ROW = [5.5, '1.25', 'red', true];
const RECORD = { x1: 5.5, x2: 1.25, color: 'red', flag: true };

describe('model inputs', () => {
  it('lists the source columns in order with their types, and ignores the target and dropped columns', () => {
    expect(inputs.columns).toEqual([
      { name: 'x1', type: 'number' },
      { name: 'x2', type: 'number' },
      { name: 'color', type: 'category' },
      { name: 'flag', type: 'boolean' },
    ]);
    expect([...inputs.ignored]).toContain('label');
  });

  it('with a recipe, the inputs are the recipe columns (listRecipeInputs)', async () => {
    const withRecipe = await trainMixedModel('recipe');
    const rin = modelInputsOf(withRecipe);
    expect(rin.columns.map((c) => c.name)).toEqual(['x1', 'x2', 'color', 'flag']);
    expect(rin.ignored.has('price')).toBe(true);
    const { records } = parsePredictBody({ records: [{ ...RECORD, price: 12 }] }, rin);
    expect(predictRecords(withRecipe, records)[0].probabilities).toBeDefined();
  });
});

describe('POST /predict bodies', () => {
  it('features: one row in column order, numeric strings read as numbers', () => {
    const parsed = parsePredictBody({ features: ROW }, inputs);
    expect(parsed.many).toBe(false);
    expect(parsed.records).toEqual([{ x1: 5.5, x2: 1.25, color: 'red', flag: true }]);
  });

  it('instances and records give the same rows; missing-value words become null', () => {
    const a = parsePredictBody({ instances: [ROW, [1, 'NA', 'blue', 'no']] }, inputs);
    const b = parsePredictBody({ records: [RECORD, { x1: 1, x2: null, color: 'blue', flag: false }] }, inputs);
    expect(a.many).toBe(true);
    expect(a.records).toEqual(b.records);
    expect(a.records[1]).toEqual({ x1: 1, x2: null, color: 'blue', flag: false });
  });

  it('a record may carry the target (a row copied from the data), which is ignored', () => {
    expect(parsePredictBody({ records: [{ ...RECORD, label: 'high' }] }, inputs).records).toEqual([RECORD]);
  });

  it('refuses a wrong feature count, naming the columns', () => {
    const e = refusal(() => parsePredictBody({ features: [1, 2] }, inputs));
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/features has 2 values; the model reads 4, in this order: x1, x2, color, flag/);
  });

  it('refuses unknown and missing columns by name', () => {
    expect(refusal(() => parsePredictBody({ records: [{ ...RECORD, bogus: 1 }] }, inputs)).message).toMatch(
      /records\[0\] has an unknown column "bogus"/,
    );
    const { x2: _drop, ...noX2 } = RECORD;
    void _drop;
    expect(refusal(() => parsePredictBody({ records: [RECORD, noX2] }, inputs)).message).toMatch(/records\[1\] lacks the column "x2"/);
  });

  it('refuses wrong types, objects and arrays as cells, and non-finite numbers', () => {
    expect(refusal(() => parsePredictBody({ features: ['abc', 1, 'red', true] }, inputs)).message).toBe(
      'features[0] ("x1") must be a number; got "abc".',
    );
    expect(refusal(() => parsePredictBody({ features: [1, { a: 1 }, 'red', true] }, inputs)).message).toMatch(
      /features\[1\] \("x2"\) must be a single value; got an object/,
    );
    expect(refusal(() => parsePredictBody({ features: [1, 2, ['red'], true] }, inputs)).message).toMatch(/got an array/);
    expect(refusal(() => parsePredictBody({ features: [Infinity, 2, 'red', true] }, inputs)).message).toMatch(/must be a finite number/);
    expect(refusal(() => parsePredictBody({ features: ['1e999', 2, 'red', true] }, inputs)).message).toMatch(/must be a finite number/);
    expect(refusal(() => parsePredictBody({ features: [true, 2, 'red', true] }, inputs)).message).toMatch(/must be a number; got true/);
    expect(refusal(() => parsePredictBody({ features: [1, 2, 'red', 'maybe'] }, inputs)).message).toMatch(/"flag"\) must be true or false/);
    expect(refusal(() => parsePredictBody({ records: [{ ...RECORD, x1: 'ten' }] }, inputs)).message).toBe(
      'records[0].x1 must be a number; got "ten".',
    );
  });

  it('refuses bodies that are not one known shape', () => {
    expect(refusal(() => parsePredictBody([1, 2], inputs)).message).toMatch(
      /takes a JSON object with one of: features, instances, records/,
    );
    expect(refusal(() => parsePredictBody(null, inputs)).message).toMatch(/JSON object/);
    expect(refusal(() => parsePredictBody({}, inputs)).message).toMatch(/The body is empty/);
    expect(refusal(() => parsePredictBody({ rows: [] }, inputs)).message).toMatch(/does not know the field "rows"/);
    expect(refusal(() => parsePredictBody({ features: ROW, records: [RECORD] }, inputs)).message).toMatch(
      /Send only one of features, records/,
    );
    expect(refusal(() => parsePredictBody({ features: ROW, extra: 1 }, inputs)).message).toMatch(/extra/);
    expect(refusal(() => parsePredictBody({ features: 'x' }, inputs)).message).toMatch(/features/);
    expect(refusal(() => parsePredictBody({ instances: [] }, inputs)).message).toMatch(/instances holds no rows/);
    expect(refusal(() => parsePredictBody({ instances: Array(10_001).fill(ROW) }, inputs)).message).toMatch(/at most 10000 rows/);
    expect(refusal(() => parsePredictBody({ records: [ROW] }, inputs)).message).toMatch(/records/);
  });

  it('a long string in a refusal is clipped', () => {
    const e = refusal(() => parsePredictBody({ features: ['y'.repeat(10_000), 1, 'red', true] }, inputs));
    expect(e.message.length).toBeLessThan(200);
  });
});

describe('POST /invocations (MLflow) bodies', () => {
  it('dataframe_split, dataframe_records, instances and inputs (rows or columns) give the same rows', () => {
    const expected = [RECORD, { x1: 2, x2: 0.5, color: 'green', flag: false }];
    const cols = ['x1', 'x2', 'color', 'flag'];
    const data = expected.map((r) => cols.map((c) => r[c as keyof typeof r]));
    expect(parseInvocationsBody({ dataframe_split: { columns: cols, data } }, inputs)).toEqual(expected);
    expect(
      parseInvocationsBody(
        { dataframe_split: { columns: [...cols].reverse(), data: data.map((r) => [...r].reverse()), index: [0, 1] } },
        inputs,
      ),
    ).toEqual(expected);
    expect(parseInvocationsBody({ dataframe_records: expected }, inputs)).toEqual(expected);
    expect(parseInvocationsBody({ instances: data }, inputs)).toEqual(expected);
    expect(parseInvocationsBody({ instances: expected, params: {} }, inputs)).toEqual(expected);
    expect(parseInvocationsBody({ inputs: Object.fromEntries(cols.map((c, j) => [c, data.map((r) => r[j])])) }, inputs)).toEqual(expected);
  });

  it('refuses unknown columns, short rows, ragged columns and several formats at once', () => {
    expect(() => parseInvocationsBody({ dataframe_split: { columns: ['x1', 'zz'], data: [[1, 2]] } }, inputs)).toThrow(
      /unknown column "zz"/,
    );
    expect(() => parseInvocationsBody({ dataframe_split: { columns: ['x1', 'x2', 'color', 'flag'], data: [[1, 2]] } }, inputs)).toThrow(
      /has 2 values for 4 columns/,
    );
    expect(() => parseInvocationsBody({ dataframe_split: { columns: ['x1', 'x1'], data: [[1, 2]] } }, inputs)).toThrow(
      /names a column twice/,
    );
    expect(() => parseInvocationsBody({ inputs: { x1: [1, 2], x2: [1] } }, inputs)).toThrow(/same number of values/);
    expect(() => parseInvocationsBody({ instances: [ROW], inputs: [ROW] }, inputs)).toThrow(/only one of instances, inputs/);
    expect(() => parseInvocationsBody({ features: ROW }, inputs)).toThrow(
      /does not know the field "features"; send one of: dataframe_split/,
    );
  });
});

describe('cells', () => {
  const num = { name: 'n', type: 'number' } as const;
  it('dates must parse; categories take numbers and booleans as labels', () => {
    expect(toCell('2024-01-02', { name: 'd', type: 'date' }, 'd')).toBe('2024-01-02');
    expect(() => toCell('yesterday-ish', { name: 'd', type: 'date' }, 'd')).toThrow(/must be a date/);
    expect(toCell(3, { name: 'c', type: 'category' }, 'c')).toBe(3);
    expect(toCell(' 7 ', num, 'n')).toBe(7);
    expect(toCell('', num, 'n')).toBeNull();
    expect(toCell(1e300, num, 'n')).toBe(1e300);
  });
});
