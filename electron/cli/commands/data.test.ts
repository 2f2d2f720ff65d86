import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, makeTempDir, type TestApp } from '../../../tests/helpers/test-app';
import { matchCommand } from '../index';
import type { CliContext } from '../command';
import { DATA_COMMANDS } from './data';

const SAMPLE = path.resolve(__dirname, '../../../resources/sample/churn.csv');
let app: TestApp | undefined;
const dirs: string[] = [];
afterEach(() => {
  app?.cleanup();
  app = undefined;
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

/** Runs `mlwb data …` in-process on a test app (workers through tsx, no build needed). */
async function mlwb(words: string[]): Promise<{ code: number; out: string; err: string }> {
  app ??= createTestApp();
  const match = matchCommand(words, DATA_COMMANDS);
  if (!match) throw new Error(`no command for ${words.join(' ')}`);
  const out: string[] = [];
  const err: string[] = [];
  const a = app;
  const cli: CliContext = {
    args: match.rest.filter((x) => x !== '--json'),
    json: match.rest.includes('--json'),
    app: () => a.ctx,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  };
  const code = await match.command.run(cli);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('mlwb data', () => {
  it('imports, lists, profiles, validates, diffs and exports', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const imp = await mlwb(['data', 'import', SAMPLE, '--name', 'churn', '--tag', 'v1', '--md5', '--json']);
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.out)).toMatchObject({ name: 'churn', tag: 'v1', rows: 5000, reused: 'none' });
    const v2src = path.join(dir, 'v2.csv');
    fs.writeFileSync(v2src, fs.readFileSync(SAMPLE, 'utf8').split('\n').slice(0, 2001).join('\n') + '\n');
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
      JSON.stringify({ name: 'basic', rules: [{ kind: 'row_count_between', min: 4000 }, { kind: 'in_set', column: 'contract', values: ['Month-to-month', 'One year', 'Two year'] }, { kind: 'between', column: 'tenure_months', min: 0, max: 72 }] }),
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

  it('explains bad input and usage mistakes', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const empty = path.join(dir, 'empty.csv');
    fs.writeFileSync(empty, '');
    const r = await mlwb(['data', 'import', empty, '--name', 'x', '--tag', 't']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/empty\.csv: The file is empty/);
    expect((await mlwb(['data', 'import', SAMPLE, '--name', 'a@b', '--tag', 't'])).err).toMatch(/--name/);
    expect((await mlwb(['data', 'import', SAMPLE, '--name', 'x', '--tag', 't', '--type', 'nope=number'])).err).toMatch(/no column named "nope"/);
    await expect(mlwb(['data', 'profile', 'missing@v1'])).rejects.toThrow(/No dataset version "missing@v1"/);
  });
});
