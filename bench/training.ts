/**
 * Training engine benchmark against scikit-learn (Debian python3-sklearn),
 * measured in the same run on the same data:
 *   make_classification(n_samples=N, n_features=20, n_informative=15, random_state=42), 80/20 split.
 * Run: npx tsx bench/training.ts            (N = 10,000 and 100,000; ml-random-forest at N = 1,000)
 *      BENCH_N=10000 npx tsx bench/training.ts   (one size only)
 *      npx tsx bench/training.ts --only gbm      (gradient boosting only, both sides)
 * Figures (issue #4 targets in brackets) are printed and written to bench/results/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RandomForestClassifier as MlRandomForest } from 'ml-random-forest';
import type { BinnedMatrix } from '../electron/core/training/binning';
import {
  fitForest,
  mergeForestParts,
  parseForestParams,
  predictForest,
  prepareForestData,
  type ForestData,
  type ForestModel,
  type ForestPart,
  type ForestParams,
} from '../electron/core/training/forest';
import { fitGbm, parseGbmParams, predictGbm } from '../electron/core/training/gradient-boosting';
import { serializeModel } from '../electron/core/training/model';

const ONLY_GBM = process.argv.includes('--only') && process.argv[process.argv.indexOf('--only') + 1] === 'gbm';
const HERE = path.dirname(fileURLToPath(import.meta.url));
const PY = '/usr/bin/python3';
const PY_SCRIPT = path.join(HERE, 'sklearn-training.py');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-bench-'));

interface Split {
  Xtr: Float64Array;
  ytr: Float64Array;
  Xte: Float64Array;
  yte: Float64Array;
  ntr: number;
  nte: number;
  p: number;
}

function loadData(n: number): Split {
  const file = path.join(tmp, `data-${n}.bin`);
  execFileSync(PY, [PY_SCRIPT, 'export', String(n), file]);
  const buf = fs.readFileSync(file);
  const nn = buf.readInt32LE(0);
  const p = buf.readInt32LE(4);
  const all = new Float64Array(buf.buffer.slice(buf.byteOffset + 8, buf.byteOffset + 8 + 8 * (nn * p + nn)));
  const cut = Math.floor(nn * 0.8);
  const part = (from: number, to: number) => {
    const m = to - from;
    const X = new Float64Array(m * p);
    for (let f = 0; f < p; f++) X.set(all.subarray(f * nn + from, f * nn + to), f * m);
    return { X, y: all.slice(nn * p + from, nn * p + to), m };
  };
  const tr = part(0, cut);
  const te = part(cut, nn);
  return { Xtr: tr.X, ytr: tr.y, ntr: tr.m, Xte: te.X, yte: te.y, nte: te.m, p };
}

function accuracyOf(P: Float64Array, y: Float64Array): number {
  let c = 0;
  for (let i = 0; i < y.length; i++) if ((P[2 * i + 1] > P[2 * i] ? 1 : 0) === y[i]) c++;
  return c / y.length;
}

function sklearn(n: number, what: string[], env: Record<string, string> = {}): Record<string, number> {
  const out = execFileSync(PY, [PY_SCRIPT, 'run', String(n), ...what], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, ...env },
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** worker_threads cannot load .ts by themselves: register tsx inside the worker, then import the entry. */
function spawnTsWorker(file: string): Worker {
  const code = `require('tsx/cjs/api').register(); require(${JSON.stringify(file)});`;
  return new Worker(code, { eval: true });
}

