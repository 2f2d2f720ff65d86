import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../../shared/jobs';
import type { MlflowFilesReport } from '../../../../shared/mlflow-files';
import { createTestApp, makeTempDir, type TestApp } from '../../../../tests/helpers/test-app';
import * as registry from '../../registry/registry-service';
import { fileUri, parseMetricLine, pathOfFileUri } from './format';
import { mlrunsExportJob } from './export-job';
import { checkImportFolder, mlrunsImportJob } from './import-job';

const FIXTURE = path.join(__dirname, 'fixtures/mlruns');
const RUN_A = '5f3c1e2a9b7d4c6e8f0a1b2c3d4e5f60';
const RUN_B = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const RUN_C = '0123456789abcdef0123456789abcdef';

let app: TestApp;
let tmp: string;
beforeAll(() => {
  app = createTestApp();
  tmp = makeTempDir('mlwb-mlruns-');
});
afterAll(() => {
  app?.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function runJob(a: TestApp, job: JobRecord): Promise<{ job: JobRecord; report: MlflowFilesReport }> {
  const done = await a.ctx.jobs.waitFor(job.id);
  return { job: done, report: done.result as MlflowFilesReport };
}
const importDir = (a: TestApp, dir: string) => runJob(a, a.ctx.jobs.start(mlrunsImportJob, { dir }));
const exportDir = (a: TestApp, dir: string, extra: { experimentIds?: number[] } = {}) =>
  runJob(a, a.ctx.jobs.start(mlrunsExportJob, { dir, models: true, ...extra }));
const copyFixture = (name: string) => {
  const dir = path.join(tmp, name);
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return dir;
};

describe('mlruns format', () => {
  it('reads metric lines as MLflow does: 2 or 3 fields, Python floats; anything else is malformed', () => {
    expect(parseMetricLine('1717000200000 0.5 3')).toEqual({ timestamp: 1717000200000, value: 0.5, step: 3 });
    expect(parseMetricLine('1717000200000 1.25')).toEqual({ timestamp: 1717000200000, value: 1.25, step: 0 });
    expect(parseMetricLine('1 nan 0')).toMatchObject({ value: NaN });
    expect(parseMetricLine('1 -inf 0')).toMatchObject({ value: -Infinity });
    expect(parseMetricLine('1717000200000')).toMatch(/1 field; expected/);
    expect(parseMetricLine('1 0.5 2 9')).toMatch(/4 fields/);
    expect(parseMetricLine('1717000200000 abc 1')).toMatch(/value "abc" is not a number/);
    expect(parseMetricLine('1.5 0.5 1')).toMatch(/timestamp "1.5" is not an integer/);
    // What JavaScript's Number() reads but Python's float() does not.
    expect(parseMetricLine('1 0x10 0')).toMatch(/value "0x10" is not a number/);
    expect(parseMetricLine('1 1_0 0')).toMatch(/value "1_0" is not a number/);
    expect(parseMetricLine('1 Infinity 0')).toMatchObject({ value: Infinity });
    expect(parseMetricLine('1 -.5e+2 7')).toEqual({ timestamp: 1, value: -50, step: 7 });
  });

  it('builds absolute file:// URIs for POSIX and Windows folders with spaces, # and non-ASCII names, and reads them back', () => {
    expect(fileUri('/home/ana/my exports/#1/データ', path.posix)).toBe('file:///home/ana/my%20exports/%231/%E3%83%87%E3%83%BC%E3%82%BF');
    expect(fileUri('C:\\Users\\Ana Lee\\exp #2\\mlruns', path.win32)).toBe('file:///C:/Users/Ana%20Lee/exp%20%232/mlruns');
    expect(fileUri('d:\\', path.win32)).toBe('file:///D:/');
    expect(fileUri('\\\\nas\\share\\ml runs', path.win32)).toBe('file://nas/share/ml%20runs');
    expect(pathOfFileUri('file:///C:/Users/Ana%20Lee/exp%20%232', path.win32)).toBe('C:\\Users\\Ana Lee\\exp #2');
    expect(pathOfFileUri('file:///home/ana/my%20exports/%231', path.posix)).toBe('/home/ana/my exports/#1');
    expect(pathOfFileUri('s3://bucket/x', path.posix)).toBeNull();
  });
});

describe('mlwb mlflow import', () => {
  it('imports the experiments, runs (params, tags, every metric point, inputs, artifacts) and the trash of an mlruns folder; a second import skips them', async () => {
    const { job, report } = await importDir(app, FIXTURE);
    expect(job.status, job.error ?? '').toBe('succeeded');
    expect(report.counts).toMatchObject({ experiment: 2, run: 3, metric: 11, param: 3, input: 1, artifact: 3, version: 0 });
    const t = app.ctx.store.tracking;
    const exp = t.findExperimentByName('churn-sweep')!;
    expect(exp.description).toBe('Sweeps of the churn model, logged with mlflow 2.x');
    expect(exp.tags).toMatchObject({ team: 'growth' });
    const a = t.getRun(RUN_A);
    expect(a.info).toMatchObject({
      experimentId: exp.id,
      name: 'bold-owl-42',
      status: 'FINISHED',
      source: 'mlflow-import',
      userId: 'ana',
      endTime: 1717000260000,
    });
    expect(a.params).toEqual({ alpha: '0.5', max_depth: '6' });
    expect(a.tags['mlflow.source.name']).toBe('train.py');
    expect(t.metricHistory(RUN_A, 'loss').map((p) => p.value)).toEqual([0.9, 0.8, 0.7, 0.6, 0.5]);
    expect(t.metricHistory(RUN_A, 'val/auc').map((p) => p.value)).toEqual([0.71, 0.78, 'NaN']);
    const roc = t.getArtifact(RUN_A, 'plots/roc curve #1.txt');
    expect(fs.readFileSync(app.ctx.store.objects.objectPath(roc.sha256), 'utf8')).toBe('fpr,tpr\n0,0\n1,1\n');
    expect(t.listRunInputs(RUN_A)).toEqual([
      expect.objectContaining({ name: 'churn-train', digest: '7d0f1a2b', tags: [{ key: 'mlflow.data.context', value: 'training' }] }),
    ]);
    // The legacy two-field lines: step 0.
    expect(t.metricHistory(RUN_B, 'loss')).toEqual([
      { value: 1.25, timestamp: 1717000301000, step: 0 },
      { value: 1.5, timestamp: 1717000302000, step: 0 },
    ]);
    expect(t.getRunInfo(RUN_B).status).toBe('FAILED');
    // MLflow's trash → the workspace's trash.
    expect(t.findExperimentByName('abandoned-idea')!.lifecycleStage).toBe('deleted');
    expect(t.getRunInfo(RUN_C)).toMatchObject({ experimentId: t.findExperimentByName('abandoned-idea')!.id, lifecycleStage: 'active' });
    // A sklearn model cannot be registered; its alias has nothing to point at.
    expect(report.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'version',
          item: 'churn v1',
          file: 'models/churn/version-1/meta.yaml',
          reason: expect.stringMatching(/pickled\) model cannot be registered/),
        }),
        expect.objectContaining({ kind: 'alias', item: 'churn@champion', reason: 'version 1 was not imported' }),
      ]),
    );
    expect(app.ctx.store.registry.findModel('churn')).toBeUndefined();

    const again = await importDir(app, FIXTURE);
    expect(again.report.counts.run).toBe(0);
    expect(
      again.report.skipped
        .filter((s) => s.reason === 'already in the workspace')
        .map((s) => s.item)
        .sort(),
    ).toEqual([RUN_C, RUN_A, RUN_B].sort());
    expect(t.metricHistory(RUN_A, 'loss')).toHaveLength(5);
  });

  it('skips a malformed meta.yaml, a bad metric line, a run folder without meta.yaml, a link out of the folder and an artifact_uri with ".." — each with its file and reason', async () => {
    const b = createTestApp();
    try {
      const dir = copyFixture('bad');
      const outside = path.join(tmp, 'secret.txt');
      fs.writeFileSync(outside, 'do not read');
      fs.writeFileSync(path.join(dir, '1', RUN_B, 'meta.yaml'), 'run_id: [unclosed\n  status: 3');
      fs.appendFileSync(path.join(dir, '1', RUN_A, 'metrics/loss'), '1717000209000 not-a-number 9\n');
      fs.mkdirSync(path.join(dir, '1', 'ffffffffffffffffffffffffffffffff', 'params'), { recursive: true });
      // Run C: a link to a file outside, and an artifact_uri that climbs out.
      const runC = path.join(dir, '.trash/2', RUN_C);
      fs.mkdirSync(path.join(runC, 'params'));
      fs.symlinkSync(outside, path.join(runC, 'params', 'leak'));
      const meta = fs.readFileSync(path.join(runC, 'meta.yaml'), 'utf8');
      fs.writeFileSync(
        path.join(runC, 'meta.yaml'),
        meta.replace(/artifact_uri: .*/, `artifact_uri: ${fileUri(path.join(dir, '.trash/2', RUN_C))}/../../../../secret`),
      );
      // A run folder and an experiment folder that are links to folders outside.
      const elsewhere = path.join(tmp, 'elsewhere');
      fs.cpSync(path.join(dir, '1', RUN_B), path.join(elsewhere, 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'), { recursive: true });
      fs.symlinkSync(path.join(elsewhere, 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'), path.join(dir, '1', 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'));
      fs.cpSync(path.join(dir, '1'), path.join(elsewhere, 'exp9'), { recursive: true });
      fs.symlinkSync(path.join(elsewhere, 'exp9'), path.join(dir, '9'));
      const { job, report } = await importDir(b, dir);
      expect(job.status).toBe('succeeded');
      const by = (item: string) => report.skipped.filter((s) => s.item.startsWith(item));
      expect(by(RUN_B)).toEqual([
        expect.objectContaining({ kind: 'run', file: `1/${RUN_B}/meta.yaml`, reason: expect.stringMatching(/^malformed YAML/) }),
      ]);
      expect(by(RUN_A)).toEqual([
        expect.objectContaining({ kind: 'run', file: `1/${RUN_A}/metrics/loss`, reason: 'line 6: value "not-a-number" is not a number' }),
      ]);
      expect(by('ffff')).toEqual([
        expect.objectContaining({ file: '1/ffffffffffffffffffffffffffffffff/meta.yaml', reason: 'a run folder without meta.yaml' }),
      ]);
      expect(by(RUN_C).map((s) => s.reason)).toEqual(
        expect.arrayContaining([
          'a symbolic link that points outside the folder (not followed)',
          expect.stringMatching(/has "\.\." parts \(refused\)/),
        ]),
      );
      const linkOut = 'a symbolic link that points outside the folder (not followed)';
      expect(by('eeee')).toEqual([
        expect.objectContaining({ kind: 'run', file: '1/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee/meta.yaml', reason: linkOut }),
      ]);
      expect(report.skipped).toContainEqual(
        expect.objectContaining({ kind: 'experiment', item: '9', file: '9/meta.yaml', reason: linkOut }),
      );
      // Nothing half-written: the refused runs are absent, whole; run C is in, without the leaked param.
      expect(() => b.ctx.store.tracking.getRunInfo(RUN_A)).toThrow(/No run/);
      expect(() => b.ctx.store.tracking.getRunInfo(RUN_B)).toThrow(/No run/);
      expect(b.ctx.store.tracking.getRun(RUN_C).params).toEqual({});
      expect(report.counts.run).toBe(1);
    } finally {
      b.cleanup();
    }
  });

  it('refuses a folder that is not an MLflow file store, and a missing one, before any job starts', async () => {
    const plain = path.join(tmp, 'plain');
    fs.mkdirSync(plain);
    fs.writeFileSync(path.join(plain, 'notes.txt'), 'hello');
    await expect(checkImportFolder(plain)).rejects.toThrow(/is not an MLflow file store/);
    await expect(checkImportFolder(path.join(tmp, 'nope'))).rejects.toThrow(/does not exist/);
    const jobsBefore = app.ctx.store.jobs.listJobs(500, { includeDismissed: true }).length;
    await expect(Promise.resolve(app.handlers['mlflow:import']!({ dir: plain } as never))).rejects.toThrow(
      /Choose the mlruns folder itself/,
    );
    expect(app.ctx.store.jobs.listJobs(500, { includeDismissed: true }).length).toBe(jobsBefore);
  });

  it('cancelled mid-import keeps only whole runs', async () => {
    const c = createTestApp();
    try {
      const dir = path.join(tmp, 'big');
      fs.mkdirSync(path.join(dir, '0'), { recursive: true });
      fs.writeFileSync(path.join(dir, '0/meta.yaml'), "experiment_id: '0'\nname: Default\nlifecycle_stage: active\n");
      const lines = Array.from({ length: 200 }, (_, i) => `${1717000000000 + i} ${i / 10} ${i}\n`).join('');
      for (let r = 0; r < 60; r++) {
        const id = r.toString(16).padStart(32, 'c');
        fs.mkdirSync(path.join(dir, '0', id, 'metrics'), { recursive: true });
        fs.writeFileSync(
          path.join(dir, '0', id, 'meta.yaml'),
          `run_id: ${id}\nexperiment_id: '0'\nstatus: 3\nstart_time: 1717000000000\nend_time: 1717000001000\nuser_id: ana\nlifecycle_stage: active\n`,
        );
        for (let m = 0; m < 5; m++) fs.writeFileSync(path.join(dir, '0', id, 'metrics', `m${m}`), lines);
      }
      const started = c.ctx.jobs.start(mlrunsImportJob, { dir });
      const off = c.ctx.events.subscribe((name, payload) => {
        const j = payload as JobRecord;
        if (name === 'job' && j.id === started.id && j.progressDone >= 5) c.ctx.jobs.cancel(j.id);
      });
      const final = await c.ctx.jobs.waitFor(started.id);
      off();
      expect(final.status).toBe('cancelled');
      const runs = c.ctx.store.tracking.searchRuns({ experimentIds: [0], maxResults: 1000 }).runs;
      expect(runs.length).toBeGreaterThan(0);
      expect(runs.length).toBeLessThan(60);
      for (const r of runs) for (let m = 0; m < 5; m++) expect(c.ctx.store.tracking.metricHistory(r.info.runId, `m${m}`)).toHaveLength(200);
    } finally {
      c.cleanup();
    }
  });
});

