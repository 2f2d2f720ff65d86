import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { download, e2eScope, screenshot } from './fixtures';

const scope = e2eScope('dsreport');

/** 300 orders: amounts with decimals, a coupon column 40% missing, three statuses. */
function ordersCsv(): string {
  const lines = ['order_id,amount,coupon,status,items'];
  for (let i = 1; i <= 300; i++) {
    const coupon = i % 5 < 2 ? '' : ['SPRING', 'VIP', 'WELCOME'][i % 3];
    lines.push(`o${i},${((i * 7919) % 20000) / 100 + 0.37},${coupon},${['paid', 'shipped', 'refunded'][i % 3]},${1 + (i % 6)}`);
  }
  return lines.join('\n') + '\n';
}

describe('Dataset report', () => {
  it('shows the missing-share warning on the profile and exports the dataset PDF from the version page', async () => {
    const app = await scope.launch();
    const { page } = app;
    const dir = scope.dir();
    const csv = path.join(dir, 'orders.csv');
    fs.writeFileSync(csv, ordersCsv());
    await page.getByRole('link', { name: 'Data' }).click();
    await page.getByRole('button', { name: 'Import a CSV' }).click();
    await page.locator('input[type=file]').setInputFiles(csv);
    await page.getByLabel('Dataset name').fill('orders');
    await page.getByLabel('Version tag').fill('v1');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'orders@v1' }).waitFor();

    // The 40%-missing column says so on its card; the others do not.
    const coupon = page.getByRole('region', { name: 'coupon' });
    await coupon.getByRole('note').getByText('⚠ 40.0% missing — above the 30% threshold').waitFor();
    expect(await page.getByRole('region', { name: 'status' }).getByRole('note').count()).toBe(0);
    // Histogram ticks are formatted (no raw bin centres like 21.225).
    const amount = page.getByRole('region', { name: 'amount' });
    const xTicks = amount.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value');
    await xTicks.nth(1).waitFor();
    const ticks = await xTicks.allTextContents();
    expect(ticks.length).toBeGreaterThan(1);
    for (const tick of ticks) expect(tick).toMatch(/^\d{1,3}(,\d{3})*$/);
    expect(ticks).toContain("100"); // nice values, not bin centres
    expect(await page.getByRole('tab', { name: 'Profile' }).getAttribute('aria-selected')).toBe('true');
    await screenshot(page, 'data-profile-warning');

    // A suite with a failing rule, so the report has validation results. The tabs follow the arrow keys.
    await page.getByRole('tab', { name: 'Profile' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Validation' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('button', { name: 'Suggest from this version' }).click();
    await page.getByLabel('Suite name').fill('orders baseline');
    await page.getByRole('button', { name: 'Add rule' }).click();
    const rule = page.locator('.rule-row').last();
    await rule.getByLabel('Rule', { exact: true }).selectOption('between');
    await rule.getByLabel('Column', { exact: true }).selectOption('amount');
    await rule.getByLabel('Max', { exact: true }).fill('150');
    await page.getByRole('button', { name: 'Save suite' }).click();
    await page.getByRole('button', { name: 'Run on this version' }).click();
    await page.locator('.suite-result[data-passed="false"]').first().waitFor();

    const pdf = await download(page, dir, () => page.getByRole('button', { name: 'Export PDF' }).click());
    expect(path.basename(pdf)).toBe('dataset-orders-v1.pdf');
    await page.locator('.version-actions').getByText(/Saved dataset-orders-v1\.pdf/).waitFor();
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    const pages = Number(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)![1]);
    expect(text).toContain('orders@v1');
    expect(text).toContain('300 rows × 5 columns');
    expect(text).toContain('Column “coupon” is 40.0% missing');
    expect(text).toContain('Suite “orders baseline” — failed');
    expect(text).toContain('amount: values at most 150');
    expect(text).toContain(`Page ${pages} of ${pages}`);
    execFileSync('pdftoppm', ['-f', '1', '-l', '2', '-r', '60', '-png', pdf, path.join(process.cwd(), 'test-results', 'dataset-pdf-page')]);
    expect(fs.readdirSync(path.join(process.cwd(), 'test-results')).some((f) => f.startsWith('dataset-pdf-page') && f.endsWith('.png'))).toBe(true);

    const html = await download(page, dir, () => page.getByRole('button', { name: 'Save as HTML' }).click());
    expect(fs.readFileSync(html, 'utf8')).toContain('<html lang="en">');

    // The Reports page lists it as exportable, and both exports as exported.
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('table', { name: 'Exportable reports' }).getByRole('button', { name: 'Export PDF: Dataset profile and validation report — orders@v1' }).waitFor();
    await expect.poll(() => page.getByRole('table', { name: 'Exported reports' }).getByRole('row').count()).toBe(3);
  });
});