/** A persistent pool of worker threads (started once, outside the timings, as the app's pool is). */
class Pool {
  readonly workers: Worker[];
  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => spawnTsWorker(path.join(HERE, 'forest-worker.ts')));
  }
  call<T>(w: Worker, msg: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMsg = (m: T) => {
        w.off('error', reject);
        resolve(m);
      };
      w.once('message', onMsg);
      w.once('error', reject);
      w.postMessage(msg);
    });
  }
  async ready(): Promise<void> {
    await Promise.all(this.workers.map((w) => this.call(w, { type: 'ping' })));
  }
  close(): Promise<number[]> {
    return Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Forest on k workers: features binned in parallel into a shared matrix, tree ranges fitted in parallel, merged in index order. */
async function fitForestParallel(
  pool: Pool,
  X: Float64Array,
  nRows: number,
  p: number,
  y: Float64Array,
  params: ForestParams,
  seed: number,
): Promise<ForestModel> {
  const k = pool.workers.length;
  const Xs = new SharedArrayBuffer(X.byteLength);
  new Float64Array(Xs).set(X);
  const codes = new SharedArrayBuffer(nRows * p);
  const ys = new SharedArrayBuffer(y.byteLength);
  new Float64Array(ys).set(y);
  const fr = (i: number, total: number) => Math.round((i * total) / k);
  const binParts = await Promise.all(
    pool.workers.map((w, i) =>
      pool.call<{ edges: Float64Array[]; hasMissing: boolean[] }>(w, {
        type: 'bin',
        X: Xs,
        codes,
        nRows,
        from: fr(i, p),
        to: fr(i + 1, p),
        maxBins: params.maxBins,
      }),
    ),
  );
  const edges = binParts.flatMap((b) => b.edges);
  const hasMissing = Uint8Array.from(
    binParts.flatMap((b) => b.hasMissing),
    (v) => (v ? 1 : 0),
  );
  const parts = await Promise.all(
    pool.workers.map((w, i) =>
      pool.call<{ part: ForestPart }>(w, {
        type: 'fit',
        codes,
        y: ys,
        nRows,
        nFeatures: p,
        edges,
        hasMissing,
        nClasses: 2,
        params,
        seed,
        from: fr(i, params.nEstimators),
        to: fr(i + 1, params.nEstimators),
      }),
    ),
  );
  const binned: BinnedMatrix = {
    codes: new Uint8Array(codes),
    nRows,
    nFeatures: p,
    binning: { edges, nBins: Int32Array.from(edges, (e) => e.length), hasMissing },
  };
  const data: ForestData = { binned, y, nClasses: 2 };
  return mergeForestParts(
    parts.map((r) => r.part),
    data,
    params,
    seed,
  );
}

const results: Record<string, unknown> = { date: new Date().toISOString(), cpus: os.cpus().length, node: process.version };
const lines: string[] = [];
const say = (s: string) => {
  lines.push(s);
  console.log(s);
};
const fmt = (s: number) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);
const ratio = (a: number, b: number) => (a / b).toFixed(3);

async function benchSize(n: number, pool: Pool): Promise<void> {
  if (ONLY_GBM) return benchGbm(n);
  const d = loadData(n);
  const rfParams = parseForestParams({ nEstimators: 100, maxDepth: 10, maxFeatures: 'sqrt' }, 'classification', false);
  const seed = 42;
  // JIT warm-up of this thread and of the pool (the app's pool is persistent, so its workers are warm after the first job).
  const warm = parseForestParams({ nEstimators: 4, maxDepth: 10 }, 'classification', false);
  fitForest(prepareForestData(d.Xtr, d.ntr, d.p, d.ytr, 2), warm, 1);
  await fitForestParallel(pool, d.Xtr, d.ntr, d.p, d.ytr, warm, 1);
  fitGbm(d.Xtr, d.ntr, d.p, d.ytr, 2, parseGbmParams({ maxIter: 3 }), 1);
  // Small sizes are timed best of 3 (both sides) to damp noise from other processes on the machine.
  const reps = n <= 20000 ? 3 : 1;
  const best = async <T>(fn: () => T | Promise<T>): Promise<[T, number]> => {
    let out!: T;
    let t = Infinity;
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      out = await fn();
      t = Math.min(t, (performance.now() - t0) / 1000);
    }
    return [out, t];
  };
  // Ours, 1 worker (this thread): binning + 100 trees.
  const [rf1, rf1Time] = await best(() => fitForest(prepareForestData(d.Xtr, d.ntr, d.p, d.ytr, 2), rfParams, seed));
  const rf1Acc = accuracyOf(predictForest(rf1, d.Xte, d.nte), d.yte);
  // Ours, 2 workers.
  const [rf2, rf2Time] = await best(() => fitForestParallel(pool, d.Xtr, d.ntr, d.p, d.ytr, rfParams, seed));
  const identical = serializeModel({ estimator: rf1 } as never) === serializeModel({ estimator: rf2 } as never);
  // Predict 10,000 rows (batch), best of 3.
  const np = Math.min(10000, d.nte);
  const Xp = new Float64Array(np * d.p);
  for (let f = 0; f < d.p; f++) Xp.set(d.Xte.subarray(f * d.nte, f * d.nte + np), f * np);
  let predTime = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    predictForest(rf1, Xp, np);
    predTime = Math.min(predTime, (performance.now() - t0) / 1000);
  }
  const { gbm, gbmTime, sk: skGbm } = timeGbm(d, n, seed);
  const gbmAcc = accuracyOf(predictGbm(gbm, d.Xte, d.nte), d.yte);

  const sk = { ...sklearn(n, ['rf_jobs1', 'rf_jobs-1']), ...skGbm };
  results[`N=${n}`] = {
    ours: { rf1Time, rf2Time, rf1Acc, identical, predTime, predRows: np, gbmTime, gbmAcc, gbmIterations: gbm.nIterations },
    sklearn: sk,
  };
  say(`\n== N = ${n.toLocaleString('en')} (train ${d.ntr}, test ${d.nte}) ==`);
  say(
    `RF 100 trees depth 10 sqrt, 1 worker : ours ${fmt(rf1Time)} vs sklearn n_jobs=1 ${fmt(sk.rf_jobs1_fit)}  ratio ${ratio(rf1Time, sk.rf_jobs1_fit)}  [≤ ${n >= 100000 ? '0.2' : '0.35'}]`,
  );
  say(
    `RF 100 trees depth 10 sqrt, 2 workers: ours ${fmt(rf2Time)} vs sklearn n_jobs=-1 ${fmt(sk['rf_jobs-1_fit'])}  ratio ${ratio(rf2Time, sk['rf_jobs-1_fit'])}  [≤ ${n >= 100000 ? '0.2' : '0.35'}]  (model identical to 1 worker: ${identical ? 'yes' : 'NO'})`,
  );
  say(
    `RF test accuracy: ours ${rf1Acc.toFixed(4)} vs sklearn ${sk.rf_jobs1_acc.toFixed(4)}  diff ${((rf1Acc - sk.rf_jobs1_acc) * 100).toFixed(2)} points  [≥ −0.5]`,
  );
  say(`RF predict ${np} rows: ours ${fmt(predTime)} vs sklearn ${fmt(sk.rf_predict)}  ratio ${ratio(predTime, sk.rf_predict)}  [≤ 1.0]`);
  sayGbm(n, gbm.nIterations, gbmTime, gbmAcc, sk);
}

