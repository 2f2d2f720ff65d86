import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CsvOptions } from '../../../shared/datasets';
import { readCsvColumns } from './drift-tasks';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-drift-tasks-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function side(content: string, missingMarkers: string[], types: CsvOptions['columns'][number]['type'][]) {
  const file = path.join(dir, `t${Math.random().toString(36).slice(2)}.csv`);
  fs.writeFileSync(file, content);
  const names = content.split('\n')[0].split(',');
  const options: CsvOptions = {
    delimiter: ',',
    hasHeader: true,
    encoding: 'utf-8',
    missingMarkers,
    raggedRows: 'error',
    columns: names.map((name, i) => ({ name, type: types[i] })),
  };
  return { kind: 'csv' as const, label: 't.csv', path: file, options };
}

describe('readCsvColumns', () => {
  it('reads numbers as the file holds them, a missing marker as missing — also when the marker is itself a number', () => {
    const content = 'x,n,c\n1.5,3,a\n-999,NA,b\n2e3,,NA\n';
    for (const markers of [['NA', ''], ['NA', '', '-999']]) {
      const set = readCsvColumns(side(content, markers, ['number', 'integer', 'category']), new Set());
      const [x, n, c] = set.columns;
      expect(set.rows).toBe(3);
      expect(Array.from(x.values as Float64Array)).toEqual(markers.includes('-999') ? [1.5, NaN, 2000] : [1.5, -999, 2000]);
      expect(Array.from(n.values as Float64Array)).toEqual([3, NaN, NaN]);
      expect(c.values).toEqual(['a', 'b', null]);
    }
  });

  it('reads a column the baseline tests but this file types as text: words as categories, all-empty as missing numbers', () => {
    const kinds = new Map([
      ['x', 'number'],
      ['e', 'number'],
    ] as const);
    const set = readCsvColumns(side('x,e\none,\ntwo,\n', [''], ['text', 'text']), new Set(), undefined, kinds);
    expect(set.columns[0]).toEqual({ name: 'x', kind: 'category', values: ['one', 'two'] });
    expect(set.columns[1].kind).toBe('number');
    expect(Array.from(set.columns[1].values as Float64Array)).toEqual([NaN, NaN]);
  });
});
