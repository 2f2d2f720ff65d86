import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Experiment } from '../shared/tracking';
import { e2eScope, invoke, screenshot } from './fixtures';

const scope = e2eScope('mlflow-files');
const FIXTURE = path.join(__dirname, '../electron/core/mlflow/mlruns/fixtures/mlruns');
const RUN_A = '5f3c1e2a9b7d4c6e8f0a1b2c3d4e5f60';

describe('MLflow page: mlruns import and export', () => {
  it('imports an mlruns folder (runs shown as imported, skipped items with reasons), exports to a new folder, and refuses bad folders clearly', async () => {
    const { page } = await scope.launch();
    const tmp = scope.dir();
    const mlruns = path.join(tmp, 'my project', 'mlruns');
    fs.cpSync(FIXTURE, mlruns, { recursive: true });
    const notStore = path.join(tmp, 'not-a-store');
    fs.mkdirSync(notStore);
    fs.writeFileSync(path.join(notStore, 'train.py'), 'print(1)\n');

    await page.evaluate(() => (window.location.hash = '#/mlflow'));
    const importCard = page.getByTestId('mlflow-import-card');
    await importCard.waitFor();

    // Not an mlruns folder: refused at once, nothing imported.
    await importCard.getByLabel('mlruns folder').fill(notStore);
    await importCard.getByRole('button', { name: 'Import' }).click();
    await importCard
      .getByRole('alert')
      .getByText(/is not an MLflow file store/)
      .waitFor();

    await importCard.getByLabel('mlruns folder').fill(mlruns);
    await importCard.getByRole('button', { name: 'Import' }).click();
    const report = importCard.getByTestId('mlflow-files-report');
    await report.waitFor({ timeout: 30_000 });
    expect(await importCard.getByRole('alert').count()).toBe(0);
    await report.getByText('Skipped (2)').waitFor();
    await report.getByText(/pickled\) model cannot be registered/).waitFor();
    expect(await report.locator('dt:has-text("Runs") + dd').textContent()).toBe('3');
    expect(await report.locator('dt:has-text("Metric points") + dd').textContent()).toBe('11');

    // Export: everything, into a new folder whose path has a space and a '#'.
    const out = path.join(tmp, 'export #1');
    const exportCard = page.getByTestId('mlflow-export-card');
    await exportCard.getByLabel('New or empty folder').fill(out);
    await exportCard.getByRole('button', { name: 'Export' }).click();
    await exportCard.getByTestId('mlflow-files-report').waitFor({ timeout: 30_000 });
    await screenshot(page, 'mlflow-files');
    const experiments = await invoke<Experiment[]>(page, 'experiments:list', { stage: 'all' });
    const sweep = experiments.find((e) => e.name === 'churn-sweep')!;
    const runMeta = YAML.parse(fs.readFileSync(path.join(out, String(sweep.id), RUN_A, 'meta.yaml'), 'utf8'));
    expect(runMeta).toMatchObject({ run_id: RUN_A, status: 3, experiment_id: String(sweep.id) });
    expect(runMeta.artifact_uri).toMatch(/^file:\/\/\/.*export%20%231\//);
    expect(fs.readFileSync(path.join(out, String(sweep.id), RUN_A, 'metrics/val/auc'), 'utf8')).toBe(
      '1717000201000 0.71 0\n1717000202000 0.78 1\n1717000203000 nan 2\n',
    );
    expect(fs.existsSync(path.join(out, String(sweep.id), RUN_A, 'artifacts/plots/roc curve #1.txt'))).toBe(true);
    expect(fs.readdirSync(out).sort()).toEqual(expect.arrayContaining(['.trash', 'models', '0', String(sweep.id)]));

    // Again into the same (now non-empty) folder: refused with the reason, the folder and the store as they were.
    const before = fs.readdirSync(out).sort();
    await exportCard.getByRole('button', { name: 'Export' }).click();
    await exportCard
      .getByRole('alert')
      .getByText(/is not empty .*export into a new or empty folder/)
      .waitFor();
    expect(fs.readdirSync(out).sort()).toEqual(before);
    expect((await invoke<Experiment[]>(page, 'experiments:list', { stage: 'all' })).length).toBe(experiments.length);

    // The runs are on the Experiments page, from "Imported from MLflow (mlruns)".
    await page.evaluate((id) => (window.location.hash = `#/experiments/exp/${id}`), sweep.id);
    await page.getByText('bold-owl-42').first().waitFor();
    await page.evaluate((id) => (window.location.hash = `#/experiments/run/${id}`), RUN_A);
    await page.locator(`.run-page[data-run-id="${RUN_A}"]`).waitFor();
    await page.getByText('Imported from MLflow (mlruns)').first().waitFor();
  });
});