/**
 * Gradient boosting, 100 iterations, scikit-learn's defaults (early stopping
 * 'auto'), best of 3 on both sides at every size. Our fits and
 * HistGradientBoostingClassifier's alternate, so both sides see the same
 * machine (its speed drifts by tens of percent over minutes when other
 * sessions share the cores). Also returns scikit-learn's one-thread run.
 */
function timeGbm(d: Split, n: number, seed: number): { gbm: ReturnType<typeof fitGbm>; gbmTime: number; sk: Record<string, number> } {
  let gbmTime = Infinity;
  let gbm!: ReturnType<typeof fitGbm>;
  let sk: Record<string, number> = { hgb_fit: Infinity };
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    gbm = fitGbm(d.Xtr, d.ntr, d.p, d.ytr, 2, parseGbmParams({ maxIter: 100 }), seed);
    gbmTime = Math.min(gbmTime, (performance.now() - t0) / 1000);
    const one = sklearn(n, ['hgb'], { HGB_REPS: '1' });
    if (one.hgb_fit < sk.hgb_fit) sk = one;
  }
  return { gbm, gbmTime, sk: { ...sk, ...sklearn(n, ['hgb_1thread']) } };
}

/** The boosting lines of a size (the issue sets the speed goal at N = 100,000 only). */
function sayGbm(n: number, iterations: number, gbmTime: number, gbmAcc: number, sk: Record<string, number>): void {
  const goal = n === 100000 ? '[≤ 1.5]' : '(goal set at N = 100,000)';
  say(
    `GBM 100 iterations: ours ${fmt(gbmTime)} (${iterations} it) vs HistGradientBoostingClassifier ${fmt(sk.hgb_fit)} (${sk.hgb_iter} it)  ratio ${ratio(gbmTime, sk.hgb_fit)}  ${goal}`,
  );
  say(
    `GBM vs HistGradientBoostingClassifier limited to 1 OpenMP thread: ${fmt(sk.hgb_1thread_fit)}  ratio ${ratio(gbmTime, sk.hgb_1thread_fit)}  (reference only)`,
  );
  say(
    `GBM test accuracy: ours ${gbmAcc.toFixed(4)} vs sklearn ${sk.hgb_acc.toFixed(4)}  diff ${((gbmAcc - sk.hgb_acc) * 100).toFixed(2)} points  [within 0.5]`,
  );
}

