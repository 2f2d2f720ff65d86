import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { ALGORITHM_IDS, trainCommandSchema, type TrainCommandRequest } from '../../../shared/training';
import { formatZodIssues } from '../../../shared/zod-issues';
import { parseParamValue } from '../../core/training/params';
import { trainJob, type TrainJobResult } from '../../core/training/training-job';
import { resolveTrainingSource, trainSpecOf } from '../../core/training/training-source';
import type { TrainSpec } from '../../core/training/training-spec';
import type { RunTarget } from '../../core/tracking/training-run';
import { DEFAULT_EXPERIMENT_ID, experimentNameSchema, runNameSchema } from '../../../shared/tracking';
import { type CliCommand, type CliContext, fail } from '../command';
import { runJobWithProgress } from '../run-job';

const pct = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(4));

/** The flag a request field comes from, to name it in an error (`params.nEstimators` → `--param nEstimators`). */
const FLAG_OF: Record<string, string> = {
  data: '--data',
  target: '--target',
  algorithm: '--model',
  task: '--task',
  testSize: '--test-size',
  cvFolds: '--cv',
  seed: '--seed',
  recipe: '--recipe',
  params: '--param',
};
const flagOf = (path: string): string => (path.startsWith('params.') ? `--param ${path.slice('params.'.length)}` : (FLAG_OF[path] ?? path));

/**
 * `mlwb train`'s flags → a train request parsed with the shared train request
 * schema: the app's fields, defaults and limits (so `--param nEstimators=6000`
 * is refused with the app's words). Values are typed as `--param` values are
 * (parseParamValue); a bad one is left for zod to name.
 */
export function parseTrainArgs(cli: Pick<CliContext, 'value' | 'values'>): { request: TrainCommandRequest } | { error: string } {
  const params: Record<string, unknown> = {};
  for (const kv of cli.values('param')) {
    const eq = kv.indexOf('=');
    if (eq <= 0) return { error: `--param ${kv}: expected KEY=VALUE (e.g. nEstimators=200).` };
    params[kv.slice(0, eq)] = parseParamValue(kv.slice(eq + 1));
  }
  const typed = (flag: string) => {
    const raw = cli.value(flag);
    return raw === undefined ? undefined : parseParamValue(raw);
  };
  const algorithm = cli.value('model');
  if (algorithm !== undefined && !(ALGORITHM_IDS as readonly string[]).includes(algorithm)) {
    return { error: `--model must be one of ${ALGORITHM_IDS.join(', ')}; got "${algorithm}".` };
  }
  const parsed = trainCommandSchema.safeParse({
    data: cli.value('data'),
    target: cli.value('target'),
    algorithm,
    task: cli.value('task'),
    params,
    cvFolds: typed('cv'),
    seed: typed('seed'),
    testSize: typed('test-size'),
    recipe: cli.value('recipe'),
  });
  return parsed.success ? { request: parsed.data } : { error: formatZodIssues(parsed.error.issues, flagOf) };
}

/**
 * Where `mlwb train` records its run: `--experiment NAME` (created when it does
 * not exist yet, as mlflow.set_experiment does; default: Default) and `--run-name`.
 */
