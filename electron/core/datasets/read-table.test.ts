import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CsvOptions } from '../../../shared/datasets';
import { readCsvTable } from './read-table';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlwb-table-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options: CsvOptions = {
  delimiter: ',',
  hasHeader: true,
  encoding: 'utf-8',
  missingMarkers: ['', 'NA'],
  raggedRows: 'error',
  columns: [
    { name: 'n', type: 'integer' },
    { name: 'x', type: 'number' },
    { name: 'flag', type: 'boolean' },
    { name: 'city', type: 'category' },
  ],
};

describe('readCsvTable', () => {
  it('types cells, turns missing and wrongly typed values into null, and honours columns and maxRows', () => {
    const p = join(dir, 't.csv');
    writeFileSync(p, 'n,x,flag,city\n1,2.5,yes,"Oslo, N"\nNA,abc,no,\n3.5,1e3,maybe,Rome\n4,-0.25,TRUE,Lima\n');
    const all = readCsvTable(p, options);
    expect(all.rows).toEqual([
      [1, 2.5, true, 'Oslo, N'],
      [null, null, false, null],
      [null, 1000, null, 'Rome'],
      [4, -0.25, true, 'Lima'],
    ]);
    const some = readCsvTable(p, options, { columns: ['city', 'x'], maxRows: 2 });
    expect(some.columns.map((c) => c.name)).toEqual(['city', 'x']);
    expect(some.rows).toEqual([
      ['Oslo, N', 2.5],
      [null, null],
    ]);
    expect(() => readCsvTable(p, options, { columns: ['nope'] })).toThrow(/Unknown column "nope"/);
  });
});
