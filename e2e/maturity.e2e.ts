import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { WIZARD_ITEMS } from '../shared/maturity-content';
import { download, e2eScope, screenshot } from './fixtures';

const scope = e2eScope('maturity');

/** The key a workshop presses for an item: level 1 all yes but one partly, level 2 mostly no, level-0 traits mostly "past this". */
function keyFor(index: number): string {
  const item = WIZARD_ITEMS[index];
  if (item.level === 1) return item.id === 'l1-monitor-manual-retrain' ? '2' : '1';
  if (item.level === 2) return item.id === 'l2-model-hpo' ? '4' : item.id === 'l2-data-quality-monitoring' ? '1' : '3';
  return item.id === 'l0-model-notebooks' ? '1' : '3';
}

async function startAssessment(page: Page, organisation: string, team: string) {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Maturity' }).click();
  await page.getByRole('button', { name: 'New assessment' }).click();
  await page.getByLabel('Organisation').fill(organisation);
  await page.getByLabel('Team (optional)').fill(team);
  await page.getByLabel('Facilitator').fill('Aiko Sato');
  await page.getByLabel('Participants (comma-separated)').fill('Ben, Chika');
  await page.getByRole('button', { name: 'Start the workshop' }).click();
  await page.getByText('Item 1 of 36').waitFor();
}

