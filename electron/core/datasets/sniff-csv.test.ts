import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsvFormatError } from './csv-errors';
import { SNIFF_BYTES, sniffCsvFile } from './sniff-csv';
import { inferColumnType } from './value-kinds';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlwb-sniff-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof CsvFormatError) return e.code;
    throw e;
  }
  return 'no error';
}

const TABLE = [
  ['id', 'price', 'city', 'active', 'day', 'note'],
  ...Array.from({ length: 60 }, (_, i) => [String(i), (i * 1.25).toFixed(2), ['Oslo', 'Rome', 'Lima'][i % 3], i % 2 ? 'true' : 'false', `2024-01-${String((i % 28) + 1).padStart(2, '0')}`, `free text number ${i} ${'x'.repeat(i)}`]),
];

describe('sniffCsvFile', () => {
  it.each([',', ';', '\t', '|'] as const)('finds the delimiter %j, the header and the column types', (d) => {
    const p = write('t.csv', TABLE.map((r) => r.join(d)).join('\n') + '\n');
    const s = sniffCsvFile(p);
    expect(s.delimiter).toBe(d);
    expect(s.hasHeader).toBe(true);
    expect(s.encoding).toBe('utf-8');
    expect(s.columns).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'price', type: 'number' },
      { name: 'city', type: 'category' },
      { name: 'active', type: 'boolean' },
      { name: 'day', type: 'date' },
      { name: 'note', type: 'text' },
    ]);
    expect(s.previewRows[0]).toEqual(TABLE[1]);
    expect(s.previewRows.length).toBe(20);
  });

  it('detects a file without a header and names the columns', () => {
    const p = write('n.csv', '1,2.5,a\n2,3.5,b\n3,4.5,a\n');
    const s = sniffCsvFile(p);
    expect(s.hasHeader).toBe(false);
    expect(s.columns.map((c) => c.name)).toEqual(['col_1', 'col_2', 'col_3']);
    expect(s.previewRows.length).toBe(3);
  });

  it('ignores missing markers when inferring types', () => {
    const p = write('m.csv', 'a,b\n1,x\nNA,y\n?,x\n,y\nnull,x\n2,NaN\n');
    const s = sniffCsvFile(p);
    expect(s.columns[0].type).toBe('integer');
    expect(s.missingMarkers).toEqual(['', 'NA', 'NaN', 'null', '?']);
  });

  it('recognises a BOM and honours overrides', () => {
    const p = write('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a;b\n1;2\n')]));
    expect(sniffCsvFile(p).encoding).toBe('utf-8-bom');
    const o = sniffCsvFile(p, { delimiter: ',', hasHeader: false });
    expect(o.columns.length).toBe(1);
    expect(o.hasHeader).toBe(false);
  });

  it('renames duplicate and empty column names and warns', () => {
    const p = write('d.csv', 'a,,a,b\n1,2,3,4\n');
    const s = sniffCsvFile(p);
    expect(s.columns.map((c) => c.name)).toEqual(['a', 'col_2', 'a_2', 'b']);
    expect(s.warnings.join(' ')).toMatch(/no name/);
    expect(s.warnings.join(' ')).toMatch(/more than once/);
  });

  it('rejects empty, header-only, binary and non-UTF-8 files; Latin-1 by choice works', () => {
    expect(codeOf(() => sniffCsvFile(write('e.csv', '')))).toBe('empty_file');
    expect(codeOf(() => sniffCsvFile(write('w.csv', '\n\n  \n')))).toBe('empty_file');
    expect(codeOf(() => sniffCsvFile(write('h.csv', 'a,b,c\n')))).toBe('header_only');
    expect(codeOf(() => sniffCsvFile(write('b.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))))).toBe('binary_file');
    const latin = Buffer.concat([Buffer.from('name,n\nJos'), Buffer.from([0xe9]), Buffer.from(',1\n')]);
    const p = write('l.csv', latin);
    expect(codeOf(() => sniffCsvFile(p))).toBe('invalid_utf8');
    const s = sniffCsvFile(p, { encoding: 'latin1' });
    expect(s.previewRows[0]).toEqual(['José', '1']);
  });

  it('does not mistake a multi-byte character cut by the sniff window for invalid UTF-8', () => {
    const longLine = 'a'.repeat(SNIFF_BYTES - 1) + 'é' + 'b'.repeat(100) + '\n1\n';
    expect(codeOf(() => sniffCsvFile(write('long.csv', longLine)))).toBe('record_too_long');
    // A long first line that fits is fine, with é cut at the window edge of the second line.
    const header = 'h,' + 'x'.repeat(1000) + '\n';
    const row = '1,' + 'a'.repeat(SNIFF_BYTES - header.length - 3) + 'é' + 'b'.repeat(10) + '\n';
    const s = sniffCsvFile(write('cut.csv', header + row + '2,c\n'));
    expect(s.encoding).toBe('utf-8');
    expect(s.columns.length).toBe(2);
  });

  it('warns about ragged rows in the sample', () => {
    const s = sniffCsvFile(write('r.csv', 'a,b\n1,2\n3\n4,5\n'));
    expect(s.warnings.join(' ')).toMatch(/different number of fields/);
  });
});

describe('inferColumnType', () => {
  it('orders integer < number < boolean < date < category < text', () => {
    expect(inferColumnType(['1', '2', '-3'])).toBe('integer');
    expect(inferColumnType(['1', '2.5'])).toBe('number');
    expect(inferColumnType(['1e3', '2'])).toBe('number');
    expect(inferColumnType(['yes', 'No', 'TRUE'])).toBe('boolean');
    expect(inferColumnType(['2024-01-02', '2024-02-03T10:00:00Z'])).toBe('date');
    expect(inferColumnType(['a', 'b', 'a'])).toBe('category');
    expect(inferColumnType(Array.from({ length: 50 }, (_, i) => `v${i}`))).toBe('text');
    expect(inferColumnType([])).toBe('text');
  });
});
