import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/helpers/test-app';
import { createStore, type Store } from '../store';
import { abSplitEvidence, servingEvidence } from './serving-evidence';

let store: Store | undefined;
let dir: string | undefined;
afterEach(() => {
  store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('serving evidence', () => {
  it('says nothing before a server ran, then counts servers, models served, predictions logged and A/B splits', async () => {
    dir = makeTempDir();
    const s = (store = createStore(dir));
    expect(await servingEvidence.collect({ store: s, nowMs: 0 })).toBeNull();
    expect(await abSplitEvidence.collect({ store: s, nowMs: 0 })).toBeNull();
    const base = {
      selector: { kind: 'stage' as const, stage: 'Production' as const },
      host: '127.0.0.1',
      logPredictions: true,
      ownerPid: process.pid,
      startedAt: 1,
    };
    s.serving.insertServer({ ...base, name: 'churn', port: 5001, split: null });
    s.serving.insertServer({ ...base, name: 'churn', port: 5002, split: { alias: 'challenger', share: 0.1 } });
    s.serving.appendPredictions(
      [1, 2, 3].map((i) => ({
        predictionId: `p${i}`,
        model: 'churn',
        version: 1,
        at: i,
        latencyMs: 1,
        inputs: { x: i },
        prediction: 'yes',
        probabilities: null,
        source: 'server' as const,
        serverId: 1,
      })),
      1000,
    );
    expect((await servingEvidence.collect({ store: s, nowMs: 0 }))!.facts).toEqual({ servers: 2, models: 1, predictions: 3 });
    const ab = (await abSplitEvidence.collect({ store: s, nowMs: 0 }))!;
    expect(ab.facts).toEqual({ splitServers: 1 });
    expect(ab.summary.en).toBe('1 server split traffic between two versions (A/B)');
  });
});
