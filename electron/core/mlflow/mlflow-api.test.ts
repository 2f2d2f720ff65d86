/**
 * The MLflow endpoint over HTTP: responses field for field (MLflow's proto
 * fields), paging, log-inputs, the artifacts proxy, and refusals as MLflow
 * gives them — malformed bodies, wrong types, unknown ids, over-limit
 * batches, a 10 MB param, unsafe artifact paths, unknown endpoints, tokens,
 * other hosts and origins — each leaving nothing written; then fuzzed requests.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMessage } from './fixtures/mlflow-proto-fields';
import { startTestMlflow, type TestMlflow } from './test-server';

let t: TestMlflow;
let runId: string;
let experimentId: string;
beforeAll(async () => {
  t = await startTestMlflow();
  const e = await t.call('POST', 'experiments/create', { name: 'api', tags: [{ key: 'team', value: 'risk' }] });
  experimentId = e.body.experiment_id;
  const r = await t.call('POST', 'runs/create', { experiment_id: experimentId, run_name: 'first', start_time: 1000 });
  runId = r.body.run.info.run_id;
});
afterAll(() => t.close());

const expectFields = (value: unknown, type: string) => expect(checkMessage(value, type)).toEqual([]);
const expectError = (res: { status: number; body: any }, status: number, code: string) => {
  expect(res.status).toBe(status);
  expectFields(res.body, 'Error');
  expect(res.body.error_code).toBe(code);
};
/** Everything a run holds, to show a refused request wrote nothing. */
const snapshot = (id: string) => JSON.stringify(t.store.tracking.getRun(id));

describe('experiments', () => {
  it('creates, finds by name, searches with a filter and pages, renames, tags, deletes and restores', async () => {
    for (const name of ['search-a', 'search-b', 'search-c'])
      expect((await t.call('POST', 'experiments/create', { name })).status).toBe(200);
    expectError(await t.call('POST', 'experiments/create', { name: 'search-a' }), 400, 'RESOURCE_ALREADY_EXISTS');

    const byName = await t.call('GET', 'experiments/get-by-name?experiment_name=api');
    expectFields(byName.body, 'GetExperimentByName.Response');
    expect(byName.body.experiment).toMatchObject({
      experiment_id: experimentId,
      artifact_location: `mlflow-artifacts:/${experimentId}`,
      tags: [{ key: 'team', value: 'risk' }],
    });
    expect(typeof byName.body.experiment.creation_time).toBe('number');

    const page1 = await t.call('POST', 'experiments/search', { filter: "name LIKE 'search-%'", order_by: ['name DESC'], max_results: 2 });
    expectFields(page1.body, 'SearchExperiments.Response');
    expect(page1.body.experiments.map((e: { name: string }) => e.name)).toEqual(['search-c', 'search-b']);
    const page2 = await t.call('POST', 'experiments/search', {
      filter: "name LIKE 'search-%'",
      order_by: ['name DESC'],
      max_results: 2,
      page_token: page1.body.next_page_token,
    });
    expect(page2.body.experiments.map((e: { name: string }) => e.name)).toEqual(['search-a']);
    expect(page2.body.next_page_token).toBeUndefined();
    const tagged = await t.call('GET', "experiments/search?filter=tags.team%20%3D%20'risk'");
    expect(tagged.body.experiments.map((e: { name: string }) => e.name)).toEqual(['api']);
    expectError(await t.call('POST', 'experiments/search', { filter: 'params.x = 1' }), 400, 'INVALID_PARAMETER_VALUE');

    const b = page2.body.experiments[0].experiment_id;
    expect((await t.call('POST', 'experiments/update', { experiment_id: b, new_name: 'renamed' })).status).toBe(200);
    expect((await t.call('POST', 'experiments/set-experiment-tag', { experiment_id: b, key: 'k', value: 'v' })).status).toBe(200);
    expect((await t.call('POST', 'experiments/delete', { experiment_id: b })).status).toBe(200);
    const deleted = await t.call('GET', `experiments/get?experiment_id=${b}`);
    expect(deleted.body.experiment).toMatchObject({ name: 'renamed', lifecycle_stage: 'deleted', tags: [{ key: 'k', value: 'v' }] });
    const deletedOnly = await t.call('POST', 'experiments/search', { view_type: 'DELETED_ONLY' });
    expect(deletedOnly.body.experiments.map((e: { name: string }) => e.name)).toEqual(['renamed']);
    expect((await t.call('POST', 'experiments/restore', { experiment_id: b })).status).toBe(200);
    expect(t.store.tracking.getExperiment(Number(b)).lifecycleStage).toBe('active');
    expectError(await t.call('GET', 'experiments/get?experiment_id=99999'), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.call('POST', 'experiments/delete', { experiment_id: '0' }), 400, 'INVALID_PARAMETER_VALUE');
  });
});

