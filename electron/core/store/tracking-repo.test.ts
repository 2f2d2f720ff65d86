import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { checkKey, DEFAULT_EXPERIMENT_ID, logBatchSchema, TRACKING_LIMITS } from '../../../shared/tracking';
import { makeTempDir } from '../../../tests/helpers/test-app';
import { createStore, type Store } from './index';

let store: Store | undefined;
let dir: string | undefined;
afterEach(() => {
  store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  store = undefined;
  dir = undefined;
});

function open(): Store {
  dir = makeTempDir('mlwb-tracking-');
  store = createStore(dir);
  return store;
}

function newRun(s: Store, experimentId = DEFAULT_EXPERIMENT_ID, name = 'r') {
  return s.tracking.createRun({ experimentId, name, userId: 'ana', source: 'cli' });
}

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected an error');
}

describe('experiments', () => {
  it('has a Default experiment with id 0 that cannot be deleted', () => {
    const s = open();
    expect(s.tracking.listExperiments().map((e) => [e.id, e.name])).toEqual([[0, 'Default']]);
    expect(errorOf(() => s.tracking.deleteExperiment(0)).message).toMatch(/Default experiment cannot be deleted/);
  });

  it('creates, renames, describes, trashes, restores and purges an experiment', () => {
    const s = open();
    const e = s.tracking.createExperiment({ name: 'churn', description: 'first try' });
    expect(e).toMatchObject({ id: 1, name: 'churn', description: 'first try', lifecycleStage: 'active', runCount: 0 });
    expect(s.tracking.updateExperiment(e.id, { name: 'churn-2', description: 'renamed' })).toMatchObject({ name: 'churn-2', description: 'renamed' });
    s.tracking.updateRun(newRun(s, e.id).runId, { status: 'FINISHED', endTime: Date.now() });
    expect(s.tracking.getExperiment(e.id).runCount).toBe(1);
    expect(s.tracking.deleteExperiment(e.id).lifecycleStage).toBe('deleted');
    expect(s.tracking.listExperiments().map((x) => x.name)).toEqual(['Default']);
    expect(s.tracking.listExperiments('deleted').map((x) => x.name)).toEqual(['churn-2']);
    expect(s.tracking.restoreExperiment(e.id).lifecycleStage).toBe('active');
    s.tracking.deleteExperiment(e.id);
    s.tracking.purgeExperiment(e.id);
    expect(errorOf(() => s.tracking.getExperiment(e.id)).code).toBe('not_found');
    expect(s.health().integrity).toBe('ok');
  });

  it('refuses a duplicate name, also of a trashed experiment, and purging one that is not in the trash', () => {
    const s = open();
    const e = s.tracking.createExperiment({ name: 'a' });
    expect(errorOf(() => s.tracking.createExperiment({ name: 'a' })).message).toBe('An experiment named "a" already exists.');
    expect(errorOf(() => s.tracking.purgeExperiment(e.id)).message).toMatch(/not in the trash/);
    s.tracking.deleteExperiment(e.id);
    expect(errorOf(() => s.tracking.createExperiment({ name: 'a' })).message).toMatch(/is in the trash/);
  });

  it('refuses to delete an experiment with a running run', () => {
    const s = open();
    const e = s.tracking.createExperiment({ name: 'busy' });
    newRun(s, e.id);
    const err = errorOf(() => s.tracking.deleteExperiment(e.id));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/1 running run/);
    expect(s.tracking.getExperiment(e.id).lifecycleStage).toBe('active');
  });
});

