import { describe, expect, it } from 'vitest';
import { checkLaunch, resolveTask, type LaunchDraft } from './launch-checks';
import type { TrainableColumn, TrainableVersion } from './training';

const col = (c: Partial<TrainableColumn> & Pick<TrainableColumn, 'name' | 'type'>): TrainableColumn => ({
  distinct: 10,
  missing: 0,
  detectedTask: c.type === 'number' ? 'regression' : c.type === 'date' ? null : 'classification',
  ...c,
});

/** 100 rows: a two-class target (95 / 5), a one-class column, a numeric target, a date, an id. */
const VERSION: TrainableVersion = {
  versionId: 3,
  datasetId: 1,
  datasetName: 'd',
  tag: 'v1',
  label: 'd@v1',
  rows: 100,
  sha256: 'x'.repeat(64),
  createdAt: '2024-01-01T00:00:00Z',
  columns: [
    col({ name: 'x', type: 'number', distinct: 100 }),
    col({ name: 'when', type: 'date', distinct: 100 }),
    col({ name: 'id', type: 'category', distinct: 100 }),
    col({ name: 'same', type: 'category', distinct: 1, classCounts: [{ value: 'a', count: 100 }] }),
    col({ name: 'amount', type: 'number', distinct: 90 }),
    col({
      name: 'label',
      type: 'integer',
      distinct: 2,
      classCounts: [
        { value: '0', count: 95 },
        { value: '1', count: 5 },
      ],
    }),
  ],
};

const draft = (patch: Partial<LaunchDraft> = {}): LaunchDraft => ({
  versionId: 3,
  target: 'label',
  task: 'auto',
  features: ['x', 'amount'],
  recipe: null,
  testSize: 0.2,
  stratify: true,
  cvFolds: 0,
  seed: 42,
  models: [
    { algorithm: 'logreg', params: { C: 1 } },
    { algorithm: 'rf', params: { nEstimators: 100 } },
    { algorithm: 'gbm', params: { maxIter: 100, learningRate: 0.1 } },
  ],
  ...patch,
});

const codes = (d: LaunchDraft, v: TrainableVersion | null = VERSION) => checkLaunch(d, v).map((p) => `${p.step}:${p.field}:${p.code}`);