describe('runs', () => {
  it('answers get, log-inputs, paged history, paged search and update with every MLflow field', async () => {
    const inputs = await t.call('POST', 'runs/log-inputs', {
      run_id: runId,
      datasets: [
        {
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
          dataset: { name: 'churn', digest: 'abc123', source_type: 'local', source: '{"uri": "churn.csv"}', schema: '{}' },
        },
      ],
    });
    expect(inputs).toEqual({ status: 200, body: {} });
    const metrics = Array.from({ length: 30 }, (_, i) => ({ key: 'acc', value: i === 29 ? 'NaN' : i / 30, timestamp: 2000 + i, step: i }));
    expect((await t.call('POST', 'runs/log-batch', { run_id: runId, metrics })).status).toBe(200);

    const got = await t.call('GET', `runs/get?run_id=${runId}`);
    expectFields(got.body, 'GetRun.Response');
    expect(got.body.run.inputs.dataset_inputs[0]).toEqual({
      tags: [{ key: 'mlflow.data.context', value: 'training' }],
      dataset: { name: 'churn', digest: 'abc123', source_type: 'local', source: '{"uri": "churn.csv"}', schema: '{}' },
    });
    expect(got.body.run.data.metrics).toEqual([{ key: 'acc', value: 'NaN', timestamp: 2029, step: 29 }]);
    expect(got.body.run.info).toMatchObject({ run_name: 'first', artifact_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts` });
    expect(got.body.run.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'first' });

    const h1 = await t.call('GET', `metrics/get-history?run_id=${runId}&metric_key=acc&max_results=20`);
    expectFields(h1.body, 'GetMetricHistory.Response');
    expect(h1.body.metrics).toHaveLength(20);
    const h2 = await t.call(
      'GET',
      `metrics/get-history?run_uuid=${runId}&metric_key=acc&max_results=20&page_token=${h1.body.next_page_token}`,
    );
    expect(h2.body.metrics.map((m: { step: number }) => m.step)).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    expect(h2.body.next_page_token).toBeUndefined();

    for (let i = 0; i < 3; i++)
      await t.call('POST', 'runs/create', { experiment_id: experimentId, run_name: `more-${i}`, start_time: 5000 + i });
    const s1 = await t.call('POST', 'runs/search', {
      experiment_ids: [experimentId],
      order_by: ['attributes.start_time DESC'],
      max_results: 2,
    });
    expectFields(s1.body, 'SearchRuns.Response');
    expect(s1.body.runs.map((r: any) => r.info.run_name)).toEqual(['more-2', 'more-1']);
    const s2 = await t.call('POST', 'runs/search', {
      experiment_ids: [experimentId],
      order_by: ['attributes.start_time DESC'],
      max_results: 2,
      page_token: s1.body.next_page_token,
    });
    expect(s2.body.runs.map((r: any) => r.info.run_name)).toEqual(['more-0', 'first']);
    expectError(
      await t.call('POST', 'runs/search', { experiment_ids: [experimentId], filter: 'metrics.acc >>> 1' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );

    const renamed = await t.call('POST', 'runs/set-tag', { run_id: runId, key: 'mlflow.runName', value: 'second-name' });
    expect(renamed.status).toBe(200);
    expect(t.store.tracking.getRunInfo(runId).name).toBe('second-name');

    const del = s1.body.runs[0].info.run_id;
    expect((await t.call('POST', 'runs/delete', { run_id: del })).status).toBe(200);
    expect(t.store.tracking.getRunInfo(del)).toMatchObject({ lifecycleStage: 'deleted', status: 'KILLED' });
    expectError(await t.call('POST', 'runs/log-param', { run_id: del, key: 'a', value: 'b' }), 404, 'ENDPOINT_NOT_FOUND');
    expectError(await t.call('POST', 'runs/log-parameter', { run_id: del, key: 'a', value: 'b' }), 400, 'INVALID_PARAMETER_VALUE');
    expect((await t.call('POST', 'runs/restore', { run_id: del })).status).toBe(200);
    expect(t.store.tracking.getRunInfo(del).lifecycleStage).toBe('active');
  });

  it("records log-model in the run's mlflow.log-model.history tag, as MLflow does", async () => {
    const model = { artifact_path: 'model', flavors: { sklearn: { sklearn_version: '1.5' } }, run_id: runId };
    expect((await t.call('POST', 'runs/log-model', { run_id: runId, model_json: JSON.stringify(model) })).status).toBe(200);
    expect(
      (await t.call('POST', 'runs/log-model', { run_id: runId, model_json: JSON.stringify({ ...model, artifact_path: 'm2' }) })).status,
    ).toBe(200);
    const history = JSON.parse(t.store.tracking.getRun(runId).tags['mlflow.log-model.history']) as { artifact_path: string }[];
    expect(history.map((h) => h.artifact_path)).toEqual(['model', 'm2']);
    expectError(await t.call('POST', 'runs/log-model', { run_id: runId, model_json: '{oops' }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('refuses a changed param, keeping the first value', async () => {
    await t.call('POST', 'runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' });
    const before = snapshot(runId);
    expectError(await t.call('POST', 'runs/log-parameter', { run_id: runId, key: 'lr', value: '0.2' }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(
      await t.call('POST', 'runs/log-batch', {
        run_id: runId,
        params: [
          { key: 'x', value: '1' },
          { key: 'x', value: '2' },
        ],
      }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expect(snapshot(runId)).toBe(before);
  });
});

describe('refusals', () => {
  it('answers a malformed body, a wrong type, a missing field and an unknown run as MLflow does, writing nothing', async () => {
    const before = snapshot(runId);
    expectError(await t.call('POST', 'runs/log-metric', '{"run_id": "x", '), 400, 'BAD_REQUEST');
    expectError(await t.call('POST', 'runs/log-metric', '[1, 2]'), 400, 'BAD_REQUEST');
    const wrong = await t.call('POST', 'runs/log-metric', { run_id: runId, key: 'm', value: 'high', timestamp: 1 });
    expectError(wrong, 400, 'INVALID_PARAMETER_VALUE');
    expect(wrong.body.message).toContain("'value'");
    const missing = await t.call('POST', 'runs/log-metric', { run_id: runId, key: 'm', value: 1 });
    expectError(missing, 400, 'INVALID_PARAMETER_VALUE');
    expect(missing.body.message).toBe(
      "Missing value for required parameter 'timestamp'. See the API docs for more information about request parameters.",
    );
    expectError(
      await t.call('POST', 'runs/log-metric', { run_id: runId, key: '../up', value: 1, timestamp: 1 }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await t.call('POST', 'runs/log-metric', { run_id: 'f'.repeat(32), key: 'm', value: 1, timestamp: 1 }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(await t.call('GET', `runs/get?run_id=${'0'.repeat(32)}`), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.call('GET', 'runs/get?run_id=nope'), 400, 'INVALID_PARAMETER_VALUE');
    expect(snapshot(runId)).toBe(before);
  });

  it("refuses batches over MLflow's limits (1,000 metrics, 100 params, 100 tags, 1,000 in all) and keeps none of them", async () => {
    const before = snapshot(runId);
    const m = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `m${i % 7}`, value: i, timestamp: i, step: i }));
    const kv = (n: number, p: string) => Array.from({ length: n }, (_, i) => ({ key: `${p}${i}`, value: 'v' }));
    for (const body of [
      { metrics: m(1001) },
      { params: kv(101, 'p') },
      { tags: kv(101, 't') },
      { metrics: m(900), params: kv(60, 'p'), tags: kv(60, 't') },
    ]) {
      const res = await t.call('POST', 'runs/log-batch', { run_id: runId, ...body });
      expectError(res, 400, 'INVALID_PARAMETER_VALUE');
      expect(res.body.message).toMatch(/A batch logging request can contain at most (1000|100) /);
    }
    expect(snapshot(runId)).toBe(before);
    // The limits themselves pass.
    expect((await t.call('POST', 'runs/log-batch', { run_id: runId, metrics: m(1000) })).status).toBe(200);
  });

  it('refuses a 10 MB param value with INVALID_PARAMETER_VALUE, and a body over the limit with 413; nothing is stored', async () => {
    const before = snapshot(runId);
    const big = await t.call('POST', 'runs/log-parameter', { run_id: runId, key: 'blob', value: 'x'.repeat(10 * 1024 * 1024) });
    expectError(big, 400, 'INVALID_PARAMETER_VALUE');
    expect(big.body.message).toContain('6000');
    const huge = await t
      .call('POST', 'runs/log-parameter', { run_id: runId, key: 'blob', value: 'x'.repeat(17 * 1024 * 1024) })
      .catch(() => null);
    // A body past the limit is answered 413 (or the connection closed while still sending).
    if (huge) expectError(huge, 413, 'REQUEST_LIMIT_EXCEEDED');
    expect(snapshot(runId)).toBe(before);
  });

  it('answers unknown endpoints and wrong methods with 404/405 in the error shape', async () => {
    expectError(await t.call('GET', '/api/2.0/mlflow/runs/teleport'), 404, 'ENDPOINT_NOT_FOUND');
    expectError(await t.call('GET', '/nothing/here'), 404, 'ENDPOINT_NOT_FOUND');
    expectError(await t.call('GET', 'runs/log-batch'), 405, 'ENDPOINT_NOT_FOUND');
    const ajax = await t.call('GET', `/ajax-api/2.0/mlflow/runs/get?run_id=${runId}`);
    expect(ajax.status).toBe(200);
  });

  it('refuses other Host names and web origins (no DNS rebinding, no cross-site writes)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${t.url}/api/2.0/mlflow/experiments/search`, { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    const origin = await t.call('POST', 'experiments/create', { name: 'csrf' }, { origin: 'https://evil.example' });
    expectError(origin, 403, 'PERMISSION_DENIED');
    expect(t.store.tracking.findExperimentByName('csrf')).toBeUndefined();
  });

  it('takes a bearer token when one is set', async () => {
    const s = await startTestMlflow({ token: 'sekret-1' });
    try {
      expectError(await s.call('POST', 'experiments/search', {}), 401, 'UNAUTHENTICATED');
      expectError(await s.call('POST', 'experiments/search', {}, { authorization: 'Bearer wrong' }), 401, 'UNAUTHENTICATED');
      expect((await s.call('POST', 'experiments/search', {}, { authorization: 'Bearer sekret-1' })).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('artifacts proxy', () => {
  const base = () => `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts`;
  const put = (p: string, body: string | Buffer) =>
    fetch(`${t.url}${p}`, { method: 'PUT', body: typeof body === 'string' ? body : new Uint8Array(body) });

  it('uploads into objects/, lists one level, downloads the same bytes, and lists from the run', async () => {
    const bytes = Buffer.from('artifact_path: model\nflavors: {}\n');
    expect((await put(`${base()}/model/MLmodel`, bytes)).status).toBe(200);
    expect((await put(`${base()}/model/data/weights.bin`, Buffer.alloc(2048, 7))).status).toBe(200);
    expect((await put(`${base()}/notes.txt`, 'hi')).status).toBe(200);

    const entry = t.store.tracking.getArtifact(runId, 'model/MLmodel');
    expect(fs.readFileSync(t.store.objects.objectPath(entry.sha256))).toEqual(bytes);
    const down = await fetch(`${t.url}${base()}/model/MLmodel`);
    expect(Buffer.from(await down.arrayBuffer())).toEqual(bytes);

    const list = await t.call('GET', `/api/2.0/mlflow-artifacts/artifacts?path=${experimentId}/${runId}/artifacts/model`);
    expectFields(list.body, 'ListArtifactsMlflowArtifacts.Response');
    expect(list.body.files).toEqual([
      { path: 'MLmodel', is_dir: false, file_size: bytes.length },
      { path: 'data', is_dir: true },
    ]);
    const runList = await t.call('GET', `artifacts/list?run_id=${runId}`);
    expectFields(runList.body, 'ListArtifacts.Response');
    expect(runList.body.files.map((f: { path: string }) => f.path)).toEqual(['model', 'notes.txt']);
    expectError(await t.call('GET', `${base()}/nope.txt`), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it("refuses '..', absolute paths, NUL bytes and backslashes, writing nothing anywhere", async () => {
    const before = snapshot(runId);
    const objectsBefore = fs.readdirSync(t.store.objects.root, { recursive: true }).length;
    const outside = path.join(t.dir, 'escaped.txt');
    for (const p of [
      `${base()}/%2e%2e/%2e%2e/%2e%2e/escaped.txt`,
      `${base()}/a/..%2F..%2F..%2Fescaped.txt`,
      `${base()}/%2Fetc%2Fpasswd`,
      `${base()}/bad%00name.txt`,
      `${base()}/win%5C..%5Cescaped.txt`,
      `/api/2.0/mlflow-artifacts/artifacts/%2Ftmp%2Fescaped.txt`,
      `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/elsewhere/x.txt`,
    ]) {
      const res = await put(p, 'owned');
      expect(res.status, p).toBe(400);
      expect(((await res.json()) as { error_code: string }).error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    expectError(
      await t.call('GET', `/api/2.0/mlflow-artifacts/artifacts?path=${experimentId}/${runId}/artifacts/../../x`),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expect(fs.existsSync(outside)).toBe(false);
    expect(fs.readdirSync(t.store.objects.root, { recursive: true }).length).toBe(objectsBefore);
    expect(snapshot(runId)).toBe(before);
  });
});

describe('fuzzing', () => {
  it('answers 1,000 random requests with JSON and a 2xx/4xx status, never crashing', async () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const endpoints = [
      'experiments/create',
      'experiments/get',
      'experiments/search',
      'experiments/update',
      'experiments/delete',
      'experiments/set-experiment-tag',
      'runs/create',
      'runs/update',
      'runs/get',
      'runs/log-metric',
      'runs/log-parameter',
      'runs/set-tag',
      'runs/delete-tag',
      'runs/log-batch',
      'runs/log-inputs',
      'runs/search',
      'metrics/get-history',
      'artifacts/list',
      'registered-models/create',
      'registered-models/search',
      'model-versions/create',
      'model-versions/transition-stage',
      'registered-models/alias',
    ];
    const values = (): unknown =>
      pick([
        () => null,
        () => rand() * 1e6,
        () => -1,
        () => 'x'.repeat(Math.floor(rand() * 300)),
        () => runId,
        () => experimentId,
        () => [values(), values()],
        () => ({ key: values(), value: values(), timestamp: values() }),
        () => 'NaN',
        () => true,
        () => "metrics.a > 1 and params.b = 'c'",
        () => '\u0000../..',
        () => 1e308,
        () => [],
      ])();
    const fields = [
      'run_id',
      'experiment_id',
      'key',
      'value',
      'timestamp',
      'step',
      'name',
      'metrics',
      'params',
      'tags',
      'filter',
      'max_results',
      'page_token',
      'order_by',
      'experiment_ids',
      'status',
      'datasets',
      'metric_key',
      'new_name',
      'version',
      'stage',
      'alias',
    ];
    let crashes = 0;
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 50; batch++) {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const body: Record<string, unknown> = {};
          for (let i = Math.floor(rand() * 6); i > 0; i--) body[pick(fields)] = values();
          const raw = rand() < 0.1 ? JSON.stringify(body).slice(0, Math.floor(rand() * 20)) : JSON.stringify(body);
          const res = await fetch(`${t.url}/api/2.0/mlflow/${pick(endpoints)}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: raw,
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const json = (await res.json()) as Record<string, unknown>;
          if (res.status >= 500 || (res.status !== 200 && typeof json.error_code !== 'string')) crashes++;
        }),
      );
    }
    expect(crashes).toBe(0);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(1000);
    expect((await t.call('GET', `runs/get?run_id=${runId}`)).status).toBe(200);
  });
});
