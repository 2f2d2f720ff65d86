import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../tests/helpers/call-channel';
import { runCli } from '../../../tests/helpers/cli';
import { registerRun, trainQuickRuns } from '../../../tests/helpers/registry';
import { freePort, postJson } from '../../../tests/helpers/serving';
import { readTrainingTable } from '../../../tests/helpers/training-table';
import { createTestApp, SAMPLE_CSV, waitUntil, type TestApp } from '../../../tests/helpers/test-app';
import { SERVING_COMMANDS } from './serve';

let app: TestApp;
const mlwb = (words: string[]) => runCli(app, words, SERVING_COMMANDS);

beforeAll(async () => {
  app = createTestApp({ shell: 'cli', serving: { logFlushMs: 50 } });
  const [a] = await trainQuickRuns(app, [{ algorithm: 'logreg' }]);
  await registerRun(app, a, 'churn');
  await call(app, 'registry:setAlias', { name: 'churn', alias: 'champion', version: 1 });
}, 120_000);
afterAll(() => app?.cleanup());

const table = readTrainingTable(SAMPLE_CSV);
const row = Object.fromEntries(table.columns.map((c) => [c.name, c.values[0] ?? null]));

describe('mlwb serve', () => {
  it('serves NAME@ALIAS in the foreground, prints the URL, and ends when the server stops', async () => {
    const port = await freePort();
    const running = mlwb(['serve', 'churn@champion', '--port', String(port), '--no-log']);
    const status = await waitUntil(
      () => app.ctx.serving.list().find((s) => s.port === port && s.state === 'running'),
      30_000,
      'the server',
    );
    expect(status).toMatchObject({ version: 1, selector: { kind: 'alias', alias: 'champion' }, logPredictions: false });
    expect((await postJson(port, '/predict', { records: [row] })).status).toBe(200);
    await app.ctx.serving.stop(status.id);
    const done = await running;
    expect(done.code).toBe(0);
    expect(done.out).toMatch(new RegExp(`Serving churn version 1 \\(churn@champion\\) at http://127\\.0\\.0\\.1:${port}`));
    expect(done.out).toMatch(/Prediction log off[\s\S]*Stopped after 1 prediction\./);
    expect(app.ctx.store.serving.countPredictions({ model: 'churn' })).toBe(0);
    const audit = await call(app, 'registry:audit', { model: 'churn', action: 'serve-start' });
    expect(audit[0]).toMatchObject({ via: 'cli', version: 1 });
  });

  it('refuses bad references, ports, hosts and splits with the flag named', async () => {
    expect((await mlwb(['serve'])).code).toBe(2);
    expect((await mlwb(['serve', 'churn/Someday', '--port', '6000'])).err).toMatch(/MODEL must be NAME, NAME\/STAGE/);
    expect((await mlwb(['serve', 'churn', '--port', '80'])).err).toMatch(/--port: Choose a port from 1024 to 65535/);
    expect((await mlwb(['serve', 'churn', '--port', 'http'])).err).toMatch(/--port/);
    expect((await mlwb(['serve', 'churn', '--split', 'challenger'])).err).toMatch(/--split takes ALIAS=SHARE/);
    expect((await mlwb(['serve', 'churn', '--split', 'challenger=2'])).err).toMatch(/--split \(share\)/);
    expect((await mlwb(['serve', 'churn', '--bogus'])).code).toBe(2);
    const noProduction = await mlwb(['serve', 'churn', '--port', String(await freePort())]);
    expect(noProduction.code).toBe(1);
    expect(noProduction.err).toMatch(/no version in Production/);
  });
});
