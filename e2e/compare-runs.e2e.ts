import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../shared/jobs';
import { download, e2eScope, screenshot, invoke, waitForJob } from './fixtures';

const scope = e2eScope('compare-runs');

describe('Compare runs', () => {
  it('shows three runs side by side with only-differences, the best run, parallel coordinates under the CSP, and exports a PDF', async () => {
    const { page } = await scope.launch();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content.Security.Policy|unsafe-eval/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    const imported = await waitForJob(page, (await invoke<JobRecord>(page, 'datasets:importSample', {})).id);
    const versionId = (imported.result as { versionId: number }).versionId;
    const launched = await invoke<{ jobs: JobRecord[] }>(page, 'runs:launch', {
      experimentId: 0,
      settings: { versionId, target: 'churned', testSize: 0.25, cvFolds: 3, seed: 7 },
      models: [
        { algorithm: 'logreg', params: { C: 1 }, runName: 'logreg <img src=x onerror=alert(1)>' },
        { algorithm: 'rf', params: { nEstimators: 10 }, runName: 'forest 10' },
        { algorithm: 'gbm', params: { maxIter: 20 }, runName: 'boosting 20' },
      ],
    });
    const runIds: string[] = [];
    for (const job of launched.jobs) {
      const done = await waitForJob(page, job.id);
      expect(done.status, done.error ?? '').toBe('succeeded');
      runIds.push((done.result as { runId: string }).runId);
    }

    // Too few runs: a message, no table.
    await page.evaluate((id) => (window.location.hash = `#/experiments/compare/${id}`), runIds[0]);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('at least 2 runs');

    await page.evaluate((ids) => (window.location.hash = `#/experiments/compare/${ids.join(',')}`), runIds);
    const table = page.locator('.compare-table');
    await table.waitFor();
    // One column per run, headed by its name linking to its page (the name stays text).
    for (const [i, name] of ['logreg <img src=x onerror=alert(1)>', 'forest 10', 'boosting 20'].entries()) {
      const link = table.locator(`thead a[href="#/experiments/run/${runIds[i]}"]`);
      expect(await link.textContent()).toBe(name);
    }
    expect(await page.locator('img[src="x"]').count()).toBe(0);

    // "Only differences" hides the shared rows (the seed, the target), keeps the differing ones (model).
    const keyRow = (key: string) => table.locator('tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^≠?${key}$`) }) });
    expect(await keyRow('seed').count()).toBe(1);
    expect(await keyRow('model').count()).toBe(1);
    await page.getByLabel('Only differences').check();
    expect(await keyRow('seed').count()).toBe(0);
    expect(await keyRow('model').count()).toBe(1);

    // The best run by roc_auc (higher is better) is marked in the table, and the line says which.
    const best = await page.getByTestId('best-run').textContent();
    expect(best).toMatch(/★ Best: .+ — roc_auc = 0\.\d+/);
    const bestName = /Best: (.+) — roc_auc/.exec(best ?? '')![1];
    expect(await table.locator('thead th.compare-best a').textContent()).toBe(bestName);
    // Switching to log_loss makes lower better.
    await page.getByLabel('Best run by').selectOption('log_loss');
    await expect
      .poll(() => page.locator('.compare-best-card').getByTitle('Switch whether higher or lower values are better').textContent())
      .toContain('lower is better');
    await page.getByLabel('Best run by').selectOption('roc_auc');

    // Parallel coordinates drawn by plotly (WebGL canvases and the SVG axes).
    const parcoords = page.locator('.compare-plot--parcoords');
    await parcoords.locator('.parcoords').first().waitFor({ timeout: 30_000 });
    expect(await parcoords.locator('svg .parcoords .y-axis').count()).toBeGreaterThanOrEqual(3);
    expect(await parcoords.locator('canvas').count()).toBeGreaterThan(0);
    expect(await parcoords.locator('.y-axis text', { hasText: 'roc_auc' }).count()).toBe(1);
    // The model as a tick-labelled axis.
    for (const label of ['gbm', 'logreg', 'rf'])
      expect(await parcoords.locator('.tick text', { hasText: new RegExp(`^${label}$`) }).count()).toBe(1);
    // Overlaid ROC curves: one line per run plus the diagonal.
    await expect
      .poll(() => page.locator('.compare-grid .js-plotly-plot').nth(1).locator('.scatterlayer .trace').count(), { timeout: 15_000 })
      .toBe(4);
    await screenshot(page, 'compare-runs');

    const file = await download(page, scope.dir(), () => page.getByRole('button', { name: 'Export PDF' }).click());
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    await expect.poll(() => page.getByRole('status').last().textContent()).toMatch(/Saved .*\.pdf/);
    expect(problems).toEqual([]);
  }, 240_000);
});
