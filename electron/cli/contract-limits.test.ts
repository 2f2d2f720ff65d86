import { describe, expect, it } from 'vitest';
import type { AlgorithmId } from '../../shared/training';
import type { HandlerMap } from '../core/handlers';
import { dispatchRequest } from '../core/handlers/dispatch';
import { isTrainingError } from '../core/training/errors';
import { resolveParams } from '../core/training/train';
import { commandLineAccess } from './command';
import { parseTrainArgs } from './commands/train';
import { runCli } from './index';

/**
 * One limit per hyper-parameter, whichever way a user reaches the engine: the
 * app (IPC and the browser host go through dispatchRequest), `mlwb train`,
 * and the engine itself refuse the same value with the same words, and all
 * accept the limit.
 */
const CASES: Array<{ algorithm: AlgorithmId; key: string; over: number; limit: number; says: string }> = [
  { algorithm: 'rf', key: 'nEstimators', over: 5001, limit: 5000, says: 'must be ≤ 5000' },
  { algorithm: 'et', key: 'maxDepth', over: 1001, limit: 1000, says: 'must be ≤ 1000' },
  { algorithm: 'gbm', key: 'learningRate', over: 0.00001, limit: 0.0001, says: 'must be ≥ 0.0001' },
  { algorithm: 'gbm', key: 'maxIter', over: 10_001, limit: 10_000, says: 'must be ≤ 10000' },
  { algorithm: 'logreg', key: 'C', over: 1e-7, limit: 1e-6, says: 'must be ≥ 0.000001' },
];

/** The handler map of the contract test: runs:launch answers with the request it was given, as parsed (no job). */
const echo = { 'runs:launch': (req: unknown) => req } as unknown as HandlerMap;

/** The app's launch of one model (the New run wizard's request), through the dispatcher. */
const appLaunch = (algorithm: AlgorithmId, params: Record<string, unknown>, settings: Record<string, unknown> = {}) =>
  dispatchRequest(echo, 'runs:launch', {
    experimentId: 0,
    settings: { versionId: 1, target: 'y', ...settings },
    models: [{ algorithm, params }],
  });

function cliArgs(algorithm: AlgorithmId, key: string, value: number) {
  return ['--data', 'data.csv', '--target', 'y', '--model', algorithm, '--param', `${key}=${value}`];
}

const cliParse = (args: string[]) => {
  const values: Record<string, string | string[]> = {};
  for (let i = 0; i < args.length; i += 2) {
    const k = args[i].slice(2);
    if (k === 'param') values.param = [...((values.param as string[]) ?? []), args[i + 1]];
    else values[k] = args[i + 1];
  }
  return parseTrainArgs(commandLineAccess({ values }));
};

function engineError(algorithm: AlgorithmId, params: Record<string, unknown>): string {
  try {
    resolveParams(algorithm, params, algorithm === 'linear' ? 'regression' : 'classification');
  } catch (err) {
    expect(isTrainingError(err), String(err)).toBe(true);
    return (err as Error).message;
  }
  throw new Error('the engine accepted it');
}

describe('one limit for every hyper-parameter, in the app, the CLI and the engine', () => {
  it.each(CASES)(
    '$algorithm $key: $over is refused as "$says" everywhere; $limit is accepted',
    async ({ algorithm, key, over, limit, says }) => {
      const refusedByApp = await appLaunch(algorithm, { [key]: over });
      expect(refusedByApp.ok).toBe(false);
      if (!refusedByApp.ok) expect(refusedByApp.error.message).toBe(`Invalid request to runs:launch: models.0.params.${key}: ${says}`);

      const refusedByCli = cliParse(cliArgs(algorithm, key, over));
      expect(refusedByCli).toEqual({ error: `--param ${key}: ${says}` });

      expect(engineError(algorithm, { [key]: over })).toBe(`${key}: ${says}`);

      const acceptedByApp = await appLaunch(algorithm, { [key]: limit });
      expect(acceptedByApp).toMatchObject({ ok: true, value: { runs: [{ request: { algorithm, params: { [key]: limit } } }] } });
      expect(cliParse(cliArgs(algorithm, key, limit))).toMatchObject({ request: { algorithm, params: { [key]: limit } } });
      expect(resolveParams(algorithm, { [key]: limit }, 'classification')[key]).toBe(limit);
    },
  );

  it('refuses an unknown parameter, naming the known ones, in the same words', async () => {
    const says = 'Unknown parameter "trees" for random forest; known: nEstimators, criterion, maxDepth';
    const app = await appLaunch('rf', { trees: 3 });
    expect(app.ok || app.error.message).toContain(`Invalid request to runs:launch: models.0.params: ${says}`);
    expect(cliParse(cliArgs('rf', 'trees', 3))).toMatchObject({ error: expect.stringContaining(`--param: ${says}`) });
    expect(engineError('rf', { trees: 3 })).toContain(says);
  });

  it('mlwb train refuses an out-of-range value with exit code 2 before opening a workspace or reading the data', async () => {
    const err: string[] = [];
    const code = await runCli(['train', ...cliArgs('rf', 'nEstimators', 5001), '--workspace', '/nonexistent/never-created'], {
      out: () => {},
      err: (t) => err.push(t),
    });
    expect(code).toBe(2);
    expect(err.join('\n')).toBe('--param nEstimators: must be ≤ 5000');
  });

  it("the request's own settings have one limit too (--cv, --test-size)", async () => {
    const cv = await appLaunch('rf', {}, { cvFolds: 21 });
    expect(cv.ok || cv.error.message).toBe('Invalid request to runs:launch: settings.cvFolds: must be ≤ 20');
    const testSize = await appLaunch('rf', {}, { testSize: 0.95 });
    expect(testSize.ok || testSize.error.message).toBe('Invalid request to runs:launch: settings.testSize: must be ≤ 0.9');
    expect(await appLaunch('rf', {}, { cvFolds: 20, testSize: 0.9 })).toMatchObject({
      ok: true,
      value: { runs: [{ request: { cvFolds: 20, testSize: 0.9 } }] },
    });
    expect(cliParse(['--data', 'd.csv', '--target', 'y', '--model', 'rf', '--cv', '21'])).toEqual({ error: '--cv: must be ≤ 20' });
    expect(cliParse(['--data', 'd.csv', '--target', 'y', '--model', 'rf', '--test-size', '0.95'])).toEqual({
      error: '--test-size: must be ≤ 0.9',
    });
    expect(cliParse(['--data', 'd.csv', '--target', 'y', '--model', 'rf', '--cv', '20', '--test-size', '0.9'])).toMatchObject({
      request: { cvFolds: 20, testSize: 0.9 },
    });
  });
});
