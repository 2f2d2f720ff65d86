import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { createTestApp, makeTempDir, type TestApp } from '../../tests/helpers/test-app';
import { CONTENT_SECURITY_POLICY } from '../core/content-security-policy';
import { isLoopback, startHostServer, type HostServer } from './server';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startHost(): Promise<{ app: TestApp; host: HostServer; rendererDir: string }> {
  const app = createTestApp();
  cleanups.push(() => app.cleanup());
  const rendererDir = makeTempDir('mlwb-renderer-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>wb</title>');
  cleanups.push(() => fs.rmSync(rendererDir, { recursive: true, force: true }));
  const host = await startHostServer({ ctx: app.ctx, handlers: app.handlers, rendererDir });
  cleanups.push(() => host.close());
  return { app, host, rendererDir };
}

const invoke = (host: HostServer, channel: string, body: unknown, token: string | null = host.token) =>
  fetch(`${host.url}/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { 'x-mlwb-token': token }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('browser host', () => {
  it('listens on 127.0.0.1 only, with a random token per start', async () => {
    const a = await startHost();
    const b = await startHost();
    expect(a.host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.host.token).not.toBe(b.host.token);
    expect(a.host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('treats only loopback peers as local', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true);
    for (const a of ['10.0.0.2', '192.168.1.5', '::ffff:10.0.0.1', 'fe80::1', '', undefined]) expect(isLoopback(a)).toBe(false);
  });

  it('serves the contract with the token and refuses it without', async () => {
    const { host } = await startHost();
    const ok = await invoke(host, 'settings:get', {});
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    expect((await invoke(host, 'settings:get', {}, null)).status).toBe(401);
    expect((await invoke(host, 'settings:get', {}, 'x'.repeat(host.token.length))).status).toBe(401);
  });

  it('answers malformed requests with typed errors and keeps serving', async () => {
    const { host } = await startHost();
    const bad = await invoke(host, 'jobs:get', { id: 'x' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const notJson = await invoke(host, 'jobs:get', '{not json');
    expect(notJson.status).toBe(400);
    const unknown = await invoke(host, 'no:such', {});
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    const huge = await invoke(host, 'settings:update', { language: 'x'.repeat(1_200_000) });
    expect(huge.status).toBe(413);
    expect((await invoke(host, 'settings:get', {})).status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding) and cross-origin calls', async () => {
    const { host } = await startHost();
    const http = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: host.port, path: '/', headers: { host: 'evil.example:80' } }, (res) =>
        resolve(res.statusCode ?? 0),
      );
      req.end();
    });
    expect(status).toBe(403);
    const cross = await fetch(`${host.url}/api/invoke/settings:get`, {
      method: 'POST',
      headers: { 'x-mlwb-token': host.token, origin: 'http://evil.example' },
      body: '{}',
    });
    expect(cross.status).toBe(403);
  });

  it('serves the renderer with the strict CSP and never a file outside it', async () => {
    const { host } = await startHost();
    const page = await fetch(`${host.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>wb</title>');
    expect((await fetch(`${host.url}/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    expect((await fetch(`${host.url}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
  });

  it('pushes events to server-sent-event clients', async () => {
    const { host } = await startHost();
    const res = await fetch(`${host.url}/api/events?token=${host.token}`);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"
    await invoke(host, 'settings:update', { language: 'ja' });
    let text = '';
    while (!text.includes('settings')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('event: changed');
    expect(text).toContain('"topic":"settings"');
    await reader.cancel();
  });

  it('accepts an upload into a temp file and returns its path', async () => {
    const { host } = await startHost();
    const res = await fetch(`${host.url}/api/upload?name=../../evil name.csv`, {
      method: 'POST',
      headers: { 'x-mlwb-token': host.token },
      body: 'a,b\n1,2\n',
    });
    const body = (await res.json()) as { ok: true; value: { path: string } };
    expect(path.basename(body.value.path)).toBe('evil name.csv');
    expect(fs.readFileSync(body.value.path, 'utf8')).toBe('a,b\n1,2\n');
    expect((await fetch(`${host.url}/api/upload?name=x`, { method: 'POST', body: 'x' })).status).toBe(401);
  });
});
