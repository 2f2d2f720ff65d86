import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ImportResult } from '../shared/contracts/datasets';
import type { JobRecord } from '../shared/jobs';
import type { MonitoringAlert } from '../shared/monitoring';
import { download, e2eScope, invoke, screenshot, waitForJob } from './fixtures';

const scope = e2eScope('monitoring');

/** A deterministic stream of uniform numbers in [0, 1) (a linear congruential generator), so the data never changes between runs. */
function uniforms(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/**
 * 300 sensor rows: `temp` about normal around 20 (shifted by `shift`), `humidity` the same multiset in
 * both versions (reversed, so KS finds D = 0), `plant` cycling over three values.
 */
function sensorsCsv(shift: number, reverse: boolean): string {
  const next = uniforms(7);
  const rows = Array.from({ length: 300 }, (_, i) => {
    const temp = 20 + (next() + next() + next() + next() - 2) * 1.5 + shift;
    return { temp: temp.toFixed(3), humidity: (40 + ((i * 37) % 100) / 4).toFixed(2), plant: ['north', 'south', 'east'][i % 3] };
  });
  const humidity = rows.map((r) => r.humidity);
  if (reverse) humidity.reverse();
  return ['temp,humidity,plant', ...rows.map((r, i) => `${r.temp},${humidity[i]},${r.plant}`)].join('\n') + '\n';
}

/** Imports a CSV as `name@tag` through the API (sniff, then import) and gives the version id. */
async function importCsv(page: Page, dir: string, name: string, tag: string, content: string): Promise<number> {
  const file = path.join(dir, `${name}-${tag}.csv`);
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
  const job = await waitForJob(page, (await invoke<JobRecord>(page, 'datasets:import', { path: file, name, tag, options })).id);
  expect(job.status, job.error ?? '').toBe('succeeded');
  return (job.result as ImportResult).versionId;
}

describe('Monitoring', () => {
  it('runs a drift check from the New check page, reads the report, exports HTML and JSON, acknowledges its alert', async () => {
    const app = await scope.launch();
    const { page } = app;
    const dir = scope.dir();
    const v1 = await importCsv(page, dir, 'sensors', 'v1', sensorsCsv(0, false));
    const v2 = await importCsv(page, dir, 'sensors', 'v2', sensorsCsv(3, true));

    await page.getByRole('link', { name: 'Monitoring' }).click();
    await page.getByRole('heading', { name: 'Monitoring', level: 1 }).waitFor();
    await page.getByText('No drift checks yet.').waitFor();
    await screenshot(page, 'monitoring-home-empty');

    await page.getByRole('link', { name: 'New check' }).first().click();
    await page.getByRole('heading', { name: 'New drift check' }).waitFor();
    const start = page.getByRole('button', { name: 'Start check' });
    const why = page.getByTestId('start-why');
    // Nothing chosen: Start is off and says what is missing first.
    expect(await start.isDisabled()).toBe(true);
    expect(await why.textContent()).toBe('Choose the baseline dataset version.');
    // The data version page's link opens the same form with that version as the baseline.
    await page.evaluate((id) => (window.location.hash = `#/data/version/${id}`), v1);
    await page.getByRole('link', { name: 'Check drift against…' }).click();
    await page.getByRole('heading', { name: 'New drift check' }).waitFor();
    // The versions load after the form: poll until the preselected one shows.
    await expect.poll(() => page.getByRole('combobox', { name: 'A dataset version' }).inputValue()).toBe(String(v1));
    expect(await why.textContent()).toBe('Choose the current set: a dataset version, a CSV or logged predictions.');
    expect(await start.isDisabled()).toBe(true);
    // The baseline itself as the current set is refused too.
    const current = page.getByRole('combobox', { name: 'Another dataset version' });
    await current.selectOption(String(v1));
    expect(await why.textContent()).toMatch(/is the baseline itself/);
    await current.selectOption(String(v2));
    expect(await start.isDisabled()).toBe(false);
    await screenshot(page, 'monitoring-new-check');
    await start.click();

    // The job finishes and the report opens.
    await page
      .waitForFunction(
        () => /^#\/monitoring\/check\/\d+$/.test(window.location.hash) || !!document.querySelector('[data-testid="start-error"]'),
      )
      .catch(async () => {
        await screenshot(page, 'monitoring-debug');
        console.log(
          'DEBUG',
          await page.evaluate(() => window.location.hash),
          await page.getByTestId('start-why').textContent(),
          JSON.stringify(await invoke(page, 'jobs:list', {})).slice(0, 3000),
        );
      });
    expect(
      await page.getByTestId('start-error').count(),
      (await page
        .getByTestId('start-error')
        .textContent()
        .catch(() => '')) ?? '',
    ).toBe(0);
    const table = page.getByTestId('drift-columns');
    await table.waitFor();
    const rows = table.locator('tbody tr.mon-col');
    expect(await rows.count()).toBe(3);
    const first = rows.first();
    expect(await first.getAttribute('data-column')).toBe('temp');
    expect(await first.getAttribute('data-status')).toBe('drift');
    expect(await first.locator('td').nth(2).textContent()).toBe('KS');
    // humidity holds the same values in both versions: KS finds nothing.
    const humidity = table.locator('tr[data-column="humidity"]');
    expect(await humidity.getAttribute('data-status')).toBe('no-drift');
    expect(await page.getByTestId('drift-share').textContent()).toMatch(/33\.3%/);
    expect(await page.getByTestId('recommendation').textContent()).toMatch(/^Retraining recommended\./);
    expect(await page.getByTestId('method').textContent()).toMatch(/KS \(numbers\) and chi-square \(categories\), drift when p < 0\.05/);
    // The mean shift of temp is about +15% (3 on 20).
    const shift = Number((await first.locator('td').last().textContent())!.replace(/[+%]/g, ''));
    expect(shift).toBeGreaterThan(12);
    expect(shift).toBeLessThan(18);

    await first.getByRole('button', { name: /temp/ }).click();
    const overlay = page.getByRole('img', { name: 'Baseline and current distributions of temp' });
    await overlay.waitFor();
    expect(await overlay.getAttribute('data-chart')).toBe('histogram');
    expect(await overlay.locator('.recharts-area').count()).toBe(2);
    await table.locator('tr[data-column="plant"]').getByRole('button', { name: /plant/ }).click();
    expect(await page.getByRole('img', { name: 'Baseline and current distributions of plant' }).getAttribute('data-chart')).toBe('bars');
    await screenshot(page, 'monitoring-report');

    // The report pipeline's HTML holds the same verdict and the shifted column.
    const htmlFile = await download(page, dir, () => page.getByRole('button', { name: 'Export HTML' }).click());
    const html = fs.readFileSync(htmlFile, 'utf8');
    expect(html).toMatch(/temp/);
    expect(html).toMatch(/<svg/);

    const jsonFile = await download(page, dir, () => page.getByRole('button', { name: 'JSON report' }).click());
    const report = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as {
      baseline_stats: Record<string, { mean: number | null }>;
      drift_history: { feature: string; drift_detected: boolean }[];
      summary: { total_checks: number; total_drifts: number };
    };
    expect(report.drift_history.find((e) => e.feature === 'temp')?.drift_detected).toBe(true);
    expect(report.drift_history.find((e) => e.feature === 'humidity')?.drift_detected).toBe(false);
    expect(report.summary.total_drifts).toBe(1);
    expect(report.baseline_stats.temp.mean).toBeCloseTo(20, 0);

    // Back home: the check is listed, its alert is open and can be acknowledged.
    await page.getByRole('link', { name: 'Monitoring', exact: true }).first().click();
    await page.getByTestId('recent-checks').waitFor();
    const alerts = page.getByRole('region', { name: 'Alerts' });
    const alert = alerts.locator('li.mon-alert').first();
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Data drift/);
    await page.getByRole('region', { name: 'Trend' }).getByTestId('top-columns').waitFor();
    await screenshot(page, 'monitoring-home');
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await alerts.getByText('No open alerts.').waitFor();
    const stored = await invoke<MonitoringAlert[]>(page, 'monitoring:alerts', { includeAcknowledged: true });
    expect(stored).toHaveLength(1);
    expect(stored[0].acknowledgedAt).not.toBeNull();
  });

  it('stores and shows a report for an empty current set: each column says why it was not tested', async () => {
    const { page } = await scope.launch();
    const dir = scope.dir();
    const v1 = await importCsv(page, dir, 'sensors', 'v1', sensorsCsv(0, false));
    const empty = path.join(dir, 'no-rows.csv');
    fs.writeFileSync(empty, 'temp,humidity,plant\n');
    const started = await invoke<JobRecord>(page, 'monitoring:startCheck', {
      baseline: { kind: 'dataset', versionId: v1 },
      current: { kind: 'file', path: empty },
    });
    const job = await waitForJob(page, started.id);
    expect(job.status, job.error ?? '').toBe('succeeded');
    await page.evaluate((id) => (window.location.hash = `#/monitoring/check/${id}`), (job.result as { checkId: number }).checkId);
    const table = page.getByTestId('drift-columns');
    await table.waitFor();
    expect(await table.locator('tbody tr.mon-col').count()).toBe(3);
    const reasons = await table.getByTestId('reason').allTextContents();
    expect(reasons).toEqual(Array(3).fill('The current set is empty (no rows).'));
    expect(await page.getByTestId('recommendation').textContent()).toMatch(/No column could be tested: the current set is empty/);
    await screenshot(page, 'monitoring-report-empty-current');
  });
});
