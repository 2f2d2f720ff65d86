import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mixedModelJson, postJson, rawRequest } from '../../../tests/helpers/serving';
import { createScoringHttpServer, type ScoringHttpServer } from './http-server';
import type { AnsweredRequest } from './prediction-log-buffer';
import { loadServedModel, loadServingSet, pickVersion, type ServingSet } from './served-model';

let http: ScoringHttpServer;
let port = 0;
let set: ServingSet;
const logged: AnsweredRequest[] = [];
let regressionJson = '';
let classificationJson = '';

beforeAll(async () => {
  classificationJson = await mixedModelJson('classification');
  set = loadServingSet({ primary: { version: 1, modelJson: classificationJson }, challenger: null });
  regressionJson = await mixedModelJson('regression');
  http = createScoringHttpServer({ name: 'churn', current: () => set, bodyTimeoutMs: 500, log: (e) => logged.push(e) });
  await new Promise<void>((r) => http.server.listen(0, '127.0.0.1', r));
  port = (http.server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  http.server.closeAllConnections();
  await new Promise((r) => http.server.close(r));
});

const ROW = [5.5, 1.25, 'red', true];

describe('scoring HTTP server', () => {
  it('answers one row with prediction, probabilities, version and an id, and logs it', async () => {
    const before = logged.length;
    const { status, json } = await postJson(port, '/predict', { features: ROW });
    expect(status).toBe(200);
    expect(['high', 'mid', 'low']).toContain(json.prediction);
    const probs = json.probabilities as Record<string, number>;
    expect(Object.keys(probs).sort()).toEqual(['high', 'low', 'mid']);
    expect(Object.values(probs).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(json.model_version).toBe(1);
    expect(json.prediction_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(logged.length).toBe(before + 1);
    const entry = logged.at(-1)!;
    expect(entry.ids).toEqual([json.prediction_id]);
    expect(entry.model.version).toBe(1);
    expect(entry.records).toEqual([{ x1: 5.5, x2: 1.25, color: 'red', flag: true }]);
    expect(entry.predictions[0].prediction).toBe(json.prediction);
    expect(entry.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('answers many rows with arrays (one version per request), and /invocations with predictions', async () => {
    const many = await postJson(port, '/predict', { instances: [ROW, [0.1, null, 'blue', false]] });
    expect(many.status).toBe(200);
    expect(many.json.prediction).toHaveLength(2);
    expect(many.json.probabilities).toHaveLength(2);
    expect(many.json.prediction_id).toHaveLength(2);
    expect(many.json.model_version).toBe(1);
    const inv = await postJson(port, '/invocations', { dataframe_records: [{ x1: 5.5, x2: 1.25, color: 'red', flag: true }] });
    expect(inv.status).toBe(200);
    expect(inv.json).toEqual({ predictions: [(await postJson(port, '/predict', { features: ROW })).json.prediction] });
  });

  it('serves GET /health, /ping and /version as JSON', async () => {
    const health = await rawRequest(port, { method: 'GET', path: '/health' });
    expect(health.status).toBe(200);
    expect(health.headers['content-type']).toMatch(/application\/json/);
    expect(health.json()).toMatchObject({ status: 'ok', model: 'churn', version: 1, challenger_version: null });
    expect((health.json() as { predictions_served: number }).predictions_served).toBe(http.served());
    expect((await rawRequest(port, { method: 'GET', path: '/ping' })).json()).toEqual({ status: 'ok' });
    expect((await rawRequest(port, { method: 'GET', path: '/version?x=1' })).json()).toMatchObject({ model: 'churn', model_version: 1 });
  });

  it('404 for an unknown path, 405 for a wrong method (with Allow)', async () => {
    const r404 = await rawRequest(port, { method: 'GET', path: '/nope' });
    expect(r404.status).toBe(404);
    expect(r404.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
    expect((r404.json() as { message: string }).message).toMatch(/No endpoint \/nope/);
    const r405 = await rawRequest(port, { method: 'GET', path: '/predict' });
    expect(r405.status).toBe(405);
    expect(r405.headers.allow).toBe('POST');
    expect((await rawRequest(port, { method: 'POST', path: '/health', body: '{}' })).status).toBe(405);
  });

  it('400 for bad JSON, an empty body, deep nesting and bad cells, naming the problem', async () => {
    const badJson = await rawRequest(port, { body: '{"features": [1,' });
    expect(badJson.status).toBe(400);
    expect((badJson.json() as { message: string }).message).toMatch(/not valid JSON/);
    expect((await rawRequest(port, { body: '' })).status).toBe(400);
    const deep = await rawRequest(port, { body: `{"features":${'['.repeat(200_000)}${']'.repeat(200_000)}}` });
    expect(deep.status).toBe(400);
    const wrong = await rawRequest(port, { body: JSON.stringify({ features: [1, 'x', 'red', true] }) });
    expect(wrong.status).toBe(400);
    expect((wrong.json() as { message: string }).message).toBe('features[1] ("x2") must be a number; got "x".');
    const huge = await rawRequest(port, { body: '{"features":[1e400, 1, "red", true]}' });
    expect((huge.json() as { message: string }).message).toMatch(/finite number/);
  });

  it('413 for a declared or a streamed body over 1 MB; the connection still answers afterwards', async () => {
    const big = Buffer.alloc(1_000_001, 0x20);
    const declared = await rawRequest(port, { body: big });
    expect(declared.status).toBe(413);
    expect(declared.json()).toMatchObject({ error_code: 'REQUEST_TOO_LARGE' });
    // Chunked: no Content-Length, so only counting the streamed bytes catches it.
    const streamed = await rawRequest(port, { body: big, headers: { 'transfer-encoding': 'chunked' } });
    expect(streamed.status).toBe(413);
    expect((await postJson(port, '/predict', { features: ROW })).status).toBe(200);
  });

  it('a body that arrived while the process was paused is answered, not timed out (timers run before I/O on waking)', async () => {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const body = JSON.stringify({ features: ROW });
    // Once the server has the headers (its own handler ran first and started the body's clock),
    // the body is sent and this process stalls past the 500 ms limit, as a busy machine can make it.
    http.server.once('request', () => {
      socket.write(body);
      const until = Date.now() + 800;
      while (Date.now() < until);
    });
    socket.write(
      `POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    );
    const text = await new Promise<string>((resolve) => {
      let got = '';
      socket.on('data', (d) => (got += d.toString()));
      socket.on('close', () => resolve(got));
    });
    expect(text).toMatch(/^HTTP\/1.1 200/);
  });

  it('408 for a body that does not arrive in time, and closes that connection', async () => {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write('POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"feat');
    const text = await new Promise<string>((resolve) => {
      let got = '';
      socket.on('data', (d) => (got += d.toString()));
      socket.on('close', () => resolve(got));
    });
    expect(text).toMatch(/^HTTP\/1.1 408/);
    expect(text).toMatch(/did not arrive within 500 ms/);
  });

  it('regression models answer numbers with null probabilities', async () => {
    const prev = set;
    set = loadServingSet({ primary: { version: 2, modelJson: regressionJson }, challenger: null });
    try {
      const { json } = await postJson(port, '/predict', { features: ROW });
      expect(typeof json.prediction).toBe('number');
      expect(json.probabilities).toBeNull();
      expect(json.model_version).toBe(2);
    } finally {
      set = prev;
    }
  });
});

describe('A/B split', () => {
  it('sends the challenger its share of requests, by the random draw', () => {
    const primary = loadServedModel({ version: 1, modelJson: classificationJson });
    const ab: ServingSet = { primary, challenger: { ...primary, version: 2, share: 0.3 } };
    expect(pickVersion(ab, () => 0.29).version).toBe(2);
    expect(pickVersion(ab, () => 0.3).version).toBe(1);
    expect(pickVersion({ primary, challenger: null }, () => 0).version).toBe(1);
  });
});
