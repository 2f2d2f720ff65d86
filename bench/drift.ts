/**
 * KS drift benchmark against scipy (Debian python3-scipy), same data, same run:
 * 20 numeric features, 1,000,000 baseline vs 1,000,000 current rows (5 features shifted).
 * The bench writes the columns to binary files, then times in fresh processes
 *   - ours "ks":     per column ks2Samp (bucketed statistic without sorting, then scipy's p-value),
 *   - ours "report": driftColumns(), the whole chapter-rule report (KS, stats, mean shift, PSI, histograms),
 *   - scipy:         a Python loop of scipy.stats.ks_2samp over the same columns,
 * each after loading the files (loading is not timed), and reads each process's peak RSS
 * (Node: process.resourceUsage().maxRSS; Python: resource.getrusage(RUSAGE_SELF).ru_maxrss).
 * It also checks that our statistic and p-value equal scipy's (1e-9 relative) on every column.
 * Goal (issue 12): ours / scipy <= 0.5.
 * Our side runs as one esbuild bundle, as the app ships it (electron-vite bundles the worker);
 * under tsx's module loader the same code is about a third slower (BENCH_TSX=1 to measure that).
 * Run: npx tsx bench/drift.ts     (BENCH_N=100000 for a quick run; BENCH_ROUNDS=2 alternates rounds)
 */
import { execFileSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../electron/core/training/random';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PY = '/usr/bin/python3';
const COLS = 20;
const CHILD = path.join(HERE, 'drift-child.ts');

interface ChildResult {
  seconds: number;
  maxRssMiB: number;
  statistic: number[];
  pvalue: number[];
}

const PY_LOOP = `
import json, resource, sys, time
import numpy as np
from scipy import stats
d, n, cols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
base = np.fromfile(d + '/base.f64', dtype='<f8').reshape(cols, n)
cur = np.fromfile(d + '/cur.f64', dtype='<f8').reshape(cols, n)
for _ in range(3):
    stats.ks_2samp(base[0, :20000], cur[0, :20000])
t0 = time.perf_counter()
res = [stats.ks_2samp(base[j], cur[j]) for j in range(cols)]
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "maxRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "statistic": [float(r.statistic) for r in res], "pvalue": [float(r.pvalue) for r in res]}))
`;

function main(): void {
  const n = Number(process.env.BENCH_N ?? 1_000_000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-drift-bench-'));
  try {
    // Sums of four uniforms (close to normal); features 0..4 shifted by 0.5, 0.1, 0.02, 0.005, 0.001 std-ish steps.
    const shifts = [0.5, 0.1, 0.02, 0.005, 0.001];
    const write = (file: string, seed: number, shifted: boolean): void => {
      const all = new Float64Array(n * COLS);
      const rng = new Rng(seed);
      for (let j = 0; j < COLS; j++) {
        const s = shifted && j < shifts.length ? shifts[j] : 0;
        for (let i = 0; i < n; i++) all[j * n + i] = rng.nextFloat() + rng.nextFloat() + rng.nextFloat() + rng.nextFloat() - 2 + s;
      }
      fs.writeFileSync(path.join(dir, file), new Uint8Array(all.buffer));
    };
    write('base.f64', 1, false);
    write('cur.f64', 2, true);

    console.log(
      `KS drift, ${COLS} numeric features, ${n.toLocaleString('en')} vs ${n.toLocaleString('en')} rows. Node ${process.version}, ${os.cpus().length} CPUs, load average ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')}.`,
    );
    const useTsx = process.env.BENCH_TSX === '1';
    const bundle = path.join(dir, 'drift-child.mjs');
    if (!useTsx) buildSync({ entryPoints: [CHILD], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error' });
    console.log(
      `ours: ${useTsx ? 'bench/drift-child.ts under tsx' : 'an esbuild bundle of bench/drift-child.ts (bundled, as the app ships)'}; scipy: ${PY}`,
    );
    const runOurs = (mode: 'ks' | 'report'): ChildResult =>
      JSON.parse(
        execFileSync(process.execPath, [...(useTsx ? ['--import', 'tsx', CHILD] : [bundle]), mode, dir, String(n), String(COLS)], {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
        }),
      );
    const runPy = (): ChildResult =>
      JSON.parse(execFileSync(PY, ['-c', PY_LOOP, dir, String(n), String(COLS)], { encoding: 'utf8', maxBuffer: 1 << 24 }));

    const all: { ks: ChildResult[]; report: ChildResult[]; scipy: ChildResult[] } = { ks: [], report: [], scipy: [] };
    for (let r = 0; r < rounds; r++) {
      all.ks.push(runOurs('ks'));
      all.scipy.push(runPy());
      all.report.push(runOurs('report'));
    }
    const best = (xs: ChildResult[]): ChildResult => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const ks = best(all.ks);
    const report = best(all.report);
    const sp = best(all.scipy);

    let worst = 0;
    for (const ours of [ks, report]) {
      for (let j = 0; j < COLS; j++) {
        for (const [a, b] of [
          [ours.statistic[j], sp.statistic[j]],
          [ours.pvalue[j], sp.pvalue[j]],
        ]) {
          const rel = a === b ? 0 : Math.abs(a - b) / Math.abs(b);
          worst = Math.max(worst, rel);
        }
      }
    }
    const f = (s: number): string => `${s.toFixed(2)} s`;
    console.log(`scipy.stats.ks_2samp loop:        ${f(sp.seconds)}   peak RSS ${sp.maxRssMiB.toFixed(0)} MiB`);
    console.log(
      `ours, KS only (ks2Samp):          ${f(ks.seconds)}   peak RSS ${ks.maxRssMiB.toFixed(0)} MiB   ratio ${(ks.seconds / sp.seconds).toFixed(2)} (goal ≤ 0.5)`,
    );
    console.log(
      `ours, whole report (driftColumns): ${f(report.seconds)}   peak RSS ${report.maxRssMiB.toFixed(0)} MiB   ratio ${(report.seconds / sp.seconds).toFixed(2)}`,
    );
    console.log(
      `memory ratio (ours KS / scipy): ${(ks.maxRssMiB / sp.maxRssMiB).toFixed(2)}; both hold the ${((2 * n * COLS * 8) / 2 ** 20).toFixed(0)} MiB of input`,
    );
    console.log(`largest relative difference to scipy over all columns (statistic and p-value): ${worst.toExponential(2)}`);
    console.log(
      `p-values: ${sp.pvalue
        .slice(0, 6)
        .map((p) => p.toExponential(2))
        .join(', ')}, …`,
    );
    if (rounds > 1)
      console.log(
        `all rounds (s): scipy ${all.scipy.map((x) => x.seconds.toFixed(2))}, ks ${all.ks.map((x) => x.seconds.toFixed(2))}, report ${all.report.map((x) => x.seconds.toFixed(2))}`,
      );
    if (worst > 1e-9) process.exitCode = 1;

    const resultsDir = path.join(HERE, 'results');
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(
      path.join(resultsDir, 'drift.json'),
      JSON.stringify(
        {
          date: new Date().toISOString(),
          n,
          cols: COLS,
          loadavg: os.loadavg(),
          scipy: { seconds: sp.seconds, maxRssMiB: sp.maxRssMiB },
          oursKs: { seconds: ks.seconds, maxRssMiB: ks.maxRssMiB, ratio: ks.seconds / sp.seconds },
          oursReport: { seconds: report.seconds, maxRssMiB: report.maxRssMiB, ratio: report.seconds / sp.seconds },
          worstRelativeDifference: worst,
        },
        null,
        2,
      ),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
