import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeTopic } from '../../../shared/events';
import { call, callError } from '../../../tests/helpers/call-channel';
import { registerRun, trainQuickRuns } from '../../../tests/helpers/registry';
import { freePort, postJson, rawRequest } from '../../../tests/helpers/serving';
import { readTrainingTable } from '../../../tests/helpers/training-table';
import { createTestApp, SAMPLE_CSV, waitUntil, type TestApp } from '../../../tests/helpers/test-app';

let app: TestApp;
const topics: ChangeTopic[] = [];

/** The sample's first rows as records, read as training reads them (the target included: the server ignores it). */
const SAMPLE_RECORDS: Record<string, unknown>[] = (() => {
  const table = readTrainingTable(SAMPLE_CSV);
  return Array.from({ length: 200 }, (_, r) => Object.fromEntries(table.columns.map((c) => [c.name, c.values[r] ?? null])));
})();
const record = (i: number) => SAMPLE_RECORDS[i % SAMPLE_RECORDS.length];

beforeAll(async () => {
  app = createTestApp({ serving: { bodyTimeoutMs: 1000, logFlushMs: 50, stopTimeoutMs: 3000 } });
  app.ctx.events.subscribe((name, payload) => {
    if (name === 'changed') topics.push((payload as { topic: ChangeTopic }).topic);
  });
  const [a, b, c] = await trainQuickRuns(app, [
    { algorithm: 'logreg' },
    { algorithm: 'rf', params: { nEstimators: 10 } },
    { algorithm: 'logreg', params: { C: 0.1 } },
  ]);
  await registerRun(app, a, 'churn');
  await registerRun(app, b, 'churn');
  await registerRun(app, c, 'churn');
  await call(app, 'registry:transition', { name: 'churn', version: 1, stage: 'Production', comment: 'first' });
}, 180_000);
afterAll(() => app?.cleanup());
// A test that fails half-way must not leave its server running into the next one's checks.
afterEach(async () => {
  for (const id of app.ctx.serving.liveIds()) await app.ctx.serving.stop(id);
});

async function startServer(extra: Record<string, unknown> = {}) {
  const port = await freePort();
  const status = await call(app, 'serving:start', { name: 'churn', port, ...extra });
  return { port, status };
}

