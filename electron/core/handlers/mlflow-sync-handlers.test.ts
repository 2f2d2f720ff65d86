/**
 * Remotes through the channels: a token is kept in the secret store only —
 * its bytes appear nowhere in the workspace folder (SQLite file, WAL,
 * settings, jobs table) — and the push job reads it from there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncResult } from '../../../shared/mlflow-sync';
import { call, callError } from '../../../tests/helpers/call-channel';
import { createTestApp, type TestApp } from '../../../tests/helpers/test-app';
import { seedWorkspace } from '../mlflow/sync/test-fixtures';
import { startTestMlflow, type TestMlflow } from '../mlflow/test-server';

const TOKEN = 'tok-Zq9-unique-7f3a1c';
let app: TestApp;
let team: TestMlflow;
beforeAll(async () => {
  app = createTestApp();
  await seedWorkspace(app.ctx.store);
  team = await startTestMlflow({ token: TOKEN });
});
afterAll(async () => {
  await team?.close();
  app?.cleanup();
});

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? filesUnder(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

describe('mlflow sync channels', () => {
  it('keeps the token out of the workspace files; the push job reads it from the secret store', async () => {
    const added = await call(app, 'mlflow:addRemote', { name: 'team', uri: `${team.url}/`, token: TOKEN });
    expect(added.remotes).toEqual([expect.objectContaining({ name: 'team', uri: team.url, tokenSet: true, lastPushAt: null })]);
    expect(added.tokenProtection).toBe('session');

    const job = await call(app, 'mlflow:push', { remote: team.url });
    // One sync per remote at a time.
    expect((await callError(app, 'mlflow:pull', { remote: team.url })).message).toMatch(/is still running; wait for it to end/);
    const done = await app.ctx.jobs.waitFor(job.id);
    expect(done.status).toBe('succeeded');
    const result = done.result as SyncResult;
    expect(result.counts.failed).toBe(0);
    expect(result.counts.created).toBeGreaterThan(0);
    expect((await call(app, 'mlflow:remotes', {})).remotes[0].lastPushAt).not.toBeNull();

    const needle = Buffer.from(TOKEN);
    const leaks = filesUnder(app.workspaceDir).filter((f) => fs.readFileSync(f).includes(needle));
    expect(leaks).toEqual([]);
    expect(filesUnder(app.workspaceDir).some((f) => f.endsWith('.db') || f.endsWith('-wal'))).toBe(true);

    // Without the token the same push is refused by the server, clearly.
    await call(app, 'mlflow:setRemoteToken', { uri: team.url, token: '' });
    expect((await call(app, 'mlflow:remotes', {})).remotes[0].tokenSet).toBe(false);
    const refused = await app.ctx.jobs.waitFor((await call(app, 'mlflow:push', { remote: team.url })).id);
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/it needs a token/);

    await call(app, 'mlflow:removeRemote', { uri: team.url });
    expect((await call(app, 'mlflow:remotes', {})).remotes).toEqual([]);
    expect(app.ctx.store.mlflowSync.entries(team.url)).toEqual([]);
  });

  it('refuses URIs that are not http(s), carry credentials, or are not URIs', async () => {
    expect((await callError(app, 'mlflow:addRemote', { name: 'x', uri: 'file:///tmp/mlruns' })).message).toMatch(
      /Only http:\/\/ and https:\/\//,
    );
    expect((await callError(app, 'mlflow:addRemote', { name: 'x', uri: 'https://bob:pw@mlflow.example' })).message).toMatch(
      /no user or password/,
    );
    expect((await callError(app, 'mlflow:addRemote', { name: 'x', uri: 'mlflow dot example' })).message).toMatch(/is not a URI/);
    expect((await callError(app, 'mlflow:setRemoteToken', { uri: 'http://127.0.0.1:1', token: 'x' })).code).toBe('not_found');
    expect((await call(app, 'mlflow:remotes', {})).remotes).toEqual([]);
  });
});
