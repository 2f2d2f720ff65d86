import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { pipelineDefinitionSchema, type PipelineDefinitionInput } from '../../../shared/pipelines';
import { makeTempDir } from '../../../tests/helpers/test-app';
import { createStore, type Store } from '../store';
import { PIPELINE_EVIDENCE } from './pipelines-evidence';

let store: Store | undefined;
let dir: string | undefined;
afterEach(() => {
  store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const base: PipelineDefinitionInput = {
  name: 'p',
  source: { kind: 'dataset', dataset: 'churn' },
  training: { target: 'churned' },
  models: [{ algorithm: 'logreg' }],
  model: 'm',
};

describe('pipeline evidence', () => {
  it('counts only enabled pipelines: scheduled, validating, gated and drift-triggered ones feed their items', async () => {
    dir = makeTempDir();
    const s = (store = createStore(dir));
    const collect = async () =>
      Object.fromEntries(
        await Promise.all(PIPELINE_EVIDENCE.map(async (p) => [p.id, (await p.collect({ store: s, nowMs: 0 }))?.facts ?? null])),
      );
    const save = (d: Partial<PipelineDefinitionInput>) => s.pipelines.save(pipelineDefinitionSchema.parse({ ...base, ...d }), 'ana', 1);
    save({ name: 'scheduled', triggers: { schedule: { kind: 'daily', at: '02:00' } }, validationSuite: 'basic' });
    save({ name: 'drift', triggers: { onDrift: true }, gates: { metric: { threshold: 0.8 } } });
    save({ name: 'off', triggers: { onDrift: true }, validationSuite: 'basic', gates: { maxCvGap: 0.1 } });
    // Saved but none enabled: nothing automated yet.
    expect(Object.values(await collect()).every((f) => f === null)).toBe(true);
    s.pipelines.setEnabled('scheduled', true, 2);
    s.pipelines.setEnabled('drift', true, 2);
    expect(await collect()).toEqual({
      'pipelines.scheduled': { pipelines: 2, scheduled: 1, runs: 0, succeeded: 0 },
      'pipelines.validation': { validated: 1 },
      'pipelines.gates': { gated: 1 },
      'pipelines.drift': { driftTriggered: 1 },
    });
    const summary = await PIPELINE_EVIDENCE[0].collect({ store: s, nowMs: 0 });
    expect(summary!.summary.en).toBe('2 enabled pipelines (1 on a schedule), 0 runs, 0 succeeded');
  });
});
