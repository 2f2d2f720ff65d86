/**
 * Batch scoring throughput (issue 11): 1,000,000 rows × 20 numeric features
 * scored by the random forest of the training bench (100 trees, max depth
 * 10, max features sqrt) through the `score-batch` job — resolve the
 * registered version, a worker process streams the CSV in chunks, encodes,
 * predicts and writes the scored CSV (input columns + prediction + two
 * probabilities), main adopts it and records the prediction set — against
 * the engine's in-memory `predictOutputs` on the same rows (already a
 * column-major Float64Array: no CSV, no encoding, no output), in the same
 * run. The job's figure is rows/s from `jobs.start` to the final record,
 * with a pool of one worker and with the app's default pool (a large file is
 * spread over it: each worker reads the file and scores every n-th chunk,
 * then one merges the parts).
 *
 * The data are seeded (no scikit-learn needed): 20 standard-normal features,
 * 15 informative, a noisy linear label. The forest is fitted on the first
 * 20,000 rows. The worker runs the TypeScript sources through tsx, as the
 * tests do, so the figure needs no build.
 *
 *   npx tsx bench/batch-scoring.ts [--rows 1000000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createAppContext, type AppContext } from '../electron/core/app-context';
import { createRandom } from '../electron/core/datasets/column-stats';
import { csvOptionsFromSniff, sniffCsvFile } from '../electron/core/datasets/sniff-csv';
import { createForkSpawner } from '../electron/core/jobs/fork-spawner';
import { defaultPoolSize } from '../electron/core/jobs/worker-pool';
import { scoreBatchJob, type ScoreBatchResult } from '../electron/core/serving/score-batch-job';
import { argmaxRows, deserializeModel, predictOutputs, serializeModel } from '../electron/core/training/model';
import { trainModel } from '../electron/core/training/train';
import { loadSpecDataset } from '../electron/core/training/training-spec';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const ROWS = Number(argv[argv.indexOf('--rows') + 1] || 1_000_000) || 1_000_000;
const P = 20;
const INFORMATIVE = 15;
const TRAIN_ROWS = 20_000;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-bench-score-'));
const fmt = (n: number) => Math.round(n).toLocaleString('en');

/** Writes `rows` seeded rows to a CSV; returns the feature matrix (column-major, the parsed values) and the file. */
function writeData(file: string, rows: number): Float64Array {
  const rnd = createRandom(42);
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const weights = Array.from({ length: P }, (_, j) => (j < INFORMATIVE ? gauss() : 0));
  const X = new Float64Array(rows * P);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, `${[...Array.from({ length: P }, (_, j) => `x${j}`), 'label'].join(',')}\n`);
  let lines: string[] = [];
  const row: string[] = new Array(P + 1);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < P; j++) {
      const text = gauss().toFixed(5);
      const v = Number(text);
      X[j * rows + r] = v;
      s += weights[j] * v;
      row[j] = text;
    }
    row[P] = s + gauss() > 0 ? '1' : '0';
    lines.push(row.join(','));
    if (lines.length === 10_000) {
      fs.writeSync(fd, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length) fs.writeSync(fd, `${lines.join('\n')}\n`);
  fs.closeSync(fd);
  return X;
}

