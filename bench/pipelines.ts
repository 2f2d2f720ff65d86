/**
 * Pipeline figures (issue 13), measured in one run:
 *   the time from a new CSV landing at a watched path to a model version in
 *   Staging — the scheduler notices the file (polling at 250 ms here, 30 s in
 *   the app), the pipeline imports, validates, trains, evaluates, gates,
 *   registers and moves it to Staging — split by step; against the sum of
 *   the same steps run by hand through the CLI (`mlwb data import`, `data
 *   validate`, `train`, `models register --gate`, `models promote`), each a
 *   process as a user would type it. Two sizes: the bundled credit-style
 *   churn sample (5,000 rows) and 100,000 rows of the same columns.
 *   The model is the chapter's random forest (here 50 trees, no CV), the gate accuracy ≥ 0.5.
 * Run: npm run build && npx tsx bench/pipelines.ts
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppContext } from '../electron/core/app-context';
import { createHandlers } from '../electron/core/handlers';
import { dispatchRequest } from '../electron/core/handlers/dispatch';
import { createForkSpawner } from '../electron/core/jobs/fork-spawner';
import { PipelineScheduler } from '../electron/core/pipelines/scheduler';
import type { PipelineDefinitionInput, PipelineRun } from '../shared/pipelines';

const ROOT = path.resolve(__dirname, '..');
const SAMPLE = path.join(ROOT, 'resources/sample/churn.csv');
const CLI = path.join(ROOT, 'bin/mlwb.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-bench-pipelines-'));
const SUITE = {
  name: 'basic',
  rules: [
    { kind: 'column_exists', column: 'churned' },
    { kind: 'not_null', column: 'tenure_months' },
    { kind: 'row_count_between', min: 1000 },
  ],
};
const TREES = 50;

/** The sample's rows repeated (with fresh ids) up to `rows`. */
function writeRows(file: string, rows: number): void {
  const [header, ...lines] = fs.readFileSync(SAMPLE, 'utf8').trim().split('\n');
  const out = [header];
  for (let i = 0; i < rows; i++) {
    const line = lines[i % lines.length];
    out.push(`C${String(i + 1).padStart(7, '0')}${line.slice(line.indexOf(','))}`);
  }
  fs.writeFileSync(file, out.join('\n') + '\n');
}