describe('mlwb mlflow export', () => {
  it('writes the mlruns layout, and a workbench model version round-trips with its stage, aliases, tags and description', async () => {
    const s = app.ctx.store;
    const exp = s.tracking.createExperiment({ name: 'wb exp', description: 'made in the workbench' });
    const run = s.tracking.createRun({
      experimentId: exp.id,
      name: 'wb-run',
      userId: 'ana',
      source: 'app',
      status: 'FINISHED',
      startTime: 1_700_000_000_000,
    });
    s.tracking.updateRun(run.runId, { endTime: 1_700_000_050_000 });
    s.tracking.logBatch(run.runId, {
      params: [{ key: 'trees', value: '100' }],
      metrics: [
        { key: 'acc', value: 0.5, timestamp: 1_700_000_001_000, step: 0 },
        { key: 'acc', value: 1, timestamp: 1_700_000_002_000, step: 1 },
      ],
    });
    const model = s.objects.writeObject('{"kind":"workbench-model","algorithm":"logreg"}');
    s.tracking.addArtifact(run.runId, { path: 'model/model.json', sha256: model.sha256, size: model.size, mediaType: 'application/json' });
    const env: registry.RegistryEnv = { store: s, events: app.ctx.events, runTask: () => Promise.reject(new Error('no tasks')) };
    const who = { actor: 'ana', via: 'app' };
    const reg = await registry.registerModel(env, who, { runId: run.runId, name: 'wb-model', description: 'the first' });
    registry.audited(env, () => s.registry.setStage('wb-model', reg.version!.version, 'Staging'), {
      ...who,
      action: 'transition',
      model: 'wb-model',
      to: 'Staging',
    });
    registry.audited(env, () => s.registry.setVersionTag('wb-model', 1, 'reviewed', 'yes'), {
      ...who,
      action: 'tag-set',
      model: 'wb-model',
    });
    registry.setAlias(env, who, 'wb-model', 'candidate', 1);

    const out = path.join(tmp, 'export here #1');
    const { job, report } = await exportDir(app, out);
    expect(job.status, job.error ?? '').toBe('succeeded');
    expect(report.counts).toMatchObject({ model: 1, version: 1, alias: 1 });
    const expMeta = YAML.parse(fs.readFileSync(path.join(out, String(exp.id), 'meta.yaml'), 'utf8'));
    expect(expMeta).toMatchObject({
      name: 'wb exp',
      experiment_id: String(exp.id),
      lifecycle_stage: 'active',
      artifact_location: fileUri(path.join(out, String(exp.id))),
    });
    expect(expMeta.artifact_location).toContain('export%20here%20%231');
    expect(fs.readFileSync(path.join(out, String(exp.id), 'tags/mlflow.note.content'), 'utf8')).toBe('made in the workbench');
    const runDir = path.join(out, String(exp.id), run.runId);
    expect(YAML.parse(fs.readFileSync(path.join(runDir, 'meta.yaml'), 'utf8'))).toMatchObject({
      run_id: run.runId,
      run_uuid: run.runId,
      status: 3,
      start_time: 1_700_000_000_000,
      end_time: 1_700_000_050_000,
    });
    expect(fs.readFileSync(path.join(runDir, 'metrics/acc'), 'utf8')).toBe('1700000001000 0.5 0\n1700000002000 1.0 1\n');
    expect(fs.readFileSync(path.join(runDir, 'params/trees'), 'utf8')).toBe('100');
    expect(fs.readFileSync(path.join(runDir, 'artifacts/model/model.json'), 'utf8')).toContain('workbench-model');
    const vMeta = YAML.parse(fs.readFileSync(path.join(out, 'models/wb-model/version-1/meta.yaml'), 'utf8'));
    expect(vMeta).toMatchObject({
      current_stage: 'Staging',
      description: 'the first',
      run_id: run.runId,
      version: 1,
      source: fileUri(path.join(runDir, 'artifacts/model')),
    });
    expect(fs.readFileSync(path.join(out, 'models/wb-model/aliases/candidate'), 'utf8')).toBe('1');
    // The imported fixture's runs went out too: its trash and all.
    expect(
      fs.existsSync(path.join(out, '.trash', String(s.tracking.findExperimentByName('abandoned-idea')!.id), RUN_C, 'metrics/loss')),
    ).toBe(true);

    // Into another workspace: the version comes back as it was, audited as an import.
    const d = createTestApp();
    try {
      const back = await importDir(d, out);
      expect(back.job.status, back.job.error ?? '').toBe('succeeded');
      expect(back.report.counts).toMatchObject({ version: 1, alias: 1, model: 1 });
      const v = d.ctx.store.registry.getVersion('wb-model', 1);
      expect(v).toMatchObject({
        runId: run.runId,
        stage: 'Staging',
        description: 'the first',
        tags: { reviewed: 'yes' },
        aliases: ['candidate'],
      });
      expect(d.ctx.store.tracking.metricHistory(run.runId, 'acc').map((p) => p.value)).toEqual([0.5, 1]);
      expect(d.ctx.store.tracking.findExperimentByName('wb exp')!.description).toBe('made in the workbench');
      const audit = d.ctx.store.registry.listAudit({ model: 'wb-model' });
      expect(new Set(audit.map((a) => a.via))).toEqual(new Set(['mlflow-import']));
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['register', 'transition', 'alias-set', 'tag-set']));
    } finally {
      d.cleanup();
    }

    // A Production version into a model here that needs approvals: registered, but left in None, with the reason.
    const vFile = path.join(out, 'models/wb-model/version-1/meta.yaml');
    fs.writeFileSync(vFile, fs.readFileSync(vFile, 'utf8').replace('current_stage: Staging', 'current_stage: Production'));
    const e = createTestApp();
    try {
      e.ctx.store.registry.createModel('wb-model');
      e.ctx.store.registry.updateModel('wb-model', { requireApproval: true });
      const guarded = await importDir(e, out);
      expect(e.ctx.store.registry.getVersion('wb-model', 1).stage).toBe('None');
      expect(guarded.report.skipped).toContainEqual(
        expect.objectContaining({
          kind: 'version',
          item: 'wb-model v1',
          reason: expect.stringMatching(/needs an approved request to enter Production/),
        }),
      );
    } finally {
      e.cleanup();
    }
  });

  it('skips a key that collides with another as a file and a folder ("loss" and "loss/val"), writing the rest', async () => {
    const s = app.ctx.store;
    const run = s.tracking.createRun({ experimentId: 0, name: 'clash', userId: 'ana', source: 'app', status: 'FINISHED' });
    s.tracking.logBatch(run.runId, {
      metrics: [
        { key: 'loss', value: 1, timestamp: 1, step: 0 },
        { key: 'loss/val', value: 2, timestamp: 1, step: 0 },
      ],
    });
    const out = path.join(tmp, 'clash');
    const { job, report } = await exportDir(app, out, { experimentIds: [0] });
    expect(job.status, job.error ?? '').toBe('succeeded');
    expect(fs.readFileSync(path.join(out, '0', run.runId, 'metrics/loss'), 'utf8')).toBe('1 1.0 0\n');
    expect(report.skipped).toContainEqual(
      expect.objectContaining({ kind: 'metric', item: `${run.runId} loss/val`, reason: expect.stringMatching(/another key is a folder/) }),
    );
  });

  it('refuses a non-empty folder and leaves it as it was', async () => {
    const full = path.join(tmp, 'full');
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, 'keep.txt'), 'mine');
    const { job } = await exportDir(app, full);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/is not empty \(1 item\); export into a new or empty folder/);
    expect(fs.readdirSync(full)).toEqual(['keep.txt']);
  });
});
