import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../../../tests/helpers/call-channel';
import { freePort } from '../../../tests/helpers/serving';
import { createTestApp, waitUntil, type TestApp } from '../../../tests/helpers/test-app';
import { memorySecretStore } from '../secrets/secret-store';

let app: TestApp | undefined;
afterEach(() => {
  app?.cleanup();
  app = undefined;
});

const search = (url: string) => fetch(`${url}/api/2.0/mlflow/experiments/search`).then((r) => r.status);

describe('the MLflow endpoint in the app (Settings)', () => {
  it('turns on at a port, follows settings changes, says why a busy port fails, and starts with the app when on', async () => {
    app = createTestApp({ shell: 'browser' });
    expect(await call(app, 'mlflow:status', {})).toMatchObject({ enabled: false, running: false, port: 5000, url: null });
    const port = await freePort();
    const on = await call(app, 'mlflow:configure', { enabled: true, port });
    expect(on).toMatchObject({ enabled: true, running: true, url: `http://127.0.0.1:${port}`, error: null });
    expect(await search(on.url!)).toBe(200);

    // Turned off through the plain settings channel: the endpoint follows.
    await call(app, 'settings:update', { mlflowEnabled: false });
    await waitUntil(() => !app!.ctx.mlflow.status().running, 5_000, 'the endpoint to stop');
    await expect(search(on.url!)).rejects.toThrow();

    // A port something else holds: enabled, not running, and why.
    const blocker = net.createServer();
    const busy = await freePort();
    await new Promise<void>((resolve) => blocker.listen(busy, '127.0.0.1', resolve));
    try {
      const refused = await call(app, 'mlflow:configure', { enabled: true, port: busy });
      expect(refused).toMatchObject({ enabled: true, running: false, error: `Port ${busy} is already in use; choose another port.` });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }

    // Enabled in the workspace: the next start serves at once.
    const again = await freePort();
    await call(app, 'mlflow:configure', { enabled: true, port: again });
    const dir = app.workspaceDir;
    app.ctx.close();
    app = createTestApp({ shell: 'browser', workspaceDir: dir });
    await waitUntil(() => app!.ctx.mlflow.status().running, 5_000, 'the endpoint at start-up');
    expect(await search(`http://127.0.0.1:${again}`)).toBe(200);
  });

  it('keeps the bearer token in the secret store, never in the workspace; without it after a restart the endpoint stays off', async () => {
    const secrets = memorySecretStore();
    app = createTestApp({ shell: 'browser', secrets });
    const port = await freePort();
    const TOKEN = 'tok-4f1e-NEVER-ON-DISK';
    const on = await call(app, 'mlflow:configure', { enabled: true, port, token: TOKEN });
    expect(on).toMatchObject({ running: true, tokenRequired: true, tokenSet: true, tokenProtection: 'session' });
    expect(await search(on.url!)).toBe(401);
    const ok = await fetch(`${on.url}/api/2.0/mlflow/experiments/search`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    // Neither the settings the page reads nor any file of the workspace holds it.
    expect(JSON.stringify(await call(app, 'settings:get', {}))).not.toContain(TOKEN);
    const files = fs.readdirSync(app.workspaceDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(fs.readFileSync(path.join(f.parentPath, f.name)).includes(TOKEN), f.name).toBe(false);

    // A restart whose session store forgot the token: enabled, not running, and why.
    const dir = app.workspaceDir;
    app.ctx.close();
    app = createTestApp({ shell: 'browser', workspaceDir: dir, secrets: memorySecretStore() });
    const lost = await waitUntil(
      () => {
        const s = app!.ctx.mlflow.status();
        return s.error ? s : null;
      },
      5_000,
      'the refusal',
    );
    expect(lost).toMatchObject({ enabled: true, running: false, tokenSet: true });
    expect(lost.error).toMatch(/token is no longer available/);
    // Removing the token opens it without one.
    const open = await call(app, 'mlflow:configure', { enabled: true, token: '' });
    expect(open).toMatchObject({ running: true, tokenRequired: false, tokenSet: false, error: null });
    expect(await search(open.url!)).toBe(200);
  });

  it('is not started by the CLI context, whatever the settings say', async () => {
    app = createTestApp({ shell: 'cli' });
    app.ctx.store.settings.updateSettings({ mlflowEnabled: true, mlflowPort: await freePort() });
    app.ctx.events.emit('changed', { topic: 'settings' });
    expect(app.ctx.mlflow.status()).toMatchObject({ enabled: true, running: false });
  });
});
