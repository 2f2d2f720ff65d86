/**
 * The MLflow endpoint driven by a client no one here wrote: the npm package
 * `mlflow` (a Node.js MLflow REST client). Every response is checked against
 * MLflow's message fields (fixtures/mlflow-proto-fields.ts).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const MLflow = require('mlflow').default ?? require('mlflow');
import { checkMessage } from './fixtures/mlflow-proto-fields';
import { startTestMlflow, type TestMlflow } from './test-server';

let t: TestMlflow;
beforeAll(async () => {
  t = await startTestMlflow();
  // The client prints every POST body.
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterAll(async () => {
  vi.restoreAllMocks();
  await t.close();
});

const ok = (value: unknown, type: string) => expect(checkMessage(value, type)).toEqual([]);

describe('the mlflow npm client against the endpoint', () => {
  it('creates an experiment and a run, logs, searches, reads history, tags and finishes the run', async () => {
    const client = new MLflow({ endpoint: t.url });
    const { Experiments, Runs, Metrics } = client;

    const created = await Experiments.create({ name: 'churn-from-node' });
    ok(created, 'CreateExperiment.Response');
    expect(created.experiment_id).toMatch(/^\d+$/);
    const got = await Experiments.get({ experiment_id: created.experiment_id });
    ok(got, 'GetExperiment.Response');
    expect(got.experiment).toMatchObject({ name: 'churn-from-node', lifecycle_stage: 'active', experiment_id: created.experiment_id });
    const listed = await Experiments.list({});
    expect(listed.experiments.map((e: { name: string }) => e.name)).toContain('churn-from-node');

    const start = Date.now();
    const { run } = await Runs.create({
      experiment_id: created.experiment_id,
      user_id: 'ana',
      start_time: start,
      tags: [{ key: 'team', value: 'risk' }],
    });
    ok({ run }, 'CreateRun.Response');
    expect(run.info).toMatchObject({
      experiment_id: created.experiment_id,
      user_id: 'ana',
      status: 'RUNNING',
      start_time: start,
      lifecycle_stage: 'active',
    });
    expect(run.info.run_uuid).toBe(run.info.run_id);
    const runId: string = run.info.run_id;

    const points = Array.from({ length: 20 }, (_, i) => ({ key: 'loss', value: 1 / (i + 1), timestamp: start + i, step: i }));
    ok(
      await Runs.logBatch({
        run_id: runId,
        metrics: points,
        params: [
          { key: 'max_depth', value: '6' },
          { key: 'model', value: 'rf' },
        ],
        tags: [],
      }),
      'Empty',
    );
    ok(await Runs.logMetric({ run_id: runId, key: 'auc', value: 0.91, timestamp: start + 50, step: 0 }), 'Empty');
    ok(await Runs.logParameter({ run_id: runId, key: 'seed', value: '42' }), 'Empty');
    ok(await Runs.setTag({ run_id: runId, key: 'stage', value: 'trial' }), 'Empty');

    // A second run that the filter must leave out.
    const other = await Runs.create({ experiment_id: created.experiment_id, start_time: start });
    await Runs.logMetric({ run_id: other.run.info.run_id, key: 'auc', value: 0.5, timestamp: start, step: 0 });

    const found = await Runs.search({ experiment_ids: [created.experiment_id], filter: "metrics.auc > 0.9 and params.model = 'rf'" });
    ok(found, 'SearchRuns.Response');
    expect(found.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runId]);
    const r0 = found.runs[0];
    expect(r0.data.params).toEqual(
      expect.arrayContaining([
        { key: 'max_depth', value: '6' },
        { key: 'model', value: 'rf' },
        { key: 'seed', value: '42' },
      ]),
    );
    expect(r0.data.metrics).toEqual(
      expect.arrayContaining([
        { key: 'auc', value: 0.91, timestamp: start + 50, step: 0 },
        { key: 'loss', value: 1 / 20, timestamp: start + 19, step: 19 },
      ]),
    );
    expect(r0.data.tags).toEqual(
      expect.arrayContaining([
        { key: 'team', value: 'risk' },
        { key: 'stage', value: 'trial' },
      ]),
    );

    const history = await Metrics.getHistory({ run_id: runId, metric_key: 'loss' });
    ok(history, 'GetMetricHistory.Response');
    expect(history.metrics.map((m: { step: number }) => m.step)).toEqual(points.map((p) => p.step));
    expect(history.metrics[3]).toEqual({ key: 'loss', value: 0.25, timestamp: start + 3, step: 3 });

    ok(await Runs.deleteTag({ run_id: runId, key: 'stage' }), 'Empty');
    const end = Date.now();
    const updated = await Runs.update({ run_id: runId, status: 'FINISHED', end_time: end });
    ok(updated, 'UpdateRun.Response');
    expect(updated.run_info).toMatchObject({ status: 'FINISHED', end_time: end });

    const final = await Runs.get({ run_id: runId });
    ok(final, 'GetRun.Response');
    expect(final.run.info).toMatchObject({ status: 'FINISHED', end_time: end });
    expect(final.run.data.tags.map((x: { key: string }) => x.key)).not.toContain('stage');

    // The same rows the app reads: source marked, and the pages told.
    const stored = t.store.tracking.getRun(runId);
    expect(stored.info).toMatchObject({ source: 'mlflow-client', status: 'FINISHED', experimentId: Number(created.experiment_id) });
    expect(t.store.tracking.metricHistory(runId, 'loss')).toHaveLength(20);
    expect(t.changes).toContain('tracking');

    // The client's errors carry MLflow's shape.
    const missing = await Runs.get({ run_id: '0'.repeat(32) }).catch((e: Error) => e);
    expect(String(missing)).toContain('RESOURCE_DOES_NOT_EXIST');
  });
});
