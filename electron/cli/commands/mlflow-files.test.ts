import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MlflowFilesReport } from '../../../shared/mlflow-files';
import { runCli } from '../../../tests/helpers/cli';
import { createTestApp, makeTempDir, type TestApp } from '../../../tests/helpers/test-app';
import { MLFLOW_FILES_COMMANDS } from './mlflow-files';

const FIXTURE = path.join(__dirname, '../../core/mlflow/mlruns/fixtures/mlruns');
let app: TestApp;
let tmp: string;
const mlwb = (words: string[]) => runCli(app, words, MLFLOW_FILES_COMMANDS);

beforeAll(() => {
  app = createTestApp({ shell: 'cli' });
  tmp = makeTempDir('mlwb-cli-mlruns-');
});
afterAll(() => {
  app?.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('mlwb mlflow import / export', () => {
  it('imports an mlruns folder and prints the counts and the skipped items with reasons', async () => {
    const r = await mlwb(['mlflow', 'import', FIXTURE]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Imported 2 experiment\(s\), 3 run\(s\) \(11 metric point\(s\)/);
    expect(r.out).toMatch(/version churn v1 \(models\/churn\/version-1\/meta\.yaml\): .*pickled\) model cannot be registered/);
    const again = await mlwb(['mlflow', 'import', FIXTURE, '--json']);
    const report = JSON.parse(again.out) as MlflowFilesReport;
    expect(report.counts.run).toBe(0);
    expect(report.skipped.filter((s) => s.reason === 'already in the workspace')).toHaveLength(3);
  });

  it('exports chosen experiments by name, and refuses a non-empty folder and a folder that is not a store with exit code 1', async () => {
    const out = path.join(tmp, 'out');
    const r = await mlwb(['mlflow', 'export', out, '--experiment', 'churn-sweep', '--json']);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as MlflowFilesReport).counts).toMatchObject({ experiment: 1, run: 2 });
    const id = String(app.ctx.store.tracking.findExperimentByName('churn-sweep')!.id);
    expect(fs.readdirSync(out).sort()).toEqual(['.trash', id, 'models'].sort());
    const again = await mlwb(['mlflow', 'export', out]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/is not empty .* export into a new or empty folder/);
    const notStore = await mlwb(['mlflow', 'import', tmp]);
    expect(notStore.code).toBe(1);
    expect(notStore.err).toMatch(/is not an MLflow file store/);
    expect((await mlwb(['mlflow', 'export', path.join(tmp, 'x'), '--experiment', 'no-such'])).err).toMatch(/No experiment named "no-such"/);
    expect((await mlwb(['mlflow', 'import'])).code).toBe(2);
  });
});
