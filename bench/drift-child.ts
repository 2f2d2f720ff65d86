/**
 * The timed side of bench/drift.ts, run in a fresh process: loads the columns the bench wrote,
 * warms the JIT on a small slice, then times one pass and prints JSON (seconds, peak RSS,
 * per-column statistic and p-value). Usage: drift-child MODE DIR N COLS, MODE = ks | report.
 */
import fs from 'node:fs';
import path from 'node:path';
import { driftColumns } from '../electron/core/monitoring/column-drift';
import { ks2Samp } from '../electron/core/monitoring/ks-two-sample';

const [mode, dir, nArg, colsArg] = process.argv.slice(2);
const n = Number(nArg);
const cols = Number(colsArg);

function readColumns(file: string): Float64Array[] {
  const buf = fs.readFileSync(file);
  const all = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  return Array.from({ length: cols }, (_, j) => all.subarray(j * n, (j + 1) * n));
}

const base = readColumns(path.join(dir, 'base.f64'));
const cur = readColumns(path.join(dir, 'cur.f64'));
for (let r = 0; r < 3; r++) ks2Samp(base[0].subarray(0, 20000), cur[0].subarray(0, 20000));
const statistic: number[] = [];
const pvalue: number[] = [];
const t0 = performance.now();
if (mode === 'ks') {
  for (let j = 0; j < cols; j++) {
    const r = ks2Samp(base[j], cur[j]);
    statistic.push(r.statistic);
    pvalue.push(r.pValue);
  }
} else {
  const set = (x: Float64Array[]) => ({
    rows: n,
    columns: x.map((values, j) => ({ name: `feature_${j}`, kind: 'number' as const, values })),
  });
  const res = driftColumns(set(base), set(cur));
  for (let j = 0; j < cols; j++) {
    const c = res.columns.find((x) => x.column === `feature_${j}`)!;
    statistic.push(c.statistic!);
    pvalue.push(c.pValue!);
  }
}
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, statistic, pvalue }));
