import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eScope, screenshot } from './fixtures';

const scope = e2eScope('exp');

/** Opens Experiments on a fresh workspace and imports the bundled sample from its empty state. */
async function openWithSample(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Experiments' }).click();
  await page.getByRole('heading', { name: 'No dataset to train on yet' }).waitFor();
  await page.getByRole('button', { name: 'Import the sample data set' }).click();
  await page.getByRole('region', { name: 'Train a model' }).waitFor();
}

describe('Experiments page', () => {
  it('trains a random forest on the sample through the form, shows progress, metrics, charts and downloads the model', async () => {
    const app = await scope.launch();
    const { page } = app;
    await openWithSample(page);
    // The last column is the default target; its type and the task it implies are shown.
    await expect(page.getByLabel('Target column', { exact: true }).inputValue()).resolves.toBe('churned');
    expect(await page.getByTestId('task-note').textContent()).toMatch(/integer, 2 distinct values → Classification/);
    await expect(page.getByLabel('Dataset version', { exact: true }).locator('option').first().textContent()).resolves.toMatch(/churn@sample · 5,000 rows · 16 columns/);
    await page.getByLabel('Trees', { exact: true }).fill('200');
    await page.getByLabel('Max depth', { exact: true }).fill('10');
    await page.getByLabel('Cross-validation', { exact: true }).selectOption('5');
    await page.getByLabel('Seed', { exact: true }).fill('7');
    await page.getByText('More parameters').click();
    await page.getByText(/columns used as features/).click();
    await screenshot(page, 'experiments-form');
    await page.getByRole('button', { name: 'Train', exact: true }).click();

    // Progress on the run (trees built), and the job in the tray.
    await page.getByRole('heading', { name: 'Random forest · churn@sample → churned' }).waitFor();
    await page.locator('.exp-progress__message', { hasText: /trees/ }).waitFor({ timeout: 30_000 });
    await page.locator('.job-tray .job', { hasText: 'Train rf on churn@sample → churned' }).waitFor();
    await screenshot(page, 'experiments-progress');

    const accuracy = page.locator('tr[data-metric="accuracy"]');
    await accuracy.waitFor({ timeout: 90_000 });
    expect(await accuracy.locator('td').nth(1).textContent()).toMatch(/^0\.\d{4}$/);
    expect(await accuracy.locator('td').nth(2).textContent()).toMatch(/^0\.\d{4} ± 0\.\d{4}$/);
    for (const m of ['precisionMacro', 'recallMacro', 'f1Macro', 'f1Weighted', 'rocAuc', 'logLoss']) await page.locator(`tr[data-metric="${m}"]`).waitFor();
    const cells = page.locator('.confusion__cell');
    expect(await cells.count()).toBe(4);
    const counts = await cells.locator('strong').allTextContents();
    expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(1000);
    await page.getByRole('heading', { name: /ROC curve \(AUC 0\.\d{4}\)/ }).waitFor();
    await page.getByRole('img', { name: 'ROC curve' }).locator('.recharts-line').waitFor();
    await page.getByRole('img', { name: 'Feature importance' }).locator('.recharts-bar-rectangle').first().waitFor();
    await page.getByText('Permutation').click();
    await page.getByText(/drop in test score when the feature is shuffled/).waitFor();
    await page.getByText('Cross-validation folds (5)').click();
    await screenshot(page, 'experiments-result');

    // The model file: the stored object, byte for byte.
    const shown = (await page.locator('.exp-model code').first().textContent())!.trim();
    const dir = scope.dir();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download model (JSON)' }).click()]);
    const file = path.join(dir, dl.suggestedFilename());
    await dl.saveAs(file);
    expect(dl.suggestedFilename()).toMatch(/^rf-churn@sample-churned-[0-9a-f]{12}\.model\.json$/);
    const bytes = fs.readFileSync(file);
    expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(shown);
    const model = JSON.parse(bytes.toString('utf8'));
    expect(model).toMatchObject({ format: 'mlwb-model', algorithm: 'rf', seed: 7, params: { nEstimators: 200, maxDepth: 10 } });

    // Back on the page, the run is listed and reopens.
    await page.getByRole('link', { name: '← Experiments' }).click();
    const row = page.getByRole('region', { name: 'Recent training jobs' }).locator('tbody tr').first();
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Random forest.*churn@sample → churned.*Done.*Accuracy 0\.\d{4}/);
    await row.getByRole('link', { name: 'Random forest' }).click();
    await page.locator('tr[data-metric="accuracy"]').waitFor();

    // The same run in Japanese.
    const runUrl = page.url();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByText('日本語 (Japanese)').click();
    await page.getByRole('link', { name: '実験' }).waitFor();
    await page.goto(runUrl);
    await page.getByRole('heading', { name: 'ランダムフォレスト · churn@sample → churned' }).waitFor();
    await page.getByRole('cell', { name: '正解率' }).waitFor();
    await page.getByRole('img', { name: 'ROC曲線' }).locator('.recharts-line').waitFor();
    await screenshot(page, 'experiments-result-ja');
  });

  it('trains with a recipe saved on the Data page: fitted on the training rows, shown on the run, refused for another target', async () => {
    const app = await scope.launch();
    const { page } = app;
    await openWithSample(page);
    await expect(page.getByLabel('Preprocessing recipe', { exact: true }).inputValue()).resolves.toBe('');
    expect(await page.getByTestId('recipe-note').textContent()).toMatch(/no saved recipe/);

    // Save a recipe through the Data page's Recipe tab (its target defaults to the last column, churned).
    await page.getByRole('link', { name: 'Data', exact: true }).click();
    await page.getByRole('link', { name: 'sample', exact: true }).click();
    await page.getByRole('tab', { name: 'Recipe' }).click();
    await page.getByLabel('Recipe name', { exact: true }).fill('churn-prep');
    await page.getByRole('button', { name: 'Save recipe' }).click();
    await page.getByText('churn-prep').first().waitFor({ timeout: 30_000 });

    await page.getByRole('link', { name: 'Experiments' }).click();
    const select = page.getByLabel('Preprocessing recipe', { exact: true });
    await select.locator('option', { hasText: 'churn-prep' }).waitFor({ state: 'attached' });
    expect(await select.locator('option').allTextContents()).toEqual(['None (built-in encoding)', expect.stringMatching(/^churn-prep \(#\d+, target churned\)$/)]);
    await select.selectOption({ label: (await select.locator('option').nth(1).textContent())! });
    expect(await page.getByTestId('recipe-note').textContent()).toMatch(/fitted on the training rows only .* so the test score is not leaked; the target is never transformed/);
    await page.locator('.exp-models label', { hasText: 'Logistic regression' }).click();
    await page.getByLabel('Cross-validation', { exact: true }).selectOption('3');
    await screenshot(page, 'experiments-form-recipe');

    // A recipe made for another target is refused in the form (the server refuses it too).
    await page.getByLabel('Target column', { exact: true }).selectOption('contract');
    expect(await page.getByTestId('recipe-note').textContent()).toMatch(/saved for target "churned", not "contract"/);
    expect(await page.getByRole('button', { name: 'Train', exact: true }).isDisabled()).toBe(true);
    await page.getByLabel('Target column', { exact: true }).selectOption('churned');

    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.locator('tr[data-metric="accuracy"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('run-recipe').textContent()).toMatch(/^churn-prep \(#\d+\), fitted on the training rows$/);
    await page.locator('tr[data-metric="accuracy"] td').nth(2).waitFor();
    await screenshot(page, 'experiments-recipe-result');
    // Edit and train again keeps the recipe.
    await page.getByRole('button', { name: 'Edit and train again' }).click();
    // (The form's recipe list loads again when it mounts.)
    await expect.poll(() => page.getByLabel('Preprocessing recipe', { exact: true }).locator('option:checked').textContent(), { timeout: 10_000 }).toMatch(/^churn-prep/);
  });

  it('trains a three-class gradient boosting model and a linear regression', async () => {
    const app = await scope.launch();
    const { page } = app;
    await openWithSample(page);
    await page.getByLabel('Target column', { exact: true }).selectOption('contract');
    await page.locator('.exp-models label', { hasText: 'Gradient boosting' }).click();
    await page.getByLabel('Iterations', { exact: true }).fill('40');
    await page.getByLabel('Cross-validation', { exact: true }).selectOption('3');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.locator('tr[data-metric="accuracy"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('.confusion__cell').count()).toBe(9);
    // ROC/PR curves are for binary targets only.
    expect(await page.getByRole('img', { name: 'ROC curve' }).count()).toBe(0);
    await screenshot(page, 'experiments-multiclass');

    await page.getByRole('link', { name: '← Experiments' }).click();
    await page.getByLabel('Target column', { exact: true }).selectOption('monthly_charges');
    expect(await page.getByTestId('task-note').textContent()).toMatch(/number, .* → Regression/);
    // Logistic regression cannot do regression; linear regression can.
    expect(await page.getByRole('radio', { name: 'Logistic regression' }).isDisabled()).toBe(true);
    await page.locator('.exp-models label', { hasText: 'Linear regression' }).click();
    await page.getByLabel(/Alpha/).fill('1');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const r2 = page.locator('tr[data-metric="r2"]');
    await r2.waitFor({ timeout: 60_000 });
    expect(await r2.locator('td').nth(1).textContent()).toMatch(/^0\.\d{4}$/);
    await page.locator('tr[data-metric="rmse"]').waitFor();
    expect(await page.locator('.confusion').count()).toBe(0);
    await screenshot(page, 'experiments-regression');
  });

  it('cancels a training job from the job tray', async () => {
    const app = await scope.launch();
    const { page } = app;
    await openWithSample(page);
    await page.getByLabel('Trees', { exact: true }).fill('5000');
    await page.getByLabel('Cross-validation', { exact: true }).selectOption('10');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.locator('.exp-progress__message', { hasText: /trees/ }).waitFor({ timeout: 30_000 });
    await page.locator('.job-tray .job[data-status="running"]').getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('This training job was cancelled.').waitFor({ timeout: 30_000 });
    expect(await page.locator('.exp-status').getAttribute('data-status')).toBe('cancelled');
    await screenshot(page, 'experiments-cancelled');
  });

  it('shows clear errors for a bad target and bad parameters', async () => {
    const app = await scope.launch();
    const { page } = app;
    await openWithSample(page);
    // A hyper-parameter out of range is refused before a job starts: the error area says which.
    await page.getByLabel('Trees', { exact: true }).fill('0');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.locator('.error-area__item', { hasText: /params\.nEstimators/ }).waitFor();
    await page.locator('.error-area__item').getByRole('button').click();

    // Regression on a category target: the engine refuses it, the run shows why.
    await page.getByLabel('Trees', { exact: true }).fill('20');
    await page.getByLabel('Target column', { exact: true }).selectOption('contract');
    expect(await page.getByTestId('task-note').textContent()).toMatch(/category, 3 distinct values → Classification/);
    await page.getByLabel('Task', { exact: true }).selectOption('regression');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const alert = page.locator('.exp-error');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(/Training failed: Regression needs a numeric target; "contract" is category/);
    await screenshot(page, 'experiments-bad-target');
    // The failed request comes back into the form to be corrected.
    await page.getByRole('button', { name: 'Edit and train again' }).click();
    await expect(page.getByLabel('Target column', { exact: true }).inputValue()).resolves.toBe('contract');
    await expect(page.getByLabel('Task', { exact: true }).inputValue()).resolves.toBe('regression');
    await expect(page.getByLabel('Trees', { exact: true }).inputValue()).resolves.toBe('20');

    // An identifier as the target: one class per row.
    await page.getByLabel('Target column', { exact: true }).selectOption('customer_id');
    await page.getByLabel('Task', { exact: true }).selectOption('auto');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.locator('.exp-error', { hasText: /"customer_id" has 5,?000 classes for 5,?000 rows/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: '← Experiments' }).click();
    const failed = page.getByRole('region', { name: 'Recent training jobs' }).locator('tbody tr');
    await failed.nth(1).waitFor();
    expect(await failed.count()).toBe(2);
    expect(await failed.first().textContent()).toMatch(/Failed/);
  });
});
