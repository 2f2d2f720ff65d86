import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { PredictionLogEntry } from '../../../shared/serving';
import { makeTempDir } from '../../../tests/helpers/test-app';
import { createStore, type Store } from './index';

let dir = '';
let store: Store | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function entry(i: number, version = 1): PredictionLogEntry {
  return {
    predictionId: `p${i}`,
    model: 'churn',
    version,
    at: 1000 + i,
    latencyMs: 0.5,
    inputs: { x: i, s: 'é"\n' },
    prediction: i % 2 ? 'yes' : 'no',
    probabilities: { yes: 0.25, no: 0.75 },
    source: 'server',
    serverId: 7,
  };
}

describe('serving repo', () => {
  it('appends log batches in order and prunes the oldest rows beyond the cap', () => {
    dir = makeTempDir();
    store = createStore(dir);
    const s = store.serving;
    s.appendPredictions(
      Array.from({ length: 600 }, (_, i) => entry(i)),
      1000,
    );
    s.appendPredictions(
      Array.from({ length: 600 }, (_, i) => entry(600 + i, 2)),
      1000,
    );
    expect(s.logStats(1000)).toEqual({ rows: 1000, cap: 1000, oldestAt: 1200, newestAt: 2199 });
    const first = s.listPredictions({ model: 'churn', limit: 1 })[0];
    expect(first).toMatchObject({
      predictionId: 'p200',
      inputs: { x: 200, s: 'é"\n' },
      prediction: 'no',
      probabilities: { yes: 0.25, no: 0.75 },
      serverId: 7,
    });
    expect(s.countPredictions({ model: 'churn', version: 2 })).toBe(600);
    expect(s.countPredictions({ model: 'churn', from: 2000, to: 2099 })).toBe(100);
    expect(s.listPredictions({ model: 'churn', version: 2, afterId: first.id + 500, limit: 3 }).map((p) => p.predictionId)).toEqual([
      'p701',
      'p702',
      'p703',
    ]);
    expect(s.loggedVersions('churn')).toEqual([
      { version: 1, rows: 400, firstAt: 1200, lastAt: 1599 },
      { version: 2, rows: 600, firstAt: 1600, lastAt: 2199 },
    ]);
    expect(s.prunePredictions(10)).toBe(990);
    expect(s.countPredictions({ model: 'churn' })).toBe(10);
    expect(s.listPredictions({ model: 'other' })).toEqual([]);
  });

  it('lists live servers first and stops only the rows of owners that are gone', () => {
    dir = makeTempDir();
    store = createStore(dir);
    const s = store.serving;
    const base = {
      name: 'm',
      selector: { kind: 'stage', stage: 'Production' } as const,
      host: '::1',
      port: 5001,
      logPredictions: false,
      split: null,
    };
    const old = s.insertServer({ ...base, ownerPid: 11, startedAt: 1 });
    s.updateServer(old.id, { state: 'stopped', stoppedAt: 2 });
    const gone = s.insertServer({ ...base, ownerPid: 12, startedAt: 3 });
    s.updateServer(gone.id, { state: 'running', pid: 99 });
    const live = s.insertServer({ ...base, ownerPid: 13, startedAt: 4, split: { alias: 'b', share: 0.2 } });
    s.updateServer(live.id, { state: 'running', version: 3, challengerVersion: 4 });
    expect(s.stopOrphanedServers((pid) => pid === 13, 10)).toBe(1);
    expect(s.getServer(gone.id)).toMatchObject({ state: 'stopped', stoppedAt: 10, pid: null });
    const list = s.listServers();
    expect(list.map((x) => x.id)).toEqual([live.id, gone.id, old.id]);
    expect(list[0]).toMatchObject({
      url: 'http://[::1]:5001',
      split: { alias: 'b', share: 0.2 },
      version: 3,
      challengerVersion: 4,
      logPredictions: false,
    });
    expect(s.listServers({ name: 'other' })).toEqual([]);
    expect(() => s.getServer(999)).toThrow(/No scoring server 999/);
  });
});
