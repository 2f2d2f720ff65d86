import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../shared/jobs';
import type { AuditEntry } from '../shared/registry';
import type { PredictionSet, ServerStatus } from '../shared/serving';
import { download, e2eScope, invoke, screenshot, waitForJob } from './fixtures';
import { freePort } from '../tests/helpers/serving';

const scope = e2eScope('serving-ui');

describe('Serving from the registry page', () => {
  it('starts a server for Production, answers /health and /predict from outside, stops it; scores a batch and downloads the CSV', async () => {
    const { page } = await scope.launch();
    const imported = await waitForJob(page, (await invoke<JobRecord>(page, 'datasets:importSample', {})).id);
    const versionId = (imported.result as { versionId: number }).versionId;
    const launched = await invoke<{ jobs: JobRecord[] }>(page, 'runs:launch', {
      experimentId: 0,
      settings: { versionId, target: 'churned', testSize: 0.25, cvFolds: 3, seed: 7 },
      models: [
        { algorithm: 'rf', params: { nEstimators: 10 }, runName: 'forest 10' },
        { algorithm: 'logreg', params: { C: 1 }, runName: 'logreg' },
      ],
    });
    for (const job of launched.jobs) {
      const done = await waitForJob(page, job.id);
      expect(done.status, done.error ?? '').toBe('succeeded');
      await invoke(page, 'registry:register', { runId: (done.result as { runId: string }).runId, name: 'churn' });
    }
    await invoke(page, 'registry:transition', { name: 'churn', version: 1, stage: 'Production', comment: 'go live' });
    await invoke(page, 'registry:setAlias', { name: 'churn', alias: 'challenger', version: 2 });

    await page.evaluate(() => (window.location.hash = '#/registry/churn'));
    await page.getByRole('tab', { name: 'Serving' }).click();
    const panel = page.locator('.reg-serve');
    await panel.waitFor();
    await panel.getByText('No server has been started for this model.').waitFor();

    // A port outside the range is refused in the form, with the contract's range.
    await panel.getByLabel('Port').fill('80');
    await panel.getByRole('button', { name: 'Start server' }).click();
    expect(await page.getByTestId('serve-error').textContent()).toBe('Choose a port from 1024 to 65535.');

    const port = await freePort();
    await panel.getByLabel('Port').fill(String(port));
    expect(await panel.getByLabel('Answers with').inputValue()).toBe('stage:Production');
    await panel.getByRole('button', { name: 'Start server' }).click();
    const row = panel.locator('.reg-server[data-state="running"]');
    await row.waitFor({ timeout: 60_000 });
    const url = `http://127.0.0.1:${port}`;
    expect(await row.locator('.reg-server__url').textContent()).toBe(url);
    expect(await row.textContent()).toContain('churn/Production → v1');

    // The test calls the server itself, as a client would.
    const health = (await (await fetch(`${url}/health`)).json()) as { status: string; model: string; version: number };
    expect(health).toMatchObject({ status: 'ok', model: 'churn', version: 1 });

    // The curl example carries a row of the training data's columns (no target); it is what the server accepts.
    const curl = (await page.getByTestId('curl-example').textContent()) ?? '';
    expect(curl).toContain(`curl -s ${url}/health`);
    const body = /-d '(.+)'$/m.exec(curl)?.[1];
    expect(body, curl).toBeTruthy();
    const example = JSON.parse(body!) as { records: Record<string, unknown>[] };
    expect(Object.keys(example.records[0])).not.toContain('churned');
    expect(Object.keys(example.records[0]).length).toBeGreaterThan(5);
    const predicted = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body! });
    const answer = (await predicted.json()) as { prediction: unknown; model_version: number };
    expect(predicted.status, JSON.stringify(answer)).toBe(200);
    expect(answer.model_version).toBe(1);
    await expect.poll(async () => (await row.textContent()) ?? '', { timeout: 20_000 }).toMatch(/· [1-9]\d* predictions?/);
    await screenshot(page, 'serving-panel-running');

    // Settings shows the prediction log filling up.
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await expect
      .poll(() => page.getByTestId('prediction-log-stats').textContent(), { timeout: 20_000 })
      .toMatch(/^The log holds [1-9]\d* of 100,000 predictions/);
    await screenshot(page, 'serving-settings');
    await page.evaluate(() => (window.location.hash = '#/registry/churn'));

    // The board marks the served version; deleting it is refused while it is served.
    await page.getByRole('tab', { name: 'Board' }).click();
    await page.locator('.reg-card[data-version="1"]').getByText('serving').waitFor();
    await page.getByRole('tab', { name: 'Serving' }).click();

    // Stop: the row says stopped, the port no longer answers, and the audit log has start and stop.
    await panel.locator('.reg-server[data-state="running"]').getByRole('button', { name: 'Stop' }).click();
    await panel.locator('.reg-server[data-state="stopped"]').waitFor({ timeout: 30_000 });
    await expect
      .poll(
        async () =>
          fetch(`${url}/health`).then(
            () => 'answering',
            () => 'closed',
          ),
        { timeout: 20_000 },
      )
      .toBe('closed');
    expect((await invoke<ServerStatus[]>(page, 'serving:list', { name: 'churn' })).map((x) => x.state)).toEqual(['stopped']);
    const audit = await invoke<AuditEntry[]>(page, 'registry:audit', { model: 'churn' });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['serve-start', 'serve-stop']));

    // An A/B split from the form: half the requests go to @challenger (v2); both versions answer.
    const abPort = await freePort();
    await panel.getByLabel('Port').fill(String(abPort));
    await panel.getByText('A/B split (optional)').click();
    await panel.getByLabel('Send a share of requests to an alias').check();
    expect(await panel.getByRole('combobox', { name: /^Alias/ }).inputValue()).toBe('challenger');
    await panel.getByLabel('Share (%)').fill('0');
    await panel.getByRole('button', { name: 'Start server' }).click();
    expect(await page.getByTestId('serve-error').textContent()).toBe('For an A/B split choose an alias and a share from 1 to 99%.');
    await panel.getByLabel('Share (%)').fill('50');
    await panel.getByRole('button', { name: 'Start server' }).click();
    const abRow = panel.locator('.reg-server[data-state="running"]');
    await abRow.waitFor({ timeout: 60_000 });
    expect(await abRow.textContent()).toContain('50% to @challenger (v2)');
    const versions = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const r = await fetch(`http://127.0.0.1:${abPort}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body!,
      });
      versions.add(((await r.json()) as { model_version: number }).model_version);
    }
    expect([...versions].sort()).toEqual([1, 2]);
    await abRow.getByRole('button', { name: 'Stop' }).click();
    await expect
      .poll(async () => (await invoke<ServerStatus[]>(page, 'serving:list', { name: 'churn' })).map((x) => x.state), { timeout: 30_000 })
      .toEqual(['stopped', 'stopped']);

    // Batch scoring: the sample's dataset version with Production; the job runs in the tray, the set is listed and downloads.
    await page.getByRole('button', { name: 'Score a batch…' }).click();
    const dialog = page.getByTestId('scoring-dialog');
    await dialog.waitFor();
    await dialog.getByRole('combobox', { name: 'A dataset version' }).selectOption({ label: 'churn@sample · 5,000 rows' });
    await dialog.getByRole('button', { name: 'Start scoring' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.reg-scoring [role="status"]').textContent()).toMatch(/^Started “.+” — see the job tray\.$/);
    const setRow = page.locator('.reg-scoring tr[data-prediction-set]');
    await setRow.waitFor({ timeout: 60_000 });
    expect(await setRow.locator('td.num').first().textContent()).toBe('5,000');
    const sets = await invoke<PredictionSet[]>(page, 'scoring:sets', { name: 'churn' });
    expect(sets).toHaveLength(1);
    const file = await download(page, scope.dir(), () => setRow.getByRole('button', { name: 'Download CSV' }).click());
    const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
    expect(lines).toHaveLength(5001);
    expect(lines[0]).toContain('prediction');
    await screenshot(page, 'serving-panel-scored');
  });
});
