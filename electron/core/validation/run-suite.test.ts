import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CsvOptions, ValidationRule } from '../../../shared/datasets';
import { validationSuiteSchema } from '../../../shared/datasets';
import { scanAndProfileCsv } from '../datasets/profile-csv';
import { runSuite } from './run-suite';
import { suggestSuite } from './suggest-suite';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlwb-validate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CSV = 'id,age,city,email,score\n1,34,Oslo,a@x.no,0.5\n2,,Rome,b@x.it,0.7\n3,151,Oslo,nope,0.9\n3,28,Paris,c@x.fr,abc\n5,45,Rome,d@x.it,NA\n';
const options: CsvOptions = {
  delimiter: ',',
  hasHeader: true,
  encoding: 'utf-8',
  missingMarkers: ['', 'NA'],
  raggedRows: 'error',
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'age', type: 'integer' },
    { name: 'city', type: 'category' },
    { name: 'email', type: 'text' },
    { name: 'score', type: 'number' },
  ],
};

function run(rules: ValidationRule[]) {
  const p = join(dir, 'v.csv');
  writeFileSync(p, CSV);
  return runSuite(p, options, { name: 's', rules });
}

describe('runSuite', () => {
  it('evaluates every rule kind with observed values and failing rows', () => {
    const res = run([
      { kind: 'column_exists', column: 'age' },
      { kind: 'column_exists', column: 'salary' },
      { kind: 'not_null', column: 'age', maxMissingShare: 0 },
      { kind: 'not_null', column: 'age', maxMissingShare: 0.25 },
      { kind: 'between', column: 'age', min: 0, max: 120 },
      { kind: 'in_set', column: 'city', values: ['Oslo', 'Rome'] },
      { kind: 'unique', column: 'id' },
      { kind: 'matches_regex', column: 'email', pattern: '^[^@]+@[^@]+$' },
      { kind: 'type_is', column: 'score', type: 'number' },
      { kind: 'mean_between', column: 'age', min: 10, max: 20 },
      { kind: 'min_between', column: 'age', min: 30 },
      { kind: 'max_between', column: 'age', max: 100 },
      { kind: 'row_count_between', min: 1, max: 10 },
    ]);
    const by = res.results;
    expect(res.rows).toBe(5);
    expect(res.passed).toBe(false);
    expect(by.map((r) => r.passed)).toEqual([true, false, false, true, false, false, false, false, false, false, false, false, true]);
    expect(by[1].message).toMatch(/does not exist/);
    expect(by[2].observed).toBeCloseTo(0.2);
    expect(by[2].failingExamples).toEqual([{ row: 2, value: '' }]);
    expect(by[4].failingExamples).toEqual([{ row: 3, value: '151' }]);
    expect(by[5].failingExamples).toEqual([{ row: 4, value: 'Paris' }]);
    expect(by[6].failingExamples).toEqual([{ row: 4, value: '3' }]);
    expect(by[7].failingExamples).toEqual([{ row: 3, value: 'nope' }]);
    expect(by[8].failingExamples).toEqual([{ row: 4, value: 'abc' }]); // NA is missing, not a type failure
    expect(by[9].observed).toBeCloseTo((34 + 151 + 28 + 45) / 4);
    expect(by[10].observed).toBe(28);
    expect(by[11].observed).toBe(151);
    expect(by[12].observed).toBe(5);
  });

  it('passes a suite suggested from the same version, and the suggestion is a valid suite', () => {
    const p = join(dir, 'v.csv');
    writeFileSync(p, CSV);
    const scan = scanAndProfileCsv(p, options);
    const suite = suggestSuite(scan.profile);
    expect(validationSuiteSchema.parse(suite)).toEqual(suite);
    const kinds = new Set(suite.rules.map((r) => r.kind));
    for (const k of ['column_exists', 'type_is', 'not_null', 'between', 'mean_between', 'in_set', 'row_count_between']) expect(kinds.has(k as never)).toBe(true);
    const res = runSuite(p, options, suite);
    // score holds "abc", which the type and range rules (correctly) flag; everything else holds on its own data
    expect(res.results.filter((r) => !r.passed).map((r) => `${r.rule.kind}:${'column' in r.rule ? r.rule.column : ''}`)).toEqual(['type_is:score', 'between:score']);
  });

  it('reports a bad regex as a failed rule rather than throwing', () => {
    const res = run([{ kind: 'matches_regex', column: 'email', pattern: '([' }]);
    expect(res.results[0].passed).toBe(false);
    expect(res.results[0].message).toMatch(/Invalid regular expression/);
  });

  it('rejects malformed suites through the zod schema', () => {
    expect(() => validationSuiteSchema.parse({ name: 'x', rules: [{ kind: 'between', column: 'a', min: 'zero' }] })).toThrow();
    expect(() => validationSuiteSchema.parse({ name: '', rules: [] })).toThrow();
  });
});
