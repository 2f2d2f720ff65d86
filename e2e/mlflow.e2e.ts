import { describe, expect, it } from 'vitest';
import { e2eScope, screenshot } from './fixtures';
import { freePort } from '../tests/helpers/serving';

const scope = e2eScope('mlflow');

describe('MLflow endpoint', () => {
  it('is turned on in Settings; a client logs a run over HTTP; the Experiments page shows it live, from "MLflow client"', async () => {
    const { page } = await scope.launch();
    await page.evaluate(() => (window.location.hash = '#/settings'));
    const card = page.getByTestId('mlflow-card');
    await card.waitFor();
    expect(await page.getByTestId('mlflow-status').textContent()).toBe('Off');
    const port = await freePort();
    await card.getByLabel('Port').fill(String(port));
    await card.getByLabel('Serve the MLflow API').click();
    const url = `http://127.0.0.1:${port}`;
    await page.getByTestId('mlflow-status').getByText(`Running at ${url}`).waitFor();

    // A bearer token: clients without it are refused; the card never shows it back, and removes it.
    await card.getByLabel('Bearer token (optional)').fill('e2e-tok-1');
    await card.getByRole('button', { name: 'Apply' }).click();
    await card.getByText('The token is kept for this session only').waitFor();
    expect(await card.getByLabel('Bearer token (optional)').inputValue()).toBe('');
    expect(await card.getByLabel('Bearer token (optional)').getAttribute('placeholder')).toBe('saved — type to replace');
    const search = (headers: Record<string, string> = {}) =>
      fetch(`${url}/api/2.0/mlflow/experiments/search`, { headers }).then((r) => r.status);
    expect(await search()).toBe(401);
    expect(await search({ authorization: 'Bearer e2e-tok-1' })).toBe(200);
    await screenshot(page, 'mlflow-settings');
    await card.getByRole('button', { name: 'Remove token' }).click();
    await card.getByRole('button', { name: 'Remove token' }).waitFor({ state: 'detached' });
    expect(await search()).toBe(200);

    // Open the Experiments page first: the run must appear there without a reload.
    await page.evaluate(() => (window.location.hash = '#/experiments'));
    const api = async (endpoint: string, body: unknown) => {
      const res = await fetch(`${url}/api/2.0/mlflow/${endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as Record<string, any>;
    };
    const { run } = await api('runs/create', { experiment_id: '0', run_name: 'python-train', start_time: Date.now() });
    const runId: string = run.info.run_id;
    await api('runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'auc', value: 0.87, timestamp: Date.now(), step: 0 }],
      params: [{ key: 'max_depth', value: '5' }],
    });
    await api('runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() });

    await page.getByText('python-train').first().waitFor({ timeout: 10_000 });
    await page.evaluate((id) => (window.location.hash = `#/experiments/run/${id}`), runId);
    await page.locator(`.run-page[data-run-id="${runId}"]`).waitFor();
    await page.getByText('MLflow client').first().waitFor();
    await screenshot(page, 'mlflow-run');
  });
});
