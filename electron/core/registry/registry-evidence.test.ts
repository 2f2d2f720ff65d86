import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/helpers/test-app';
import { createStore, type Store } from '../store';
import { registryModelsEvidence, registryRollbackEvidence, registryStagingEvidence } from './registry-evidence';

let store: Store | undefined;
let dir: string | undefined;
afterEach(() => {
  store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const SHA = 'a'.repeat(64);
const who = { actor: 'ana', via: 'app' };

describe('registry evidence', () => {
  it('says nothing for an empty registry, then counts models, versions, Staging-before-Production and rollbacks (automatic apart)', async () => {
    dir = makeTempDir();
    const s = (store = createStore(dir));
    const providers = [registryModelsEvidence, registryStagingEvidence, registryRollbackEvidence];
    for (const p of providers) expect(await p.collect({ store: s, nowMs: Date.now() })).toBeNull();

    const run = s.tracking.createRun({ experimentId: 0, name: 'r', userId: 'u', source: 'app' });
    for (let i = 0; i < 3; i++)
      s.registry.createVersion({ name: 'churn', runId: run.runId, modelSha256: SHA, createdBy: 'ana', createModel: true });
    const move = (version: number, to: string, via = 'app', action: 'transition' | 'rollback' = 'transition') =>
      s.registry.appendAudit({ ...who, via, action, model: 'churn', version, to });
    move(1, 'Production'); // straight to Production: not staged
    move(2, 'Staging');
    move(2, 'Production');
    move(1, 'Production', 'app', 'rollback');
    move(2, 'Production', 'pipeline nightly', 'rollback');

    expect((await registryModelsEvidence.collect({ store: s, nowMs: 0 }))!.facts).toEqual({ models: 1, versions: 3 });
    expect((await registryStagingEvidence.collect({ store: s, nowMs: 0 }))!.facts).toEqual({ stagedBeforeProduction: 1 });
    const rb = (await registryRollbackEvidence.collect({ store: s, nowMs: 0 }))!;
    expect(rb.facts).toEqual({ rollbacks: 2, automaticRollbacks: 1 });
    expect(rb.summary.en).toBe('2 rollbacks recorded, 1 of them automatic (by a pipeline)');
  });
});
