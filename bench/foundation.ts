/**
 * Foundation figures: browser-host cold start to first painted shell, the
 * renderer's initial JS size (gzip), and the job round trip (the self-check
 * task on an empty file in a worker process, cold and warm). Needs `npm run build` first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium, startHostProcess } from '../e2e/host-process';
import { createAppContext } from '../electron/core/app-context';
import { createForkSpawner } from '../electron/core/jobs/fork-spawner';
import type { JobKind } from '../electron/core/jobs/job-kind';

const ROOT = path.resolve(__dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function initialJsGzip(): { files: string[]; raw: number; gzip: number } {
  const dir = path.join(ROOT, 'out/renderer');
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(dir, f));
    raw += bytes.length;
    gzip += zlib.gzipSync(bytes, { level: 9 }).length;
  }
  return { files, raw, gzip };
}

/** Reference: the same browser opening a one-line static page (Chromium's own fixed cost here). */
async function staticPagePaint(runs: number): Promise<number[]> {
  const http = await import('node:http');
  const server = http.createServer((_req, res) => res.end('<!doctype html><nav><a class="nav__link">Data</a></nav>'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage();
    const t0 = performance.now();
    await page.goto(url);
    await page.waitForSelector('nav .nav__link');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    times.push(performance.now() - t0);
    await page.close();
  }
  await browser.close();
  server.close();
  return times;
}

async function hostColdStart(runs: number): Promise<{ toUrl: number[]; toPaint: number[] }> {
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const toUrl: number[] = [];
  const toPaint: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-bench-'));
    const t0 = performance.now();
    const host = await startHostProcess(ws);
    toUrl.push(performance.now() - t0);
    const page = await browser.newPage();
    await page.goto(host.openUrl);
    await page.waitForSelector('nav .nav__link');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    toPaint.push(performance.now() - t0);
    await page.close();
    await host.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
  await browser.close();
  return { toUrl, toPaint };
}

async function jobRoundTrip(runs: number): Promise<{ cold: number; warm: number }> {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-bench-'));
  const ctx = createAppContext({
    workspaceDir: ws,
    resourcesDir: path.join(ROOT, 'resources'),
    spawnWorker: createForkSpawner({ entry: path.join(ROOT, 'out/main/job-worker.js'), log: () => {} }),
    poolSize: 1,
    appVersion: 'bench',
    shell: 'cli',
  });
  // The app's worker has no no-op task (that one is test-only): the smallest production task is the
  // self-check hashing an empty file once, a round trip plus a stat and an empty SHA-256.
  const empty = path.join(ws, 'empty.bin');
  fs.writeFileSync(empty, '');
  const roundTrip: JobKind<object> = {
    kind: 'bench',
    title: () => 'round trip',
    execute: (c) => c.runTask('self-check', { file: empty, passes: 1 }),
  };
  const once = async () => {
    const t = performance.now();
    const job = await ctx.jobs.waitFor(ctx.jobs.start(roundTrip, {}).id);
    if (job.status !== 'succeeded') throw new Error(job.error ?? job.status);
    return performance.now() - t;
  };
  const cold = await once();
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) warm.push(await once());
  ctx.close();
  fs.rmSync(ws, { recursive: true, force: true });
  return { cold, warm: median(warm) };
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'out/main/host.js'))) throw new Error('Build first: npm run build');
  const js = initialJsGzip();
  console.log(
    `renderer initial JS: ${js.files.join(', ')} — ${(js.raw / 1024).toFixed(1)} KiB raw, ${(js.gzip / 1024).toFixed(1)} KiB gzip`,
  );
  const start = await hostColdStart(5);
  const reference = median(await staticPagePaint(5));
  const paint = median(start.toPaint);
  console.log(
    `browser host cold start: host ready in ${median(start.toUrl).toFixed(0)} ms, first painted shell in ${paint.toFixed(0)} ms (median of 5)`,
  );
  console.log(
    `  reference, the same Chromium painting a one-line static page: ${reference.toFixed(0)} ms; shell ${(paint - median(start.toUrl)).toFixed(0)} ms after the host is ready = ${((paint - median(start.toUrl)) / reference).toFixed(1)}× the reference`,
  );
  const rt = await jobRoundTrip(50);
  console.log(
    `job round trip (self-check of an empty file): ${rt.cold.toFixed(1)} ms cold (spawns the worker), ${rt.warm.toFixed(2)} ms warm (median of 50, persistent worker); ratio cold/warm ${(rt.cold / rt.warm).toFixed(0)}×`,
  );
}

void main();
