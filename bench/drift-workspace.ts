/**
 * Drift on data already in the workspace, and the drift report's render time (issue 12's second figure):
 *   - the drift job on two dataset versions (20 numeric features, BENCH_N rows each, 5 shifted): the
 *     worker reads the versions' stored files with their stored read options (no sniffing, no
 *     hashing, no profile) column-wise and runs the whole chapter-rule report; main stores the check;
 *   - the same job on the two raw CSV files (sniffed first, as `mlwb drift a.csv b.csv`), in the same run;
 *   - in the same run, a Python loop of scipy.stats.ks_2samp over the same 20 columns (/usr/bin/python3),
 *     the columns read from the same CSV files by pandas first (read timed apart): the ratios are ours
 *     (the whole job, file read included) against the loop alone and against read + loop; peak RSS of
 *     the worker that ran the check (VmHWM) against the Python process's;
 *   - the report of the stored check to HTML and to PDF in Chromium (a warm-up export first, so the
 *     browser's start is not counted), beside a one-paragraph report printed by the same Chromium;
 *   - the report's page in the app (the browser host on the bench's workspace, in Chromium): the time
 *     from opening #/monitoring/check/ID until its table shows all 20 columns, cold (first load of the
 *     app) and warm (navigating to it from the Monitoring page).
 * Imports are timed for information only. Note the versions are still CSV objects: "no CSV parse" here
 * means no sniff/import pass — the stored file is re-read, typed, by the worker.
 * Run: npx tsx bench/drift-workspace.ts   (BENCH_N=100000 for a quick run)
 */
import { execFileSync } from 'node:child_process';
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
import { CHROMIUM_ARGS, findChromium, startHostProcess } from '../e2e/host-process';

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

const PY = '/usr/bin/python3';
const PY_LOOP = `
import json, resource, sys, time
import pandas as pd
from scipy import stats
base_f, cur_f = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
base = pd.read_csv(base_f)
cur = pd.read_csv(cur_f)
read = time.perf_counter() - t0
stats.ks_2samp(base.iloc[:20000, 0].to_numpy(), cur.iloc[:20000, 0].to_numpy())
t1 = time.perf_counter()
res = [stats.ks_2samp(base[c].dropna().to_numpy(), cur[c].dropna().to_numpy()) for c in base.columns]
loop = time.perf_counter() - t1
print(json.dumps({"read": read, "loop": loop, "maxRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "statistic": [float(r.statistic) for r in res], "pvalue": [float(r.pvalue) for r in res]}))
`;

