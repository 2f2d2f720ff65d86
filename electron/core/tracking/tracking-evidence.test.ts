import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/helpers/test-app';
import { createStore, type Store } from '../store';
import { autoLoggingEvidence, lineageEvidence, reproductionEvidence, trackedRunsEvidence } from './tracking-evidence';

let store: Store | undefined;
let dir: string | undefined;
afterEach(() => {
  store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);

describe('tracking evidence', () => {
  it('says nothing for a workspace without runs', async () => {
    dir = makeTempDir();
    store = createStore(dir);
    for (const p of [trackedRunsEvidence, autoLoggingEvidence, lineageEvidence, reproductionEvidence])
      expect(await p.collect({ store, nowMs: NOW })).toBeNull();
  });

  it('counts tracked runs (recent ones apart), runs that logged params and metrics, and reproductions; trashed runs do not count', async () => {
    dir = makeTempDir();
    const s = (store = createStore(dir));
    const e = s.tracking.createExperiment({ name: 'x' });
    s.tracking.createRun({ experimentId: e.id, name: 'old', userId: 'u', source: 'app', startTime: NOW - 40 * DAY });
    const logged = s.tracking.createRun({ experimentId: 0, name: 'logged', userId: 'u', source: 'app', startTime: NOW - DAY });
    s.tracking.logBatch(logged.runId, {
      params: [{ key: 'model', value: 'rf' }],
      metrics: [{ key: 'accuracy', value: 0.9, timestamp: 1, step: 0 }],
    });
    s.tracking.createRun({
      experimentId: 0,
      name: 'rep',
      userId: 'u',
      source: 'reproduction',
      startTime: NOW,
      tags: [
        { key: 'mlwb.reproduced_from', value: logged.runId },
        { key: 'mlwb.reproduction.identical', value: 'true' },
      ],
    });
    const trashed = s.tracking.createRun({ experimentId: 0, name: 'gone', userId: 'u', source: 'app', startTime: NOW });
    s.tracking.updateRun(trashed.runId, { status: 'FINISHED' });
    s.tracking.deleteRun(trashed.runId);

    expect((await trackedRunsEvidence.collect({ store: s, nowMs: NOW }))?.facts).toEqual({ runs: 3, recentRuns: 2, experiments: 2 });
    expect((await autoLoggingEvidence.collect({ store: s, nowMs: NOW }))?.facts).toEqual({ runsWithParamsAndMetrics: 1 });
    expect(await lineageEvidence.collect({ store: s, nowMs: NOW })).toBeNull();
    const r = await reproductionEvidence.collect({ store: s, nowMs: NOW });
    expect(r?.facts).toEqual({ reproductions: 1, identical: 1 });
    expect(r?.summary.en).toBe('1 reproduction of runs from their recorded inputs, 1 identical');
  });
});