describe('runs', () => {
  it('logs params, tags and metric points; the latest value is the highest step, then the latest time', () => {
    const s = open();
    const { runId } = newRun(s);
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    s.tracking.logBatch(runId, {
      params: [{ key: 'model', value: 'rf' }],
      tags: [{ key: 'team', value: 'a' }],
      metrics: [
        { key: 'loss', value: 0.9, timestamp: 10, step: 0 },
        { key: 'loss', value: 0.5, timestamp: 5, step: 2 },
        { key: 'loss', value: 0.7, timestamp: 20, step: 1 },
        { key: 'acc', value: 0.8, timestamp: 10, step: 0 },
        { key: 'acc', value: 0.85, timestamp: 11, step: 0 },
      ],
    });
    const run = s.tracking.getRun(runId);
    expect(run.params).toEqual({ model: 'rf' });
    expect(run.tags).toEqual({ team: 'a' });
    expect(run.metrics).toEqual([
      { key: 'acc', value: 0.85, timestamp: 11, step: 0 },
      { key: 'loss', value: 0.5, timestamp: 5, step: 2 },
    ]);
    expect(s.tracking.metricHistory(runId, 'loss').map((p) => [p.step, p.value])).toEqual([
      [0, 0.9],
      [1, 0.7],
      [2, 0.5],
    ]);
    expect(s.tracking.seriesKeys(runId)).toEqual(['acc', 'loss']);
  });

  it('keeps NaN and ±Infinity and unicode, long and empty values', () => {
    const s = open();
    const { runId } = newRun(s);
    const long = 'x'.repeat(TRACKING_LIMITS.maxParamValueLength);
    s.tracking.logBatch(runId, {
      params: [
        { key: 'データ', value: '値 ✓' },
        { key: 'long', value: long },
        { key: 'empty', value: '' },
      ],
      metrics: [
        { key: 'nan', value: NaN, timestamp: 1, step: 0 },
        { key: 'inf', value: Infinity, timestamp: 1, step: 0 },
        { key: 'ninf', value: -Infinity, timestamp: 1, step: 0 },
      ],
    });
    const run = s.tracking.getRun(runId);
    expect(run.params).toEqual({ データ: '値 ✓', long, empty: '' });
    expect(Object.fromEntries(run.metrics.map((m) => [m.key, m.value]))).toEqual({ nan: 'NaN', inf: 'Infinity', ninf: '-Infinity' });
  });

  it('refuses to change a logged param and keeps nothing of the refused batch', () => {
    const s = open();
    const { runId } = newRun(s);
    s.tracking.logParam(runId, 'lr', '0.1');
    s.tracking.logParam(runId, 'lr', '0.1');
    const err = errorOf(() =>
      s.tracking.logBatch(runId, { tags: [{ key: 't', value: '1' }], metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }], params: [{ key: 'lr', value: '0.2' }] }),
    );
    expect(err.message).toMatch(/Changing param values is not allowed. Param with key='lr' was already logged with value='0.1'/);
    const run = s.tracking.getRun(runId);
    expect(run.params).toEqual({ lr: '0.1' });
    expect(run.tags).toEqual({});
    expect(run.metrics).toEqual([]);
  });

  it('trashes and restores a run, and refuses to trash a running one or log to a trashed one', () => {
    const s = open();
    const { runId } = newRun(s);
    expect(errorOf(() => s.tracking.deleteRun(runId)).message).toMatch(/still running/);
    s.tracking.updateRun(runId, { status: 'FINISHED', endTime: Date.now() });
    expect(s.tracking.deleteRun(runId).lifecycleStage).toBe('deleted');
    expect(errorOf(() => s.tracking.logParam(runId, 'a', 'b')).message).toMatch(/in the trash/);
    expect(s.tracking.restoreRun(runId).lifecycleStage).toBe('active');
    s.tracking.logParam(runId, 'a', 'b');
  });

  it('keeps the id, times and trash state of a run brought from MLflow, and refuses an id already taken', () => {
    const s = open();
    const e = s.tracking.createExperiment({ name: 'imported', createdAt: 1_600_000_000_000 });
    expect(e.createdAt).toBe(1_600_000_000_000);
    const id = 'a'.repeat(32);
    const input = {
      experimentId: e.id,
      name: 'old',
      userId: 'bo',
      source: 'mlflow-import' as const,
      id,
      status: 'FINISHED' as const,
      startTime: 1_600_000_000_500,
      endTime: 1_600_000_009_000,
      lifecycleStage: 'deleted' as const,
    };
    expect(s.tracking.createRun(input)).toMatchObject({
      runId: id,
      status: 'FINISHED',
      startTime: 1_600_000_000_500,
      endTime: 1_600_000_009_000,
      lifecycleStage: 'deleted',
      source: 'mlflow-import',
    });
    const again = errorOf(() => s.tracking.createRun({ ...input, name: 'other' }));
    expect(again.code).toBe('conflict');
    expect(again.message).toBe(`A run with id ${id} already exists.`);
    expect(s.tracking.getRunInfo(id).name).toBe('old');
  });

  it('marks runs a dead process left running as failed', () => {
    const s = open();
    const a = newRun(s);
    const b = newRun(s);
    s.tracking.updateRun(b.runId, { status: 'FINISHED', endTime: 5 });
    expect(s.tracking.failInterruptedRuns()).toBe(1);
    expect(s.tracking.getRunInfo(a.runId)).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/interrupted/) });
    expect(s.tracking.getRunInfo(b.runId).status).toBe('FINISHED');
  });

  it('lists artifacts, and an object referenced by a run is known as referenced', () => {
    const s = open();
    const { runId } = newRun(s);
    const obj = s.objects.writeObject('{"a":1}\n');
    s.tracking.addArtifact(runId, { path: 'model/model.json', ...obj, mediaType: 'application/json' });
    expect(s.tracking.listArtifacts(runId)).toEqual([expect.objectContaining({ path: 'model/model.json', sha256: obj.sha256, size: 8 })]);
    expect(s.tracking.isObjectReferenced(obj.sha256)).toBe(true);
    expect(s.tracking.isObjectReferenced('0'.repeat(64))).toBe(false);
    expect(errorOf(() => s.tracking.getArtifact(runId, 'nope.json')).code).toBe('not_found');
  });
});

describe('limits and keys (shared with every surface)', () => {
  it('accepts keys MLflow accepts and refuses the others with a message', () => {
    expect(checkKey('metrics/val loss:1')).toBeNull();
    expect(checkKey('精度')).toBeNull();
    expect(checkKey('')).toMatch(/must not be empty/);
    expect(checkKey('a;b')).toMatch(/may only contain/);
    expect(checkKey('../x')).toMatch(/relative path/);
    expect(checkKey('/abs')).toMatch(/relative path/);
    expect(checkKey('k'.repeat(251))).toMatch(/limit is 250/);
  });

  it('refuses a 10,000-character param value and more than 100 params in a batch', () => {
    const runId = 'a'.repeat(32);
    const tooLong = logBatchSchema.safeParse({ runId, params: [{ key: 'p', value: 'x'.repeat(10_000) }] });
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues[0].message).toMatch(/at most 6000 characters/);
    const many = logBatchSchema.safeParse({ runId, params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: '1' })) });
    expect(many.error?.issues[0].message).toMatch(/at most 100 params/);
    const nan = logBatchSchema.parse({ runId, metrics: [{ key: 'm', value: 'NaN', timestamp: 0 }] });
    expect(nan.metrics[0]).toEqual({ key: 'm', value: 'NaN', timestamp: 0, step: 0 });
  });
});
