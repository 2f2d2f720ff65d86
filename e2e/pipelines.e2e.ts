import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../shared/jobs';
import type { PipelineSummary } from '../shared/pipelines';
import type { RegisteredModelDetail } from '../shared/contracts/registry';
import { download, e2eScope, invoke, screenshot, waitForJob } from './fixtures';

const scope = e2eScope('pipelines');

/** Goes to a wizard step by its pill. */
async function step(page: Page, name: string): Promise<void> {
  await page.getByRole('list', { name: 'Steps' }).getByRole('button', { name }).click();
  await page.getByRole('heading', { name, level: 2 }).waitFor();
}

/** Clicks Run now on the pipeline's page and waits on the run page until the run has ended; gives its status. */
async function runNow(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Run now' }).click();
  await page.getByTestId('step-graph').waitFor();
  const run = page.locator('.pl-run');
  await page.waitForFunction(() => {
    const s = document.querySelector('.pl-run')?.getAttribute('data-status');
    return !!s && s !== 'running';
  });
  return (await run.getAttribute('data-status')) ?? '';
}

describe('Pipelines', () => {
  it('creates a pipeline in the wizard, runs it into Staging, refuses a bad cron, edits a failing gate, exports the file and workflow', async () => {
    const { page } = await scope.launch();
    const dir = scope.dir();
    const job = await waitForJob(page, (await invoke<JobRecord>(page, 'datasets:importSample', {})).id);
    expect(job.status, job.error ?? '').toBe('succeeded');

    await page.getByRole('link', { name: 'Pipelines' }).click();
    await page.getByRole('heading', { name: 'No pipelines yet' }).waitFor();
    await screenshot(page, 'pipelines-home-empty');
    await page.getByRole('button', { name: 'Create a pipeline' }).click();
    await page.getByRole('heading', { name: 'New pipeline', level: 1 }).waitFor();

    // 1 — name and data source.
    await page.getByLabel('Pipeline name').fill('churn-retrain');
    await page.getByLabel('Dataset', { exact: true }).selectOption('churn');
    await page.getByRole('button', { name: 'Next' }).click();
    // 2 — target (the newest version's columns), no CV.
    await page.getByRole('combobox', { name: 'Target column' }).selectOption('churned');
    await page.getByTestId('version-note').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    // 3 — one small model.
    await page.getByRole('combobox', { name: 'Model 1 kind' }).selectOption('logreg');
    await page.getByLabel('Model 1: Iterations').fill('200');
    await screenshot(page, 'pipelines-wizard-models');
    await page.getByRole('button', { name: 'Next' }).click();
    // 4 — registration: accuracy ≥ 0.5, Staging (the default).
    await page.getByLabel('Registered model').fill('churn-model');
    await page.getByRole('textbox', { name: 'Gate threshold' }).fill('0.5');
    expect(await page.getByRole('radio', { name: 'Staging' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Next' }).click();
    // 5 — a cron expression croner cannot read: the server refuses, nothing is saved.
    await page.getByRole('radio', { name: 'Cron expression' }).check();
    await page.getByRole('textbox', { name: 'Cron expression' }).fill('every monday');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Save pipeline' }).click();
    const problems = page.getByTestId('wizard-problems');
    await problems.waitFor();
    expect(await problems.textContent()).toMatch(/Schedule "every monday"/);
    expect(await invoke<PipelineSummary[]>(page, 'pipelines:list', {})).toEqual([]);
    await screenshot(page, 'pipelines-wizard-refused');
    // The refusal's button goes to its step, where it shows beside the field.
    await problems.getByRole('button', { name: 'Triggers' }).click();
    await page.locator('.pl-problem[data-field="triggers.schedule"]').waitFor();
    await page.getByRole('radio', { name: 'Daily' }).check();
    await page.getByRole('combobox', { name: 'Time zone' }).fill('Europe/Paris');
    await step(page, 'Review');
    expect(await page.getByTestId('review-triggers').textContent()).toBe('daily at 02:00 (Europe/Paris)');
    await page.getByRole('button', { name: 'Save pipeline' }).click();

    // The pipeline's page; run it and watch the graph reach the end.
    await page.getByRole('heading', { name: 'churn-retrain', level: 1 }).waitFor();
    expect(await page.getByTestId('pipeline-version').textContent()).toMatch(/^v1 · edited by /);
    expect(await runNow(page)).toBe('succeeded');
    const graph = page.getByTestId('step-graph');
    const statuses = await graph
      .locator('[data-step]')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-step')}:${e.getAttribute('data-status')}`));
    expect(statuses).toEqual([
      'import:succeeded',
      'validate:skipped',
      'train:succeeded',
      'evaluate:succeeded',
      'gate:succeeded',
      'register:succeeded',
      'promote:skipped',
    ]);
    await graph.locator('[data-step="gate"]').click();
    await page.locator('[data-testid="step-panel"][data-step="gate"] [data-gate="metric"][data-passed="true"]').waitFor();
    await graph.locator('[data-step="register"]').click();
    const modelLink = page.getByTestId('link-model');
    expect(await modelLink.textContent()).toBe('Model churn-model v1 Staging');
    await screenshot(page, 'pipelines-run-succeeded');
    await modelLink.click();
    await page.waitForFunction(() => window.location.hash === '#/registry/churn-model/1');
    const model = await invoke<RegisteredModelDetail>(page, 'registry:model', { name: 'churn-model' });
    expect(model.versions.map((v) => [v.version, v.stage])).toEqual([[1, 'Staging']]);
    await page.getByText('Staging').first().waitFor();

    // Edit: a gate no model passes; the run is refused with the gate's message.
    await page.evaluate(() => (window.location.hash = '#/pipelines/edit/churn-retrain'));
    await page.getByRole('heading', { name: 'Edit churn-retrain (saves v2)' }).waitFor();
    await step(page, 'Registration');
    await page.getByRole('textbox', { name: 'Gate threshold' }).fill('0.999');
    await step(page, 'Review');
    await page.getByRole('button', { name: 'Save new version' }).click();
    await page.getByRole('heading', { name: 'churn-retrain', level: 1 }).waitFor();
    await page
      .getByTestId('pipeline-version')
      .getByText(/^v2 · /)
      .waitFor();
    expect(await runNow(page)).toBe('refused');
    const reason = (await page.getByTestId('run-reason').textContent()) ?? '';
    expect(reason).toMatch(/^Refused: Gate refused the model: accuracy is 0\.\d+, the gate needs >= 0\.999 \(short by 0\.\d+\)$/);
    expect(await graph.locator('[data-step="register"]').getAttribute('data-status')).toBe('skipped');
    await screenshot(page, 'pipelines-run-refused');

    // Export the pipeline file and the GitHub workflow from the pipeline's page.
    await page.getByRole('link', { name: 'churn-retrain' }).click();
    await page.getByRole('heading', { name: 'churn-retrain', level: 1 }).waitFor();
    const file = fs.readFileSync(
      await download(page, dir, () => page.getByRole('button', { name: 'Pipeline file (.mlwb.yaml)' }).click()),
      'utf8',
    );
    expect(file).toContain('kind: mlwb-pipeline');
    expect(file).toContain('churn-retrain');
    expect(file).toContain('0.999');
    const workflow = fs.readFileSync(await download(page, dir, () => page.getByRole('button', { name: 'GitHub Actions' }).click()), 'utf8');
    expect(workflow).toContain('churn-retrain');
    expect(workflow).toContain('mlwb pipelines run');
    const runs = page.getByTestId('pipeline-runs');
    expect(await runs.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))).toEqual([
      'refused',
      'succeeded',
    ]);
    await screenshot(page, 'pipelines-detail');

    // Home: the table and the notifications (Staging, then the refusal), Mark all read.
    await page.getByRole('link', { name: '← Pipelines' }).click();
    const row = page.locator('[data-pipeline="churn-retrain"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('daily at 02:00 (Europe/Paris)');
    // Saved with its triggers on: the next run is the next 02:00 in Paris.
    expect(await row.getByRole('checkbox', { name: 'Enable pipeline churn-retrain' }).isChecked()).toBe(true);
    expect(await row.locator('td').nth(5).textContent()).toMatch(/\d:00/);
    const notes = page.getByTestId('pipeline-notifications');
    expect(await notes.locator('li').evaluateAll((li) => li.map((l) => l.getAttribute('data-kind')).sort())).toEqual([
      'refused',
      'staging',
    ]);
    await screenshot(page, 'pipelines-home');
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await notes.waitFor({ state: 'detached' });

    // A pipeline whose dataset is gone fails at its first step; the run page offers a retry, which fails the same way.
    const gone = { ...(await invoke<PipelineSummary>(page, 'pipelines:get', { name: 'churn-retrain' })).definition, name: 'gone-data' };
    await invoke(page, 'pipelines:save', { definition: { ...gone, source: { kind: 'dataset', dataset: 'gone' } } });
    await page.evaluate(() => (window.location.hash = '#/pipelines/p/gone-data'));
    await page.getByRole('heading', { name: 'gone-data', level: 1 }).waitFor();
    expect(await runNow(page)).toBe('failed');
    expect(await page.getByTestId('run-reason').textContent()).toContain('Dataset "gone" does not exist');
    expect(await graph.locator('[data-step="import"]').getAttribute('data-status')).toBe('failed');
    expect(await page.getByTestId('step-log').textContent()).toContain('Dataset "gone" does not exist');
    await page.getByRole('button', { name: 'Retry from failed step' }).click();
    // The same run goes again from its import step: a second log line, and failed again.
    await page.waitForFunction(
      () =>
        document.querySelector('.pl-run')?.getAttribute('data-status') === 'failed' &&
        document.querySelectorAll('[data-testid="step-log"] li').length === 2,
    );

    // A long training is cancelled from the run page: the run and its train step end cancelled, nothing is registered.
    const slow = { ...gone, name: 'slow-forest', models: [{ algorithm: 'rf', params: { nEstimators: 3000 } }] };
    await invoke(page, 'pipelines:save', { definition: slow });
    await page.evaluate(() => (window.location.hash = '#/pipelines/p/slow-forest'));
    await page.getByRole('heading', { name: 'slow-forest', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Run now' }).click();
    await graph.locator('[data-step="train"][data-status="running"]').waitFor();
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.waitForFunction(() => document.querySelector('.pl-run')?.getAttribute('data-status') === 'cancelled');
    expect(await graph.locator('[data-step="train"]').getAttribute('data-status')).toBe('cancelled');
    expect(await graph.locator('[data-step="register"]').getAttribute('data-status')).toBe('skipped');
    await expect(page.getByRole('button', { name: 'Cancel run' }).count()).resolves.toBe(0);
  });
});
