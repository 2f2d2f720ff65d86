import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../tests/helpers/cli';
import { createTestApp, makeTempDir, SAMPLE_CSV as SAMPLE, writeSampleHead, type TestApp } from '../../../tests/helpers/test-app';
import { importDatasetJob } from '../../core/datasets/dataset-jobs';
import { dispatchRequest } from '../../core/handlers/dispatch';
import { DATA_COMMANDS } from './data';

let app: TestApp | undefined;
const dirs: string[] = [];
afterEach(() => {
  app?.cleanup();
  app = undefined;
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

/** Runs `mlwb data …` in-process on a test app (workers through tsx, no build needed). */
const mlwb = (words: string[]) => runCli((app ??= createTestApp()), words, DATA_COMMANDS);

describe('mlwb data', () => {
  it('imports, lists, profiles, validates, diffs and exports', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const imp = await mlwb(['data', 'import', SAMPLE, '--name', 'churn', '--tag', 'v1', '--md5', '--json']);
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.out)).toMatchObject({ name: 'churn', tag: 'v1', rows: 5000, reused: 'none' });
    const v2src = path.join(dir, 'v2.csv');
    writeSampleHead(v2src, 2000);
    expect((await mlwb(['data', 'import', v2src, '--name', 'churn', '--tag', 'v2', '--type', 'churned=category'])).code).toBe(0);
    const again = await mlwb(['data', 'import', v2src, '--name', 'churn', '--tag', 'v3']);
    expect(again.out).toMatch(/already version churn@v2/);

    const list = await mlwb(['data', 'list']);
    expect(list.out).toMatch(/churn@v1\s+5000\s+16/);
    expect(list.out).toMatch(/churn@v2\s+2000/);

    const profile = JSON.parse((await mlwb(['data', 'profile', 'churn@v1', '--json'])).out);
    expect(profile.rows).toBe(5000);
    expect(profile.columns.find((c: { name: string }) => c.name === 'monthly_charges').mean).toBeGreaterThan(0);
    expect((await mlwb(['data', 'profile', 'churn@v1'])).out).toMatch(/tenure_months\s+integer/);

    const suiteFile = path.join(dir, 'suite.json');
    fs.writeFileSync(
      suiteFile,
      JSON.stringify({
        name: 'basic',
        rules: [
          { kind: 'row_count_between', min: 4000 },
          { kind: 'in_set', column: 'contract', values: ['Month-to-month', 'One year', 'Two year'] },
          { kind: 'between', column: 'tenure_months', min: 0, max: 72 },
        ],
      }),
    );
    const ok = await mlwb(['data', 'validate', 'churn@v1', '--suite', suiteFile]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/passed: 3\/3 rules/);
    // The file's suite is now saved on the dataset and can be used by name.
    const bad = await mlwb(['data', 'validate', 'churn@v2', '--suite', 'basic', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out).results[0]).toMatchObject({ passed: false, observed: 2000 });

    const diff = await mlwb(['data', 'diff', 'churn@v1', 'churn@v2']);
    expect(diff.out).toMatch(/rows: 5000 → 2000 \(-3000\)/);
    expect(diff.out).toMatch(/~ column churned: integer → category/);

    const out = path.join(dir, 'out.csv');
    expect((await mlwb(['data', 'export', 'churn@v1', out])).code).toBe(0);
    expect(fs.readFileSync(out).equals(fs.readFileSync(SAMPLE))).toBe(true);
    const exists = await mlwb(['data', 'export', 'churn@v1', out]);
    expect(exists.code).toBe(1);
    expect(exists.err).toMatch(/already exists/);
  });

  it('refuses a tag the dataset already has with one message: the CLI, the app handler and the import job alike', async () => {
    expect((await mlwb(['data', 'import', SAMPLE, '--name', 'churn', '--tag', 'v1'])).code).toBe(0);
    const says = 'Dataset "churn" already has a version tagged "v1"; versions are immutable, choose another tag.';
    const cli = await mlwb(['data', 'import', SAMPLE, '--name', 'churn', '--tag', 'v1']);
    expect(cli).toMatchObject({ code: 1, err: says });
    const ctx = app!.ctx;
    const options = ctx.store.datasets.findVersionByRef('churn@v1').csvOptions;
    const request = { path: SAMPLE, name: 'churn', tag: 'v1', options };
    const byHandler = await dispatchRequest(app!.handlers, 'datasets:import', request);
    expect(byHandler.ok || byHandler.error).toMatchObject({ code: 'conflict', message: says });
    // The job checks again (a request may have raced the handler's check).
    const job = await ctx.jobs.waitFor(ctx.jobs.start(importDatasetJob, request).id);
    expect(job).toMatchObject({ status: 'failed', error: says });
    expect(ctx.store.datasets.listDatasets()[0].versions).toHaveLength(1);
  });

  it('explains bad input and usage mistakes', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const empty = path.join(dir, 'empty.csv');
    fs.writeFileSync(empty, '');
    const r = await mlwb(['data', 'import', empty, '--name', 'x', '--tag', 't']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/empty\.csv: The file is empty/);
    expect((await mlwb(['data', 'import', SAMPLE, '--name', 'a@b', '--tag', 't'])).err).toBe('--name: must not contain @, / or \\');
    expect((await mlwb(['data', 'import', SAMPLE, '--name', 'x', '--tag', 'a b'])).err).toBe('--tag: must not contain spaces, @, / or \\');
    expect(await mlwb(['data', 'import', SAMPLE, '--name', 'x', '--tags', 't'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/Unknown option '--tags'/),
    });
    expect((await mlwb(['data', 'import', SAMPLE, '--name', 'x', '--tag', 't', '--type', 'nope=number'])).err).toMatch(
      /no column named "nope"/,
    );
    await expect(mlwb(['data', 'profile', 'missing@v1'])).rejects.toThrow(/No dataset version "missing@v1"/);
  });
});