describe('scoring servers (real processes)', () => {
  it('starts a server for the Production version in its own process; it predicts, logs and is audited', async () => {
    const { port, status } = await startServer();
    expect(status).toMatchObject({ state: 'running', version: 1, host: '127.0.0.1', url: `http://127.0.0.1:${port}` });
    expect(status.pid).not.toBe(process.pid);
    expect(app.ctx.serving.isServing('churn', 1)).toBe(true);
    expect(app.ctx.serving.isServing('churn', 2)).toBe(false);

    const one = await postJson(port, '/predict', { records: [record(0)] });
    expect(one.status, JSON.stringify(one.json)).toBe(200);
    expect(one.json.model_version).toBe(1);
    expect(['0', '1']).toContain((one.json.prediction as string[])[0]);
    const health = await rawRequest(port, { method: 'GET', path: '/health' });
    expect(health.json()).toMatchObject({ status: 'ok', model: 'churn', version: 1, predictions_served: 1 });

    const logged = await waitUntil(() =>
      app.ctx.store.serving.listPredictions({ model: 'churn' }).find((p) => p.predictionId === (one.json.prediction_id as string[])[0]),
    );
    expect(logged).toMatchObject({ version: 1, serverId: status.id, source: 'server', prediction: (one.json.prediction as string[])[0] });
    expect(logged.inputs).toHaveProperty('tenure_months');
    expect((await call(app, 'serving:logStats', {})).rows).toBeGreaterThanOrEqual(1);

    const audit = await call(app, 'registry:audit', { model: 'churn', action: 'serve-start' });
    expect(audit[0]).toMatchObject({ version: 1, detail: { serverId: status.id, url: status.url } });
    expect(topics).toContain('serving');

    const stopped = await call(app, 'serving:stop', { id: status.id });
    expect(stopped).toMatchObject({ state: 'stopped', error: null, predictionsServed: 1 });
    expect(app.ctx.serving.isServing('churn', 1)).toBe(false);
    expect((await call(app, 'registry:audit', { model: 'churn', action: 'serve-stop' }))[0].detail).toMatchObject({ serverId: status.id });
    await expect(rawRequest(port, { method: 'GET', path: '/ping' })).rejects.toThrow(/ECONNREFUSED/);
    expect((await call(app, 'serving:list', { name: 'churn' })).find((s) => s.id === status.id)?.state).toBe('stopped');
  });

  it('refuses a non-loopback address unless settings allow it; a foreign address then fails to bind with a clear message', async () => {
    const port = await freePort();
    const refused = await callError(app, 'serving:start', { name: 'churn', host: '0.0.0.0', port });
    expect(refused.code).toBe('forbidden');
    expect(refused.message).toMatch(/Refusing to listen on 0\.0\.0\.0.*allow non-loopback addresses in Settings/);
    expect(app.ctx.serving.liveIds()).toEqual([]);
    await call(app, 'settings:update', { allowNonLoopback: true });
    try {
      // 192.0.2.1 is TEST-NET-1: allowed now, but not an address of this machine.
      const failed = await callError(app, 'serving:start', { name: 'churn', host: '192.0.2.1', port });
      expect(failed.message).toMatch(/Cannot listen on 192\.0\.2\.1/);
      expect((await call(app, 'serving:list', {}))[0]).toMatchObject({ state: 'failed', host: '192.0.2.1' });
    } finally {
      await call(app, 'settings:update', { allowNonLoopback: false });
    }
  });

  it('refuses a port in use (by another program, or by one of its servers) and a selector naming no version', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const busy = await callError(app, 'serving:start', { name: 'churn', port });
      expect(busy.code).toBe('conflict');
      expect(busy.message).toBe(`Port ${port} on 127.0.0.1 is already in use by another program; choose another port.`);
    } finally {
      blocker.close();
    }
    const { port: p2, status } = await startServer();
    try {
      const twice = await callError(app, 'serving:start', { name: 'churn', port: p2, selector: { kind: 'version', version: 2 } });
      expect(twice.message).toMatch(new RegExp(`Scoring server ${status.id} \\(churn\\) already listens on port ${p2}`));
    } finally {
      await call(app, 'serving:stop', { id: status.id });
    }
    expect(
      (await callError(app, 'serving:start', { name: 'churn', port: p2, selector: { kind: 'alias', alias: 'nobody' } })).message,
    ).toMatch(/has no alias "nobody"/);
    expect((await callError(app, 'serving:start', { name: 'nope', port: p2 })).code).toBe('not_found');
    expect((await callError(app, 'serving:start', { name: 'churn', port: 80 })).message).toMatch(/Choose a port from 1024/);
  });

  it('switches to the new Production version without a failed request', async () => {
    const { port, status } = await startServer();
    const seen: number[] = [];
    const failures: string[] = [];
    let stop = false;
    const client = async (k: number) => {
      for (let i = k; !stop; i += 4) {
        const r = await postJson(port, '/predict', { records: [record(i)] }).catch((e: Error) => ({
          status: 0,
          json: { message: e.message } as Record<string, unknown>,
        }));
        if (r.status !== 200) failures.push(`${r.status} ${JSON.stringify(r.json)}`);
        else seen.push(r.json.model_version as number);
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    await waitUntil(() => seen.length >= 20, 20_000, 'requests before the switch');
    await call(app, 'registry:transition', { name: 'churn', version: 2, stage: 'Production', comment: 'better forest' });
    await waitUntil(() => seen.at(-1) === 2 && seen.filter((v) => v === 2).length >= 20, 30_000, 'answers from version 2');
    stop = true;
    await Promise.all(clients);
    expect(failures).toEqual([]);
    expect(seen.indexOf(2)).toBeGreaterThan(0);
    // Once version 2 answers, version 1 may finish only the requests other clients had in flight.
    expect(seen.slice(seen.indexOf(2)).filter((v) => v === 1).length).toBeLessThanOrEqual(3);
    expect(app.ctx.serving.list({ name: 'churn' }).find((s) => s.id === status.id)).toMatchObject({ version: 2, state: 'running' });
    expect(app.ctx.serving.isServing('churn', 2)).toBe(true);
    // The log is written in batches: version 2's rows reach the store within a flush or two.
    await waitUntil(
      () => app.ctx.store.serving.loggedVersions('churn').some((v) => v.version === 2),
      20_000,
      "version 2's predictions in the log",
    );
    expect(app.ctx.store.serving.loggedVersions('churn').map((v) => v.version)).toEqual(expect.arrayContaining([1, 2]));
    await call(app, 'serving:stop', { id: status.id });
  });

  it('A/B: a share of requests goes to the challenger alias, and the log records which version answered', async () => {
    await call(app, 'registry:setAlias', { name: 'churn', alias: 'challenger', version: 3 });
    const { port, status } = await startServer({ split: { alias: 'challenger', share: 0.5 } });
    expect(status).toMatchObject({ version: 2, challengerVersion: 3, split: { alias: 'challenger', share: 0.5 } });
    const answers: Record<number, number> = {};
    for (let i = 0; i < 80; i++) {
      const r = await postJson(port, '/predict', { records: [record(i)] });
      expect(r.status).toBe(200);
      const v = r.json.model_version as number;
      answers[v] = (answers[v] ?? 0) + 1;
    }
    expect(Object.keys(answers).sort()).toEqual(['2', '3']);
    const rows = await waitUntil(() => {
      const r = app.ctx.store.serving.listPredictions({ model: 'churn', limit: 100_000 }).filter((p) => p.serverId === status.id);
      return r.length === 80 ? r : null;
    });
    expect(rows.filter((r) => r.version === 3).length).toBe(answers[3]);
    expect(rows.filter((r) => r.version === 2).length).toBe(answers[2]);
    expect(app.ctx.serving.isServing('churn', 3)).toBe(true);
    // Moving the alias moves the challenger's share.
    await call(app, 'registry:setAlias', { name: 'churn', alias: 'challenger', version: 1 });
    await waitUntil(
      () => app.ctx.serving.list().find((s) => s.id === status.id)?.challengerVersion === 1,
      20_000,
      'the challenger to move',
    );
    await call(app, 'serving:stop', { id: status.id });
  });

  it('a stop writes the last log batch: every answered row is in the log once stop returns', async () => {
    const { port, status } = await startServer();
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => postJson(port, '/predict', { records: [record(i)] })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const stopped = await call(app, 'serving:stop', { id: status.id });
    expect(stopped.predictionsServed).toBe(300);
    const rows = app.ctx.store.serving.listPredictions({ model: 'churn', limit: 100_000 }).filter((p) => p.serverId === status.id);
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.predictionId))).toEqual(new Set(answers.map((a) => (a.json.prediction_id as string[])[0])));
  });

  it('refuses to delete a version that is being served', async () => {
    const { status } = await startServer({ selector: { kind: 'version', version: 3 } });
    const refused = await callError(app, 'registry:deleteVersion', { name: 'churn', version: 3 });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(/being served/);
    await call(app, 'serving:stop', { id: status.id });
    expect(app.ctx.store.registry.getVersion('churn', 3).version).toBe(3);
  });

  it('a SIGKILLed server is marked stopped; the registry and the prediction log stay intact', async () => {
    const { port, status } = await startServer();
    for (let i = 0; i < 30; i++) expect((await postJson(port, '/predict', { records: [record(i)] })).status).toBe(200);
    await waitUntil(
      () =>
        app.ctx.store.serving.countPredictions({ model: 'churn' }) > 0 &&
        app.ctx.store.serving.listPredictions({ model: 'churn', limit: 100_000 }).filter((p) => p.serverId === status.id).length === 30,
    );
    const logBefore = app.ctx.store.serving.countPredictions({ model: 'churn' });
    const versionsBefore = app.ctx.store.registry.listVersions('churn');
    topics.length = 0;
    process.kill(status.pid!, 'SIGKILL');
    const after = await waitUntil(() => {
      const s = app.ctx.serving.list().find((x) => x.id === status.id);
      return s && s.state !== 'running' ? s : null;
    });
    expect(after).toMatchObject({ state: 'stopped', pid: null });
    expect(after.error).toMatch(/ended unexpectedly \(killed by SIGKILL\)/);
    expect(topics).toContain('serving');
    expect(app.ctx.serving.isServing('churn', 2)).toBe(false);
    expect(app.ctx.store.serving.countPredictions({ model: 'churn' })).toBe(logBefore);
    expect(app.ctx.store.registry.listVersions('churn')).toEqual(versionsBefore);
    expect((await call(app, 'registry:audit', { model: 'churn', action: 'serve-stop' }))[0].comment).toMatch(/SIGKILL/);
    // The port is free again: a new server takes it.
    const again = await call(app, 'serving:start', { name: 'churn', port });
    expect(again.state).toBe('running');
    await call(app, 'serving:stop', { id: again.id });
  });

  it('survives 1,000 malformed requests while good ones keep answering 200', async () => {
    const { port, status } = await startServer();
    const rng = mulberry32(42);
    const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)];
    const junkValue = (depth = 0): unknown => {
      const r = rng();
      if (depth > 3 || r < 0.3) return pick([1e308 * 10, -0, 'abc', '', null, true, 1e21, 'NaN', '{', '\u0000', 'x'.repeat(500)]);
      if (r < 0.6) return Array.from({ length: Math.floor(rng() * 5) }, () => junkValue(depth + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(rng() * 4) }, (_, i) => [
          pick(['features', 'records', 'instances', 'tenure_months', `k${i}`]),
          junkValue(depth + 1),
        ]),
      );
    };
    const malformed = (i: number): Promise<number> => {
      const kind = i % 10;
      if (kind === 0)
        return rawRequest(port, { body: JSON.stringify(junkValue()).slice(0, Math.floor(rng() * 200)) }).then((r) => r.status);
      if (kind === 1) {
        // Random cells, one of them always an object (a random mix could otherwise be a valid row).
        const cells = Array.from({ length: Math.floor(rng() * 40) }, () => junkValue(3));
        cells.splice(Math.floor(rng() * (cells.length + 1)), 0, { nested: [1] });
        return rawRequest(port, { body: JSON.stringify({ features: cells }) }).then((r) => r.status);
      }
      if (kind === 2)
        return rawRequest(port, {
          body: JSON.stringify({ records: [{ ...record(i), tenure_months: pick(['many', [], {}, true]) }] }),
        }).then((r) => r.status);
      if (kind === 3) return rawRequest(port, { body: `{"features":[${'9'.repeat(400)}]}` }).then((r) => r.status);
      if (kind === 4) {
        const d = 1000 + Math.floor(rng() * 100_000);
        return rawRequest(port, { body: `{"records":${'['.repeat(d)}${']'.repeat(d)}}` }).then((r) => r.status);
      }
      if (kind === 5) {
        // Wrong methods and unknown paths (GET /health itself is a good request).
        const method = pick(['GET', 'PUT', 'DELETE', 'PATCH']);
        const paths = ['/predict', '/invocations', '/nope', '/../etc/passwd', ...(method === 'GET' ? [] : ['/health?x'])];
        return rawRequest(port, { method, path: pick(paths), body: 'x' }).then((r) => r.status);
      }
      if (kind === 6) return rawRequest(port, { body: Buffer.alloc(1_000_100, 0x5b) }).then((r) => r.status);
      if (kind === 7)
        return rawRequest(port, {
          path: '/invocations',
          body: JSON.stringify(
            pick([
              { dataframe_split: { columns: ['a'], data: [[1]] } },
              { inputs: { a: [1, 2], b: [1] } },
              { instances: 'x' },
              { dataframe_records: [[]] },
            ]),
          ),
        }).then((r) => r.status);
      if (kind === 8) return slowBody(port);
      return rawRequest(port, { body: Buffer.from(Array.from({ length: 64 }, () => Math.floor(rng() * 256))) }).then((r) => r.status);
    };
    const statuses: number[] = [];
    let next = 0;
    const fuzzers = Array.from({ length: 8 }, async () => {
      while (next < 1000) statuses.push(await malformed(next++));
    });
    let good = 0;
    let stopGood = false;
    const goodFailures: string[] = [];
    const goodClient = (async () => {
      for (let i = 0; !stopGood; i++) {
        const r = await postJson(port, '/predict', { records: [record(i)] });
        if (r.status === 200) good++;
        else goodFailures.push(JSON.stringify(r.json));
      }
    })();
    await Promise.all(fuzzers);
    stopGood = true;
    await goodClient;
    expect(statuses).toHaveLength(1000);
    const unexpected = statuses.filter((s) => ![400, 404, 405, 408, 413].includes(s));
    expect(unexpected).toEqual([]);
    expect(statuses.filter((s) => s === 408).length).toBe(100);
    expect(statuses.filter((s) => s === 413).length).toBeGreaterThanOrEqual(100);
    expect(goodFailures).toEqual([]);
    expect(good).toBeGreaterThan(10);
    expect((await postJson(port, '/predict', { records: [record(1)] })).status).toBe(200);
    expect(app.ctx.serving.list().find((s) => s.id === status.id)?.state).toBe('running');
    await call(app, 'serving:stop', { id: status.id });
  }, 120_000);
});

