import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncResult } from '../../../shared/mlflow-sync';
import { runCli } from '../../../tests/helpers/cli';
import { createTestApp, type TestApp } from '../../../tests/helpers/test-app';
import { startTestMlflow, type TestMlflow } from '../../core/mlflow/test-server';
import { countPoints, countRuns, seedWorkspace } from '../../core/mlflow/sync/test-fixtures';
import { MLFLOW_SYNC_COMMANDS } from './mlflow-sync';

let app: TestApp;
let team: TestMlflow;
const mlwb = (words: string[]) => runCli(app, words, MLFLOW_SYNC_COMMANDS);

beforeAll(async () => {
  app = createTestApp({ shell: 'cli' });
  await seedWorkspace(app.ctx.store);
  team = await startTestMlflow({ token: 'team-token-1' });
});
afterAll(async () => {
  await team?.close();
  app?.cleanup();
});

describe('mlwb mlflow push / pull', () => {
  it('pushes an experiment and a model with --token, then again with MLFLOW_TRACKING_TOKEN: nothing new; pull finds it all here', async () => {
    const first = await mlwb([
      'mlflow',
      'push',
      '--remote',
      team.url,
      '--experiment',
      'churn-sync',
      '--model',
      'churn-model',
      '--token',
      'team-token-1',
      '--json',
    ]);
    expect(first.code).toBe(0);
    const r1 = JSON.parse(first.out) as SyncResult;
    expect(r1.counts).toMatchObject({ created: 5, failed: 0 });
    expect(countRuns(team.store)).toBe(2);
    const points = countPoints(team.store);

    process.env.MLFLOW_TRACKING_TOKEN = 'team-token-1';
    try {
      const again = await mlwb(['mlflow', 'push', '--remote', `${team.url}/`, '--experiment', 'churn-sync', '--model', 'churn-model']);
      expect(again.code).toBe(0);
      expect(again.out).toMatch(/0 created, 0 resumed, 5 unchanged, 0 skipped, 0 failed/);
      const pulled = await mlwb(['mlflow', 'pull', '--remote', team.url, '--experiment', 'churn-sync', '--json']);
      expect(pulled.code).toBe(0);
      expect((JSON.parse(pulled.out) as SyncResult).counts.created).toBe(0);
    } finally {
      delete process.env.MLFLOW_TRACKING_TOKEN;
    }
    expect(countRuns(team.store)).toBe(2);
    expect(countPoints(team.store)).toBe(points);
    // The ad hoc URI's map is kept, and nothing of the token.
    expect(app.ctx.store.mlflowSync.entries(team.url).length).toBeGreaterThan(0);
    expect(JSON.stringify(app.ctx.store.jobs.listJobs(10))).not.toContain('team-token-1');
  });

  it('refuses a bad URI, an unknown experiment and a wrong token with clear messages', async () => {
    const bad = await mlwb(['mlflow', 'push', '--remote', 'ftp://files.example']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--remote: Only http:\/\/ and https:\/\//);
    const missing = await mlwb(['mlflow', 'push', '--remote', team.url, '--experiment', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no experiment named "nope"/);
    const wrong = await mlwb(['mlflow', 'pull', '--remote', team.url, '--token', 'wrong']);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/refused the token \(401 UNAUTHENTICATED\)/);
  });
});
