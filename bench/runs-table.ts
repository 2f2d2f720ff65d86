/**
 * Runs table in Chromium: a workspace of 10,000 runs × 20 metrics × 10 params
 * (plus the system tags a trained run has), served by the built browser host,
 * timed with the browser's performance API:
 * - cold: page load (navigation start) → first rows painted, and → all runs loaded;
 * - warm: in-app navigation to the experiment → first rows, → all loaded;
 * - re-sort by a metric: header click → first rows re-rendered in the new order, → all reloaded;
 * - scroll to the bottom: rows in the DOM stay a few dozen (virtualised);
 * and, as the reference the table cannot beat, the `runs:search` round trip
 * of the same pages over HTTP from Node (time and JSON size).
 * Needs `npm run build` first.
 *
 *   npx tsx bench/runs-table.ts [runs=10000] [repeats=5]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium, startHostProcess } from '../e2e/host-process';
import { createRandom } from '../electron/core/datasets/column-stats';
import { createStore } from '../electron/core/store';

const [runsArg, repeatsArg] = process.argv.slice(2).filter((a) => /^\d+$/.test(a));
const N = Number(runsArg ?? 10_000);
const REPEATS = Number(repeatsArg ?? 5);
const METRICS = 20;
const PARAMS = 10;
const MODELS = ['rf', 'gbm', 'logreg'];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function buildWorkspace(dir: string): { experimentId: number; buildMs: number } {
  const t0 = performance.now();
  const store = createStore(dir);
  const rand = createRandom(42);
  const experimentId = store.tracking.createExperiment({ name: 'bench', description: `${N} runs` }).id;
  const t = 1_700_000_000_000;
  // One transaction per 1,000 runs (the repository's own transactions nest as savepoints): the
  // workspace is built through the same calls a train job makes, without a commit per run.
  const one = (i: number) => {
    const model = MODELS[Math.floor(rand() * 3)];
    const info = store.tracking.createRun({
      experimentId,
      name: `${model} · run ${i}`,
      userId: 'bench',
      source: 'cli',
      status: 'FINISHED',
      startTime: t + i * 1000,
      tags: [
        { key: 'mlwb.model_type', value: model },
        { key: 'mlwb.dataset', value: 'churn@sample' },
        { key: 'mlwb.task', value: 'classification' },
      ],
    });
    const metrics = [{ key: 'accuracy', value: rand(), timestamp: t + i, step: 0 }];
    for (let m = 1; m < METRICS; m++) metrics.push({ key: `metric_${m}`, value: rand(), timestamp: t + i, step: 0 });
    const params = [{ key: 'model', value: model }];
    for (let p = 1; p < PARAMS; p++) params.push({ key: `param_${p}`, value: String(Math.floor(rand() * 100)) });
    store.tracking.logBatch(info.runId, { metrics, params });
    store.tracking.updateRun(info.runId, { endTime: t + i * 1000 + 500 + Math.floor(rand() * 60_000) });
  };
  for (let i = 0; i < N; i += 1000)
    store.transaction(() => {
      for (let j = i; j < Math.min(N, i + 1000); j++) one(j);
    });
  store.close();
  return { experimentId, buildMs: performance.now() - t0 };
}

/** In the page: resolves with performance.now() once `test` (an expression) holds on a painted frame. */
const waitInPage = (page: Page, test: string): Promise<number> =>
  // A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
  page.evaluate(
    `new Promise((resolve) => { const tick = () => ((${test}) ? requestAnimationFrame(() => resolve(performance.now())) : requestAnimationFrame(tick)); tick(); })`,
  );

const FIRST_ROW = `!!document.querySelector('.runs-grid__body [role="row"]')`;
const ALL_LOADED = `(document.querySelector('[data-testid="run-count"]')?.textContent ?? '').replace(/[^0-9]/g, '') === '${N}' && !document.querySelector('.runs-count__loading')`;