describe('app lifecycle', () => {
  it('closing the app ends its servers; a later start marks rows an ended process left running as stopped', async () => {
    const other = createTestApp({ workspaceDir: app.workspaceDir });
    const port = await freePort();
    const s = await call(other, 'serving:start', { name: 'churn', port });
    other.ctx.close();
    await waitUntil(() => !alive(s.pid!), 10_000, 'the server process to end');
    expect(app.ctx.store.serving.getServer(s.id).state).toBe('stopped');

    // A row whose owner is gone (a crashed app) is stopped at the next start; one of a live owner is left alone.
    const dead = app.ctx.store.serving.insertServer({
      name: 'churn',
      selector: { kind: 'stage', stage: 'Production' },
      host: '127.0.0.1',
      port: 1,
      logPredictions: true,
      split: null,
      ownerPid: 2 ** 22 + 1,
      startedAt: Date.now(),
    });
    app.ctx.store.serving.updateServer(dead.id, { state: 'running' });
    const liveOwner = app.ctx.store.serving.insertServer({
      name: 'churn',
      selector: { kind: 'stage', stage: 'Production' },
      host: '127.0.0.1',
      port: 2,
      logPredictions: true,
      split: null,
      ownerPid: process.ppid,
      startedAt: Date.now(),
    });
    app.ctx.store.serving.updateServer(liveOwner.id, { state: 'running' });
    const third = createTestApp({ workspaceDir: app.workspaceDir });
    third.ctx.close();
    expect(app.ctx.store.serving.getServer(dead.id)).toMatchObject({
      state: 'stopped',
      error: expect.stringMatching(/closed while it was running/),
    });
    expect(app.ctx.store.serving.getServer(liveOwner.id).state).toBe('running');
    app.ctx.store.serving.updateServer(liveOwner.id, { state: 'stopped' });
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A request whose body trickles in slower than the server waits: answered 408 (or the connection closed). */
function slowBody(port: number): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let got = '';
    socket.on('connect', () => socket.write('POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{"fea'));
    socket.on('data', (d) => (got += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(got)?.[1] ?? 0)));
  });
}

/** A small seeded generator, so a failing fuzz case can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('prediction log cap', () => {
  it('lowering the cap in settings prunes the oldest rows at once', async () => {
    const s = app.ctx.store.serving;
    const before = s.logStats(1).rows;
    s.appendPredictions(
      Array.from({ length: 1500 }, (_, i) => ({
        predictionId: `cap${i}`,
        model: 'cap-model',
        version: 1,
        at: 10_000 + i,
        latencyMs: 1,
        inputs: { i },
        prediction: 'x',
        probabilities: null,
        source: 'batch' as const,
        serverId: null,
      })),
      10_000_000,
    );
    expect(s.logStats(1).rows).toBe(before + 1500);
    await call(app, 'settings:update', { predictionLogCap: 1000 });
    await waitUntil(() => app.ctx.serving.logStats().rows === 1000, 10_000, 'the log to be pruned');
    expect(await call(app, 'serving:logStats', {})).toMatchObject({ rows: 1000, cap: 1000, newestAt: 11_499 });
    // The newest 1,000 rows stay.
    expect(s.listPredictions({ model: 'cap-model', limit: 1 })[0].predictionId).toBe('cap500');
  });
});
