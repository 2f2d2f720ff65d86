/**
 * Drift on data already in the workspace, and the drift report's render time (issue 12's second figure):
 *   - the drift job on two dataset versions (20 numeric features, BENCH_N rows each, 5 shifted): the
 *     worker reads the versions' stored files with their stored read options (no sniffing, no
 *     hashing, no profile) column-wise and runs the whole chapter-rule report; main stores the check;
 *   - the same job on the two raw CSV files (sniffed first, as `mlwb drift a.csv b.csv`), in the same run;
 *   - the report of the stored check to HTML and to PDF in Chromium (a warm-up export first, so the
 *     browser's start is not counted), beside a one-paragraph report printed by the same Chromium.
 * Imports are timed for information only. Note the versions are still CSV objects: "no CSV parse" here
 * means no sniff/import pass — the stored file is re-read, typed, by the worker.
 * Run: npx tsx bench/drift-workspace.ts   (BENCH_N=100000 for a quick run)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportResult } from '../shared/contracts/datasets';
import { createAppContext, type AppContext } from '../electron/core/app-context';
import { importDatasetJob } from '../electron/core/datasets/dataset-jobs';
import { csvOptionsFromSniff, sniffCsvFile } from '../electron/core/datasets/sniff-csv';
import { createForkSpawner } from '../electron/core/jobs/fork-spawner';
import { driftCheckJob, type DriftJobParams, type DriftJobResult } from '../electron/core/monitoring/drift-job';
import { createChromiumPrinter, findChromiumExecutable } from '../electron/core/reports/chromium-printer';
import { exportWorkspaceReport } from '../electron/core/reports/workspace-reports';
import { Rng } from '../electron/core/training/random';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const COLS = 20;
const SHIFTS = [0.5, 0.1, 0.02, 0.005, 0.001];

function writeCsv(file: string, n: number, seed: number, shifted: boolean): void {
  const rng = new Rng(seed);
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, Array.from({ length: COLS }, (_, j) => `feature_${j}`).join(',') + '\n');
    let chunk: string[] = [];
    for (let i = 0; i < n; i++) {
      const row: string[] = new Array(COLS);
      for (let j = 0; j < COLS; j++) {
        const v =
          rng.nextFloat() + rng.nextFloat() + rng.nextFloat() + rng.nextFloat() - 2 + (shifted && j < SHIFTS.length ? SHIFTS[j] : 0);
        row[j] = v.toFixed(6);
      }
      chunk.push(row.join(','));
      if (chunk.length === 10_000) {
        fs.writeSync(fd, chunk.join('\n') + '\n');
        chunk = [];
      }
    }
    if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
  } finally {
    fs.closeSync(fd);
  }
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(what: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await what();
  return { ms: performance.now() - t, value };
}

async function importFile(ctx: AppContext, file: string, name: string): Promise<number> {
  const options = csvOptionsFromSniff(sniffCsvFile(file));
  const job = await ctx.jobs.waitFor(ctx.jobs.start(importDatasetJob, { path: file, name, tag: 'v1', options }).id);
  if (job.status !== 'succeeded') throw new Error(job.error ?? job.status);
  return (job.result as ImportResult).versionId;
}

async function drift(ctx: AppContext, baseline: DriftJobParams['baseline'], current: DriftJobParams['current']): Promise<number> {
  const params: DriftJobParams = {
    baseline,
    current,
    rule: 'chapter',
    pThreshold: 0.05,
    driftShareThreshold: 0.3,
    ksMethod: 'auto',
    createdBy: 'bench',
  };
  const job = await ctx.jobs.waitFor(ctx.jobs.start(driftCheckJob, params).id);
  if (job.status !== 'succeeded') throw new Error(job.error ?? job.status);
  return (job.result as DriftJobResult).checkId;
}

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_N ?? 1_000_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-drift-ws-bench-'));
  const chromium = findChromiumExecutable();
  const printer = chromium ? createChromiumPrinter() : undefined;
  const ctx = createAppContext({
    workspaceDir: path.join(tmp, 'workspace'),
    resourcesDir: path.join(ROOT, 'resources'),
    spawnWorker: createForkSpawner({
      entry: path.join(ROOT, 'electron/workers/job-worker.ts'),
      execArgv: ['--import', 'tsx'],
      log: () => {},
    }),
    poolSize: 1,
    appVersion: 'bench',
    shell: 'cli',
    printPdf: printer?.printPdf,
  });
  try {
    const base = path.join(tmp, 'base.csv');
    const cur = path.join(tmp, 'cur.csv');
    writeCsv(base, n, 1, false);
    writeCsv(cur, n, 2, true);
    console.log(
      `data: ${COLS} numeric features, ${n.toLocaleString('en')} vs ${n.toLocaleString('en')} rows, ${(fs.statSync(base).size / 2 ** 20).toFixed(0)} MiB per file`,
    );
    const imp = await timed(async () => [await importFile(ctx, base, 'bench-base'), await importFile(ctx, cur, 'bench-cur')]);
    const [bv, cv] = imp.value;
    console.log(`import of both files (hash, profile, copy; for information): ${secs(imp.ms)}`);

    // Warm-up on a small pair, so the worker's start and compilation are not counted.
    const small = path.join(tmp, 'small.csv');
    writeCsv(small, 2000, 3, true);
    await drift(ctx, { kind: 'file', path: small }, { kind: 'file', path: small });

    const ws = await timed(() => drift(ctx, { kind: 'dataset', versionId: bv }, { kind: 'dataset', versionId: cv }));
    const files = await timed(() => drift(ctx, { kind: 'file', path: base }, { kind: 'file', path: cur }));
    const check = ctx.store.monitoring.getCheck(ws.value);
    console.log(`drift job, two dataset versions:  ${secs(ws.ms)}  (${check.summary.drifted} of ${check.summary.tested} drift)`);
    console.log(`drift job, two CSV files (sniff): ${secs(files.ms)}  ratio versions / files ${(ws.ms / files.ms).toFixed(2)}`);

    const html = await timed(() =>
      exportWorkspaceReport(ctx, { reportId: 'drift', targetId: String(ws.value), format: 'html', paper: 'A4' }),
    );
    console.log(`drift report to HTML: ${html.ms.toFixed(0)} ms (${html.value.exported.bytes.length.toLocaleString('en')} bytes)`);
    if (!printer) {
      console.log('drift report to PDF: skipped (no Chromium found)');
      return;
    }
    await exportWorkspaceReport(ctx, { reportId: 'drift', targetId: String(ws.value), format: 'pdf', paper: 'A4' });
    const pdf = await timed(() =>
      exportWorkspaceReport(ctx, { reportId: 'drift', targetId: String(ws.value), format: 'pdf', paper: 'A4' }),
    );
    const bare = await timed(() => printer.printPdf('<!DOCTYPE html><p>one line</p>', { pageSize: 'A4' }));
    console.log(
      `drift report to PDF in Chromium: ${pdf.ms.toFixed(0)} ms (${pdf.value.exported.bytes.length.toLocaleString('en')} bytes); a one-line page: ${bare.ms.toFixed(0)} ms; ratio ${(pdf.ms / bare.ms).toFixed(1)}`,
    );
  } finally {
    ctx.close();
    await printer?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
