import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../shared/jobs';
import type { RunDetail } from '../shared/tracking';
import { download, e2eScope, screenshot, invoke, waitForJob } from './fixtures';

const scope = e2eScope('run-page');

/** Imports the sample and trains the given models as runs of the Default experiment; gives their run ids in order. */
async function train(
  page: Page,
  settings: Record<string, unknown>,
  models: { algorithm: string; params: Record<string, unknown>; runName?: string }[],
): Promise<string[]> {
  const launched = await invoke<{ jobs: JobRecord[] }>(page, 'runs:launch', { experimentId: 0, settings, models });
  const ids: string[] = [];
  for (const job of launched.jobs) {
    const done = await waitForJob(page, job.id);
    expect(done.status, done.error ?? '').toBe('succeeded');
    ids.push((done.result as { runId: string }).runId);
  }
  return ids;
}

async function openRun(page: Page, runId: string): Promise<void> {
  await page.evaluate((id) => (window.location.hash = `#/experiments/run/${id}`), runId);
  await page.locator(`.run-page[data-run-id="${runId}"]`).waitFor();
}

describe('Run page', () => {
  it('shows a run: facts, params, metrics, tags, charts, artifacts; notes stay inert; tags, reproduce and rename work', async () => {
    const { page } = await scope.launch();
    const alerts: string[] = [];
    page.on('dialog', (d) => {
      alerts.push(d.message());
      void d.dismiss();
    });
    const imported = await waitForJob(page, (await invoke<JobRecord>(page, 'datasets:importSample', {})).id);
    const versionId = (imported.result as { versionId: number }).versionId;
    const [gbm, rf] = await train(page, { versionId, target: 'churned', testSize: 0.25, cvFolds: 3, seed: 7 }, [
      { algorithm: 'gbm', params: { maxIter: 30 }, runName: 'Boosting ✓ データ' },
      { algorithm: 'rf', params: { nEstimators: 10 } },
    ]);

    await openRun(page, gbm);
    await page.getByRole('heading', { name: 'Boosting ✓ データ' }).waitFor();
    expect(await page.locator('.run-status').first().getAttribute('data-status')).toBe('finished');
    await page.getByRole('link', { name: '← Default' }).waitFor();
    expect(await page.getByTestId('run-dataset').getByRole('link', { name: 'churn@sample' }).getAttribute('href')).toBe(
      `#/data/version/${versionId}`,
    );

    // Params and metrics: the test value beside its CV mean ± std, folds on demand.
    expect(await page.locator('[data-param="model"] td').textContent()).toBe('gbm');
    expect(await page.locator('[data-param="max_iter"], [data-param="maxIter"]').first().locator('td').textContent()).toBe('30');
    const accuracy = page.locator('tr[data-metric="accuracy"] td');
    expect(await accuracy.nth(1).textContent()).toMatch(/^0\.\d{4}$/);
    expect(await accuracy.nth(2).textContent()).toMatch(/^0\.\d{4} ± 0\.\d{4}$/);
    await page.getByText('Per-fold values (3 folds)').click();
    expect(await page.locator('tr[data-fold-metric="accuracy"] td.num').allTextContents()).toHaveLength(3);
    expect(await page.locator('.run-page').textContent()).not.toMatch(/\bnull\b|undefined|NaN/);

    // Tags: system ones apart.
    await page.getByText(/^System tags \(\d+\)$/).click();
    expect(await page.locator('.run-system-tags tr[data-tag="mlwb.model_type"] td').textContent()).toBe('gbm');

    // Charts: confusion matrix (counts add up to the test rows), ROC, PR, importance, step series.
    const cells = page.locator('.confusion__cell');
    await cells.first().waitFor();
    expect(await cells.count()).toBe(4);
    expect((await cells.locator('strong').allTextContents()).map(Number).reduce((a, b) => a + b, 0)).toBe(1250);
    await page.getByRole('heading', { name: /^ROC curve \(AUC 0\.\d{4}\)$/ }).waitFor();
    await page.getByRole('img', { name: 'ROC curve' }).locator('svg .recharts-line').waitFor();
    await page.getByRole('img', { name: 'Precision–recall curve' }).locator('svg .recharts-line').waitFor();
    await page.getByRole('img', { name: 'Feature importance' }).locator('svg .recharts-bar-rectangle').first().waitFor();
    const detail = await invoke<RunDetail>(page, 'runs:get', { runId: gbm });
    const stepKeys = detail.seriesKeys.filter((k) => !k.startsWith('cv_fold_'));
    expect(stepKeys.length, `series of the boosting run: ${detail.seriesKeys.join(', ')}`).toBeGreaterThan(0);
    const series = page.getByRole('region', { name: 'Metrics by step' });
    for (const k of stepKeys) await series.locator(`.run-series[data-series*="${k}"] svg .recharts-line`).first().waitFor();
    await series.getByText('Time', { exact: true }).click();
    await series.getByText('Seconds since the first point').first().waitFor();
    await series.getByText('Step', { exact: true }).click();
    await screenshot(page, 'run-page-classification');

    // Artifacts: listed, and one downloaded byte for byte.
    const artifacts = page.getByRole('region', { name: 'Artifacts' });
    for (const p of [
      'model/model.json',
      'confusion_matrix.json',
      'classification_report.json',
      'roc_curve.json',
      'feature_importance.json',
    ])
      await artifacts.locator(`tr[data-artifact="${p}"]`).waitFor();
    const row = artifacts.locator('tr[data-artifact="feature_importance.json"]');
    const sha = await row.locator('code').getAttribute('data-sha256');
    const file = await download(page, scope.dir(), () => row.getByRole('button', { name: 'Download feature_importance.json' }).click());
    const bytes = fs.readFileSync(file);
    expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(sha);
    expect(JSON.parse(bytes.toString('utf8')).features.length).toBeGreaterThan(5);
    const report = artifacts.getByRole('table', { name: 'Classification report' });
    expect(await report.locator('tbody tr').count()).toBe(5); // 2 classes, accuracy, macro, weighted
    const model = await download(page, scope.dir(), () => page.getByRole('button', { name: 'Download model', exact: true }).click());
    expect(crypto.createHash('sha256').update(fs.readFileSync(model)).digest('hex')).toBe(
      detail.artifacts.find((a) => a.path === 'model/model.json')!.sha256,
    );

    // Notes: Markdown renders; a script and an onerror image never become elements, nothing runs.
    const notes = page.getByRole('region', { name: 'Notes' });
    await notes.getByRole('button', { name: 'Write notes' }).click();
    const hostile =
      '# Findings\n\n- **boosting** wins\n\n<script>alert("script")</script>\n\n<img src=x onerror="alert(\'img\')">\n\n[bad](javascript:alert(1)) [good](https://example.com)';
    await notes.getByLabel('Markdown').fill(hostile);
    await notes.getByRole('button', { name: 'Save notes' }).click();
    const rendered = notes.getByTestId('note-rendered');
    await rendered.locator('h1', { hasText: 'Findings' }).waitFor();
    expect(await rendered.locator('script, img').count()).toBe(0);
    expect(await rendered.textContent()).toContain('<script>alert("script")</script>');
    expect(await rendered.textContent()).toContain('<img src=x onerror="alert(\'img\')">');
    // The javascript: link stays as its label only.
    expect(await rendered.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['https://example.com']);
    expect(await rendered.textContent()).toContain('bad');
    expect(await page.locator('.run-page script, .run-page img').count()).toBe(0);
    expect(alerts).toEqual([]);
    expect((await invoke<RunDetail>(page, 'runs:get', { runId: gbm })).tags['mlflow.note.content']).toBe(hostile);

    // A free tag: refused with the server's message on a bad key, then added, edited and deleted.
    const tags = page.getByRole('region', { name: 'Tags' });
    await tags.getByLabel('Key', { exact: true }).fill('bad key!');
    await tags.getByLabel('Value', { exact: true }).fill('x');
    await tags.getByRole('button', { name: 'Add tag' }).click();
    expect(await tags.getByTestId('tag-error').textContent()).toMatch(/Invalid tag name "bad key!"/);
    await tags.getByLabel('Key', { exact: true }).fill('owner');
    await tags.getByLabel('Value', { exact: true }).fill('チーム A');
    await tags.getByRole('button', { name: 'Add tag' }).click();
    await tags.locator('tr[data-tag="owner"] td', { hasText: 'チーム A' }).waitFor();
    await tags.getByRole('button', { name: 'Edit tag owner' }).click();
    await tags.getByLabel('Value of tag owner').fill('team B');
    await tags.getByRole('button', { name: 'Save' }).click();
    await tags.locator('tr[data-tag="owner"] td', { hasText: 'team B' }).waitFor();
    expect((await invoke<RunDetail>(page, 'runs:get', { runId: gbm })).tags.owner).toBe('team B');
    await tags.getByRole('button', { name: 'Delete tag owner' }).click();
    await tags.locator('tr[data-tag="owner"]').waitFor({ state: 'detached' });
    expect((await invoke<RunDetail>(page, 'runs:get', { runId: gbm })).tags.owner).toBeUndefined();

    // A tag value at the limit (8,000 characters, unicode) shows its start, and all of it on demand, as text.
    const long = '<b>データ</b>'.repeat(800);
    await tags.getByLabel('Key', { exact: true }).fill('long');
    await tags.getByLabel('Value', { exact: true }).fill(long);
    await tags.getByRole('button', { name: 'Add tag' }).click();
    const longRow = tags.locator('tr[data-tag="long"]');
    await longRow.getByRole('button', { name: 'Show all (8,000 characters)' }).click();
    expect(await longRow.locator('.run-text__full').textContent()).toBe(long);
    expect(await longRow.locator('b').count()).toBe(0);
    await tags.getByRole('button', { name: 'Delete tag long' }).click();
    await longRow.waitFor({ state: 'detached' });

    // Reproduce: the verdict is Identical, with a link to the reproduction run.
    await page.getByRole('button', { name: 'Reproduce' }).click();
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor({ timeout: 90_000 });
    expect(await verdict.locator('.run-verdict__title strong').textContent()).toBe('Identical');
    expect(await verdict.locator('code').allTextContents()).toEqual([
      detail.artifacts.find((a) => a.path === 'model/model.json')!.sha256.slice(0, 12),
      detail.artifacts.find((a) => a.path === 'model/model.json')!.sha256.slice(0, 12),
    ]);
    await page.getByTestId('past-reproductions').getByText('Identical').waitFor();
    await screenshot(page, 'run-page-reproduced');
    const reproductionHref = await verdict.getByRole('link', { name: 'Open the reproduction run' }).getAttribute('href');
    expect(reproductionHref).toMatch(/^#\/experiments\/run\/[0-9a-f]{32}$/);

    // Rename inline.
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('Run name').fill('Boosting, renamed');
    await page.getByLabel('Run name').press('Enter');
    await page.getByRole('heading', { name: 'Boosting, renamed' }).waitFor();
    expect((await invoke<RunDetail>(page, 'runs:get', { runId: gbm })).info.name).toBe('Boosting, renamed');

    // The forest run opens too, with its own model type.
    await openRun(page, rf);
    expect(await page.locator('[data-param="model"] td').textContent()).toBe('rf');
    await page.locator('.confusion__cell').first().waitFor();
  });

  it('shows a regression run, a multiclass run without curves, and a running run with live progress and Cancel', async () => {
    const { page } = await scope.launch();
    const imported = await waitForJob(page, (await invoke<JobRecord>(page, 'datasets:importSample', {})).id);
    const versionId = (imported.result as { versionId: number }).versionId;
    const [regression] = await train(page, { versionId, target: 'monthly_charges', testSize: 0.2, cvFolds: 0, seed: 3 }, [
      { algorithm: 'gbm', params: { maxIter: 40 } },
    ]);
    await openRun(page, regression);
    expect(await page.locator('tr[data-metric="r2"] td').nth(1).textContent()).toMatch(/^-?\d\.\d{4}$/);
    await page.locator('tr[data-metric="rmse"]').waitFor();
    await page.getByRole('img', { name: 'Feature importance' }).locator('svg .recharts-bar-rectangle').first().waitFor();
    expect(await page.locator('.confusion').count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Artifacts' }).locator('tr[data-artifact="classification_report.json"]').count()).toBe(0);
    await screenshot(page, 'run-page-regression');

    const [multiclass] = await train(page, { versionId, target: 'contract', testSize: 0.2, cvFolds: 0, seed: 3 }, [
      { algorithm: 'logreg', params: {} },
    ]);
    await openRun(page, multiclass);
    await page.locator('.confusion__cell').nth(8).waitFor();
    expect(await page.getByTestId('curves-binary-only').textContent()).toContain('this run has 3 classes');

    // A long forest: the page follows its job live and cancels it.
    const launched = await invoke<{ jobs: JobRecord[] }>(page, 'runs:launch', {
      experimentId: 0,
      settings: { versionId, target: 'churned', testSize: 0.2, cvFolds: 5, seed: 1 },
      models: [{ algorithm: 'rf', params: { nEstimators: 3000 } }],
    });
    const jobId = launched.jobs[0].id;
    let runId: string | undefined;
    while (!runId) {
      const found = await invoke<{ runs: { info: { runId: string; jobId: number | null } }[] }>(page, 'runs:search', {
        experimentIds: [0],
        filter: "attributes.status = 'RUNNING'",
      });
      runId = found.runs.find((r) => r.info.jobId === jobId)?.info.runId;
      if (!runId) await page.waitForTimeout(100);
    }
    await openRun(page, runId);
    expect(await page.locator('.run-status').first().getAttribute('data-status')).toBe('running');
    const live = page.getByRole('region', { name: 'Training progress' });
    await live
      .getByTestId('run-progress-message')
      .filter({ hasText: /\d+ of \d+ trees/ })
      .waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: 'Reproduce' }).isDisabled()).toBe(true);
    await screenshot(page, 'run-page-running');
    await live.getByRole('button', { name: 'Cancel run' }).click();
    await page.locator('.run-status[data-status="cancelled"]').waitFor({ timeout: 30_000 });
    expect((await waitForJob(page, jobId)).status).toBe('cancelled');
  });
});
