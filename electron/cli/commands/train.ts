import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { Algorithm } from '../../core/training/model';
import { parseParamValue } from '../../core/training/params';
import { ALGORITHMS } from '../../core/training/train';
import { trainJob, type TrainJobResult } from '../../core/training/training-job';
import { checkTrainSpec, resolveTrainingRecipe, resolveTrainingSource } from '../../core/training/training-source';
import type { TrainSpec } from '../../core/training/training-spec';
import { flagValue, flagValues, type CliCommand, fail } from '../command';
import { runJobWithProgress } from '../run-job';

const pct = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(4));

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'Train and evaluate a model (random forest, extra trees, gradient boosting, logistic or linear regression)',
  usage:
    'mlwb train --data FILE|NAME@TAG --target COLUMN --model rf|et|gbm|logreg|linear [--param KEY=VALUE]… [--cv K] [--seed S] [--test-size 0.2] [--task classification|regression] [--recipe NAME_OR_ID] [--out MODEL.json] [--json]',
  async run(cli) {
    const data = flagValue(cli.args, '--data');
    const target = flagValue(cli.args, '--target');
    const algorithm = flagValue(cli.args, '--model') as Algorithm | undefined;
    if (!data || !target || !algorithm) return fail(cli, `Usage: ${this.usage}`);
    if (!ALGORITHMS.includes(algorithm)) return fail(cli, `--model must be one of ${ALGORITHMS.join(', ')}; got "${algorithm}".`);
    const params: Record<string, unknown> = {};
    for (const kv of flagValues(cli.args, '--param')) {
      const eq = kv.indexOf('=');
      if (eq <= 0) return fail(cli, `--param ${kv}: expected KEY=VALUE (e.g. nEstimators=200).`);
      params[kv.slice(0, eq)] = parseParamValue(kv.slice(eq + 1));
    }
    const num = (flag: string, def: number, ok: (v: number) => boolean, what: string): number | string => {
      const raw = flagValue(cli.args, flag);
      if (raw === undefined) return def;
      const v = Number(raw);
      return Number.isFinite(v) && ok(v) ? v : `${flag} must be ${what}; got "${raw}".`;
    };
    const cv = num('--cv', 0, (v) => Number.isInteger(v) && (v === 0 || v >= 2) && v <= 100, 'an integer from 2 to 100 (or 0 for none)');
    const seed = num('--seed', 0, (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32, 'an integer from 0 to 2^32−1');
    const testSize = num('--test-size', 0.2, (v) => v >= 0 && v < 1, 'a share in [0, 1)');
    for (const v of [cv, seed, testSize]) if (typeof v === 'string') return fail(cli, v);
    const task = flagValue(cli.args, '--task');
    if (task !== undefined && task !== 'classification' && task !== 'regression')
      return fail(cli, '--task must be classification or regression.');
    let spec: TrainSpec;
    try {
      spec = {
        source: resolveTrainingSource(() => cli.app().store, data),
        target,
        task,
        algorithm,
        params,
        seed: seed as number,
        testSize: testSize as number,
        cvFolds: cv as number,
      };
      const recipe = flagValue(cli.args, '--recipe');
      if (recipe !== undefined) {
        if (!spec.source.versionId) return fail(cli, '--recipe needs --data NAME@TAG: recipes are saved per dataset.');
        // Refitted on the training rows in the job; here only its dataset and target are checked.
        spec.recipe = resolveTrainingRecipe(cli.app().store, cli.app().store.datasets.getVersion(spec.source.versionId), recipe, target);
      }
      // Target, features and parameters are checked before any worker starts (the same check as the app's).
      checkTrainSpec(spec);
    } catch (err) {
      if (err instanceof AppError && err.code === 'bad_input') {
        const unknownColumn = (err.details as { trainingCode?: string } | undefined)?.trainingCode === 'UNKNOWN_COLUMN';
        return fail(cli, err.message, unknownColumn ? 1 : 2);
      }
      if (err instanceof AppError && err.code === 'not_found') return fail(cli, err.message.startsWith(data) ? `--data ${err.message}` : err.message);
      throw err;
    }
    const job = await runJobWithProgress(cli, trainJob, spec);
    if (job.status !== 'succeeded') return 1;
    const r = job.result as TrainJobResult;
    const outFile = flagValue(cli.args, '--out');
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
    return 0;
  },
};
