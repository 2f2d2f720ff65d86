/**
 * Metric logging throughput: 100,000 points of one run (100 keys × 1,000
 * steps) through the store's batch API (MLflow-sized batches of 1,000, one
 * transaction each) and through one call per point (one transaction each, as
 * a client calling log_metric in a loop does), as points per second and as a
 * ratio to the physical limit here: a bare better-sqlite3 insert loop, in one
 * transaction, into a table of the same shape and index as metric_points, on
 * a database opened with the same pragmas.
 *
 * The one-call-per-point pass stops after a time budget and reports the rate
 * of what it did (said in the output). Each pass gets a fresh temp workspace.
 *
 *   npx tsx bench/tracking-logging.ts [--budget-s=60]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createStore } from '../electron/core/store';
import type { MetricPointInput } from '../electron/core/store/tracking-repo';

const KEYS = 100;
const STEPS = 1000;
const N = KEYS * STEPS;
const BATCH = 1000;
const budgetMs = Number(process.argv.find((a) => a.startsWith('--budget-s='))?.slice(11) ?? 60) * 1000;

const points: MetricPointInput[] = [];
for (let step = 0; step < STEPS; step++)
  for (let k = 0; k < KEYS; k++)
    points.push({ key: `metric_${k}`, value: Math.sin(step * 0.01 + k), timestamp: 1_700_000_000_000 + step, step });

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-bench-log-'));
}

function bare(): number {
  const dir = tempDir();
  try {
    const db = new Database(path.join(dir, 'bare.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE metric_points (run_id TEXT NOT NULL, key TEXT NOT NULL, value REAL, is_nan INTEGER NOT NULL DEFAULT 0, timestamp INTEGER NOT NULL, step INTEGER NOT NULL DEFAULT 0);
             CREATE INDEX metric_points_run_key ON metric_points(run_id, key, step);`);
    const insert = db.prepare('INSERT INTO metric_points (run_id, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, 0, ?, ?)');
    const run = 'a'.repeat(32);
    const t0 = performance.now();
    db.transaction(() => {
      for (const p of points) insert.run(run, p.key, p.value, p.timestamp, p.step);
    })();
    const ms = performance.now() - t0;
    db.close();
    return ms;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function throughStore(mode: 'batch' | 'single'): { ms: number; done: number } {
  const dir = tempDir();
  const store = createStore(dir);
  try {
    const { runId } = store.tracking.createRun({ experimentId: 0, name: 'bench', userId: 'bench', source: 'cli' });
    const t0 = performance.now();
    let done = 0;
    if (mode === 'batch') {
      for (let i = 0; i < N; i += BATCH) store.tracking.logBatch(runId, { metrics: points.slice(i, i + BATCH) });
      done = N;
    } else {
      for (; done < N; done++) {
        store.tracking.logMetric(runId, points[done]);
        if ((done & 1023) === 0 && performance.now() - t0 > budgetMs) break;
      }
    }
    const ms = performance.now() - t0;
    const stored = store.tracking.metricHistory(runId, 'metric_7').length;
    if (mode === 'batch' && stored !== STEPS) throw new Error(`expected ${STEPS} points of metric_7, found ${stored}`);
    return { ms, done };
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const fmt = (n: number) => n.toLocaleString('en-US');

// Warm-up (JIT, page cache), then best of 3 for the bare loop and the batch API.
bare();
throughStore('batch');
const bareMs = Math.min(bare(), bare(), bare());
const batchMs = Math.min(...[0, 1, 2].map(() => throughStore('batch').ms));
const single = throughStore('single');

console.log(`Metric logging: ${fmt(N)} points (${KEYS} keys × ${fmt(STEPS)} steps) into one run`);
console.log(
  `  bare better-sqlite3 insert loop (1 transaction):  ${bareMs.toFixed(0)} ms  ${fmt(rate(N, bareMs))} points/s  (the limit here)`,
);
console.log(
  `  store batch API (${N / BATCH} batches of ${BATCH}):          ${batchMs.toFixed(0)} ms  ${fmt(rate(N, batchMs))} points/s  = ${(rate(N, batchMs) / rate(N, bareMs)).toFixed(2)}× the bare loop's rate`,
);
console.log(
  `  store one call per point:                        ${single.ms.toFixed(0)} ms for ${fmt(single.done)} points${single.done < N ? ` (stopped at the ${budgetMs / 1000} s budget)` : ''}  ${fmt(rate(single.done, single.ms))} points/s  = ${(rate(single.done, single.ms) / rate(N, bareMs)).toFixed(3)}× the bare loop's rate`,
);
