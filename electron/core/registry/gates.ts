/**
 * Registration gates, the chapter's `should_register_model` (test metric ≥
 * threshold and |test − CV| < 0.1) plus "beats the current Production
 * version on this run's test data". Each check says what it measured and by
 * how much it missed, so a refusal can be read without opening the run.
 */
import { AppError } from '../../../shared/errors';
import type { GateCheck, GateOperator, GateReport, GateSpec } from '../../../shared/registry';
import { defaultBetter } from '../../../shared/run-comparison';
import { fromWireNumber, type Run } from '../../../shared/tracking';
import type { Store } from '../store';
import type { TrainSpec } from '../training/training-spec';
import type { HeldOutScores } from './registry-tasks';

/** What gate checks need: the store, and a way to run a worker task (the pool from a handler, the job's from a job). */
export interface GateEnv {
  store: Store;
  runTask<R>(name: string, params: unknown): Promise<R>;
}

/** The metric a gate reads when the user named none: the task's headline metric. */
export function headlineMetric(task: 'classification' | 'regression'): string {
  return task === 'regression' ? 'r2' : 'accuracy';
}

const COMPARE: Record<GateOperator, (a: number, b: number) => boolean> = {
  '>=': (a, b) => a >= b,
  '>': (a, b) => a > b,
  '<=': (a, b) => a <= b,
  '<': (a, b) => a < b,
};

const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(1) : Number(v.toPrecision(4)).toString());

/** The run's latest value of a metric (null when absent or not finite). */
export function runMetric(run: Run, key: string): number | null {
  const m = run.metrics.find((x) => x.key === key);
  if (!m) return null;
  const v = fromWireNumber(m.value);
  return Number.isFinite(v) ? v : null;
}

function taskOf(run: Run): 'classification' | 'regression' {
  return run.tags['mlwb.task'] === 'regression' ? 'regression' : 'classification';
}

/** True when the spec asks for no check at all. */
export function isEmptyGateSpec(spec: GateSpec | null | undefined): boolean {
  return !spec || (!spec.metric && spec.maxCvGap === undefined && !spec.beatProduction);
}

/** The metric and threshold checks, read from the run's logged metrics (no worker needed). */
export function metricChecks(run: Run, spec: GateSpec): GateCheck[] {
  const checks: GateCheck[] = [];
  const key = spec.metric?.key ?? headlineMetric(taskOf(run));
  if (spec.metric) {
    const { op, threshold } = spec.metric;
    const actual = runMetric(run, key);
    if (actual === null) {
      checks.push({
        id: 'metric',
        passed: false,
        metric: key,
        actual: null,
        threshold,
        shortfall: null,
        message: `The run has no test metric "${key}".`,
      });
    } else {
      const passed = COMPARE[op](actual, threshold);
      checks.push({
        id: 'metric',
        passed,
        metric: key,
        actual,
        threshold,
        shortfall: passed ? null : Math.abs(threshold - actual),
        message: passed
          ? `${key} ${fmt(actual)} ${op} ${fmt(threshold)}`
          : `${key} is ${fmt(actual)}, the gate needs ${op} ${fmt(threshold)} (short by ${fmt(Math.abs(threshold - actual))})`,
      });
    }
  }
  if (spec.maxCvGap !== undefined) {
    const limit = spec.maxCvGap;
    const test = runMetric(run, key);
    const cv = runMetric(run, `cv_${key}_mean`);
    if (test === null || cv === null) {
      checks.push({
        id: 'cv-gap',
        passed: false,
        metric: key,
        actual: null,
        threshold: limit,
        shortfall: null,
        message: `The overfitting check needs the test "${key}" and its cross-validation mean; run with k-fold CV.`,
      });
    } else {
      const gap = Math.abs(test - cv);
      const passed = gap < limit;
      checks.push({
        id: 'cv-gap',
        passed,
        metric: key,
        actual: gap,
        threshold: limit,
        shortfall: passed ? null : gap - limit,
        message: passed
          ? `|test − CV| for ${key} = ${fmt(gap)} < ${fmt(limit)}`
          : `|test − CV| for ${key} = ${fmt(gap)} (test ${fmt(test)}, CV ${fmt(cv)}); the limit is ${fmt(limit)} — possible overfitting`,
      });
    }
  }
  return checks;
}

/**
 * "Beats Production": both models score this run's held-out rows in a worker;
 * higher is better unless the metric is a loss or an error.
 */
export async function beatProductionCheck(
  app: GateEnv,
  run: Run,
  spec: GateSpec,
  modelName: string,
  candidateSha256: string,
): Promise<GateCheck> {
  const key = spec.metric?.key ?? headlineMetric(taskOf(run));
  /** A "beats Production" check that measured nothing (no Production, no test data, a failed comparison). */
  const unmeasured = (passed: boolean, message: string): GateCheck => ({
    id: 'beat-production',
    passed,
    metric: key,
    actual: null,
    threshold: null,
    shortfall: null,
    message,
  });
  const production = app.store.registry.findModel(modelName)?.production ?? [];
  if (production.length === 0) return unmeasured(true, `"${modelName}" has no Production version yet: nothing to beat.`);
  const current = app.store.registry.getVersion(modelName, Math.max(...production));
  const runSpec = app.store.tracking.getRunSpec(run.info.runId) as TrainSpec | null;
  if (!runSpec)
    return unmeasured(
      false,
      'This run was not trained by the workbench, so its test data is unknown; the comparison with Production cannot run.',
    );
  let scores: HeldOutScores;
  try {
    scores = await app.runTask<HeldOutScores>('registry-score-held-out', {
      spec: runSpec,
      modelPaths: [app.store.objects.objectPath(candidateSha256), app.store.objects.objectPath(current.modelSha256)],
    });
  } catch (err) {
    if (err instanceof AppError && err.code !== 'bad_input') throw err;
    return unmeasured(false, `The comparison with Production failed: ${(err as Error).message}`);
  }
  const [mine, theirs] = scores.metrics.map((m) => m[key] ?? null);
  if (mine === null || theirs === null)
    return {
      id: 'beat-production',
      passed: false,
      metric: key,
      actual: mine,
      threshold: theirs,
      shortfall: null,
      message: `"${key}" could not be computed for both models on the test data.`,
    };
  const higher = defaultBetter(key) === 'higher';
  const passed = higher ? mine > theirs : mine < theirs;
  const where = `on this run's ${scores.rows} test rows`;
  return {
    id: 'beat-production',
    passed,
    metric: key,
    actual: mine,
    threshold: theirs,
    shortfall: passed ? null : Math.abs(theirs - mine),
    message: passed
      ? `${key} ${fmt(mine)} beats Production v${current.version} (${fmt(theirs)}) ${where}`
      : `${key} ${fmt(mine)} does not beat Production v${current.version} (${fmt(theirs)}) ${where}`,
  };
}

/** Runs every check the spec asks for. A report with no checks passes. */
export async function evaluateGates(
  app: GateEnv,
  run: Run,
  spec: GateSpec,
  modelName: string,
  candidateSha256: string,
): Promise<GateReport> {
  const checks = metricChecks(run, spec);
  if (spec.beatProduction) checks.push(await beatProductionCheck(app, run, spec, modelName, candidateSha256));
  return { passed: checks.every((c) => c.passed), checks };
}
