/**
 * MLflow API throughput: points per second logged over HTTP through the
 * workbench's MLflow endpoint, against the store's own batch API measured in
 * the same run (the ratio is what the HTTP layer costs).
 *
 * - log-batch, 1,000 metrics per call, one call at a time (as MLflow's client
 *   logs a batch), and 4 at a time;
 * - single log-metric calls at concurrency 8;
 * - the store's logBatch (1,000 points a call) and logMetric (one point),
 *   called in the server's process on the same workspace (no HTTP).
 *
 * The server runs in a child process (as the app's main process would serve
 * it), so the client's JSON and sockets do not share its thread.
 *
 *   npx tsx bench/mlflow-api.ts [seconds=4]
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const SERVE = process.argv.includes('--serve');

async function serve(dir: string): Promise<void> {
  const { createStore } = await import('../electron/core/store');
  const { createMlflowHttpServer } = await import('../electron/core/mlflow/server');
  fs.mkdirSync(dir, { recursive: true });
  const store = createStore(dir);
  const server = createMlflowHttpServer({ store, changed: () => {} });
  const { port } = await server.listen(0, '127.0.0.1');
  process.send?.({ port });
  process.on('message', async (m: { cmd: 'stop' } | { cmd: 'direct'; seconds: number }) => {
    if (m.cmd === 'direct') {
      process.send?.(await measureStore(store, m.seconds));
      return;
    }
    await server.close();
    store.close();
    process.exit(0);
  });
}

/** The store's own batch and single-point API, on the served workspace, in the server's process (no HTTP). */
async function measureStore(store: import('../electron/core/store').Store, seconds: number) {
  const results: Record<string, { calls: number; points: number; pointsPerSecond: number }> = {};
  const run = store.tracking.createRun({ experimentId: 0, name: 'direct', userId: 'bench', source: 'cli' });
  const batch = (i: number) =>
    Array.from({ length: 1000 }, (_, j) => ({
      key: `m${j % 10}`,
      value: Math.random(),
      timestamp: 1_700_000_000_000 + i,
      step: i * 100 + Math.floor(j / 10),
    }));
  // Batches made beforehand (the HTTP client's JSON building is its own cost; the store's is not), then a warm-up.
  const batches = Array.from({ length: 64 }, (_, i) => batch(i));
  for (let i = 0; i < 20; i++) store.tracking.logBatch(run.runId, { metrics: batches[i] });
  const d = await drive(seconds, 1, async (i) => store.tracking.logBatch(run.runId, { metrics: batches[i % batches.length] }));
  results['store logBatch ×1000'] = { calls: d.calls, points: d.calls * 1000, pointsPerSecond: d.perSecond * 1000 };
  const run2 = store.tracking.createRun({ experimentId: 0, name: 'direct-single', userId: 'bench', source: 'cli' });
  const s = await drive(seconds, 1, async (i) =>
    store.tracking.logMetric(run2.runId, { key: `k${i % 10}`, value: i, timestamp: 1_700_000_000_000 + i, step: i }),
  );
  results['store logMetric'] = { calls: s.calls, points: s.calls, pointsPerSecond: s.perSecond };
  return results;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
function post(port: number, endpoint: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/2.0/mlflow/${endpoint}`,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `call` with `concurrency` in flight for `seconds`; gives calls per second. */
async function drive(
  seconds: number,
  concurrency: number,
  call: (i: number) => Promise<void>,
): Promise<{ calls: number; perSecond: number }> {
  const end = performance.now() + seconds * 1000;
  let calls = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) await call(calls++);
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return { calls, perSecond: calls / elapsed };
}

async function main(): Promise<void> {
  const seconds = Number(process.argv.slice(2).find((a) => /^\d+(\.\d+)?$/.test(a)) ?? 4);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-bench-mlflow-'));
  const child = fork(__filename, ['--serve', path.join(dir, 'served')], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  try {
    const create = async (name: string) => {
      const r = await post(port, 'runs/create', JSON.stringify({ experiment_id: '0', run_name: name, start_time: Date.now() }));
      return (JSON.parse(r.text) as { run: { info: { run_id: string } } }).run.info.run_id;
    };
    const batchBody = (runId: string, i: number) =>
      JSON.stringify({
        run_id: runId,
        metrics: Array.from({ length: 1000 }, (_, j) => ({
          key: `m${j % 10}`,
          value: Math.random(),
          timestamp: 1_700_000_000_000 + i,
          step: i * 100 + Math.floor(j / 10),
        })),
      });
    // Warm-up.
    const warm = await create('warm');
    for (let i = 0; i < 20; i++) await post(port, 'runs/log-batch', batchBody(warm, i));

    const results: Record<string, { calls: number; points: number; pointsPerSecond: number }> = {};
    for (const concurrency of [1, 4]) {
      const runId = await create(`batch-c${concurrency}`);
      const r = await drive(seconds, concurrency, async (i) => {
        const res = await post(port, 'runs/log-batch', batchBody(runId, i));
        if (res.status !== 200) throw new Error(res.text);
      });
      results[`http log-batch ×1000, concurrency ${concurrency}`] = {
        calls: r.calls,
        points: r.calls * 1000,
        pointsPerSecond: r.perSecond * 1000,
      };
    }
    const single = await create('single');
    const r8 = await drive(seconds, 8, async (i) => {
      const res = await post(
        port,
        'runs/log-metric',
        JSON.stringify({ run_id: single, key: `k${i % 10}`, value: i, timestamp: 1_700_000_000_000 + i, step: i }),
      );
      if (res.status !== 200) throw new Error(res.text);
    });
    results['http log-metric, concurrency 8'] = { calls: r8.calls, points: r8.calls, pointsPerSecond: r8.perSecond };

    // The store's own API, in the server's process, on the same workspace.
    child.send({ cmd: 'direct', seconds });
    Object.assign(results, await new Promise((resolve) => child.once('message', resolve)));

    const base = results['store logBatch ×1000'].pointsPerSecond;
    console.log(`MLflow API throughput (${os.cpus().length} cores, ${seconds} s per measure; server in a child process)`);
    for (const [name, v] of Object.entries(results))
      console.log(
        `  ${name.padEnd(40)} ${Math.round(v.pointsPerSecond).toLocaleString('en').padStart(10)} points/s  (${v.calls} calls)  ×${(v.pointsPerSecond / base).toFixed(3)} of the store's batch API`,
      );
    console.log(
      `  log-metric over HTTP vs the store's single logMetric: ×${(results['http log-metric, concurrency 8'].pointsPerSecond / results['store logMetric'].pointsPerSecond).toFixed(3)}`,
    );
  } finally {
    child.send({ cmd: 'stop' });
    await new Promise((resolve) => child.once('exit', resolve));
    agent.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (SERVE) void serve(process.argv[process.argv.indexOf('--serve') + 1]);
else void main();