describe('maturity workshop', () => {
  it('answers all 36 items with the keyboard (with a pause), shows the result, exports PDF and JSON, refuses bad imports, compares', async () => {
    const app = await scope.launch();
    const { page } = app;
    const dir = scope.dir();
    await startAssessment(page, 'Acme Analytics', 'Churn team');
    await screenshot(page, 'maturity-wizard-first');

    for (let i = 0; i < 36; i++) {
      await page.getByText(`Item ${i + 1} of 36`).waitFor();
      if (i === 0) {
        // A note, typed without the mouse: N focuses it, Esc leaves it.
        await page.keyboard.press('n');
        await page.keyboard.type('CSVs on the shared drive');
        await page.keyboard.press('Escape');
      }
      await page.keyboard.press(keyFor(i));
      await expect.poll(() => page.getByRole('radio', { checked: true }).count()).toBe(1);
      if (i === 12) {
        await screenshot(page, 'maturity-wizard-answered');
        // Pause, then resume from the list: the wizard comes back at the saved position.
        await page.getByRole('button', { name: 'Pause and save' }).click();
        const row = page.getByRole('table', { name: 'Assessments' }).getByRole('row', { name: /Acme Analytics/ });
        await row.getByText('13/36').waitFor();
        await row.getByText('In progress').waitFor();
        await row.getByRole('button', { name: 'Resume' }).click();
        await page.getByText('Item 13 of 36').waitFor();
        // The answer given before the pause is still selected.
        await expect.poll(() => page.getByRole('radio', { checked: true }).count()).toBe(1);
      }
      await page.keyboard.press(i % 2 ? 'Enter' : 'ArrowRight');
    }

    await page.getByTestId('maturity-level').waitFor();
    expect(await page.getByTestId('maturity-level').textContent()).toContain('Level 1 — ML pipeline automation');
    expect(await page.locator('.recharts-surface').count()).toBeGreaterThanOrEqual(2);
    await page.getByRole('heading', { name: 'Recommendations for level 1' }).waitFor();
    await page.getByText('Build a CI/CD pipeline').waitFor();
    // Next steps point at workbench pages.
    const steps = page.getByRole('table', { name: 'Next steps' });
    await steps.getByRole('button', { name: 'Open Pipelines' }).first().waitFor();
    await page.getByRole('cell', { name: 'CSVs on the shared drive' }).waitFor();
    await screenshot(page, 'maturity-result');

    // PDF through the pipeline (Chromium in the browser host).
    const pdf = await download(page, dir, () => page.getByRole('button', { name: 'Export PDF' }).click());
    expect(path.basename(pdf)).toMatch(/^maturity-acme-analytics-churn-team-\d{4}-\d{2}-\d{2}\.pdf$/);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    const pages = Number(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)![1]);
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(text).toContain('Acme Analytics — Churn team');
    expect(text).toContain('Current maturity level: Level 1');
    expect(text).toContain('Recommendations for level 1');
    expect(text).toContain('CSVs on the shared drive');
    expect(text).toContain(`Page 1 of ${pages}`);
    execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '60', '-png', pdf, path.join(process.cwd(), 'test-results', 'maturity-pdf-page')]);
    expect(fs.readdirSync(path.join(process.cwd(), 'test-results')).some((f) => f.startsWith('maturity-pdf-page') && f.endsWith('.png'))).toBe(true);

    // JSON export, then bad imports are refused with clear messages.
    const json = await download(page, dir, () => page.getByRole('button', { name: 'Export JSON' }).click());
    expect(JSON.parse(fs.readFileSync(json, 'utf8')).format).toBe('mlops-workbench/maturity-assessment');
    await page.getByRole('button', { name: '← All assessments' }).click();
    const importInput = page.getByLabel('Import JSON…');
    const bad = path.join(dir, 'broken.json');
    fs.writeFileSync(bad, '{"format": "mlops-workbench/maturity-assessment", "formatVersion": 1, ');
    await importInput.setInputFiles(bad);
    const alert = page.getByRole('alert').filter({ hasText: 'not valid JSON' });
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    const foreign = path.join(dir, 'suite.json');
    fs.writeFileSync(foreign, JSON.stringify({ format: 'great-expectations/suite', expectations: [] }));
    await importInput.setInputFiles(foreign);
    await page.getByRole('alert').filter({ hasText: 'is not a MLOps Workbench maturity assessment' }).waitFor();
    await importInput.setInputFiles(json);
    await page.getByRole('alert').filter({ hasText: 'already in the workspace' }).waitFor();
    await screenshot(page, 'maturity-import-refused');

    // A second, later assessment (skip through without answering), then compare the two.
    await startAssessment(page, 'Acme Analytics', 'Churn team');
    await page.keyboard.press('1');
    for (let i = 0; i < 36; i++) await page.keyboard.press('Enter');
    await page.getByTestId('maturity-level').waitFor();
    await page.getByRole('button', { name: '← All assessments' }).click();
    const boxes = page.getByRole('table', { name: 'Assessments' }).getByRole('checkbox');
    await expect.poll(() => boxes.count()).toBe(2);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: 'Compare the two selected' }).click();
    await page.getByRole('heading', { name: 'Compare assessments' }).waitFor();
    await page.getByText(/Answers that changed \(\d+\)/).waitFor();
    await screenshot(page, 'maturity-compare');
  });

  it('shows workspace evidence and disagreements, lists reports, exports the history report as PDF and HTML, and follows the Japanese UI', async () => {
    const app = await scope.launch();
    const { page } = app;
    const dir = scope.dir();
    // Evidence: put the bundled sample data set into the versioned store through the app's own API.
    if (app.hostUrl && app.hostToken) {
      const res = await fetch(`${app.hostUrl}/api/invoke/datasets:importSample`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-mlwb-token': app.hostToken }, body: '{}' });
      expect((await res.json()).ok).toBe(true);
      await page.getByRole('region', { name: 'Jobs' }).locator('[data-status="succeeded"]').waitFor();
    }
    await startAssessment(page, 'Beta Corp', '');
    for (let i = 0; i < 36; i++) {
      if (WIZARD_ITEMS[i].id === 'l1-data-versioning' && app.mode === 'browser') {
        await page.getByTestId('item-evidence').getByText(/1 version of 1 data set in the versioned store/).waitFor();
      }
      await page.keyboard.press(WIZARD_ITEMS[i].level === 0 ? '1' : '3');
      if (WIZARD_ITEMS[i].id === 'l1-data-versioning' && app.mode === 'browser') {
        await page.getByText('The workspace suggests “Yes, in place” here.').waitFor();
        await screenshot(page, 'maturity-wizard-evidence');
      }
      await page.keyboard.press('Enter');
    }
    await page.getByTestId('maturity-level').waitFor();
    if (app.mode === 'browser') {
      await page.getByTestId('disagreements').getByText(/A data versioning tool is used \(DVC or similar\) — answered “No, not yet”, evidence suggests “Yes, in place”/).waitFor();
    }
    await page.getByRole('link', { name: 'Reports' }).click();
    const exportable = page.getByRole('table', { name: 'Exportable reports' });
    await exportable.getByRole('button', { name: 'Export PDF: MLOps maturity history — Beta Corp' }).waitFor();
    const pdf = await download(page, dir, () => exportable.getByRole('button', { name: 'Export PDF: MLOps maturity history — Beta Corp' }).click());
    expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' })).toContain('MLOps maturity history — Beta Corp');
    const html = await download(page, dir, () => exportable.getByRole('button', { name: 'Save as HTML: MLOps maturity report — Beta Corp' }).first().click());
    expect(fs.readFileSync(html, 'utf8')).toContain('<html lang="en">');
    const exported = page.getByRole('table', { name: 'Exported reports' });
    await expect.poll(() => exported.getByRole('row').count()).toBe(3);
    await screenshot(page, 'reports-page');

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByText('日本語 (Japanese)').click();
    await page.getByRole('link', { name: '成熟度' }).or(page.getByRole('link', { name: /成熟度/ })).first().click();
    await page.getByRole('button', { name: '結果' }).click();
    await page.getByTestId('maturity-level').getByText('Level 0 - 手動プロセス').waitFor();
    await page.getByText('実験管理ツール（MLflow）の導入').waitFor();
    await screenshot(page, 'maturity-result-ja');
  });
});
