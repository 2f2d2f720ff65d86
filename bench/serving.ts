/**
 * Scoring-server figures (issue 11), measured in one run on loopback:
 *   the random forest of the training bench (100 trees, maxDepth 10, sqrt features,
 *   make_classification 20 features, random_state=42; here on 10,000 rows, 80 % train)
 *   trained and registered through the app, served by a real scoring-server process;
 *   autocannon (its own process) sends single-row POST /predict at 32 connections for 10 s,
 *   with the prediction log on and off, and against a bare node:http server
 *   answering a constant JSON (also its own process). Prints req/s, p50/p99, errors
 *   and the ratios (goal: ≥ 0.5 with logging on).
 * Run: npm run build && npx tsx bench/serving.ts
 *      (BENCH_SECONDS=5 / BENCH_ROUNDS=1 for a shorter run; BENCH_CPU_PROF=DIR profiles each server process)
 * Needs /usr/bin/python3 with scikit-learn for the data (falls back to a seeded generator).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChannelName, RequestOf, ResponseOf } from '../shared/ipc';
import type { JobRecord } from '../shared/jobs';
import type { ImportResult } from '../shared/contracts/datasets';
import type { SniffResult } from '../shared/datasets';
import { createAppContext } from '../electron/core/app-context';
import { csvOptionsFromSniff } from '../electron/core/datasets/sniff-csv';
import { createHandlers } from '../electron/core/handlers';
import { dispatchRequest } from '../electron/core/handlers/dispatch';
import { createForkSpawner } from '../electron/core/jobs/fork-spawner';
import type { FromServer, ToServer } from '../electron/core/serving/protocol';
import { Rng } from '../electron/core/training/random';
import { freePort } from '../tests/helpers/serving';

const ROOT = path.resolve(__dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const N = 10_000;
const TARGETS = ['bare', 'logOff', 'logOn'] as const;
type Target = (typeof TARGETS)[number];
const P = 20;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-bench-serving-'));

/** make_classification(n, 20 features, 15 informative, random_state=42) as CSV f0..f19,y — the training bench's data. */
function writeData(file: string): void {
  let cols: Float64Array[];
  let y: Float64Array;
  try {
    const bin = path.join(tmp, 'data.bin');
    execFileSync('/usr/bin/python3', [path.join(ROOT, 'bench/sklearn-training.py'), 'export', String(N), bin], { stdio: 'ignore' });
    const buf = fs.readFileSync(bin);
    const all = new Float64Array(buf.buffer.slice(buf.byteOffset + 8, buf.byteOffset + 8 + 8 * (N * P + N)));
    cols = Array.from({ length: P }, (_, f) => all.subarray(f * N, (f + 1) * N));
    y = all.subarray(N * P);
  } catch {
    console.log('(python3 + scikit-learn not found: using a seeded generator instead of make_classification)');
    const rng = new Rng(42);
    cols = Array.from({ length: P }, () => new Float64Array(N));
    y = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let f = 0; f < P; f++) {
        const v = (rng.nextFloat() - 0.5) * 4;
        cols[f][i] = v;
        if (f < 15) s += v * ((f % 3) - 1 || 0.5);
      }
      y[i] = s > 0 ? 1 : 0;
    }
  }
  const lines = [[...Array.from({ length: P }, (_, f) => `f${f}`), 'y'].join(',')];
  for (let i = 0; i < N; i++) lines.push([...cols.map((c) => c[i].toPrecision(10)), String(y[i])].join(','));
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