async function main(): Promise<void> {
  if (!fs.existsSync(path.resolve(__dirname, '../out/main/host.js'))) throw new Error('Build first: npm run build');
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-bench-runs-'));
  process.on('exit', () => fs.rmSync(ws, { recursive: true, force: true }));
  const { experimentId, buildMs } = buildWorkspace(ws);
  console.log(`built ${N.toLocaleString('en')} runs × ${METRICS} metrics × ${PARAMS} params (+3 tags) in ${(buildMs / 1000).toFixed(1)} s`);

  const host = await startHostProcess(ws);
  const base = host.openUrl.split('/?')[0];
  const token = new URL(host.openUrl).searchParams.get('token') ?? '';
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    // Reference: the search pages the table asks for, over HTTP from Node.
    const search = async (maxResults: number, pageToken?: string) => {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/invoke/runs:search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-mlwb-token': token },
        body: JSON.stringify({ experimentIds: [experimentId], orderBy: ['attributes.start_time DESC'], maxResults, pageToken }),
      });
      const text = await res.text();
      const ms = performance.now() - t0;
      const body = JSON.parse(text) as { value: { runs: unknown[]; nextPageToken?: string } };
      return { ms, bytes: text.length, runs: body.value.runs.length, next: body.value.nextPageToken };
    };
    await search(1000);
    const first: number[] = [];
    const all: number[] = [];
    let firstBytes = 0;
    let allBytes = 0;
    for (let r = 0; r < REPEATS; r++) {
      const a = await search(1000);
      first.push(a.ms);
      firstBytes = a.bytes;
      let ms = a.ms;
      let bytes = a.bytes;
      let next = a.next;
      while (next) {
        const b = await search(9000, next);
        ms += b.ms;
        bytes += b.bytes;
        next = b.next;
      }
      all.push(ms);
      allBytes = bytes;
    }

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const url = `${host.openUrl}#/experiments/exp/${experimentId}`;
    const cold = { first: [] as number[], all: [] as number[] };
    const warm = { first: [] as number[], all: [] as number[] };
    const resort = { first: [] as number[], all: [] as number[] };
    let domRows = 0;
    for (let r = 0; r < REPEATS; r++) {
      // Cold: a fresh load of the page; times are from the navigation start.
      await page.goto('about:blank');
      await page.goto(url);
      cold.first.push(await waitInPage(page, FIRST_ROW));
      cold.all.push(await waitInPage(page, ALL_LOADED));

      // Warm: from another page of the app to the experiment.
      await page.evaluate(() => (location.hash = '#/data'));
      await page.waitForSelector('.runs-grid', { state: 'detached' });
      const start = await page.evaluate((id) => {
        const t = performance.now();
        location.hash = `#/experiments/exp/${id}`;
        return t;
      }, experimentId);
      warm.first.push((await waitInPage(page, FIRST_ROW)) - start);
      warm.all.push((await waitInPage(page, ALL_LOADED)) - start);

      // Re-sort by a metric: click its header; done when the top row changed and the header says so.
      // (A first click sorts high to low, the next one flips it.)
      const clicked = await page.evaluate(() => {
        const top = document.querySelector('.runs-grid__body [role="row"]')?.getAttribute('data-run-id');
        const header = document.querySelector('[role="columnheader"][data-column="metrics.accuracy"]')!;
        const direction = header.getAttribute('aria-sort') === 'descending' ? 'ascending' : 'descending';
        const t = performance.now();
        header.querySelector('button')!.click();
        return { t, top, direction };
      });
      const direction = clicked.direction;
      const sorted = `document.querySelector('[role="columnheader"][data-column="metrics.accuracy"]')?.getAttribute('aria-sort') === '${direction}' && document.querySelector('.runs-grid__body [role="row"]')?.getAttribute('data-run-id') !== ${JSON.stringify(clicked.top)}`;
      resort.first.push((await waitInPage(page, sorted)) - clicked.t);
      resort.all.push((await waitInPage(page, `${sorted} && ${ALL_LOADED}`)) - clicked.t);

      // Scrolled to the end, the DOM still holds only the rows in view.
      await page.evaluate(() => document.querySelector('.runs-grid')!.scrollTo(0, 1e9));
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      domRows = await page.evaluate(() => document.querySelectorAll('.runs-grid__body [role="row"]').length);
    }
    const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);

    const ms = (x: number) => `${x.toFixed(0)} ms`.padStart(9);
    console.log(`\nruns table, ${N.toLocaleString('en')} runs, median of ${REPEATS} (Chromium, browser host)`);
    console.log('                                         first rows     all runs');
    console.log(`cold page load → rows                    ${ms(median(cold.first))}    ${ms(median(cold.all))}`);
    console.log(`in-app navigation → rows                 ${ms(median(warm.first))}    ${ms(median(warm.all))}`);
    console.log(`re-sort by metrics.accuracy (click)      ${ms(median(resort.first))}    ${ms(median(resort.all))}`);
    console.log(`reference: runs:search over HTTP (Node)  ${ms(median(first))}    ${ms(median(all))}`);
    console.log(
      `payload: first page (1,000 runs) ${(firstBytes / 1e6).toFixed(2)} MB, all ${N.toLocaleString('en')} runs ${(allBytes / 1e6).toFixed(1)} MB (${Math.round(allBytes / N)} B/run)`,
    );
    console.log(`rows in the DOM when scrolled to the end: ${domRows} of ${N.toLocaleString('en')}; JS heap ${(heap / 1e6).toFixed(0)} MB`);
    console.log(
      `ratios: first rows after a re-sort / search round trip of the first page ×${(median(resort.first) / median(first)).toFixed(1)}; all runs in the table / all pages over HTTP ×${(median(resort.all) / median(all)).toFixed(1)}`,
    );
  } finally {
    await browser.close();
    await host.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
