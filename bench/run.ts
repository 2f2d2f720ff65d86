/** `npm run bench`: runs every benchmark in bench/ one after the other. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dir = __dirname;
/** The benchmarks (other .ts files here are their helpers, e.g. forest-worker.ts). */
const BENCHMARKS = ['foundation.ts', 'datasets.ts', 'training.ts', 'reports.ts', 'tracking-search.ts', 'tracking-logging.ts', 'compare-plot.ts', 'runs-table.ts', 'batch-scoring.ts', 'serving.ts', 'drift.ts', 'drift-workspace.ts', 'mlflow-api.ts', 'mlflow-import.ts'];
const only = process.argv.slice(2);
const scripts = BENCHMARKS.filter((f) => fs.existsSync(path.join(dir, f)) && (only.length === 0 || only.some((o) => f.includes(o))));
for (const f of scripts) {
  console.log(`\n=== ${f} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, f)], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
