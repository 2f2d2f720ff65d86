import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../shared/jobs';
import { e2eScope, screenshot, invoke, waitForJob } from './fixtures';

const scope = e2eScope('runs');

const rows = (page: Page) => page.locator('.runs-grid__body [role="row"]');
const accuracies = async (page: Page) => (await rows(page).locator('[data-column="metrics.accuracy"]').allTextContents()).map(Number);

async function filter(page: Page, text: string): Promise<void> {
  const box = page.getByRole('searchbox', { name: 'Filter runs' });
  await box.fill(text);
  await box.press('Enter');
}

describe('Runs table', () => {
  it('creates an experiment, shows its runs live, sorts, filters, chooses columns, saves a view, compares and trashes/restores', async () => {
    const { page } = await scope.launch();
    const imported = await waitForJob(page, (await invoke<JobRecord>(page, 'datasets:importSample', {})).id);
    expect(imported.status).toBe('succeeded');
    const versionId = (imported.result as { versionId: number }).versionId;

    // An experiment, created through the page.
    await page.getByRole('link', { name: 'Experiments' }).click();
    await page.getByRole('button', { name: 'New experiment' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Churn study');
    await page.getByLabel('Description', { exact: true }).fill('Which model keeps customers?');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'Churn study' }).waitFor();
    expect(page.url()).toMatch(/#\/experiments\/exp\/\d+$/);
    const experimentId = Number(page.url().split('/').pop());
    await page.getByRole('heading', { name: 'No runs in this experiment yet' }).waitFor();
    await screenshot(page, 'runs-empty');

    // Two runs launched through the API land in the table without a reload.
    const launched = await invoke<{ jobs: JobRecord[] }>(page, 'runs:launch', {
      experimentId,
      settings: { versionId, target: 'churned', testSize: 0.25, cvFolds: 3, seed: 7 },
      models: [
        { algorithm: 'logreg', params: { C: 1 } },
        { algorithm: 'rf', params: { nEstimators: 10 } },
      ],
    });
    await rows(page).nth(1).waitFor({ timeout: 30_000 });
    for (const job of launched.jobs) expect((await waitForJob(page, job.id)).status).toBe('succeeded');
    await page.locator('[data-status="finished"]').nth(1).waitFor({ timeout: 30_000 });
    await page.locator('[data-column="metrics.accuracy"]').nth(2).waitFor(); // header + two rows
    expect(await page.getByTestId('run-count').textContent()).toContain('Runs: 2');
    expect(await rows(page).locator('[data-column="tags.mlwb.model_type"]').allTextContents()).toEqual(
      expect.arrayContaining(['Random forest', 'Logistic regression']),
    );
    for (const a of await accuracies(page)) expect(a).toBeGreaterThan(0);
    expect(await page.locator('.runs-grid').textContent()).not.toMatch(/null|undefined/);
    await screenshot(page, 'runs-table');

    // Sort by accuracy through the server: high to low, then low to high.
    const header = page.locator('[role="columnheader"][data-column="metrics.accuracy"]');
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    await expect
      .poll(async () => {
        const a = await accuracies(page);
        return a[0] >= a[1];
      })
      .toBe(true);
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    await expect
      .poll(async () => {
        const a = await accuracies(page);
        return a.length === 2 && a[0] <= a[1];
      })
      .toBe(true);
    const ascendingNames = await rows(page).locator('[data-column="attributes.run_name"] a').allTextContents();

    // MLflow filters: a match, a missing key (never matches), and bad filters that keep the old rows.
    await filter(page, 'metrics.accuracy > 0');
    await expect.poll(() => rows(page).count()).toBe(2);
    await filter(page, "params.nope = 'x'");
    await page.getByText('No run matches the filter.').waitFor();
    await filter(page, 'metrics.accuracy > 0');
    await expect.poll(() => rows(page).count()).toBe(2);
    for (const bad of ['metrics.accuracy >> 1', 'foo.bar = 1']) {
      await filter(page, bad);
      const alert = page.locator('.runs-search [role="alert"]');
      await alert.waitFor();
      expect((await alert.textContent())!.length).toBeGreaterThan(10);
      expect(await page.getByRole('searchbox', { name: 'Filter runs' }).getAttribute('aria-invalid')).toBe('true');
      expect(await rows(page).count()).toBe(2);
      expect(await rows(page).locator('[data-column="attributes.run_name"] a').allTextContents()).toEqual(ascendingNames);
    }
    expect(await page.locator('.runs-search [role="alert"]').textContent()).toMatch(/foo/);
    await screenshot(page, 'runs-filter-error');
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => page.locator('.runs-search [role="alert"]').count()).toBe(0);

    // A param as a column, through the chooser.
    await page.getByRole('button', { name: /^Columns/ }).click();
    const chooser = page.getByRole('dialog', { name: 'Choose columns' });
    await chooser.getByRole('searchbox', { name: 'Find a column' }).fill('model');
    await screenshot(page, 'runs-column-chooser');
    await chooser.locator('fieldset', { hasText: 'Parameters' }).getByLabel('model', { exact: true }).check();
    await page.keyboard.press('Escape');
    const modelCells = rows(page).locator('[data-column="params.model"]');
    await expect.poll(async () => (await modelCells.allTextContents()).sort()).toEqual(['logreg', 'rf']);

    // A saved view brings back filter, order and columns.
    await filter(page, "params.model = 'rf'");
    await expect.poll(() => rows(page).count()).toBe(1);
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByLabel('View name').fill('Forests');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const views = page.getByRole('combobox', { name: 'Saved views' });
    await expect.poll(async () => (await views.locator('option:checked').textContent()) ?? '').toBe('Forests');
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await page.getByRole('button', { name: /^Columns/ }).click();
    await chooser.getByRole('button', { name: 'Reset to defaults' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => rows(page).count()).toBe(2);
    expect(await page.locator('[role="columnheader"][data-column="params.model"]').count()).toBe(0);
    await views.selectOption({ label: 'Forests' });
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await page.getByRole('searchbox', { name: 'Filter runs' }).inputValue()).toBe("params.model = 'rf'");
    expect(await modelCells.allTextContents()).toEqual(['rf']);
    expect(await header.getAttribute('aria-sort')).toBe('ascending');

    // Two selected runs open the comparison.
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => rows(page).count()).toBe(2);
    const compare = page.getByRole('button', { name: /^Compare/ });
    expect(await compare.isDisabled()).toBe(true);
    const ids = await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')!));
    for (const name of ascendingNames) await page.getByRole('checkbox', { name: `Select run ${name}` }).check();
    expect(await compare.isDisabled()).toBe(false);
    await compare.click();
    await page.waitForURL(/#\/experiments\/compare\//);
    expect(decodeURIComponent(page.url().split('/compare/')[1]).split(',').sort()).toEqual([...ids].sort());

    // The experiment goes to the trash and comes back with its runs.
    await page.goto(`${page.url().split('#')[0]}#/experiments/exp/${experimentId}`);
    await page.getByRole('heading', { name: 'Churn study' }).waitFor();
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await page.waitForURL(/#\/experiments\/exp\/0$/);
    await expect.poll(() => page.getByRole('complementary', { name: 'Experiments' }).textContent()).not.toContain('Churn study');
    await page.getByRole('button', { name: 'Trash (1)' }).click();
    const trashed = page.getByRole('region', { name: 'Trash' }).locator('tr', { hasText: 'Churn study' });
    await trashed.waitFor();
    await screenshot(page, 'runs-trash');
    await trashed.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('heading', { name: 'Churn study' }).waitFor();
    await expect.poll(() => rows(page).count()).toBe(2);
  });

  it('deletes selected runs, shows them with "Show deleted runs", restores one, and keeps the Default experiment undeletable', async () => {
    const { page } = await scope.launch();
    const imported = await waitForJob(page, (await invoke<JobRecord>(page, 'datasets:importSample', {})).id);
    const versionId = (imported.result as { versionId: number }).versionId;
    const launched = await invoke<{ jobs: JobRecord[] }>(page, 'runs:launch', {
      experimentId: 0,
      settings: { versionId, target: 'churned', testSize: 0.25, cvFolds: 0, seed: 1 },
      models: [{ algorithm: 'logreg', params: { C: 1 }, runName: 'to delete' }],
    });
    for (const job of launched.jobs) await waitForJob(page, job.id);
    await page.goto(`${page.url().split('#')[0]}#/experiments`);
    await page.getByRole('heading', { name: 'Default' }).waitFor();
    expect(await page.getByRole('button', { name: 'Move to trash' }).count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Select run to delete' }).check();
    await page.getByRole('button', { name: 'Delete selected (1)' }).click();
    await page.getByRole('heading', { name: 'No runs in this experiment yet' }).waitFor();
    await page.getByLabel('Show deleted runs').check();
    const row = rows(page).filter({ hasText: 'to delete' });
    await row.getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => row.getByRole('button', { name: 'Restore' }).count()).toBe(0);
    await page.getByLabel('Show deleted runs').uncheck();
    await expect.poll(() => rows(page).count()).toBe(1);
  });
});
