import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeBrowser, launchApp, screenshot, skipWithoutBrowser, type LaunchedApp } from './fixtures';

let app: LaunchedApp | undefined;
beforeEach(skipWithoutBrowser);
afterEach(async () => {
  await app?.close();
  app = undefined;
});
afterAll(closeBrowser);

describe('app shell', () => {
  it('shows the navigation, the job tray and a page', async () => {
    app = await launchApp();
    const { page } = app;
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    for (const label of ['Data', 'Experiments', 'Registry', 'Monitoring', 'Pipelines', 'MLflow', 'Maturity', 'Reports', 'Settings']) {
      await expect(nav.getByRole('link', { name: label }).count()).resolves.toBe(1);
    }
    await nav.getByRole('link', { name: 'Pipelines' }).click();
    await page.getByRole('heading', { name: 'Pipelines', level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Jobs' }).getByText('No background jobs yet.').waitFor();
    await screenshot(page, 'shell-pipelines');
  });

  it('runs the self-check with live progress, cancels one, and reports the result', async () => {
    app = await launchApp();
    const { page } = app;
    await page.getByRole('link', { name: 'Settings' }).click();
    const tray = page.getByRole('region', { name: 'Jobs' });

    await page.getByLabel('Passes').fill('100000');
    await page.getByRole('button', { name: 'Run self-check' }).click();
    const job = tray.locator('[data-status="running"]').first();
    await job.getByRole('progressbar').waitFor();
    await page.waitForFunction(() => Number(document.querySelector('[data-status="running"] [role=progressbar]')?.getAttribute('aria-valuenow') ?? 0) > 0);
    await screenshot(page, 'settings-self-check-running');
    await job.getByRole('button', { name: 'Cancel' }).click();
    await tray.locator('[data-status="cancelled"]').waitFor();

    await page.getByLabel('Passes').fill('3');
    await page.getByRole('button', { name: 'Run self-check' }).click();
    await tray.locator('[data-status="succeeded"]').waitFor();
    await page.getByText(/Last result: churn\.csv/).waitFor();
    expect(await page.locator('.self-check-result').textContent()).toMatch(/SHA-256 [0-9a-f]{12}…, 3 passes/);
    await screenshot(page, 'settings-self-check-done');
  });

  it('shows a clear error for bad input and keeps working', async () => {
    app = await launchApp();
    const { page } = app;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Passes').fill('0');
    await page.getByRole('button', { name: 'Run self-check' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Invalid request to jobs:startSelfCheck: passes/);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByLabel('Passes').fill('1');
    await page.getByRole('button', { name: 'Run self-check' }).click();
    await page.getByRole('region', { name: 'Jobs' }).locator('[data-status="succeeded"]').waitFor();
  });

  it('switches the UI to Japanese and keeps the choice after a reload', async () => {
    app = await launchApp();
    const { page } = app;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByText('日本語 (Japanese)').click();
    await page.getByRole('link', { name: 'データ' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja');
    await page.reload();
    await page.getByRole('link', { name: '設定' }).waitFor();
    await page.getByRole('heading', { name: '設定' }).waitFor();
    await screenshot(page, 'settings-ja');
  });
});