function cli(workspace: string, args: string[]): { ms: number; out: string } {
  const t = performance.now();
  const out = execFileSync(process.execPath, [CLI, ...args, '--workspace', workspace], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { ms: performance.now() - t, out };
}

function byHand(file: string): Record<string, number> {
  const ws = path.join(tmp, `hand-${path.basename(file, '.csv')}`);
  const suite = path.join(tmp, 'suite.json');
  fs.writeFileSync(suite, JSON.stringify(SUITE));
  const times: Record<string, number> = {};
  times.import = cli(ws, ['data', 'import', file, '--name', 'credit', '--tag', 'v1']).ms;
  times.validate = cli(ws, ['data', 'validate', 'credit@v1', '--suite', suite]).ms;
  const train = cli(ws, [
    'train',
    '--data',
    'credit@v1',
    '--target',
    'churned',
    '--model',
    'rf',
    '--param',
    `nEstimators=${TREES}`,
    '--test-size',
    '0.25',
  ]);
  times.train = train.ms;
  const runId = /run: ([0-9a-f]{32})/.exec(train.out)![1];
  times.register = cli(ws, ['models', 'register', runId, '--name', 'credit-model', '--gate', 'accuracy>=0.5']).ms;
  times.promote = cli(ws, ['models', 'promote', 'credit-model', '1', '--stage', 'Staging', '--comment', 'by hand']).ms;
  return times;
}

async function byPipeline(file: string): Promise<{ total: number; steps: Record<string, number>; run: PipelineRun }> {
  const ws = path.join(tmp, `pipe-${path.basename(file, '.csv')}`);
  const ctx = createAppContext({
    workspaceDir: ws,
    resourcesDir: path.join(ROOT, 'resources'),
    spawnWorker: createForkSpawner({ entry: path.join(ROOT, 'out/main/job-worker.js'), log: () => {} }),
    appVersion: 'bench',
    shell: 'browser',
  });
  const handlers = createHandlers(ctx);
  const call = async (channel: string, req: unknown) => {
    const r = await dispatchRequest(handlers, channel as never, req);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as never;
  };
  const watched = path.join(tmp, `landing-${path.basename(file)}`);
  // A feed already set up: a first version of the data imported by a first run, the suite saved on it.
  writeRows(watched, 2000);
  const def: PipelineDefinitionInput = {
    name: 'credit nightly',
    source: { kind: 'watch', path: watched, dataset: 'credit' },
    training: { target: 'churned', testSize: 0.25, cvFolds: 0, seed: 7 },
    models: [{ algorithm: 'rf', params: { nEstimators: TREES } }],
    model: 'credit-model',
    gates: { metric: { key: 'accuracy', op: '>=', threshold: 0.5 } },
    triggers: { onNewData: true },
  };
  await call('pipelines:save', { definition: def });
  const first = (await call('pipelines:run', { name: def.name })) as { job: { id: number } };
  await ctx.jobs.waitFor(first.job.id);
  ctx.store.datasets.saveSuite(ctx.store.datasets.findDatasetByName('credit')!.id, SUITE as never);
  await call('pipelines:save', { definition: { ...def, validationSuite: 'basic' } });
  await call('pipelines:setEnabled', { name: def.name, enabled: true });
  const scheduler = new PipelineScheduler(ctx, { tickMs: 250 });
  await scheduler.start();
  await new Promise((r) => setTimeout(r, 600));
  const before = ctx.store.registry.getModel('credit-model').versionCount;
  const runsBefore = ctx.store.pipelines.listRuns().length;

  // The new CSV lands (written aside, then moved in, as a copy tool does).
  const landedWall = Date.now();
  const landed = performance.now();
  fs.copyFileSync(file, `${watched}.part`);
  fs.renameSync(`${watched}.part`, watched);
  for (;;) {
    const model = ctx.store.registry.getModel('credit-model');
    if (model.versionCount > before && model.latest.Staging === model.versionCount) break;
    const runs = ctx.store.pipelines.listRuns();
    if (runs.length > runsBefore && ['failed', 'refused'].includes(runs[0].status)) throw new Error(`run failed: ${runs[0].reason}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const total = performance.now() - landed;
  scheduler.stop();
  const latest = ctx.store.pipelines.listRuns({ limit: 1 })[0];
  await ctx.jobs.waitFor(latest.jobId!);
  const run = ctx.store.pipelines.getRun(latest.id);
  const steps = Object.fromEntries(run.steps.map((s) => [s.name, s.startedAt && s.finishedAt ? s.finishedAt - s.startedAt : 0]));
  steps.notice = run.startedAt - landedWall;
  ctx.close();
  return { total, steps, run };
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'out/main/cli.js'))) throw new Error('Build first: npm run build');
  console.log(`Pipeline overhead: new CSV at a watched path → model version in Staging (rf ${TREES} trees, gate accuracy ≥ 0.5)\n`);
  for (const rows of [5000, 100_000]) {
    const file = path.join(tmp, `credit-${rows}.csv`);
    if (rows === 5000) fs.copyFileSync(SAMPLE, file);
    else writeRows(file, rows);
    const hand = byHand(file);
    const pipe = await byPipeline(file);
    const handTotal = Object.values(hand).reduce((a, b) => a + b, 0);
    const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`${rows.toLocaleString('en')} rows`);
    console.log(
      `  by hand (5 CLI commands): ${fmt(handTotal)}  — ${Object.entries(hand)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(', ')}`,
    );
    console.log(
      `  pipeline (landing → Staging): ${fmt(pipe.total)}  — noticed after ${fmt(Math.max(0, pipe.steps.notice))}, ${pipe.run.steps
        .filter((s) => s.status === 'succeeded')
        .map((s) => `${s.name} ${fmt(pipe.steps[s.name])}`)
        .join(', ')}`,
    );
    console.log(`  ratio pipeline / by hand: ${(pipe.total / handTotal).toFixed(2)}\n`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
