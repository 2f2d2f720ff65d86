import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../tests/helpers/cli';
import { createTestApp, makeTempDir, SAMPLE_CSV as SAMPLE, writeSampleHead, type TestApp } from '../../../tests/helpers/test-app';
import { fitRecipe } from '../../core/datasets/recipe';
import { deserializeModel, predictRecords } from '../../core/training/model';
import { DATA_COMMANDS } from './data';
import { trainCommand } from './train';

let app: TestApp | undefined;
const dirs: string[] = [];
afterEach(() => {
  app?.cleanup();
  app = undefined;
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

/** Runs `mlwb …` in-process on a test app (workers through tsx, no build needed). */
const mlwb = (words: string[]) => runCli((app ??= createTestApp()), words, [...DATA_COMMANDS, trainCommand]);

describe('mlwb train', () => {
  it('trains from a file and from a dataset version, prints metrics as JSON, saves a usable model', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const small = path.join(dir, 'churn.csv');
    writeSampleHead(small, 1000);
    const modelFile = path.join(dir, 'model.json');
    const r1 = await mlwb([
      'train',
      '--data',
      small,
      '--target',
      'churned',
      '--model',
      'rf',
      '--param',
      'nEstimators=20',
      '--param',
      'maxDepth=6',
      '--cv',
      '3',
      '--seed',
      '5',
      '--out',
      modelFile,
      '--json',
    ]);
    expect(r1.code, r1.err).toBe(0);
    const j1 = JSON.parse(r1.out);
    expect(j1.task).toBe('classification');
    expect(j1.test.accuracy).toBeGreaterThan(0.6);
    expect(j1.cv.folds).toBe(3);
    expect(Object.keys(j1.cv.mean)).toContain('rocAuc');
    expect(j1.model.params.nEstimators).toBe(20);
    const model = deserializeModel(fs.readFileSync(modelFile, 'utf8'));
    const [p] = predictRecords(model, [{ tenure_months: 2, contract: 'Month-to-month', monthly_charges: 95 }]);
    expect(['0', '1']).toContain(p.prediction);

    expect((await mlwb(['data', 'import', small, '--name', 'churn', '--tag', 'v1'])).code).toBe(0);
    const r2 = await mlwb([
      'train',
      '--data',
      'churn@v1',
      '--target',
      'churned',
      '--model',
      'rf',
      '--param',
      'nEstimators=20',
      '--param',
      'maxDepth=6',
      '--cv',
      '3',
      '--seed',
      '5',
      '--json',
    ]);
    expect(r2.code, r2.err).toBe(0);
    const j2 = JSON.parse(r2.out);
    // Same bytes, same request: the same model and metrics.
    expect(j2.model.sha256).toBe(j1.model.sha256);
    expect(j2.source).toBe('churn@v1');
    expect(j2.cv.mean).toEqual(j1.cv.mean);

    const text = await mlwb(['train', '--data', small, '--target', 'monthly_charges', '--model', 'linear']);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/linear on churn.csv → monthly_charges \(regression\)/);
    expect(text.out).toMatch(/test: r2 /);
  });

  it('trains with --recipe NAME_OR_ID of the dataset and refuses a recipe it cannot use', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const small = path.join(dir, 'churn.csv');
    writeSampleHead(small, 600);
    expect((await mlwb(['data', 'import', small, '--name', 'churn', '--tag', 'v1'])).code).toBe(0);
    const store = app!.ctx.store;
    const v = store.datasets.findVersionByRef('churn@v1');
    // Only the spec matters to training (it is refitted on the training rows).
    const spec = { target: 'churned', drop: ['customer_id'], topK: 3 };
    const rec = store.datasets.insertRecipe(v.datasetId, v.id, 'prep', fitRecipe({ columns: [], rows: [] }, spec));
    const noTarget = store.datasets.insertRecipe(v.datasetId, v.id, 'no-target', fitRecipe({ columns: [], rows: [] }, { drop: [] }));
    // Logistic regression: no tree code, so two runs compare whatever else is being edited in the engine.
    const args = ['train', '--data', 'churn@v1', '--target', 'churned', '--model', 'logreg', '--seed', '1', '--json'];
    const byName = await mlwb([...args, '--recipe', 'prep']);
    expect(byName.code, byName.err).toBe(0);
    const j = JSON.parse(byName.out);
    expect(j.model.featureNames).toContain('contract=__other__');
    expect(j.model.featureNames).not.toContain('customer_id');
    const byId = await mlwb([...args, '--recipe', String(rec.id)]);
    expect(JSON.parse(byId.out).model.sha256).toBe(j.model.sha256);

    const unknown = await mlwb([...args, '--recipe', 'nope']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toMatch(/No recipe named "nope" for dataset churn \(recipes: no-target, prep\)/);
    expect((await mlwb([...args, '--recipe', String(noTarget.id)])).err).toMatch(/has no target, so it would treat "churned" as a feature/);
    expect((await mlwb(['train', '--data', small, '--target', 'churned', '--model', 'rf', '--recipe', 'prep'])).err).toMatch(
      /--recipe needs --data NAME@TAG/,
    );
  });

  it('reports usage and input errors clearly', async () => {
    expect((await mlwb(['train', '--data', SAMPLE, '--target', 'churned'])).err).toMatch(/Usage: mlwb train/);
    expect((await mlwb(['train', '--data', SAMPLE, '--target', 'churned', '--model', 'svm'])).err).toMatch(
      /--model must be one of rf, et, gbm, logreg, linear/,
    );
    expect((await mlwb(['train', '--data', SAMPLE, '--target', 'nope', '--model', 'rf'])).err).toMatch(/Target "nope": no such column/);
    expect((await mlwb(['train', '--data', SAMPLE, '--target', 'churned', '--model', 'rf', '--cv', '1'])).err).toMatch(
      /--cv: must be 0 \(no cross-validation\) or from 2 to 20/,
    );
    expect((await mlwb(['train', '--data', SAMPLE, '--target', 'contract', '--model', 'rf', '--param', 'trees=3'])).err).toMatch(
      /Unknown parameter "trees"/,
    );
    const reg = await mlwb(['train', '--data', SAMPLE, '--target', 'contract', '--model', 'rf', '--task', 'regression']);
    expect(reg.code).toBe(1);
    expect(reg.err).toMatch(/Regression needs a numeric target/);
  });
});
