/**
 * Compare page benchmark: time to render the parallel-coordinates plot of 20
 * runs in Chromium (the built browser host), from navigation and from the
 * runs' data arriving (the page's `mlwb:compare-data` mark) to the plot drawn
 * (`mlwb:parcoords-plotted`, set when Plotly.react resolves, after
 * 'plotly_afterplot'). The reference in the same run is the same page with 2
 * runs: the ratio says what the 18 more runs cost. Drawing alone (from the
 * later of the data and plotly's bundle, `mlwb:plotly-loaded`) is printed too.
 *
 * Runs are written straight into a temp workspace's store (rf / gbm / logreg
 * with their hyper-parameters and 8 metrics each) before the host starts.
 *
 *   npm run build && npx tsx bench/compare-plot.ts [repeats=5]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium, startHostProcess as startHost } from '../e2e/host-process';
import { createStore } from '../electron/core/store';

const ROOT = path.resolve(__dirname, '..');
const repeats = Number(process.argv[2] ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** 20 runs of three model types, as the wizard records them. */
function seed(workspace: string, count: number): string[] {
  const store = createStore(workspace);
  const ids: string[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const model = ['rf', 'gbm', 'logreg'][i % 3];
      const run = store.tracking.createRun({
        experimentId: 0,
        name: `${model} #${i + 1}`,
        userId: 'bench',
        source: 'app',
        status: 'FINISHED',
      });
      const params: Record<string, string> =
        model === 'rf'
          ? { nEstimators: String(50 + 10 * i), maxDepth: String(4 + (i % 6)), minSamplesLeaf: String(1 + (i % 4)) }
          : model === 'gbm'
            ? {
                maxIter: String(50 + 10 * i),
                learningRate: String(0.05 + 0.01 * (i % 5)),
                maxDepth: String(3 + (i % 4)),
                minSamplesLeaf: String(10 + i),
              }
            : { C: String(0.1 * (1 + i)), maxIter: String(500 + 100 * (i % 3)) };
      const r = (k: number) => 0.7 + ((i * 37 + k * 11) % 23) / 100;
      store.tracking.logBatch(run.runId, {
        params: [
          { key: 'model', value: model },
          { key: 'seed', value: '7' },
          ...Object.entries(params).map(([key, value]) => ({ key, value })),
        ],
        metrics: [
          'accuracy',
          'roc_auc',
          'f1_macro',
          'precision_macro',
          'recall_macro',
          'log_loss',
          'cv_accuracy_mean',
          'training_duration_s',
        ].map((key, k) => ({
          key,
          value: key === 'log_loss' ? 1 - r(k) : r(k),
          timestamp: Date.now(),
          step: 0,
        })),
        tags: [{ key: 'mlwb.model_type', value: model }],
      });
      store.tracking.updateRun(run.runId, { status: 'FINISHED', endTime: Date.now() });
      ids.push(run.runId);
    }
  } finally {
    store.close();
  }
  return ids;
}

async function timePlot(page: Page, url: string): Promise<{ fromNavigation: number; fromData: number; drawing: number }> {
  await page.goto('about:blank');
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('mlwb:parcoords-plotted').length > 0, undefined, { timeout: 60_000 });
  return page.evaluate(() => {
    const plotted = performance.getEntriesByName('mlwb:parcoords-plotted')[0].startTime;
    const data = performance.getEntriesByName('mlwb:compare-data')[0].startTime;
    const loaded = performance.getEntriesByName('mlwb:plotly-loaded')[0].startTime;
    // Drawing alone: from the later of "data here" and "plotly loaded" to the plot drawn.
    return { fromNavigation: plotted, fromData: plotted - data, drawing: plotted - Math.max(data, loaded) };
  });
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'out/main/host.js'))) throw new Error('Build first: npm run build');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-bench-compare-'));
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const ids = seed(workspace, 20);
    const host = await startHost(workspace);
    try {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      // The first load signs the session in (the token goes to sessionStorage) and warms the caches.
      await page.goto(host.openUrl);
      await page.waitForSelector('nav');
      const base = host.openUrl.split('?')[0].replace(/\/$/, '');
      const results: Record<number, { fromNavigation: number[]; fromData: number[]; drawing: number[] }> = {};
      for (const n of [2, 20]) {
        const url = `${base}/#/experiments/compare/${ids.slice(0, n).join(',')}`;
        await timePlot(page, url); // warm-up
        results[n] = { fromNavigation: [], fromData: [], drawing: [] };
        for (let i = 0; i < repeats; i++) {
          const t = await timePlot(page, url);
          results[n].fromNavigation.push(t.fromNavigation);
          results[n].fromData.push(t.fromData);
          results[n].drawing.push(t.drawing);
        }
      }
      const [nav2, data2, nav20, data20] = [
        median(results[2].fromNavigation),
        median(results[2].fromData),
        median(results[20].fromNavigation),
        median(results[20].fromData),
      ];
      console.log(
        `compare page, parallel coordinates of 20 runs (median of ${repeats}): ${nav20.toFixed(0)} ms from navigation, ${data20.toFixed(0)} ms from the data arriving to the plot drawn`,
      );
      const [draw2, draw20] = [median(results[2].drawing), median(results[20].drawing)];
      console.log(
        `  of which drawing (after both the data and plotly's ~5 MB bundle are in): ${draw20.toFixed(0)} ms for 20 runs, ${draw2.toFixed(0)} ms for 2 = ${(draw20 / draw2).toFixed(2)}×`,
      );
      console.log(
        `  reference, the same page with 2 runs: ${nav2.toFixed(0)} ms / ${data2.toFixed(0)} ms; 20 runs = ${(nav20 / nav2).toFixed(2)}× from navigation, ${(data20 / data2).toFixed(2)}× from the data`,
      );
    } finally {
      await host.stop();
    }
  } finally {
    await browser.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