/** Peak RSS (VmHWM, MiB) of this process's child processes (the pool's workers), largest first. */
function childPeaksMiB(): number[] {
  const out: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) out.push(Number(hwm[1]) / 1024);
    } catch {
      // gone meanwhile
    }
  }
  return out.sort((a, b) => b - a);
}

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
  const figures: Record<string, unknown> = { date: new Date().toISOString(), n, cols: COLS, loadavg: os.loadavg() };
  let checkId = 0;
  const built = path.join(ROOT, 'out/main/job-worker.js');
  const builtWorker = process.env.BENCH_TSX !== '1' && fs.existsSync(built) ? built : null;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-drift-ws-bench-'));
  const chromium = findChromiumExecutable();
  const printer = chromium ? createChromiumPrinter() : undefined;
  const ctx = createAppContext({
    workspaceDir: path.join(tmp, 'workspace'),
    resourcesDir: path.join(ROOT, 'resources'),
    // The built worker, as the app ships it (electron-vite's bundle); BENCH_TSX=1 (or no build) runs the sources under tsx.
    spawnWorker: createForkSpawner(
      builtWorker
        ? { entry: builtWorker, log: () => {} }
        : { entry: path.join(ROOT, 'electron/workers/job-worker.ts'), execArgv: ['--import', 'tsx'], log: () => {} },
    ),
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

    console.log(
      `worker: ${builtWorker ? 'out/main/job-worker.js (the built bundle, as the app ships)' : 'electron/workers/job-worker.ts under tsx'}`,
    );
    const ws1 = await timed(() => drift(ctx, { kind: 'dataset', versionId: bv }, { kind: 'dataset', versionId: cv }));
    const wsPeak = childPeaksMiB()[0] ?? NaN;
    const files = await timed(() => drift(ctx, { kind: 'file', path: base }, { kind: 'file', path: cur }));
    const filesPeak = childPeaksMiB()[0] ?? NaN;
    // Versions again after the files (the better of the two: the first large job also grows the worker's heap).
    const ws2 = await timed(() => drift(ctx, { kind: 'dataset', versionId: bv }, { kind: 'dataset', versionId: cv }));
    const ws = ws2.ms < ws1.ms ? ws2 : ws1;
    console.log(`drift job on the versions, both rounds: ${secs(ws1.ms)}, ${secs(ws2.ms)}`);
    const check = ctx.store.monitoring.getCheck(ws.value);
    console.log(
      `drift job, two dataset versions:  ${secs(ws.ms)}  (${check.summary.drifted} of ${check.summary.tested} drift)  worker peak RSS ${wsPeak.toFixed(0)} MiB`,
    );
    console.log(
      `drift job, two CSV files (sniff): ${secs(files.ms)}  ratio versions / files ${(ws.ms / files.ms).toFixed(2)}  worker peak RSS so far ${filesPeak.toFixed(0)} MiB`,
    );

    const py = JSON.parse(execFileSync(PY, ['-c', PY_LOOP, base, cur], { encoding: 'utf8', maxBuffer: 1 << 24 })) as {
      read: number;
      loop: number;
      maxRssMiB: number;
      statistic: number[];
      pvalue: number[];
    };
    let worst = 0;
    for (let j = 0; j < COLS; j++) {
      const c = check.result.columns.find((x) => x.column === `feature_${j}`)!;
      for (const [a, b] of [
        [c.statistic!, py.statistic[j]],
        [c.pValue!, py.pvalue[j]],
      ])
        worst = Math.max(worst, a === b ? 0 : Math.abs(a - b) / Math.abs(b));
    }
    console.log(
      `scipy: pandas.read_csv of both files ${secs(py.read * 1000)}, ks_2samp loop ${secs(py.loop * 1000)}, peak RSS ${py.maxRssMiB.toFixed(0)} MiB`,
    );
    console.log(
      `ratio, drift job on versions (read + whole report) / scipy loop alone: ${(ws.ms / 1000 / py.loop).toFixed(2)}; / (read_csv + loop): ${(ws.ms / 1000 / (py.read + py.loop)).toFixed(2)} (goal ≤ 0.5)`,
    );
    console.log(
      `peak memory, worker / python: ${(wsPeak / py.maxRssMiB).toFixed(2)}; largest relative difference to scipy (statistic, p-value): ${worst.toExponential(2)}`,
    );
    figures.scipy = { readSeconds: py.read, loopSeconds: py.loop, maxRssMiB: py.maxRssMiB };
    figures.ours = {
      versionsSeconds: ws.ms / 1000,
      filesSeconds: files.ms / 1000,
      workerPeakMiB: wsPeak,
      workerPeakAfterFilesMiB: filesPeak,
    };
    figures.worstRelativeDifference = worst;
    checkId = ws.value;

    const html = await timed(() =>
      exportWorkspaceReport(ctx, { reportId: 'drift', targetId: String(ws.value), format: 'html', paper: 'A4' }),
    );
    console.log(`drift report to HTML: ${html.ms.toFixed(0)} ms (${html.value.exported.bytes.length.toLocaleString('en')} bytes)`);
    figures.htmlMs = html.ms;
    if (!printer) console.log('drift report to PDF: skipped (no Chromium found)');
    else {
      await exportWorkspaceReport(ctx, { reportId: 'drift', targetId: String(ws.value), format: 'pdf', paper: 'A4' });
      const pdf = await timed(() =>
        exportWorkspaceReport(ctx, { reportId: 'drift', targetId: String(ws.value), format: 'pdf', paper: 'A4' }),
      );
      const bare = await timed(() => printer.printPdf('<!DOCTYPE html><p>one line</p>', { pageSize: 'A4' }));
      console.log(
        `drift report to PDF in Chromium: ${pdf.ms.toFixed(0)} ms (${pdf.value.exported.bytes.length.toLocaleString('en')} bytes); a one-line page: ${bare.ms.toFixed(0)} ms; ratio ${(pdf.ms / bare.ms).toFixed(1)}`,
      );
      figures.pdfMs = pdf.ms;
      figures.onePagePdfMs = bare.ms;
    }
  } finally {
    ctx.close();
    await printer?.close();
  }
  try {
    if (checkId && chromium && fs.existsSync(path.join(ROOT, 'out/main/host.js')))
      figures.page = await pageRender(path.join(tmp, 'workspace'), checkId);
    else console.log('report page in Chromium: skipped (build the app first: npm run build)');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const resultsDir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'drift-workspace.json'), JSON.stringify(figures, null, 2));
}

/** The report page in the app: the browser host on the bench's workspace, Chromium timing until the table shows every column. */
async function pageRender(workspaceDir: string, checkId: number): Promise<{ coldMs: number; warmMs: number }> {
  const { chromium } = await import('playwright-core');
  const host = await startHostProcess(workspaceDir);
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    const drawn = () =>
      page.waitForFunction((n) => document.querySelectorAll('[data-testid="drift-columns"] tbody tr.mon-col').length === n, COLS);
    const t0 = performance.now();
    await page.goto(`${host.openUrl}#/monitoring/check/${checkId}`);
    await drawn();
    const coldMs = performance.now() - t0;
    const warm: number[] = [];
    for (let r = 0; r < 3; r++) {
      await page.evaluate(() => (window.location.hash = '#/monitoring'));
      await page.getByRole('heading', { name: 'Monitoring', level: 1 }).waitFor();
      const t = performance.now();
      await page.evaluate((id) => (window.location.hash = `#/monitoring/check/${id}`), checkId);
      await drawn();
      warm.push(performance.now() - t);
    }
    const warmMs = Math.min(...warm);
    console.log(
      `report page in Chromium (browser host): cold ${coldMs.toFixed(0)} ms (app load + check + table), warm ${warmMs.toFixed(0)} ms (from the Monitoring page; best of 3: ${warm.map((x) => x.toFixed(0)).join(', ')})`,
    );
    return { coldMs, warmMs };
  } finally {
    await browser.close();
    await host.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
