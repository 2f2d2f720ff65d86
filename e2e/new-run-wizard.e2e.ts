import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ImportResult } from '../shared/contracts/datasets';
import type { JobRecord } from '../shared/jobs';
import type { Experiment } from '../shared/tracking';
import { e2eScope, screenshot, invoke, waitForJob } from './fixtures';

const scope = e2eScope('wizard');

/** Imports a CSV through the API (sniff, then import) and waits for the import job. */
async function importCsv(page: Page, dir: string, name: string, content: string): Promise<number> {
  const file = path.join(dir, `${name}.csv`);
  fs.writeFileSync(file, content);
  const s = await invoke<{ delimiter: string; hasHeader: boolean; encoding: string; missingMarkers: string[]; columns: unknown[] }>(
    page,
    'datasets:sniff',
    { path: file },
  );
  const options = {
    delimiter: s.delimiter,
    hasHeader: s.hasHeader,
    encoding: s.encoding,
    missingMarkers: s.missingMarkers,
    columns: s.columns,
    raggedRows: 'error',
  };
  const job = await waitForJob(page, (await invoke<JobRecord>(page, 'datasets:import', { path: file, name, tag: 'v1', options })).id);
  expect(job.status, job.error ?? '').toBe('succeeded');
  return (job.result as ImportResult).versionId;
}

const next = (page: Page) => page.getByRole('button', { name: 'Next', exact: true });
const heading = (page: Page, n: number) => page.getByRole('heading', { name: new RegExp(`^Step ${n} of 5 · `) });

