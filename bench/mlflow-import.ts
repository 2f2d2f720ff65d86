/**
 * Import of an MLflow file store: an `mlruns/` folder of 1,000 runs × 50
 * metrics × 100 steps (5,000,000 points, plus 10 params and 5 tags a run),
 * generated in a temp folder in MLflow's layout, imported through the import
 * job's code path (runMlrunsImport: read, parse, one transaction per run) —
 * time, runs/s and points/s — against the store's own `tracking.logBatch`
 * writing the same runs and points into a fresh workspace in the same run
 * (points built beforehand), so the ratio is what reading and parsing the
 * files costs. The files were just written, so they come from the page cache.
 *
 * Import and logBatch alternate for a few rounds (fresh workspaces each) and
 * the best of each is compared, so a busy machine skews the ratio less.
 *
 *   npx tsx bench/mlflow-import.ts [runs=1000] [rounds=2]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEventBus } from '../electron/core/events';
import type { JobContext } from '../electron/core/jobs/job-kind';
import { runMlrunsImport } from '../electron/core/mlflow/mlruns/import-job';
import { createStore, type Store } from '../electron/core/store';
import type { MetricPointInput } from '../electron/core/store/tracking-repo';

const RUNS = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 2);
const METRICS = 50;
const STEPS = 100;
const T0 = 1_717_000_000_000;
const runId = (r: number) => r.toString(16).padStart(32, '0');
const value = (r: number, m: number, s: number) => Math.round(Math.sin(r + m * 0.1 + s * 0.01) * 1e6) / 1e6;

function generate(root: string): void {
  const exp = path.join(root, '1');
  fs.mkdirSync(exp, { recursive: true });
  fs.writeFileSync(
    path.join(exp, 'meta.yaml'),
    `artifact_location: file://${exp}\ncreation_time: ${T0}\nexperiment_id: '1'\nlast_update_time: ${T0}\nlifecycle_stage: active\nname: bench\n`,
  );
  for (let r = 0; r < RUNS; r++) {
    const id = runId(r);
    const dir = path.join(exp, id);
    for (const sub of ['metrics', 'params', 'tags', 'artifacts']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'meta.yaml'),
      `artifact_uri: file://${dir}/artifacts\nend_time: ${T0 + 1000}\nentry_point_name: ''\nexperiment_id: '1'\nlifecycle_stage: active\nrun_id: ${id}\nrun_name: run-${r}\nrun_uuid: ${id}\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: ${T0}\nstatus: 3\ntags: []\nuser_id: bench\n`,
    );
    for (let p = 0; p < 10; p++) fs.writeFileSync(path.join(dir, 'params', `p${p}`), String(p * r));
    for (let t = 0; t < 5; t++) fs.writeFileSync(path.join(dir, 'tags', `t${t}`), `tag ${t}`);
    for (let m = 0; m < METRICS; m++) {
      let text = '';
      for (let s = 0; s < STEPS; s++) text += `${T0 + s} ${value(r, m, s)} ${s}\n`;
      fs.writeFileSync(path.join(dir, 'metrics', `metric_${m}`), text);
    }
  }
}

function fakeJob(store: Store): JobContext {
  return {
    jobId: 0,
    app: { resourcesDir: '', appVersion: 'bench', store, events: createEventBus(), pool: { size: 1 }, secrets: undefined as never },
    signal: new AbortController().signal,
    progress: () => {},
    runTask: () => Promise.reject(new Error('no worker tasks in this bench')),
  };
}

/** The import through the job's code path into a fresh workspace; seconds. */
async function measureImport(ws: string, mlruns: string, points: number): Promise<number> {
  fs.mkdirSync(ws);
  const store = createStore(ws);
  const t = performance.now();
  const report = await runMlrunsImport(fakeJob(store), { dir: mlruns });
  const s = (performance.now() - t) / 1000;
  store.close();
  if (report.counts.run !== RUNS || report.counts.metric !== points)
    throw new Error(
      `imported ${report.counts.run} runs, ${report.counts.metric} points; skipped ${JSON.stringify(report.skipped.slice(0, 3))}`,
    );
  return s;
}

type Batch = Parameters<Store['tracking']['logBatch']>[1];

/** The same runs and points through the store's batch API (built beforehand), one transaction per run as the import; seconds. */
function measureDirect(ws: string, batches: Batch[]): number {
  fs.mkdirSync(ws);
  const store = createStore(ws);
  const exp = store.tracking.createExperiment({ name: 'bench' });
  const t = performance.now();
  for (let r = 0; r < RUNS; r++)
    store.transaction(() => {
      store.tracking.createRun({
        id: runId(r),
        experimentId: exp.id,
        name: `run-${r}`,
        userId: 'bench',
        source: 'mlflow-import',
        status: 'FINISHED',
        startTime: T0,
        endTime: T0 + 1000,
      });
      store.tracking.logBatch(runId(r), batches[r]);
    });
  const s = (performance.now() - t) / 1000;
  store.close();
  return s;
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-bench-mlruns-'));
  try {
    const mlruns = path.join(tmp, 'mlruns');
    fs.mkdirSync(path.join(mlruns, '0'), { recursive: true });
    fs.writeFileSync(
      path.join(mlruns, '0', 'meta.yaml'),
      `experiment_id: '0'\nname: Default\nlifecycle_stage: active\ncreation_time: ${T0}\n`,
    );
    const t = performance.now();
    generate(mlruns);
    const genS = (performance.now() - t) / 1000;
    const points = RUNS * METRICS * STEPS;
    const batches: Batch[] = Array.from({ length: RUNS }, (_, r) => {
      const metrics: MetricPointInput[] = [];
      for (let m = 0; m < METRICS; m++)
        for (let s = 0; s < STEPS; s++) metrics.push({ key: `metric_${m}`, value: value(r, m, s), timestamp: T0 + s, step: s });
      return {
        metrics,
        params: Array.from({ length: 10 }, (_, p) => ({ key: `p${p}`, value: String(p * r) })),
        tags: Array.from({ length: 5 }, (_, k) => ({ key: `t${k}`, value: `tag ${k}` })),
      };
    });
    console.log(
      `mlflow import: ${RUNS} runs × ${METRICS} metrics × ${STEPS} steps = ${points.toLocaleString('en')} points (store generated in ${genS.toFixed(1)} s), ${ROUNDS} rounds, import and logBatch alternating`,
    );
    const line = (what: string, sec: number) =>
      `${what.padEnd(28)}${sec.toFixed(2).padStart(8)} s ${(RUNS / sec).toFixed(0).padStart(6)} runs/s ${(points / sec / 1e6).toFixed(3).padStart(7)} M points/s`;
    const imports: number[] = [];
    const directs: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      imports.push(await measureImport(path.join(tmp, `ws-import-${round}`), mlruns, points));
      directs.push(measureDirect(path.join(tmp, `ws-direct-${round}`), batches));
      console.log(line(`  round ${round} import`, imports.at(-1)!));
      console.log(line(`  round ${round} store logBatch`, directs.at(-1)!));
      fs.rmSync(path.join(tmp, `ws-import-${round}`), { recursive: true, force: true });
      fs.rmSync(path.join(tmp, `ws-direct-${round}`), { recursive: true, force: true });
    }
    const bestImport = Math.min(...imports);
    const bestDirect = Math.min(...directs);
    console.log(line('  best import (job path)', bestImport));
    console.log(line('  best store logBatch', bestDirect));
    console.log(
      `  ratio import / logBatch (best of each): ${(bestImport / bestDirect).toFixed(2)}× (the cost of reading and parsing the files)`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
