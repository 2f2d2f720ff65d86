import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../tests/helpers/cli';
import { freePort } from '../../../tests/helpers/serving';
import { createTestApp, waitUntil, type TestApp } from '../../../tests/helpers/test-app';
import { MLFLOW_COMMANDS } from './mlflow';

let app: TestApp;
const mlwb = (words: string[]) => runCli(app, words, MLFLOW_COMMANDS);

beforeAll(() => {
  app = createTestApp({ shell: 'cli' });
});
afterAll(() => app?.cleanup());

describe('mlwb mlflow serve', () => {
  it('serves the MLflow API on the workspace store until stopped, with a token when given', async () => {
    const port = await freePort();
    const running = mlwb(['mlflow', 'serve', '--port', String(port), '--token', 'tok-123']);
    await waitUntil(() => app.ctx.mlflow.status().running, 10_000, 'the MLflow endpoint');
    const url = `http://127.0.0.1:${port}/api/2.0/mlflow/experiments/create`;
    const post = (headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name: 'from-cli' }),
      });
    expect((await post({})).status).toBe(401);
    const res = await post({ authorization: 'Bearer tok-123' });
    expect(res.status).toBe(200);
    expect(app.ctx.store.tracking.findExperimentByName('from-cli')).toBeDefined();
    await app.ctx.mlflow.stop();
    const done = await running;
    expect(done.code).toBe(0);
    expect(done.out).toContain(`MLflow tracking API at http://127.0.0.1:${port}`);
    expect(done.out).toContain('Stopped.');
  });

  it('refuses bad ports, non-loopback hosts (unless allowed) and extra words', async () => {
    expect((await mlwb(['mlflow', 'serve', '--port', '80'])).err).toMatch(/--port: Choose a port from 1024 to 65535/);
    expect((await mlwb(['mlflow', 'serve', '--port', 'abc'])).err).toMatch(/--port/);
    expect((await mlwb(['mlflow', 'serve', 'extra'])).code).toBe(2);
    const wide = await mlwb(['mlflow', 'serve', '--port', String(await freePort()), '--host', '0.0.0.0']);
    expect(wide.code).toBe(1);
    expect(wide.err).toMatch(/only when Settings allows non-loopback addresses/);
    expect(app.ctx.mlflow.status().running).toBe(false);
  });
});