/** Opens Experiments → New on a fresh workspace and imports the bundled sample from the wizard's empty state. */
async function openWithSample(page: Page): Promise<void> {
  await page.goto(page.url().replace(/#.*$/, '') + '#/experiments/new');
  await page.getByRole('heading', { name: 'No dataset to train on yet' }).waitFor();
  await page.getByRole('button', { name: 'Import the sample data set' }).click();
  await expect
    .poll(() => page.getByLabel('Dataset version', { exact: true }).locator('option').first().textContent(), { timeout: 30_000 })
    .toMatch(/churn@sample · 5,000 rows · 16 columns/);
}

describe('New run wizard', () => {
  it('walks the five steps with the chapter trio, launches three sibling runs, follows them, cancels one of a second launch and opens a run', async () => {
    const app = await scope.launch();
    const { page } = app;
    await openWithSample(page);
    await heading(page, 1).waitFor();
    await expect(page.getByLabel('Experiment', { exact: true }).locator('option:checked').textContent()).resolves.toBe('Default');
    await screenshot(page, 'wizard-1-dataset');
    await next(page).click();

    // 2 · the last column is the default target; its task is inferred; features are all the other columns.
    await heading(page, 2).waitFor();
    await expect(page.getByLabel('Target column', { exact: true }).inputValue()).resolves.toBe('churned');
    expect(await page.getByTestId('task-note').textContent()).toMatch(
      /integer, 2 distinct values → Classification\. Rows per class: 0 \([\d,]+\), 1 \([\d,]+\)\./,
    );
    expect(await page.getByText(/14 of 15 columns used as features \(text columns are never used\)/).count()).toBe(1);
    await screenshot(page, 'wizard-2-target');
    // Keyboard: Alt+→ is Next.
    await page.getByLabel('Target column', { exact: true }).focus();
    await page.keyboard.press('Alt+ArrowRight');

    // 3 · the trio with the chapter's defaults and their bounds.
    await heading(page, 3).waitFor();
    const cards = page.locator('.wiz-model');
    expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-algorithm')))).toEqual(['logreg', 'rf', 'gbm']);
    await expect(page.getByLabel('Model 1 · Logistic regression: C (inverse regularisation)').inputValue()).resolves.toBe('1');
    await expect(page.getByLabel('Model 2 · Random forest: Trees').inputValue()).resolves.toBe('100');
    await expect(page.getByLabel('Model 3 · Gradient boosting: Iterations').inputValue()).resolves.toBe('100');
    await expect(page.getByLabel('Model 3 · Gradient boosting: Learning rate').inputValue()).resolves.toBe('0.1');
    expect(await cards.nth(1).locator('.wiz-bounds').first().textContent()).toBe('1 – 5,000');
    await page.getByLabel('Run name of model 2').fill('forest-100');
    await screenshot(page, 'wizard-3-models');
    await next(page).click();

    // 4 · validation.
    await heading(page, 4).waitFor();
    await expect(page.getByLabel('Test share (%)', { exact: true }).inputValue()).resolves.toBe('20');
    await page.getByLabel('Cross-validation folds (k)', { exact: true }).fill('3');
    await screenshot(page, 'wizard-4-validation');
    await next(page).click();

    // 5 · review and launch.
    await heading(page, 5).waitFor();
    const review = page.getByTestId('review');
    expect(await review.textContent()).toMatch(
      /churn@sample · 5,000 rows.*churned · Classification.*14 of 15 columns.*20% test \(stratified\) · 3-fold · seed 42/,
    );
    expect(await page.locator('.wiz-review-models tbody tr').count()).toBe(3);
    await screenshot(page, 'wizard-5-review');
    await page.getByRole('button', { name: 'Launch 3 run(s)' }).click();

    // Three per-run progress rows that finish, each linked to its run; Compare once ≥ 2 finished.
    const rows = page.locator('.wiz-run');
    await rows.nth(2).waitFor();
    expect(await rows.count()).toBe(3);
    expect(await rows.getByRole('progressbar').count()).toBe(3);
    await screenshot(page, 'wizard-launch-progress');
    await expect.poll(() => page.locator('.wiz-run[data-status="succeeded"]').count(), { timeout: 120_000 }).toBe(3);
    await page.getByRole('link', { name: 'forest-100' }).waitFor();
    await page.getByRole('link', { name: 'Compare 3 runs' }).waitFor();
    expect(await page.getByTestId('launch-summary').textContent()).toBe('All 3 ended');
    await screenshot(page, 'wizard-launch-done');
    const compareHref = await page.getByRole('link', { name: 'Compare 3 runs' }).getAttribute('href');
    expect(compareHref).toMatch(/^#\/experiments\/compare\/[0-9a-f]{32},[0-9a-f]{32},[0-9a-f]{32}$/);
    // The three are siblings of one comparison, in the Default experiment.
    const runIds = compareHref!.split('/').pop()!.split(',');
    const detail = await invoke<{ tags: Record<string, string>; info: { experimentId: number } }>(page, 'runs:get', { runId: runIds[0] });
    expect(detail.info.experimentId).toBe(0);
    const comparison = detail.tags['mlwb.comparison'];
    expect(comparison).toMatch(/^[0-9a-f]{32}$/);
    const siblings = await invoke<{ runs: { info: { runId: string } }[] }>(page, 'runs:search', {
      experimentIds: [0],
      filter: `tags.mlwb.comparison = '${comparison}'`,
    });
    expect(siblings.runs.map((r) => r.info.runId).sort()).toEqual([...runIds].sort());

    // A second launch: a large forest, cancelled while it trains; the others go on.
    await page.getByRole('button', { name: 'Edit and launch again' }).click();
    await heading(page, 3).waitFor();
    await page.getByLabel('Model 2 · Random forest: Trees').fill('5000');
    await page.getByLabel('Run name of model 2').fill('big-forest');
    await next(page).click();
    await next(page).click();
    await page.getByRole('button', { name: 'Launch 3 run(s)' }).click();
    const big = page.locator('.wiz-run', { hasText: 'big-forest' });
    await big.locator('.wiz-run__message', { hasText: /trees/ }).waitFor({ timeout: 60_000 });
    expect(await big.getAttribute('data-status')).toBe('running');
    await page.locator('.job-tray .job[data-status="running"]').first().waitFor();
    await screenshot(page, 'wizard-launch-running');
    await big.getByRole('button', { name: 'Cancel big-forest' }).click();
    await expect.poll(() => big.getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled');
    await expect.poll(() => page.locator('.wiz-run[data-status="succeeded"]').count(), { timeout: 120_000 }).toBe(2);
    // The cancelled run is recorded as KILLED.
    const killed = await invoke<{ runs: { info: { status: string; name: string } }[] }>(page, 'runs:search', {
      experimentIds: [0],
      filter: "attributes.run_name = 'big-forest'",
    });
    expect(killed.runs.map((r) => r.info.status)).toEqual(['KILLED']);
    await screenshot(page, 'wizard-launch-cancelled');

    // Leaving the page keeps the launch; a run link opens the run.
    await page.getByRole('link', { name: 'Data', exact: true }).click();
    await page.getByRole('link', { name: 'Experiments' }).click();
    await page.goto(page.url().replace(/#.*$/, '') + '#/experiments/new');
    await page.locator('.wiz-run').nth(2).waitFor();
    const link = page.locator('.wiz-run', { hasText: 'big-forest' }).getByRole('link', { name: 'big-forest' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^#\/experiments\/run\/[0-9a-f]{32}$/);
    await link.click();
    await expect.poll(() => page.url()).toContain(href!);
  });

  it('blocks each invalid setting with its message before launch, and brings a server refusal back into the form', async () => {
    const app = await scope.launch();
    const { page } = app;
    await openWithSample(page);
    // A tiny dataset: `label` a (25 rows) / b (5 rows), `same` one class.
    const lines = ['x,y,same,label'];
    for (let i = 0; i < 30; i++) lines.push(`${i},${(i * 7) % 11},k,${i < 25 ? 'a' : 'b'}`);
    await importCsv(page, scope.dir(), 'tiny', lines.join('\n'));
    const version = page.getByLabel('Dataset version', { exact: true });
    await version.locator('option', { hasText: 'tiny@v1' }).waitFor({ state: 'attached' });
    await version.selectOption({ label: (await version.locator('option', { hasText: 'tiny@v1' }).textContent())! });
    await next(page).click();
    await heading(page, 2).waitFor();
    const target = page.getByLabel('Target column', { exact: true });
    const problem = (field: string) => page.locator(`.wiz-problems[data-field="${field}"] .wiz-problem`);

    // No target.
    await target.selectOption('');
    await expect(problem('target').textContent()).resolves.toBe('Choose a target column.');
    expect(await next(page).isDisabled()).toBe(true);
    expect(await page.getByTestId('wizard-blocked').textContent()).toBe('Fix 1 problem(s) on this step to continue.');
    await screenshot(page, 'wizard-check-no-target');

    // A target with one class.
    await target.selectOption('same');
    await expect(problem('target').textContent()).resolves.toBe(
      'The target "same" has 1 class(es); classification needs at least two classes.',
    );
    expect(await next(page).isDisabled()).toBe(true);
    await screenshot(page, 'wizard-check-one-class');

    await target.selectOption('label');
    expect(await problem('target').count()).toBe(0);
    await next(page).click();

    // A hyper-parameter out of bounds, on its card.
    await heading(page, 3).waitFor();
    await page.getByLabel('Model 2 · Random forest: Trees').fill('0');
    await expect(page.locator('.wiz-model').nth(1).locator('.wiz-problem').textContent()).resolves.toBe('Trees must be from 1 to 5,000.');
    expect(await next(page).isDisabled()).toBe(true);
    await screenshot(page, 'wizard-check-param');
    await page.getByLabel('Model 2 · Random forest: Trees').fill('20');
    await next(page).click();

    // Test share 95 %.
    await heading(page, 4).waitFor();
    await page.getByLabel('Test share (%)', { exact: true }).fill('95');
    await expect(problem('testSize').textContent()).resolves.toBe('The test share must be from 0% to 90%.');
    expect(await next(page).isDisabled()).toBe(true);
    // k = 10 on a class with 5 rows.
    await page.getByLabel('Test share (%)', { exact: true }).fill('0');
    await page.getByLabel('Cross-validation folds (k)', { exact: true }).fill('10');
    await expect(problem('cvFolds').textContent()).resolves.toBe(
      '10 folds need at least 10 training rows of each class; class "b" has 5 (of 5 rows).',
    );
    expect(await page.getByText('Smallest class: "b" with 5 rows.').count()).toBe(1);
    expect(await next(page).isDisabled()).toBe(true);
    await screenshot(page, 'wizard-check-cv');
    // …and a test share that leaves fewer than k rows of it for training (5 folds, 20 % test → 4 rows).
    await page.getByLabel('Cross-validation folds (k)', { exact: true }).fill('5');
    expect(await problem('cvFolds').count()).toBe(0);
    await page.getByLabel('Test share (%)', { exact: true }).fill('20');
    await expect(problem('cvFolds').textContent()).resolves.toBe(
      '5 folds need at least 5 training rows of each class; class "b" has 4 (of 5 rows).',
    );
    await page.getByLabel('Cross-validation folds (k)', { exact: true }).fill('4');
    expect(await problem('cvFolds').count()).toBe(0);

    // A model that cannot do the task: the task set to regression on edited models.
    await page.getByRole('button', { name: /Target and features/ }).click();
    await page.getByLabel('Target column', { exact: true }).selectOption('y');
    await page.getByLabel('Task', { exact: true }).selectOption('regression');
    await page.getByRole('button', { name: /Models/ }).click();
    await expect(page.locator('.wiz-model').first().locator('.wiz-problem').textContent()).resolves.toBe(
      'Logistic regression cannot do Regression: change the model or the task.',
    );
    expect(await next(page).isDisabled()).toBe(true);
    await screenshot(page, 'wizard-check-model-task');
    await page.getByLabel('Model 1', { exact: true }).selectOption('linear');
    expect(await page.locator('.wiz-model .wiz-problem').count()).toBe(0);
    await next(page).click();
    await next(page).click();

    // The server re-checks: an experiment trashed after it was chosen refuses the launch, and the
    // refusal comes back to the review step and the error area (not a blank page).
    await heading(page, 5).waitFor();
    const exp = await invoke<Experiment>(page, 'experiments:create', { name: 'doomed' });
    await page.getByRole('button', { name: /Dataset version/ }).click();
    const expSelect = page.getByLabel('Experiment', { exact: true });
    await expSelect.locator('option', { hasText: 'doomed' }).waitFor({ state: 'attached' });
    await expSelect.selectOption({ label: 'doomed' });
    await page.getByRole('button', { name: /Review and launch/ }).click();
    await invoke(page, 'experiments:delete', { id: exp.id });
    await page.getByRole('button', { name: 'Launch 3 run(s)' }).click();
    await page.locator('.wiz-problem--server', { hasText: 'The app refused the launch: Experiment "doomed" is in the trash' }).waitFor();
    await page.locator('.error-area__item', { hasText: /is in the trash/ }).waitFor();
    await heading(page, 5).waitFor();
    expect(await page.locator('.wiz-run').count()).toBe(0);
    await screenshot(page, 'wizard-server-refused');

    // A message in Japanese.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByText('日本語 (Japanese)').click();
    await page.getByRole('link', { name: '実験' }).waitFor();
    await page.goto(page.url().replace(/#.*$/, '') + '#/experiments/new');
    await page.getByRole('button', { name: /検証/ }).click();
    await page.getByLabel('テストの割合（%）', { exact: true }).fill('95');
    await page.locator('.wiz-problem', { hasText: 'テストの割合は 0% から 90% の範囲で指定してください。' }).waitFor();
    await screenshot(page, 'wizard-check-ja');
  });

  it("offers the dataset's saved recipe and refuses it for another target; a numeric target swaps in linear regression; one model launches alone", async () => {
    const app = await scope.launch();
    const { page } = app;
    await openWithSample(page);
    // Save a recipe through the Data page's Recipe tab (its target defaults to the last column, churned).
    await page.getByRole('link', { name: 'Data', exact: true }).click();
    await page.getByRole('link', { name: 'sample', exact: true }).click();
    await page.getByRole('tab', { name: 'Recipe' }).click();
    await page.getByLabel('Recipe name', { exact: true }).fill('churn-prep');
    await page.getByRole('button', { name: 'Save recipe' }).click();
    await page.getByText('churn-prep').first().waitFor({ timeout: 30_000 });

    await page.goto(page.url().replace(/#.*$/, '') + '#/experiments/new');
    await next(page).click();
    const select = page.getByLabel('Preprocessing recipe', { exact: true });
    await select.locator('option', { hasText: 'churn-prep' }).waitFor({ state: 'attached' });
    expect(await select.locator('option').allTextContents()).toEqual([
      'None (built-in encoding)',
      expect.stringMatching(/^churn-prep \(#\d+, target churned\)$/),
    ]);
    await select.selectOption({ label: (await select.locator('option').nth(1).textContent())! });
    expect(await page.getByTestId('recipe-note').textContent()).toMatch(/fitted on the training rows only/);
    // A recipe made for another target is refused here (and by the server).
    await page.getByLabel('Target column', { exact: true }).selectOption('contract');
    await expect(page.locator('.wiz-problems[data-field="recipeId"] .wiz-problem').textContent()).resolves.toBe(
      'This recipe was saved for target "churned", not "contract": choose a recipe saved for "contract".',
    );
    expect(await next(page).isDisabled()).toBe(true);
    await screenshot(page, 'wizard-check-recipe');
    await select.selectOption('');

    // A numeric target: regression is inferred and the untouched trio swaps logistic for linear regression.
    await page.getByLabel('Target column', { exact: true }).selectOption('monthly_charges');
    expect(await page.getByTestId('task-note').textContent()).toMatch(/number, .* → Regression/);
    await next(page).click();
    const cards = page.locator('.wiz-model');
    expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-algorithm')))).toEqual(['linear', 'rf', 'gbm']);
    expect(await page.getByRole('button', { name: '+ Logistic regression' }).isDisabled()).toBe(true);
    // Linear regression alone.
    await page.getByRole('button', { name: 'Remove model 3' }).click();
    await page.getByRole('button', { name: 'Remove model 2' }).click();
    await page.getByLabel('Model 1 · Linear regression: Alpha (ridge; 0 = least squares)').fill('1');
    await next(page).click();
    expect(await page.getByText('Classification only.').count()).toBe(1);
    await next(page).click();
    // Register when finished, behind a threshold on the headline metric (R² for regression).
    await page.getByLabel('Model name').fill('charges');
    await page.getByLabel('Test r2 at least').fill('-100');
    expect(await page.getByRole('checkbox', { name: /\|test − CV\|/ }).isDisabled()).toBe(true);
    await screenshot(page, 'wizard-register-on-finish');
    await page.getByRole('button', { name: 'Launch 1 run(s)' }).click();
    const row = page.locator('.wiz-run');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
    const link = row.getByRole('link', { name: 'linear · churn@sample' });
    const runId = (await link.getAttribute('href'))!.split('/').pop()!;
    const run = await invoke<{ params: Record<string, string>; tags: Record<string, string> }>(page, 'runs:get', { runId });
    expect(run.params).toMatchObject({ model: 'linear', target: 'monthly_charges', alpha: '1' });
    expect(run.tags['mlwb.comparison']).toBeUndefined();
    const [version] = await invoke<{ runId: string; version: number; gates: { passed: boolean; checks: { id: string }[] } }[]>(
      page,
      'registry:versionsOfRun',
      { runId },
    );
    expect(version).toMatchObject({ runId, version: 1, gates: { passed: true, checks: [{ id: 'metric' }] } });
    expect(await page.getByRole('link', { name: /^Compare/ }).count()).toBe(0);
    await screenshot(page, 'wizard-launch-single');
  });
});
