/**
 * Reproduce a run: train again from the inputs it recorded (the same data
 * version, recipe, model, params, split and seed), as a new run tagged with
 * the original, and compare. Identical means every recorded metric equal to
 * the last bit and the same model file hash; otherwise the verdict lists what
 * differs — inputs (data hash, params, engine and app versions) and metrics.
 */
import fs from 'node:fs';
import { AppError } from '../../../shared/errors';
import { SYSTEM_TAGS, fromWireNumber, type ReproductionVerdict, type Run, type WireNumber } from '../../../shared/tracking';
import type { JobKind } from '../jobs/job-kind';
import type { Store } from '../store';
import { trainJob } from '../training/training-job';
import type { TrainSpec } from '../training/training-spec';
import { sourceFromVersion } from '../training/training-source';

/** Metrics that measure the machine, not the model: left out of the verdict. */
const TIMING_METRICS = new Set(['training_duration_s']);

/** The spec a run can be re-trained from, or a clear message why not (a deleted dataset version, a run logged from outside). */
export function reproducibleSpec(store: Store, runId: string): TrainSpec {
  const info = store.tracking.getRunInfo(runId);
  const spec = store.tracking.getRunSpec(runId) as TrainSpec | null;
  if (!spec || !spec.source) {
    throw new AppError(
      'bad_input',
      `Run "${info.name}" was not trained by the workbench (it was logged by ${info.source}); it has no recorded inputs to re-run.`,
    );
  }
  let source = spec.source;
  if (spec.source.versionId !== undefined) {
    const exists = store.datasets.listDatasets().some((d) => d.versions.some((v) => v.id === spec.source.versionId));
    if (!exists)
      throw new AppError(
        'not_found',
        `Run "${info.name}" was trained on ${spec.source.label}, which has been deleted; it cannot be reproduced.`,
      );
    // Read the version where the workspace is now (it may have been moved or restored from a backup).
    source = sourceFromVersion(store, store.datasets.getVersion(spec.source.versionId));
  }
  if (!fs.existsSync(source.path)) {
    throw new AppError(
      'not_found',
      `The data of run "${info.name}" (${spec.source.label}) is missing from the workspace (${spec.source.path}); it cannot be reproduced.`,
    );
  }
  return { ...spec, source };
}

function modelHash(run: Run): string | null {
  return run.artifacts.find((a) => a.path === 'model/model.json')?.sha256 ?? null;
}

function sameNumber(a: WireNumber, b: WireNumber): boolean {
  return Object.is(fromWireNumber(a), fromWireNumber(b));
}

/** Compares a run with its reproduction. */
export function compareReproduction(original: Run, reproduction: Run): ReproductionVerdict {
  const inputDifferences: ReproductionVerdict['inputDifferences'] = [];
  const facts: [string, string][] = [
    ['data hash', SYSTEM_TAGS.datasetSha256],
    ['engine version', SYSTEM_TAGS.engineVersion],
    ['app version', SYSTEM_TAGS.appVersion],
    ['recipe', SYSTEM_TAGS.recipe],
    ['operating system', SYSTEM_TAGS.os],
  ];
  for (const [what, tag] of facts) {
    const a = original.tags[tag] ?? '';
    const b = reproduction.tags[tag] ?? '';
    if (a !== b) inputDifferences.push({ what, original: a, reproduction: b });
  }
  for (const key of new Set([...Object.keys(original.params), ...Object.keys(reproduction.params)])) {
    const a = original.params[key] ?? '';
    const b = reproduction.params[key] ?? '';
    if (a !== b) inputDifferences.push({ what: `param ${key}`, original: a, reproduction: b });
  }
  const metricDifferences: ReproductionVerdict['metricDifferences'] = [];
  const a = new Map(original.metrics.map((m) => [m.key, m.value]));
  const b = new Map(reproduction.metrics.map((m) => [m.key, m.value]));
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (TIMING_METRICS.has(key)) continue;
    const va = a.get(key) ?? null;
    const vb = b.get(key) ?? null;
    if (va !== null && vb !== null && sameNumber(va, vb)) continue;
    const delta = va !== null && vb !== null ? fromWireNumber(vb) - fromWireNumber(va) : null;
    metricDifferences.push({ key, original: va, reproduction: vb, delta: delta === null || Number.isNaN(delta) ? null : delta });
  }
  const hashes = { original: modelHash(original), reproduction: modelHash(reproduction) };
  const identical = metricDifferences.length === 0 && hashes.original !== null && hashes.original === hashes.reproduction;
  return {
    originalRunId: original.info.runId,
    reproductionRunId: reproduction.info.runId,
    identical,
    modelSha256: hashes,
    inputDifferences,
    metricDifferences,
  };
}

/** The reproduce job: one training through the train job's own path, then the verdict. */
export const reproduceJob: JobKind<{ runId: string }, ReproductionVerdict> = {
  kind: 'reproduce',
  title: (p) => `Reproduce run ${p.runId.slice(0, 8)}`,
  async execute(ctx, { runId }) {
    const { store } = ctx.app;
    const original = store.tracking.getRun(runId);
    const spec = reproducibleSpec(store, runId);
    const result = await trainJob.execute(ctx, {
      ...spec,
      run: {
        experimentId: original.info.experimentId,
        name: `${original.info.name} (reproduction)`.slice(0, 500),
        source: 'reproduction',
        reproducedFrom: runId,
        comparison: spec.run?.comparison,
      },
    });
    const verdict = compareReproduction(original, store.tracking.getRun(result.runId));
    store.tracking.setTag(result.runId, 'mlwb.reproduction.identical', String(verdict.identical));
    ctx.app.events.emit('changed', { topic: 'tracking' });
    return verdict;
  },
};