/** `--only gbm`: the gradient boosting lines of benchSize alone (same warm-up, timing and scikit-learn side). */
function benchGbm(n: number): void {
  const d = loadData(n);
  const seed = 42;
  fitGbm(d.Xtr, d.ntr, d.p, d.ytr, 2, parseGbmParams({ maxIter: 3 }), 1);
  const { gbm, gbmTime, sk } = timeGbm(d, n, seed);
  const gbmAcc = accuracyOf(predictGbm(gbm, d.Xte, d.nte), d.yte);
  results[`N=${n}`] = { ours: { gbmTime, gbmAcc, gbmIterations: gbm.nIterations }, sklearn: sk };
  say(`\n== N = ${n.toLocaleString('en')} (train ${d.ntr}, test ${d.nte}) ==`);
  sayGbm(n, gbm.nIterations, gbmTime, gbmAcc, sk);
}

function benchMlRandomForest(): void {
  const d = loadData(1000);
  const seed = 42;
  const rfParams = parseForestParams({ nEstimators: 100, maxDepth: 10, maxFeatures: 'sqrt' }, 'classification', false);
  let t0 = performance.now();
  const ours = fitForest(prepareForestData(d.Xtr, d.ntr, d.p, d.ytr, 2), rfParams, seed);
  const oursTime = (performance.now() - t0) / 1000;
  const oursAcc = accuracyOf(predictForest(ours, d.Xte, d.nte), d.yte);
  const rows = Array.from({ length: d.ntr }, (_, i) => Array.from({ length: d.p }, (_, f) => d.Xtr[f * d.ntr + i]));
  const testRows = Array.from({ length: d.nte }, (_, i) => Array.from({ length: d.p }, (_, f) => d.Xte[f * d.nte + i]));
  const ml = new MlRandomForest({
    nEstimators: 100,
    maxFeatures: Math.floor(Math.sqrt(d.p)),
    replacement: true,
    seed,
    useSampleBagging: true,
    noOOB: true,
    treeOptions: { maxDepth: 10 },
  });
  t0 = performance.now();
  ml.train(rows, Array.from(d.ytr));
  const mlTime = (performance.now() - t0) / 1000;
  const mlPred: number[] = ml.predict(testRows);
  const mlAcc = mlPred.filter((v, i) => v === d.yte[i]).length / d.nte;
  results['ml-random-forest N=1000'] = { oursTime, oursAcc, mlTime, mlAcc };
  say(`\n== N = 1,000 vs ml-random-forest 2.1 (100 trees, depth 10, 4 features) ==`);
  say(
    `fit: ours ${fmt(oursTime)} vs ml-random-forest ${fmt(mlTime)}  ratio ${ratio(oursTime, mlTime)} (${(mlTime / oursTime).toFixed(0)}× faster); accuracy ours ${oursAcc.toFixed(4)} vs ${mlAcc.toFixed(4)}`,
  );
}

async function main(): Promise<void> {
  const sizes = process.env.BENCH_N ? [Number(process.env.BENCH_N)] : [10_000, 100_000];
  const pool = new Pool(2);
  await pool.ready();
  try {
    say(
      `Training engine vs scikit-learn (same run). Node ${process.version}, ${os.cpus().length} CPUs, load average ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')}.`,
    );
    say(
      'Timings after a JIT warm-up, best of 3 at N ≤ 20,000 (both sides), one run at 100,000 except boosting (best of 3 at every size, both sides, fits alternating); 2 workers = persistent worker_threads pool, binning and tree ranges split over both.',
    );
    for (const n of sizes) await benchSize(n, pool);
    if (!process.env.BENCH_N && !ONLY_GBM) benchMlRandomForest();
    say(
      `\nLoad average at the end: ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')} (other sessions share these cores; scikit-learn's multi-threaded figures suffer most).`,
    );
  } finally {
    await pool.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const outDir = path.join(HERE, 'results');
  fs.mkdirSync(outDir, { recursive: true });
  if (ONLY_GBM) return;
  fs.writeFileSync(path.join(outDir, 'training.json'), JSON.stringify({ ...results, lines }, null, 2));
}

void main();