async function main(): Promise<void> {
  const big = path.join(tmp, 'rows.csv');
  let t = performance.now();
  const X = writeData(big, ROWS);
  console.log(
    `data: ${fmt(ROWS)} rows × ${P} features, ${(fs.statSync(big).size / 2 ** 20).toFixed(0)} MiB CSV (${((performance.now() - t) / 1000).toFixed(1)} s to write)`,
  );

  // The training bench's forest, fitted on the head of the same data.
  const head = path.join(tmp, 'train.csv');
  fs.writeFileSync(
    head,
    fs
      .readFileSync(big, 'utf8')
      .split('\n', TRAIN_ROWS + 1)
      .join('\n') + '\n',
  );
  t = performance.now();
  const fitted = await trainModel(
    loadSpecDataset({
      source: { path: head, label: 'train.csv', options: csvOptionsFromSniff(sniffCsvFile(head)) },
      target: 'label',
      algorithm: 'rf',
      params: {},
      seed: 42,
      testSize: 0,
      cvFolds: 0,
    }),
    {
      algorithm: 'rf',
      params: { nEstimators: 100, maxDepth: 10, maxFeatures: 'sqrt' },
      seed: 42,
      testSize: 0,
      permutationImportance: false,
    },
  );
  const modelJson = serializeModel(fitted.model);
  const model = deserializeModel(modelJson);
  console.log(
    `model: random forest, 100 trees, max depth 10, fitted on ${fmt(TRAIN_ROWS)} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  // Workspaces with the model registered (a run to point at, the model object, version 1 in Production):
  // one whose pool has one worker, and one with the app's default pool (the job spreads a large file over it).
  const open = (poolSize: number) => {
    const ctx = createAppContext({
      workspaceDir: path.join(tmp, `workspace-${poolSize}`),
      resourcesDir: path.join(ROOT, 'resources'),
      spawnWorker: createForkSpawner({
        entry: path.join(ROOT, 'electron/workers/job-worker.ts'),
        execArgv: ['--import', 'tsx'],
        log: () => {},
      }),
      poolSize,
      appVersion: 'bench',
      shell: 'cli',
    });
    const { store } = ctx;
    const run = store.tracking.createRun({ experimentId: 0, name: 'bench-forest', userId: 'bench', source: 'cli' });
    const object = store.objects.writeObject(modelJson);
    store.tracking.addArtifact(run.runId, { path: 'model/model.json', sha256: object.sha256, size: object.size });
    store.registry.createVersion({ name: 'bench', runId: run.runId, modelSha256: object.sha256, createdBy: 'bench', createModel: true });
    store.registry.setStage('bench', 1, 'Production');
    return ctx;
  };
  const contexts = [open(1), open(defaultPoolSize())];
  // Large enough (about 10 MiB) that the warm-up job engages every worker of the pool.
  const warm = path.join(tmp, 'warm.csv');
  fs.writeFileSync(warm, fs.readFileSync(big, 'utf8').split('\n', 60_001).join('\n') + '\n');
  try {
    const scoreJob = async (ctx: AppContext, file: string, out: string) => {
      const started = performance.now();
      const job = await ctx.jobs.waitFor(
        ctx.jobs.start(scoreBatchJob, { name: 'bench', selector: { kind: 'stage', stage: 'Production' }, file, out }).id,
      );
      if (job.status !== 'succeeded') throw new Error(job.error ?? job.status);
      return { ms: performance.now() - started, result: job.result as ScoreBatchResult };
    };
    // The engine in memory on the same rows (the whole matrix at once), warmed up first.
    const warmRows = 10_000;
    const warmX = new Float64Array(warmRows * P);
    for (let j = 0; j < P; j++) warmX.set(X.subarray(j * ROWS, j * ROWS + warmRows), j * warmRows);
    predictOutputs(model, warmX, warmRows);
    let out: Float64Array = new Float64Array(0);
    const inMemory = () => {
      const t0 = performance.now();
      out = predictOutputs(model, X, ROWS);
      return performance.now() - t0;
    };
    // In memory before and after the jobs: on a shared machine the load changes, and the ratio uses their mean.
    const memBefore = inMemory();
    const jobs: { workers: number; ms: number; result: ScoreBatchResult; out: string }[] = [];
    for (const ctx of contexts) {
      // Warm-up: the worker processes start and their code is compiled (the app's pool is persistent).
      await scoreJob(ctx, warm, path.join(tmp, `warm-${ctx.pool.size}.csv`));
      const file = path.join(tmp, `scored-${ctx.pool.size}.csv`);
      jobs.push({ workers: ctx.pool.size, out: file, ...(await scoreJob(ctx, big, file)) });
    }
    const memAfter = inMemory();
    const memMs = (memBefore + memAfter) / 2;
    const memRate = ROWS / (memMs / 1000);
    const scored = jobs[0].out;

    // The job's predictions are the engine's (checked on every row, outside the timings).
    const codes = argmaxRows(out, ROWS, 2);
    const classes = model.encoding.classes!;
    let i = -1;
    let mismatches = 0;
    for await (const line of readline.createInterface({ input: fs.createReadStream(scored) })) {
      if (i >= 0) {
        const cells = line.split(',');
        if (cells[P + 1] !== classes[codes[i]] || Number(cells[P + 3]) !== out[2 * i + 1]) mismatches++;
      }
      i++;
    }
    if (i !== ROWS) throw new Error(`the scored CSV has ${i} rows, expected ${ROWS}`);

    const mib = (fs.statSync(scored).size / 2 ** 20).toFixed(0);
    console.log('');
    console.log(
      `load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.availableParallelism()} cores`,
    );
    console.log(
      `in-memory predictOutputs on the same rows (one thread): ${(memMs / 1000).toFixed(2)} s (${(memBefore / 1000).toFixed(2)} before, ${(memAfter / 1000).toFixed(2)} after the jobs), ${fmt(memRate)} rows/s`,
    );
    for (const j of jobs) {
      const rate = ROWS / (j.ms / 1000);
      console.log(
        `score-batch job, ${j.workers} worker(s) (CSV → CSV ${mib} MiB + prediction set): ${(j.ms / 1000).toFixed(2)} s, ${fmt(rate)} rows/s, ratio to in-memory ${(rate / memRate).toFixed(2)}`,
      );
    }
    const same = jobs.every((j) => j.result.predictionSet.sha256 === jobs[0].result.predictionSet.sha256);
    console.log(
      `scored files identical across worker counts: ${same}; predictions equal to in-memory on ${fmt(ROWS - mismatches)} of ${fmt(ROWS)} rows`,
    );
    if (mismatches > 0 || !same) process.exitCode = 1;
  } finally {
    for (const ctx of contexts) ctx.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
});
