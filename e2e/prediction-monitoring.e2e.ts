import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../shared/jobs';
import type { MonitoringAlert, PredictionMonitor } from '../shared/monitoring';
import type { ServerStatus } from '../shared/serving';
import { e2eScope, invoke, screenshot, waitForJob } from './fixtures';
import { freePort } from '../tests/helpers/serving';

const scope = e2eScope('prediction-monitoring');
const SAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../resources/sample/churn.csv');

/** One CSV line's fields (quoted fields may hold commas and doubled quotes). */
function fields(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)) {
    out.push(m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]);
    if (m[2] === '') break;
  }
  return out;
}

/** The first `n` rows of the churn sample as /predict records, without the target (numbers and booleans typed). */
function sampleRecords(n: number): Record<string, string | number | boolean | null>[] {
  const [header, ...lines] = fs.readFileSync(SAMPLE, 'utf8').trim().split('\n');
  const names = fields(header);
  return lines.slice(0, n).map((line) => {
    const cells = fields(line);
    const rec: Record<string, string | number | boolean | null> = {};
    names.forEach((name, j) => {
      if (name === 'churned') return;
      const v = cells[j];
      rec[name] = v === '' ? null : v === 'true' || v === 'false' ? v === 'true' : Number.isFinite(Number(v)) ? Number(v) : v;
    });
    return rec;
  });
}

describe('Prediction monitoring of a served model', () => {
  it('shows the windows and the drift vs the test split, imports actual labels in the UI (a bad file first), alerts under 0.7, acknowledges', async () => {
    const { page } = await scope.launch();
    const dir = scope.dir();
    const imported = await waitForJob(page, (await invoke<JobRecord>(page, 'datasets:importSample', {})).id);
    const versionId = (imported.result as { versionId: number }).versionId;
    const launched = await invoke<{ jobs: JobRecord[] }>(page, 'runs:launch', {
      experimentId: 0,
      settings: { versionId, target: 'churned', testSize: 0.25, cvFolds: 3, seed: 7 },
      models: [{ algorithm: 'logreg', params: {} }],
    });
    const trained = await waitForJob(page, launched.jobs[0].id);
    expect(trained.status, trained.error ?? '').toBe('succeeded');
    await invoke(page, 'registry:register', { runId: (trained.result as { runId: string }).runId, name: 'churn' });
    await invoke(page, 'registry:transition', { name: 'churn', version: 1, stage: 'Production', comment: 'go live' });

    // Serve Production and send 20 predictions from outside, as a client would.
    const port = await freePort();
    const server = await invoke<ServerStatus>(page, 'serving:start', { name: 'churn', port });
    await expect
      .poll(async () => (await invoke<ServerStatus[]>(page, 'serving:list', { name: 'churn' })).find((s) => s.id === server.id)?.state, {
        timeout: 60_000,
      })
      .toBe('running');
    const res = await fetch(`http://127.0.0.1:${port}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ records: sampleRecords(20) }),
    });
    const answer = (await res.json()) as { prediction: unknown[]; prediction_id: string[] };
    expect(res.status, JSON.stringify(answer)).toBe(200);
    expect(answer.prediction_id).toHaveLength(20);
    // The log is written in batches: wait until the 20 are in.
    await expect
      .poll(
        async () =>
          (await invoke<PredictionMonitor>(page, 'monitoring:predictions', { name: 'churn', window: '1d' })).windows.reduce(
            (s, w) => s + w.count,
            0,
          ),
        { timeout: 20_000 },
      )
      .toBe(20);
    await invoke(page, 'serving:stop', { id: server.id });

    await page.evaluate(() => (window.location.hash = '#/monitoring/model/churn'));
    const windows = page.getByTestId('prediction-windows');
    await windows.waitFor();
    expect(await windows.locator('tbody tr').count()).toBe(1);
    expect(await windows.locator('tbody tr td').nth(1).textContent()).toBe('20');
    // The served predictions against the version's own test-split predictions (chi-square on the classes).
    const drift = page.getByTestId('prediction-drift');
    await drift.waitFor();
    expect(await drift.textContent()).toMatch(/Prediction drift of v1 vs its test split: χ² = .+, p = .+ — (drifted|no drift)\./);
    expect(await drift.textContent()).toMatch(/20 served vs [1-9][\d,]* test-split predictions/);
    expect(await drift.getByRole('img', { name: /test split/ }).count()).toBe(1);

    // Actual labels: half of them the opposite of the prediction → accuracy 0.5, under the 0.7 default.
    const predicted = answer.prediction.map(String);
    const other = (p: string) => (p === '1' ? '0' : '1');
    const labels = answer.prediction_id.map((id, i) => `${id},${i % 2 === 0 ? predicted[i] : other(predicted[i])}`);
    const bad = path.join(dir, 'no-id.csv');
    fs.writeFileSync(bad, ['id,actual', ...labels].join('\n') + '\n');
    const good = path.join(dir, 'actuals.csv');
    fs.writeFileSync(good, ['prediction_id,actual', ...labels].join('\n') + '\n');

    const form = page.getByRole('region', { name: 'Import actual labels' });
    const fileInput = form.getByLabel('Actual labels CSV');
    await fileInput.setInputFiles(bad);
    await form.getByRole('button', { name: 'Import' }).click();
    const error = form.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/no prediction id column "prediction_id" \(its columns: id, actual\)/);
    const unchanged = await invoke<PredictionMonitor>(page, 'monitoring:predictions', { name: 'churn', window: '1d' });
    expect(unchanged.windows[0].labelled).toBe(0);
    const before = await invoke<MonitoringAlert[]>(page, 'monitoring:alerts', { includeAcknowledged: true });
    expect(before.filter((a) => a.kind === 'accuracy')).toHaveLength(0);

    await fileInput.setInputFiles(good);
    await form.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe('20 rows: 20 matched, 0 unmatched; 1 alerts raised.');
    const row = windows.locator('tbody tr').first();
    await expect.poll(() => row.locator('td').nth(2).textContent()).toBe('20');
    expect(await row.locator('td').nth(3).textContent()).toBe('0.5');
    expect(await row.textContent()).toContain('under threshold');
    await screenshot(page, 'prediction-monitoring');

    // The alert is listed with its window and can be acknowledged.
    await page.getByRole('link', { name: 'Monitoring', exact: true }).first().click();
    const alerts = page.getByRole('region', { name: 'Alerts' });
    const alert = alerts.locator('li.mon-alert', { hasText: 'Accuracy 0.500 under 0.7' });
    await alert.waitFor();
    expect(await alert.getByTestId('alert-window').textContent()).toMatch(/^1 day window from /);
    await screenshot(page, 'prediction-monitoring-alerts');
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await alert.waitFor({ state: 'detached' });
    const stored = (await invoke<MonitoringAlert[]>(page, 'monitoring:alerts', { includeAcknowledged: true })).filter(
      (a) => a.kind === 'accuracy',
    );
    expect(stored).toHaveLength(1);
    expect(stored[0].acknowledgedAt).not.toBeNull();
    expect(stored[0].windowSize).toBe('1d');
  });
});
