import type { JobRecord } from '../../shared/jobs';
import type { ModelVersion } from '../../shared/registry';
import { call } from './call-channel';
import { importSample, type TestApp } from './test-app';

/** Launch settings that train quickly on the bundled churn sample (with a test part and 3-fold CV, so every gate can run). */
export const QUICK_SETTINGS = { target: 'churned', testSize: 0.25, cvFolds: 3, seed: 7 };

/**
 * Trains runs on the churn sample (imported once per app) through `runs:launch`
 * and waits for them; returns the run ids in the models' order.
 */
export async function trainQuickRuns(
  app: TestApp,
  models: { algorithm: 'rf' | 'gbm' | 'logreg' | 'et'; params?: Record<string, unknown> }[] = [{ algorithm: 'logreg' }],
  versionId?: number,
  experimentId = 0,
): Promise<string[]> {
  const vid = versionId ?? (await importSample(app));
  const { jobs } = await call(app, 'runs:launch', {
    experimentId,
    settings: { versionId: vid, ...QUICK_SETTINGS },
    models: models.map((m) => ({ algorithm: m.algorithm, params: m.params ?? {} })),
  });
  const done: JobRecord[] = await Promise.all(jobs.map((j) => app.ctx.jobs.waitFor(j.id)));
  for (const j of done) if (j.status !== 'succeeded') throw new Error(`training failed: ${j.error}`);
  return done.map((j) => (j.result as { runId: string }).runId);
}

/** Registers a run's model with no gates and returns the new version. */
export async function registerRun(app: TestApp, runId: string, name: string): Promise<ModelVersion> {
  const res = await call(app, 'registry:register', { runId, name });
  if (!res.version) throw new Error('registration refused');
  return res.version;
}
