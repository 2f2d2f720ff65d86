import { describe, expect, it } from 'vitest';
import type { DataTable, RecipeSpec } from '../../../shared/datasets';
import { fitRecipe } from '../datasets/recipe';
import { tableToRecipeDataset, type CellValue } from './data-matrix';
import { deserializeModel, MODEL_FORMAT_VERSION, predictOutputs, predictRecords, serializeModel, type Algorithm } from './model';
import { Rng } from './random';
import { planTraining, trainModel } from './train';

/** A row-major table with numbers (some missing, skewed), a category (some missing) and a label. */
function makeTable(n: number, seed: number): DataTable {
  const rng = new Rng(seed);
  const plans = ['basic', 'plus', 'pro', 'max'];
  const rows: CellValue[][] = [];
  for (let i = 0; i < n; i++) {
    // Squares: the mean of any subset differs from the mean of all rows.
    const spend = rng.nextFloat() < 0.15 ? null : (rng.nextFloat() * 30) ** 2;
    const age = rng.nextFloat() < 0.1 ? null : Math.round(18 + rng.nextFloat() * 60);
    const plan = rng.nextFloat() < 0.1 ? null : plans[rng.nextInt(4)];
    const score = (spend ?? 300) / 300 + (plan === 'pro' || plan === 'max' ? 1.5 : 0) + rng.nextFloat() * 1.5;
    rows.push([spend, age, plan, score > 2.2 ? 'yes' : 'no', `row${i}`]);
  }
  return {
    columns: [
      { name: 'spend', type: 'number' },
      { name: 'age', type: 'integer' },
      { name: 'plan', type: 'category' },
      { name: 'churn', type: 'category' },
      { name: 'id', type: 'text' },
    ],
    rows: rows as DataTable['rows'],
  };
}

const SPEC: RecipeSpec = {
  target: 'churn',
  drop: [],
  numericImpute: 'mean',
  numericConstant: 0,
  categoricalImpute: 'mode',
  categoricalConstant: 'missing',
  scale: true,
  oneHot: true,
  topK: 3,
};

const record = (t: DataTable, row: DataTable['rows'][number]) => Object.fromEntries(t.columns.map((c, i) => [c.name, row[i]]));