interface LoadResult {
  /** CPU time of the answering process (and of main, which writes the log) per answered request, µs. */
  serverCpuUs?: number;
  mainCpuUs?: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

/**
 * autocannon in its own process (so the load generator never shares an event
 * loop with what it measures), awaited asynchronously: this process is the
 * app's main and must keep writing the prediction log meanwhile.
 */
async function autocannon(url: string, body: string, seconds: number): Promise<LoadResult> {
  const args = [
    path.join(ROOT, 'node_modules/autocannon/autocannon.js'),
    ...['-c', String(CONNECTIONS), '-d', String(seconds), '-m', 'POST', '-H', 'content-type=application/json', '-b', body, '--json', url],
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  await new Promise((resolve) => child.once('close', resolve));
  const r = JSON.parse(out);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    total: r['2xx'] + r.non2xx,
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; NaN elsewhere). */
function processCpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** One measured run, with the CPU the answering process and main spent on it. */
async function measure(url: string, body: string, pid: number): Promise<LoadResult> {
  const cpu0 = processCpuSeconds(pid);
  const main0 = process.cpuUsage();
  const r = await autocannon(url, body, SECONDS);
  const main = process.cpuUsage(main0);
  const answered = Math.max(1, r.total);
  return { ...r, serverCpuUs: ((processCpuSeconds(pid) - cpu0) * 1e6) / answered, mainCpuUs: (main.user + main.system) / answered };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The run with the median req/s (its latencies with it). */
function medianRun(runs: LoadResult[]): LoadResult {
  return [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)];
}

/** The reference: node:http answering a constant JSON, in its own process. */
async function startBareServer(): Promise<{ url: string; child: ChildProcess }> {
  const script = `
    const http = require('node:http');
    const body = JSON.stringify({ prediction: '1', probabilities: { '0': 0.25, '1': 0.75 }, model_version: 1, prediction_id: '00000000-0000-4000-8000-000000000000' });
    const server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
  return { url: `http://127.0.0.1:${port}/predict`, child };
}

async function main() {
  const ws = path.join(tmp, 'workspace');
  // The built entries (npm run build) are what the app runs; without a build, the sources under tsx.
  const built = fs.existsSync(path.join(ROOT, 'out/main/scoring-server.js'));
  const entry = (name: string) =>
    built
      ? { entry: path.join(ROOT, `out/main/${name}.js`), execArgv: [] as string[] }
      : { entry: path.join(ROOT, `electron/workers/${name}.ts`), execArgv: ['--import', 'tsx'] };
  console.log(
    built
      ? 'server and workers: the built out/main entries'
      : 'server and workers: the sources under tsx (run npm run build first for the built ones)',
  );
  const ctx = createAppContext({
    workspaceDir: ws,
    resourcesDir: path.join(ROOT, 'resources'),
    spawnWorker: createForkSpawner({ ...entry('job-worker'), log: () => {} }),
    spawnScoringServer: createForkSpawner<ToServer, FromServer>({
      entry: entry('scoring-server').entry,
      // BENCH_CPU_PROF=DIR: a V8 CPU profile of each server process, for finding where a request's time goes.
      execArgv: [
        ...entry('scoring-server').execArgv,
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ],
    }),
    poolSize: 2,
    appVersion: 'bench',
    shell: 'cli',
  });
  const handlers = createHandlers(ctx);
  const call = async <C extends ChannelName>(channel: C, req: RequestOf<C>): Promise<ResponseOf<C>> => {
    const env = await dispatchRequest(handlers, channel, req);
    if (!env.ok) throw new Error(`${channel}: ${env.error.message}`);
    return env.value as ResponseOf<C>;
  };
  const waitJob = async (job: JobRecord) => {
    const done = await ctx.jobs.waitFor(job.id);
    if (done.status !== 'succeeded') throw new Error(`${done.kind}: ${done.error}`);
    return done;
  };
  try {
    const csv = path.join(tmp, 'classification.csv');
    writeData(csv);
    const sniffed = (await call('datasets:sniff', { path: csv })) as SniffResult;
    const imported = await waitJob(
      await call('datasets:import', { path: csv, name: 'bench', tag: 'v1', options: csvOptionsFromSniff(sniffed) }),
    );
    const versionId = (imported.result as ImportResult).versionId;
    const t0 = performance.now();
    const { jobs } = await call('runs:launch', {
      experimentId: 0,
      settings: { versionId, target: 'y', testSize: 0.2, cvFolds: 0, seed: 42 },
      models: [{ algorithm: 'rf', params: { nEstimators: 100, maxDepth: 10, maxFeatures: 'sqrt' } }],
    });
    const trained = await waitJob(jobs[0]);
    const runId = (trained.result as { runId: string }).runId;
    console.log(`trained the forest (100 trees, ${N * 0.8} rows × ${P} features) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await call('registry:register', { runId, name: 'bench-rf' });
    await call('registry:transition', { name: 'bench-rf', version: 1, stage: 'Production', comment: 'bench' });
    await call('settings:update', { predictionLogCap: 10_000_000 });

    // One test row (the last rows of the file are the test part), in the model's column order.
    const last = fs.readFileSync(csv, 'utf8').trim().split('\n').at(-1)!.split(',');
    const body = JSON.stringify({ features: last.slice(0, P).map(Number) });

    // Three targets, each in its own process, measured in interleaved rounds (this machine is shared: medians of the rounds).
    const bare = await startBareServer();
    const servers = {
      logOff: await call('serving:start', { name: 'bench-rf', port: await freePort(), logPredictions: false }),
      logOn: await call('serving:start', { name: 'bench-rf', port: await freePort(), logPredictions: true }),
    };
    const urls: Record<Target, string> = { bare: bare.url, logOff: `${servers.logOff.url}/predict`, logOn: `${servers.logOn.url}/predict` };
    for (const target of TARGETS) {
      const check = await fetch(urls[target], { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (check.status !== 200) throw new Error(`${target} answered ${check.status}: ${await check.text()}`);
      await autocannon(urls[target], body, 2);
    }
    const runs: Record<Target, LoadResult[]> = { bare: [], logOff: [], logOn: [] };
    const loggedBefore = ctx.store.serving.countPredictions({ model: 'bench-rf' });
    const pids: Record<Target, number> = { bare: bare.child.pid!, logOff: servers.logOff.pid!, logOn: servers.logOn.pid! };
    for (let round = 0; round < ROUNDS; round++)
      for (const target of TARGETS) runs[target].push(await measure(urls[target], body, pids[target]));
    bare.child.kill();
    const stoppedOn = await call('serving:stop', { id: servers.logOn.id });
    await call('serving:stop', { id: servers.logOff.id });
    const loggedDuring = ctx.store.serving.countPredictions({ model: 'bench-rf' }) - loggedBefore;
    const answeredOn = runs.logOn.reduce((a, r) => a + r.total, 0);
    console.log(
      `prediction log: ${loggedDuring.toLocaleString('en')} rows written for ${answeredOn.toLocaleString('en')} requests answered with logging on (server total ${stoppedOn.predictionsServed.toLocaleString('en')} incl. warm-up)`,
    );
    const results = Object.fromEntries(TARGETS.map((t) => [t, medianRun(runs[t])])) as Record<Target, LoadResult>;
    const errorsOf = (t: Target) => runs[t].reduce((a, r) => a + r.errors + r.non2xx, 0);

    const fmt = (name: string, r: LoadResult) =>
      `${name.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms   errors ${r.errors}   non-2xx ${r.non2xx}`;
    console.log(
      `\nsingle-row POST /predict, ${CONNECTIONS} connections, ${SECONDS} s per run, median of ${ROUNDS} interleaved rounds (autocannon, loopback, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}):`,
    );
    console.log(fmt('bare node:http (constant JSON)', results.bare));
    console.log(fmt('scoring server, logging off', results.logOff));
    console.log(fmt('scoring server, logging on', results.logOn));
    console.log(
      `ratio to bare: logging off ${(results.logOff.rps / results.bare.rps).toFixed(2)}, logging on ${(results.logOn.rps / results.bare.rps).toFixed(2)} (goal ≥ 0.5 with logging on); logging on / off ${(results.logOn.rps / results.logOff.rps).toFixed(2)}`,
    );
    console.log(`per round (req/s): ${TARGETS.map((t) => `${t} ${runs[t].map((r) => r.rps.toFixed(0)).join(' / ')}`).join('; ')}`);
    const roundRatios = (t: Target) => runs[t].map((r, i) => r.rps / runs.bare[i].rps);
    console.log(
      `ratio to bare per round: logging off ${roundRatios('logOff')
        .map((x) => x.toFixed(2))
        .join(' / ')} (median ${median(roundRatios('logOff')).toFixed(2)}), logging on ${roundRatios('logOn')
        .map((x) => x.toFixed(2))
        .join(' / ')} (median ${median(roundRatios('logOn')).toFixed(2)})`,
    );
    // CPU per request does not depend on what else runs on the machine: the ratio a quiet machine would show when the server is the bottleneck.
    const cpu = (t: Target) => median(runs[t].map((r) => r.serverCpuUs! + (t === 'logOn' ? r.mainCpuUs! : 0)));
    console.log(
      `CPU per request (median): bare ${median(runs.bare.map((r) => r.serverCpuUs!)).toFixed(0)} µs; scoring server ${median(runs.logOff.map((r) => r.serverCpuUs!)).toFixed(0)} µs logging off, ${median(runs.logOn.map((r) => r.serverCpuUs!)).toFixed(0)} µs + main ${median(runs.logOn.map((r) => r.mainCpuUs!)).toFixed(0)} µs writing the log with logging on`,
    );
    console.log(
      `CPU ratio bare / scoring server: logging off ${(cpu('bare') / cpu('logOff')).toFixed(2)}, logging on (server + main) ${(cpu('bare') / cpu('logOn')).toFixed(2)}`,
    );
    const failures = errorsOf('logOn') + errorsOf('logOff');
    if (failures > 0) {
      console.log(`FAIL: ${failures} errors or non-2xx answers (must be 0)`);
      process.exitCode = 1;
    }
  } finally {
    ctx.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