describe('checkLaunch', () => {
  it('passes the chapter trio on a two-class target', () => {
    expect(checkLaunch(draft(), VERSION)).toEqual([]);
    expect(resolveTask(draft(), VERSION)).toBe('classification');
  });

  it('needs a dataset version', () => {
    expect(codes(draft({ versionId: null }), null)).toEqual(['dataset:versionId:noVersion']);
  });

  it('needs a target that is a column of the version', () => {
    expect(codes(draft({ target: '' }))).toEqual(['target:target:noTarget']);
    expect(codes(draft({ target: 'gone' }))).toEqual(['target:target:unknownTarget']);
    expect(checkLaunch(draft({ target: 'gone' }), VERSION)[0].message).toMatch(/^Target "gone": no such column in .+ \(columns: /);
  });

  it('refuses a target with a single class, and one with no value', () => {
    const [p] = checkLaunch(draft({ target: 'same', features: ['x'] }), VERSION);
    expect(p).toMatchObject({ step: 'target', field: 'target', code: 'oneClass', values: { target: 'same', classes: 1 } });
    expect(p.message).toBe('The target "same" has only one class; classification needs at least two classes.');
    const empty = { ...VERSION, columns: [...VERSION.columns, col({ name: 'blank', type: 'category', distinct: 0, missing: 100 })] };
    expect(codes(draft({ target: 'blank' }), empty)).toEqual(['target:target:oneClass']);
  });

  it('refuses an identifier as a class target (more classes than half the rows)', () => {
    expect(codes(draft({ target: 'id' }))).toEqual(['target:target:tooManyClasses']);
  });

  it('refuses a date target on auto and regression on a category', () => {
    expect(codes(draft({ target: 'when' }))).toEqual(['target:task:targetNoTask']);
    expect(codes(draft({ target: 'id', task: 'regression', models: [{ algorithm: 'rf', params: {} }] }))).toEqual([
      'target:task:regressionNeedsNumber',
    ]);
  });

  it('refuses a recipe that drops the target or was saved for another one', () => {
    expect(codes(draft({ recipe: { target: 'label', drop: ['label'] } }))).toEqual(['target:recipeId:recipeDropsTarget']);
    expect(codes(draft({ recipe: { target: 'amount', drop: [] } }))).toEqual(['target:recipeId:recipeOtherTarget']);
    expect(codes(draft({ recipe: { target: 'label', drop: ['x'] } }))).toEqual([]);
  });

  it('needs a feature other than the target', () => {
    expect(codes(draft({ features: [] }))).toEqual(['target:features:noFeatures']);
    expect(codes(draft({ features: ['label'] }))).toEqual(['target:features:noFeatures']);
  });

  it('needs one to ten models', () => {
    expect(codes(draft({ models: [] }))).toEqual(['models:models:noModels']);
    expect(codes(draft({ models: Array.from({ length: 11 }, () => ({ algorithm: 'rf' as const, params: {} })) }))).toEqual([
      'models:models:tooManyModels',
    ]);
  });

  it('refuses a model that cannot do the task', () => {
    expect(codes(draft({ models: [{ algorithm: 'linear', params: {} }] }))).toEqual(['models:models.0.algorithm:modelTask']);
    const reg = draft({
      target: 'amount',
      features: ['x'],
      models: [
        { algorithm: 'rf', params: {} },
        { algorithm: 'logreg', params: {} },
      ],
    });
    expect(checkLaunch(reg, VERSION)).toMatchObject([
      { field: 'models.1.algorithm', code: 'modelTask', values: { algorithm: 'logreg', task: 'regression', index: 2 } },
    ]);
  });

  it('refuses hyper-parameters out of the shared bounds, naming the bound', () => {
    const d = draft({
      models: [
        { algorithm: 'rf', params: { nEstimators: 0 } },
        { algorithm: 'gbm', params: { learningRate: 11, maxIter: 2.5 } },
        { algorithm: 'logreg', params: { C: Number.NaN } },
      ],
    });
    const problems = checkLaunch(d, VERSION);
    expect(problems.map((p) => p.field)).toEqual([
      'models.0.params.nEstimators',
      'models.1.params.maxIter',
      'models.1.params.learningRate',
      'models.2.params.C',
    ]);
    expect(problems[0]).toMatchObject({
      step: 'models',
      code: 'paramRange',
      values: { param: 'nEstimators', min: 1, max: 5000, index: 1 },
    });
    expect(problems[0].message).toBe('nEstimators must be a whole number from 1 to 5000.');
    expect(problems[2].values).toMatchObject({ min: 0.0001, max: 10 });
    expect(problems[3].code).toBe('paramRange');
  });

  it('refuses an unknown parameter with the schema message', () => {
    const [p] = checkLaunch(draft({ models: [{ algorithm: 'rf', params: { trees: 3 } }] }), VERSION);
    expect(p).toMatchObject({ code: 'paramInvalid', field: 'models.0.params' });
    expect(p.message).toMatch(/Unknown parameter "trees" for random forest/);
  });

  it('refuses a run name over the store limit', () => {
    expect(codes(draft({ models: [{ algorithm: 'rf', params: {}, runName: 'n'.repeat(501) }] }))).toEqual([
      'models:models.0.runName:runNameLong',
    ]);
  });

  it('refuses a test share out of the shared range (0 to 90%)', () => {
    for (const share of [0.95, -0.1, Number.NaN]) expect(codes(draft({ testSize: share }))).toEqual(['validation:testSize:testSizeRange']);
    const [p] = checkLaunch(draft({ testSize: 0.95 }), VERSION);
    expect(p.message).toBe('The test share must be from 0% to 90%.');
    expect(codes(draft({ testSize: 0 }))).toEqual([]);
    expect(codes(draft({ testSize: 0.9 }))).toEqual([]);
  });

  it('refuses a test share that leaves no training row', () => {
    const tiny = { ...VERSION, rows: 1 };
    expect(
      codes(draft({ target: 'x', task: 'regression', features: ['amount'], models: [{ algorithm: 'rf', params: {} }] }), tiny),
    ).toEqual(['validation:testSize:testSizeTooFewRows']);
  });

  it('refuses k outside 0 or 2–20', () => {
    for (const k of [1, 21, 2.5, -1]) expect(codes(draft({ cvFolds: k }))).toEqual(['validation:cvFolds:cvRange']);
    for (const k of [0, 2, 4]) expect(codes(draft({ cvFolds: k }))).toEqual([]);
  });

  it('refuses k greater than the rows of the smallest class', () => {
    const [p] = checkLaunch(draft({ cvFolds: 10, testSize: 0 }), VERSION);
    expect(p).toMatchObject({
      step: 'validation',
      field: 'cvFolds',
      code: 'cvOverSmallestClass',
      values: { k: 10, value: '1', rows: 5, train: 5 },
    });
    expect(p.message).toBe('10 folds need at least 10 rows of each class; class "1" has 5.');
    expect(codes(draft({ cvFolds: 5, testSize: 0 }))).toEqual([]);
  });

  it('counts the smallest class after the test split (a larger test share leaves fewer rows than k)', () => {
    // 20% test: class "1" keeps 4 of its 5 rows for training.
    const [p] = checkLaunch(draft({ cvFolds: 5, testSize: 0.2 }), VERSION);
    expect(p).toMatchObject({ code: 'cvOverSmallestClass', values: { k: 5, rows: 5, train: 4 } });
    expect(p.message).toMatch(/class "1" has 5 rows, 4 after the test split/);
    expect(codes(draft({ cvFolds: 4, testSize: 0.2 }))).toEqual([]);
  });

  it('refuses k greater than the training rows (regression: no classes)', () => {
    const small = { ...VERSION, rows: 12 };
    const reg = draft({ target: 'amount', features: ['x'], models: [{ algorithm: 'rf', params: {} }], cvFolds: 10, testSize: 0.3 });
    expect(checkLaunch(reg, small)).toMatchObject([{ code: 'cvOverTrainRows', values: { k: 10, train: 8 } }]);
    expect(codes({ ...reg, testSize: 0 }, small)).toEqual([]);
  });

  it('refuses a seed outside 0 to 2³²−1', () => {
    for (const seed of [-1, 2 ** 32, 1.5, Number.NaN]) expect(codes(draft({ seed }))).toEqual(['validation:seed:seedRange']);
  });

  it('lists problems in step order', () => {
    const d = draft({ target: 'same', models: [], testSize: 2, seed: -1 });
    expect(checkLaunch(d, VERSION).map((p) => p.step)).toEqual(['target', 'models', 'validation', 'validation']);
  });
});
