/**
 * Runs search benchmark: `metrics.accuracy > 0.9 and params.model = 'rf'` over
 * workspaces of 1,000, 10,000 and 100,000 runs, each with 20 metrics and 10
 * params (accuracy uniform in [0, 1), model one of rf/gbm/lr, so ~3 % match).
 * Times the store's searchRuns as the runs table calls it (first page of
 * 1,000 with its metrics, params and tags) and the bare matching (maxResults
 * 1), median of several, and prints how each grows with the number of runs.
 *
 * Workspaces are built in a temp dir through the repository's createRun +
 * logBatch; when that would take more than two minutes for the largest size
 * (projected from the 10,000 build), the largest is built by direct batched
 * inserts into the same tables instead (said in the output). Removed at exit.
 *
 *   npx tsx bench/tracking-search.ts [repeats=7] [--max=100000] [--direct]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createRandom } from '../electron/core/datasets/column-stats';
import { createStore, type Store } from '../electron/core/store';

const args = process.argv.slice(2);
const repeats = Number(args.find((a) => /^\d+$/.test(a)) ?? 7);
const maxN = Number(args.find((a) => a.startsWith('--max='))?.slice(6) ?? 100_000);
const SIZES = [1_000, 10_000, 100_000].filter((n) => n <= maxN);
const FILTER = "metrics.accuracy > 0.9 and params.model = 'rf'";
const METRICS = 20;
const PARAMS = 10;
const BUILD_BUDGET_MS = 120_000;
/** --direct builds every size by direct inserts (quick A/B runs of the query). */
const forceDirect = args.includes('--direct');

const MODELS = ['rf', 'gbm', 'lr'];

function runData(rand: () => number, i: number) {
  const metrics = [{ key: 'accuracy', value: rand(), timestamp: 1_700_000_000_000 + i, step: 0 }];
  for (let m = 1; m < METRICS; m++) metrics.push({ key: `metric_${m}`, value: rand(), timestamp: 1_700_000_000_000 + i, step: 0 });
  const params = [{ key: 'model', value: MODELS[Math.floor(rand() * 3)] }];
  for (let p = 1; p < PARAMS; p++) params.push({ key: `param_${p}`, value: String(Math.floor(rand() * 100)) });
  return { metrics, params };
}

function buildWithRepo(store: Store, n: number): void {
  const rand = createRandom(n);
  for (let i = 0; i < n; i++) {
    const info = store.tracking.createRun({
      experimentId: 0,
      name: `run-${i}`,
      userId: 'bench',
      source: 'cli',
      status: 'FINISHED',
      startTime: 1_700_000_000_000 + i * 1000,
    });
    store.tracking.logBatch(info.runId, runData(rand, i));
  }
}

/** Same rows as buildWithRepo, inserted in one transaction on a second connection. */
function buildDirect(file: string, n: number): void {
  const rand = createRandom(n);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const run = db.prepare(
    `INSERT INTO runs (id, experiment_id, name, status, start_time, user_id, source) VALUES (?, 0, ?, 'FINISHED', ?, 'bench', 'cli')`,
  );
  const param = db.prepare('INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)');
  const point = db.prepare('INSERT INTO metric_points (run_id, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, 0, ?, ?)');
  const latest = db.prepare('INSERT INTO latest_metrics (run_id, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, 0, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = i.toString(16).padStart(32, '0');
      run.run(id, `run-${i}`, 1_700_000_000_000 + i * 1000);
      const d = runData(rand, i);
      for (const p of d.params) param.run(id, p.key, p.value);
      for (const m of d.metrics) {
        point.run(id, m.key, m.value, m.timestamp, m.step);
        latest.run(id, m.key, m.value, m.timestamp, m.step);
      }
    }
  })();
  db.close();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

interface Row {
  n: number;
  build: string;
  buildMs: number;
  matches: number;
  pageMs: number;
  bareMs: number;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-bench-search-'));
process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
const rows: Row[] = [];
let repoMsPerRun = 0;
for (const n of SIZES) {
  const dir = path.join(root, String(n));
  fs.mkdirSync(dir);
  let store = createStore(dir);
  let build = 'logBatch';
  const projected = repoMsPerRun * n;
  const t0 = performance.now();
  if (forceDirect || (repoMsPerRun > 0 && projected > BUILD_BUDGET_MS)) {
    build = 'direct inserts';
    store.close();
    buildDirect(path.join(dir, 'workbench.sqlite'), n);
    store = createStore(dir);
  } else {
    buildWithRepo(store, n);
    repoMsPerRun = (performance.now() - t0) / n;
  }
  const buildMs = performance.now() - t0;
  const search = (maxResults: number) => store.tracking.searchRuns({ filter: FILTER, maxResults: maxResults > 1000 ? 1000 : maxResults });
  const all = store.tracking.searchRuns({ filter: FILTER, maxResults: 50_000 }).runs.length;
  search(1000);
  search(1);
  const page: number[] = [];
  const bare: number[] = [];
  for (let r = 0; r < repeats; r++) {
    page.push(time(() => search(1000)));
    bare.push(time(() => search(1)));
  }
  rows.push({ n, build, buildMs, matches: all, pageMs: median(page), bareMs: median(bare) });
  store.close();
  console.log(`built ${n.toLocaleString('en')} runs by ${build} in ${(buildMs / 1000).toFixed(1)} s`);
}

console.log(`\nsearch "${FILTER}" — ${METRICS} metrics × ${PARAMS} params per run, median of ${repeats}`);
console.log('runs      matches  first page (≤1,000 runs + data)  match only (maxResults 1)  page growth  match growth');
rows.forEach((r, i) => {
  const prev = rows[i - 1];
  const g = (a: number, b: number) => (prev ? `×${(a / b).toFixed(1)}` : '—');
  console.log(
    `${r.n.toLocaleString('en').padEnd(9)} ${String(r.matches).padStart(7)}  ${`${r.pageMs.toFixed(1)} ms`.padStart(31)}  ${`${r.bareMs.toFixed(1)} ms`.padStart(25)}  ${g(r.pageMs, prev?.pageMs).padStart(11)}  ${g(r.bareMs, prev?.bareMs).padStart(12)}`,
  );
});
const first = rows[0];
const last = rows[rows.length - 1];
if (rows.length > 1) {
  console.log(
    `\n${first.n.toLocaleString('en')} → ${last.n.toLocaleString('en')} runs (×${last.n / first.n}): match-only time ×${(last.bareMs / first.bareMs).toFixed(1)}, first page ×${(last.pageMs / first.pageMs).toFixed(1)}`,
  );
}
