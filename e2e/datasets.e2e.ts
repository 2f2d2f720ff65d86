import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2eScope, screenshot } from './fixtures';

const scope = e2eScope('data');

function file(name: string, content: string | Buffer): string {
  const p = path.join(scope.dir(), name);
  fs.writeFileSync(p, content);
  return p;
}

/** A semicolon-separated file with missing values in two spellings and a quoted field. */
function customersCsv(rows = 200, withActive = true): string {
  const lines = [withActive ? 'id;age;plan;score;active' : 'id;age;plan;score'];
  for (let i = 1; i <= rows; i++) {
    const age = i % 17 === 0 ? 'NA' : String(20 + (i % 50));
    const score = i % 23 === 0 ? '' : (i * 0.37).toFixed(2);
    const plan = ['basic', 'pro', '"team; large"'][i % 3];
    lines.push(`${i};${age};${plan};${score}${withActive ? `;${i % 4 === 0 ? 'no' : 'yes'}` : ''}`);
  }
  return lines.join('\n') + '\n';
}

describe('Data page', () => {
  it('offers the sample on the empty page and imports it', async () => {
    const app = await scope.launch();
    const { page } = app;
    await page.getByRole('link', { name: 'Data' }).click();
    await page.getByRole('heading', { name: 'No datasets yet' }).waitFor();
    await screenshot(page, 'data-empty');
    await page.getByRole('button', { name: 'Import the sample data set' }).click();
    const card = page.getByRole('region', { name: 'churn' });
    await card.waitFor();
    await card.getByRole('link', { name: 'sample' }).waitFor();
    expect(await card.locator('tbody tr').count()).toBe(1);
    expect(await card.locator('tbody tr td').nth(2).textContent()).toMatch(/5,000/);
  });

  it('imports through the wizard with corrections, shows the profile, suggests and runs a validation suite', async () => {
    const app = await scope.launch();
    const { page } = app;
    await page.getByRole('link', { name: 'Data' }).click();
    await page.getByRole('button', { name: 'Import a CSV' }).click();
    await page.locator('input[type=file]').setInputFiles(file('customers.csv', customersCsv()));
    // Sniffed: semicolon, header, types; the quoted "team; large" stays one field.
    await expect(page.getByLabel('Delimiter').inputValue()).resolves.toBe(';');
    await expect(page.getByLabel('Type of age').inputValue()).resolves.toBe('integer');
    await expect(page.getByLabel('Type of active').inputValue()).resolves.toBe('boolean');
    await page.getByRole('cell', { name: 'team; large' }).first().waitFor();
    // A correction: score as a plain number is fine; make id a category to show types can be changed.
    await page.getByLabel('Type of id').selectOption('text');
    await page.getByLabel('Dataset name').fill('customers');
    await page.getByLabel('Version tag').fill('2024-q1');
    await screenshot(page, 'data-wizard-preview');
    await page.getByRole('button', { name: 'Import', exact: true }).click();

    await page.getByRole('heading', { name: 'customers@2024-q1' }).waitFor();
    const age = page.getByRole('region', { name: 'age' });
    await age.waitFor();
    expect(await age.textContent()).toMatch(/Missing5\.5% \(11\)/);
    expect(await page.getByRole('region', { name: 'plan' }).textContent()).toMatch(/team; large/);
    await page.locator('.recharts-surface').first().waitFor();
    await screenshot(page, 'data-profile');

    await page.getByRole('tab', { name: 'Validation' }).click();
    await page.getByRole('button', { name: 'Suggest from this version' }).click();
    await page.getByLabel('Suite name').fill('baseline');
    await page.getByRole('button', { name: 'Save suite' }).click();
    await page.getByRole('cell', { name: 'baseline' }).waitFor();
    await page.getByRole('button', { name: 'Run on this version' }).click();
    const result = page.locator('.suite-result').first();
    await result.waitFor();
    expect(await result.getAttribute('data-passed')).toBe('true');
    expect(await result.locator('summary').textContent()).toMatch(/baseline: (\d+) of \1 rules passed/);

    // A failing rule shows its observed value and failing rows.
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Add rule' }).click();
    const rule = page.locator('.rule-row').last();
    await rule.getByLabel('Rule', { exact: true }).selectOption('between');
    await rule.getByLabel('Column', { exact: true }).selectOption('age');
    await rule.getByLabel('Max', { exact: true }).fill('60');
    await page.getByRole('button', { name: 'Save suite' }).click();
    await page.getByRole('button', { name: 'Run on this version' }).click();
    await page.locator('.suite-result[data-passed="false"]').first().waitFor();
    const failing = page.locator('.suite-result').first().locator('tr[data-passed="false"]');
    expect(await failing.textContent()).toMatch(/between.*age.*not at most 60.*row 41: 61/);
    await screenshot(page, 'data-validation');

    // Recipe preview.
    await page.getByRole('tab', { name: 'Recipe' }).click();
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('columnheader', { name: 'plan=team; large' }).waitFor();
    await screenshot(page, 'data-recipe');

    // A second version (first 100 rows, without `active`) and the diff of the two.
    await page.getByRole('link', { name: '← All datasets' }).click();
    await page.getByRole('button', { name: 'Import a CSV' }).click();
    await page.locator('input[type=file]').setInputFiles(file('customers-q2.csv', customersCsv(100, false)));
    await page.getByLabel('Dataset name').fill('customers');
    await page.getByLabel('Version tag').fill('2024-q2');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'customers@2024-q2' }).waitFor();
    await page.getByRole('link', { name: '← All datasets' }).click();
    await page.getByLabel('Select customers@2024-q1').check();
    await page.getByLabel('Select customers@2024-q2').check();
    await page.getByRole('button', { name: 'Compare selected' }).click();
    await page.getByRole('heading', { name: 'Compare customers@2024-q1 with customers@2024-q2' }).waitFor();
    await page.getByText('Rows: 200 → 100 (-100)').waitFor();
    await page.getByText(/Removed columns:.*active \(boolean\)/).waitFor();
    await screenshot(page, 'data-diff');
  });

  it('shows clear errors for bad files and imports nothing', async () => {
    const app = await scope.launch();
    const { page } = app;
    await page.getByRole('link', { name: 'Data' }).click();
    await page.getByRole('button', { name: 'Import a CSV' }).click();
    const input = page.locator('input[type=file]');
    const alert = page.locator('.data-error');

    await input.setInputFiles(file('empty.csv', ''));
    await alert.getByText('The file is empty').waitFor();
    await input.setInputFiles(file('header.csv', 'a,b,c\n'));
    await alert.getByText('The file has a header line but no data rows.').waitFor();
    await input.setInputFiles(file('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])));
    await alert.getByText(/binary file/).waitFor();
    await input.setInputFiles(file('latin1.csv', Buffer.concat([Buffer.from('name,n\nJos'), Buffer.from([0xe9]), Buffer.from(',1\n')])));
    await alert.getByText(/not valid UTF-8 \(line 2\)/).waitFor();
    await screenshot(page, 'data-error-utf8');
    await page.getByRole('button', { name: 'Read it as Latin-1' }).click();
    await page.getByRole('cell', { name: 'José' }).waitFor();

    // Ragged rows beyond what the preview shows fail the import with line numbers.
    const rows = ['a,b'];
    for (let i = 0; i < 30; i++) rows.push(`${i},${i}`);
    rows.push('oops');
    await input.setInputFiles(file('ragged.csv', rows.join('\n') + '\n'));
    await page.getByLabel('Dataset name').fill('ragged');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await alert.getByText(/1 row has the wrong number of fields \(expected 2, e\.g\. 1\) on line 32/).waitFor();
    await screenshot(page, 'data-error-ragged');

    await page.getByRole('link', { name: '← All datasets' }).click();
    await page.getByRole('heading', { name: 'No datasets yet' }).waitFor();
  });
});