function runTargetOf(cli: CliContext): RunTarget {
  const name = cli.value('run-name');
  if (name !== undefined) {
    const parsed = runNameSchema.safeParse(name);
    if (!parsed.success) throw new AppError('bad_input', `--run-name: ${parsed.error.issues[0].message}`);
  }
  const experiment = cli.value('experiment');
  let experimentId = DEFAULT_EXPERIMENT_ID;
  if (experiment !== undefined) {
    const parsed = experimentNameSchema.safeParse(experiment);
    if (!parsed.success) throw new AppError('bad_input', `--experiment: ${parsed.error.issues[0].message}`);
    const { tracking } = cli.app().store;
    const found = tracking.findExperimentByName(parsed.data);
    if (found?.lifecycleStage === 'deleted')
      throw new AppError('bad_input', `--experiment: experiment "${parsed.data}" is in the trash; restore it first.`);
    experimentId = (found ?? tracking.createExperiment({ name: parsed.data })).id;
  }
  return { experimentId, name: name?.trim(), source: 'cli' };
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'Train and evaluate a model (random forest, extra trees, gradient boosting, logistic or linear regression)',
  usage:
    'mlwb train --data FILE|NAME@TAG --target COLUMN --model rf|et|gbm|logreg|linear [--param KEY=VALUE]… [--cv K] [--seed S] [--test-size 0.2] [--task auto|classification|regression] [--recipe NAME_OR_ID] [--experiment NAME] [--run-name NAME] [--out MODEL.json] [--json]',
  options: {
    data: { type: 'string' },
    target: { type: 'string' },
    model: { type: 'string' },
    param: { type: 'string', multiple: true },
    cv: { type: 'string' },
    seed: { type: 'string' },
    'test-size': { type: 'string' },
    task: { type: 'string' },
    recipe: { type: 'string' },
    out: { type: 'string' },
    experiment: { type: 'string' },
    'run-name': { type: 'string' },
  },
  async run(cli) {
    const data = cli.value('data');
    if (!data || !cli.value('target') || !cli.value('model')) return fail(cli, `Usage: ${this.usage}`);
    const parsed = parseTrainArgs(cli);
    if ('error' in parsed) return fail(cli, parsed.error);
    const req = parsed.request;
    let spec: TrainSpec;
    try {
      const source = resolveTrainingSource(() => cli.app().store, data);
      if (req.recipe !== undefined && !source.versionId) return fail(cli, '--recipe needs --data NAME@TAG: recipes are saved per dataset.');
      const version = source.versionId ? cli.app().store.datasets.getVersion(source.versionId) : undefined;
      // The app's request → spec, with its checks of target, features, parameters and recipe, before any worker starts.
      spec = { ...trainSpecOf(cli.app().store, req, source, version, req.recipe), run: runTargetOf(cli) };
    } catch (err) {
      if (err instanceof AppError && err.code === 'bad_input') {
        const unknownColumn = (err.details as { trainingCode?: string } | undefined)?.trainingCode === 'UNKNOWN_COLUMN';
        return fail(cli, err.message, unknownColumn ? 1 : 2);
      }
      if (err instanceof AppError && err.code === 'not_found')
        return fail(cli, err.message.startsWith(data) ? `--data ${err.message}` : err.message);
      throw err;
    }
    const job = await runJobWithProgress(cli, trainJob, spec);
    if (job.status !== 'succeeded') return 1;
    const r = job.result as TrainJobResult;
    const outFile = cli.value('out');
    if (outFile) fs.copyFileSync(cli.app().store.objects.objectPath(r.model.sha256), path.resolve(outFile));
    if (cli.json) {
      cli.out(JSON.stringify(r, null, 2));
      return 0;
    }
    cli.out(
      `${r.algorithm} on ${r.source} → ${r.target} (${r.task}): ${r.split.nTrain} training rows, ${r.split.nTest} test rows, seed ${r.split.seed}, ${r.workers} worker(s), ${(r.durationMs / 1000).toFixed(1)} s`,
    );
    if (r.test) {
      const t = r.test as unknown as Record<string, number>;
      const keys =
        r.task === 'classification' ? ['accuracy', 'precisionMacro', 'recallMacro', 'f1Macro', 'rocAuc', 'logLoss'] : ['r2', 'rmse', 'mae'];
      cli.out(`test: ${keys.map((k) => `${k} ${pct(t[k])}`).join(', ')}`);
    }
    if (r.cv) {
      const keys = r.task === 'classification' ? ['accuracy', 'f1Macro', 'rocAuc'] : ['r2', 'rmse', 'mae'];
      cli.out(`cv (${r.cv.folds} folds): ${keys.map((k) => `${k} ${pct(r.cv!.mean[k])} ± ${pct(r.cv!.std[k])}`).join(', ')}`);
    }
    if (r.oobScore !== undefined) cli.out(`out-of-bag score: ${pct(r.oobScore)}`);
    const top = r.importance.features
      .map((f, i) => [f, r.importance.impurity[i]] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5);
    cli.out(`top features: ${top.map(([f, v]) => `${f} ${v.toFixed(3)}`).join(', ')}`);
    for (const w of r.warnings) cli.out(`warning: ${w}`);
    cli.out(`model: ${r.model.sha256}${outFile ? ` (saved to ${outFile})` : ''}`);
    cli.out(`run: ${r.runId}`);
    return 0;
  },
};
