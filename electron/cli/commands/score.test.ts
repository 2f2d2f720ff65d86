import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../tests/helpers/cli';
import { createTestApp, writeSampleHead, type TestApp } from '../../../tests/helpers/test-app';
import { DATA_COMMANDS } from './data';
import { MODELS_COMMANDS } from './models';
import { SCORING_COMMANDS } from './score';
import { trainCommand } from './train';

let app: TestApp;
let dir: string;
let input: string;
const mlwb = (words: string[]) => runCli(app, words, [...DATA_COMMANDS, trainCommand, ...MODELS_COMMANDS, ...SCORING_COMMANDS]);

beforeAll(async () => {
  app = createTestApp();
  dir = path.join(app.workspaceDir, 'cli-test');
  fs.mkdirSync(dir);
  input = writeSampleHead(path.join(dir, 'churn.csv'), 800);
  expect((await mlwb(['data', 'import', input, '--name', 'churn', '--tag', 'v1'])).code).toBe(0);
  const train = await mlwb([
    'train',
    '--data',
    'churn@v1',
    '--target',
    'churned',
    '--model',
    'rf',
    '--param',
    'nEstimators=10',
    '--cv',
    '3',
    '--json',
  ]);
  expect(train.code, train.err).toBe(0);
  const runId = JSON.parse(train.out).runId as string;
  const reg = await mlwb(['models', 'register', runId, '--name', 'churn']);
  expect(reg.code, reg.err).toBe(0);
}, 120_000);
afterAll(() => app?.cleanup());

describe('mlwb score', () => {
  it('scores a file and a dataset version with a version, a stage or an alias, to OUT.csv', async () => {
    const out = path.join(dir, 'scored.csv');
    const r = await mlwb(['score', 'churn/1', input, out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Scored 800 rows of churn\.csv with churn v1 \(churn\/1\) in [\d.]+ s/);
    expect(r.out).toMatch(/predicted: 0 \d+\.\d%, 1 \d+\.\d%/);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(801);
    expect(lines[0].endsWith(',churned,prediction,probability_0,probability_1')).toBe(true);

    // NAME alone is its Production version: there is none yet.
    const none = await mlwb(['score', 'churn', 'churn@v1', path.join(dir, 'prod.csv')]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no version in Production/);
    expect(fs.existsSync(path.join(dir, 'prod.csv'))).toBe(false);

    expect((await mlwb(['models', 'alias', 'churn', 'champion', '1'])).code).toBe(0);
    const json = await mlwb(['score', 'churn@champion', 'churn@v1', path.join(dir, 'alias.csv'), '--json']);
    expect(json.code, json.err).toBe(0);
    const res = JSON.parse(json.out);
    expect(res.predictionSet).toMatchObject({ model: 'churn', version: 1, sourceLabel: 'churn@v1', rows: 800 });
    // Same rows, same model: the same bytes.
    expect(fs.readFileSync(path.join(dir, 'alias.csv'), 'utf8')).toBe(fs.readFileSync(out, 'utf8'));
  });

  it('refuses bad words with the reason', async () => {
    expect((await mlwb(['score', 'churn/1', input])).code).toBe(2);
    const badRef = await mlwb(['score', 'churn/Nowhere', input, path.join(dir, 'x.csv')]);
    expect(badRef.code).toBe(2);
    expect(badRef.err).toMatch(/MODEL must be NAME/);
    const badAlias = await mlwb(['score', 'churn@1x', input, path.join(dir, 'x.csv')]);
    expect(badAlias.code).toBe(2);
    expect(badAlias.err).toMatch(/alias/);
    const noData = await mlwb(['score', 'churn/1', 'nope@v9', path.join(dir, 'x.csv')]);
    expect(noData.code).toBe(1);
    expect(noData.err).toMatch(/nope/);
    const exists = await mlwb(['score', 'churn/1', input, input]);
    expect(exists.code).toBe(1);
    expect(exists.err).toMatch(/is the file being scored/);
  });
});

describe('mlwb models card', () => {
  // The PDF goes through the same pipeline (printed in model-card-report.test.ts).
  it('writes the card as HTML', async () => {
    const html = path.join(dir, 'card.html');
    const r = await mlwb(['models', 'card', 'churn', '1', '--html', html]);
    expect(r.code, r.err).toBe(0);
    const text = fs.readFileSync(html, 'utf8');
    expect(text).toContain('churn v1');
    expect(text).toContain('churn@v1');
    expect(text).toContain('Cross-validation spread');
    const bad = await mlwb(['models', 'card', 'churn', '7', '--html', html]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/No registered model version churn\/7/);
  }, 60_000);
});