describe('training with a preprocessing recipe', () => {
  const table = makeTable(300, 11);

  it.each<Algorithm>(['rf', 'gbm', 'logreg'])('%s: the fitted recipe is embedded; raw records predict identically after save/load', async (algorithm) => {
    const ds = tableToRecipeDataset(table, SPEC, { target: 'churn' });
    const req = { algorithm, params: algorithm === 'rf' ? { nEstimators: 15 } : algorithm === 'gbm' ? { maxIter: 15 } : {}, seed: 4, cvFolds: 3 };
    const r = await trainModel(ds, { ...req, permutationImportance: false });
    const recipe = r.model.encoding.recipe!;
    expect(recipe).toBeDefined();
    // The target is never transformed: not a feature, labels kept as classes.
    expect(recipe.featureNames.some((f) => f.startsWith('churn'))).toBe(false);
    expect(r.model.encoding.classes).toEqual(['no', 'yes']);
    expect(recipe.featureNames).toContain('plan=__other__');
    expect(r.model.formatVersion).toBe(MODEL_FORMAT_VERSION);

    const loaded = deserializeModel(serializeModel(r.model));
    const plan = planTraining(ds, req);
    const test = plan.test!;
    const raw = test.raw!.rows.map((row) => record(table, row));
    // Raw strings, a missing value and an unseen category, as serving receives them.
    raw.push({ spend: '12.5', age: '', plan: 'enterprise' }, { spend: null, plan: null });
    const before = predictRecords(r.model, raw);
    expect(predictRecords(loaded, raw)).toEqual(before);
    // Replaying the recipe on raw rows gives exactly the outputs of the matrix the model was tested on.
    const outs = predictOutputs(r.model, test.X, test.nRows);
    const replay = predictRecords(loaded, raw.slice(0, test.nRows));
    expect(replay.length).toBe(test.nRows);
    replay.forEach((p, i) => expect(p.probabilities!.yes).toBe(outs[2 * i + 1]));
  });

  it('fits imputation and scaling on the training rows only (and per CV fold), not on the whole data', async () => {
    const ds = tableToRecipeDataset(table, SPEC, { target: 'churn' });
    const req = { algorithm: 'logreg' as const, seed: 9, testSize: 0.3, cvFolds: 3 };
    const plan = planTraining(ds, req);
    const meanOf = (rows: DataTable['rows']) => {
      const v = rows.map((r) => r[0]).filter((x): x is number => typeof x === 'number');
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    const stepOf = (rec: ReturnType<typeof fitRecipe>) => rec.steps.find((s) => s.column === 'spend')!;
    const whole = stepOf(fitRecipe(table, SPEC));
    const trainStep = stepOf(plan.train.encoding.recipe!);
    expect(trainStep.kind === 'numeric' && trainStep.impute).toBeCloseTo(meanOf(plan.train.raw!.rows), 9);
    expect(trainStep.kind === 'numeric' && whole.kind === 'numeric' && trainStep.impute !== whole.impute).toBe(true);
    // The test part is encoded with the training fit (its own rows would give another mean).
    expect(plan.test!.encoding.recipe).toBe(plan.train.encoding.recipe);
    expect(meanOf(plan.test!.raw!.rows)).not.toBeCloseTo(meanOf(plan.train.raw!.rows), 3);
    for (const fold of plan.folds) {
      const s = stepOf(fold.train.encoding.recipe!);
      expect(s.kind === 'numeric' && s.impute).toBeCloseTo(meanOf(fold.train.raw!.rows), 9);
      expect(fold.test.encoding.recipe).toBe(fold.train.encoding.recipe);
    }
    // The final model carries the training fit.
    const r = await trainModel(ds, { ...req, permutationImportance: false });
    expect(stepOf(r.model.encoding.recipe!)).toEqual(trainStep);
    // A missing spend is imputed with the training mean: same prediction as giving that mean.
    const imputed = trainStep.kind === 'numeric' ? trainStep.impute : NaN;
    const [a, b] = predictRecords(r.model, [
      { spend: null, age: 40, plan: 'pro' },
      { spend: imputed, age: 40, plan: 'pro' },
    ]);
    expect(a).toEqual(b);
  });

  it('is deterministic, keeps feature selection, and refuses a recipe that drops the target', async () => {
    const ds1 = tableToRecipeDataset(table, SPEC, { target: 'churn', features: ['spend', 'plan'] });
    const ds2 = tableToRecipeDataset(table, SPEC, { target: 'churn', features: ['spend', 'plan'] });
    expect(ds1.encoding.featureNames[0]).toBe('spend');
    expect(ds1.encoding.featureNames.every((f) => f === 'spend' || f.startsWith('plan='))).toBe(true);
    expect(ds1.encoding.dropped.map((d) => d.name).sort()).toEqual(['age', 'id']);
    const req = { algorithm: 'rf' as const, params: { nEstimators: 8 }, seed: 2, cvFolds: 2, permutationImportance: false };
    expect(serializeModel((await trainModel(ds1, req)).model)).toBe(serializeModel((await trainModel(ds2, req)).model));
    expect(() => tableToRecipeDataset(table, { ...SPEC, drop: ['churn'] }, { target: 'churn' })).toThrow(/drops the target "churn"/);
  });

  it('still loads format version 1 models (no recipe)', async () => {
    const ds = tableToRecipeDataset(table, SPEC, { target: 'churn' });
    const r = await trainModel(ds, { algorithm: 'logreg', seed: 1, permutationImportance: false });
    const old = JSON.parse(serializeModel(r.model));
    delete old.encoding.recipe;
    old.formatVersion = 1;
    expect(deserializeModel(JSON.stringify(old)).formatVersion).toBe(1);
    old.formatVersion = 99;
    expect(() => deserializeModel(JSON.stringify(old))).toThrow(/Unsupported model format version 99/);
  });
});
