/**
 * Test helper: a workspace with something of every kind to sync — an
 * experiment with a description and tags, a finished run with 150 params,
 * tags, 2,500 points of one metric (three log-batch chunks) and NaN/±Infinity
 * in another, artifacts in folders (a workbench model and binary bytes), a
 * failed run, and a registered model version with a stage, an alias and tags —
 * and what a run holds, to compare two workspaces field by field.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createEventBus } from '../../events';
import * as registry from '../../registry/registry-service';
import type { Store } from '../../store';

export const ACTOR = { actor: 'tester', via: 'test' };

export async function seedWorkspace(store: Store, experimentName = 'churn-sync'): Promise<{ experimentId: number; runIds: string[] }> {
  const e = store.tracking.createExperiment({ name: experimentName, description: 'churn models', tags: [{ key: 'team', value: 'risk' }] });
  const t0 = 1_700_000_000_000;
  const a = store.tracking.createRun({
    experimentId: e.id,
    name: 'rf-deep',
    userId: 'ana',
    source: 'app',
    startTime: t0,
    tags: [
      { key: 'mlflow.runName', value: 'rf-deep' },
      { key: 'mlwb.model_type', value: 'rf' },
      { key: 'note', value: 'ünïcode ✓' },
    ],
  });
  store.tracking.logBatch(a.runId, {
    params: Array.from({ length: 150 }, (_, i) => ({ key: `p${String(i).padStart(3, '0')}`, value: `v${i}` })),
    metrics: [
      ...Array.from({ length: 2500 }, (_, i) => ({ key: 'loss', value: 1 / (i + 1), timestamp: t0 + i, step: i })),
      { key: 'odd', value: NaN, timestamp: t0, step: 0 },
      { key: 'odd', value: Infinity, timestamp: t0 + 1, step: 1 },
      { key: 'odd', value: -Infinity, timestamp: t0 + 2, step: 2 },
      { key: 'odd', value: 0.5, timestamp: t0 + 2, step: 2 },
      { key: 'accuracy', value: 0.91, timestamp: t0 + 5, step: 0 },
    ],
  });
  const bytes = crypto.randomBytes(200_000);
  for (const [p, content] of [
    ['model/model.json', '{"engine":"test","kind":"rf"}'],
    ['data/blob.bin', bytes],
    ['reports/a/b/notes.txt', 'line 1\nline 2\n'],
  ] as const) {
    const obj = store.objects.writeObject(content);
    store.tracking.addArtifact(a.runId, { path: p, sha256: obj.sha256, size: obj.size });
  }
  store.tracking.updateRun(a.runId, { status: 'FINISHED', endTime: t0 + 60_000 });

  const b = store.tracking.createRun({
    experimentId: e.id,
    name: 'logreg',
    userId: 'ben',
    source: 'cli',
    startTime: t0 + 100_000,
    tags: [{ key: 'mlflow.runName', value: 'logreg' }],
  });
  store.tracking.logBatch(b.runId, {
    params: [{ key: 'C', value: '1.0' }],
    metrics: [{ key: 'accuracy', value: 0.8, timestamp: t0 + 100_001, step: 0 }],
  });
  store.tracking.updateRun(b.runId, { status: 'FAILED', endTime: t0 + 100_500 });

  const env = { store, events: createEventBus(), runTask: () => Promise.reject(new Error('no gates')) };
  const reg = await registry.registerModel(env as never, ACTOR, { runId: a.runId, name: 'churn-model', description: 'the deep forest' });
  const v = reg.version!.version;
  store.registry.setModelTag('churn-model', 'owner', 'risk-team');
  store.registry.setVersionTag('churn-model', v, 'validated', 'yes');
  await registry.transitionVersion(env as never, ACTOR, { name: 'churn-model', version: v, stage: 'Staging', comment: 'test' });
  registry.setAlias(env as never, ACTOR, 'churn-model', 'champion', v);
  return { experimentId: e.id, runIds: [a.runId, b.runId] };
}

/** What a run holds, without its ids: fields, params, tags, every metric's full history, and each artifact's bytes (as SHA-256 and size). */
export function runContent(store: Store, runId: string) {
  const run = store.tracking.getRun(runId);
  const keys = Object.keys(store.mlflowSync.metricPointCounts(runId)).sort();
  return {
    name: run.info.name,
    status: run.info.status,
    startTime: run.info.startTime,
    endTime: run.info.endTime,
    userId: run.info.userId,
    lifecycleStage: run.info.lifecycleStage,
    params: run.params,
    tags: run.tags,
    latest: run.metrics,
    history: Object.fromEntries(keys.map((k) => [k, store.tracking.metricHistory(runId, k)])),
    artifacts: run.artifacts.map((a) => ({
      path: a.path,
      size: a.size,
      sha256: crypto
        .createHash('sha256')
        .update(fs.readFileSync(store.objects.objectPath(a.sha256)))
        .digest('hex'),
    })),
  };
}

/** Runs of an experiment by name. */
export function runsByName(store: Store, experimentId: number): Map<string, string> {
  const page = store.tracking.searchRuns({ experimentIds: [experimentId], maxResults: 1000 });
  return new Map(page.runs.map((r) => [r.info.name, r.info.runId]));
}

export function countPoints(store: Store): number {
  let n = 0;
  for (const e of store.tracking.listExperiments('all'))
    for (const id of runsByName(store, e.id).values())
      n += Object.values(store.mlflowSync.metricPointCounts(id)).reduce((a, b) => a + b, 0);
  return n;
}

export function countRuns(store: Store): number {
  return store.tracking.listExperiments('all').reduce((n, e) => n + store.tracking.countExperimentRuns(e.id), 0);
}
