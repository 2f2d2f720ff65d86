import { existsSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsvFormatError } from './csv-errors';
import { decodeField, scanCsvFile, type ScanCsvOptions } from './csv-scan';
import { CancelledError, FileChangedError, READ_CHUNK_BYTES } from './hash-file';
import { parseCsvText } from './sniff-csv';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlwb-scan-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const csv: ScanCsvOptions = { delimiter: ',', hasHeader: true, encoding: 'utf-8' };

function write(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Scans a file and returns decoded rows plus their line numbers. */
function collect(path: string, options: ScanCsvOptions = csv) {
  const rows: string[][] = [];
  const lines: number[] = [];
  const latin1 = options.encoding === 'latin1';
  const result = scanCsvFile(path, options, {
    onRow(buf, spans, _row, line) {
      const r: string[] = [];
      for (let i = 0; i < (options.columnCount ?? result0Width(buf, spans)); i++) r.push(decodeField(buf, spans.starts[i], spans.ends[i], spans.flags[i], latin1));
      rows.push(r);
      lines.push(line);
    },
  });
  return { rows, lines, result };
}
let width = 0;
function result0Width(_b: Buffer, _s: unknown): number {
  return width;
}

function expectCsvError(fn: () => unknown, code: string, lines?: number[]): CsvFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CsvFormatError);
    const err = e as CsvFormatError;
    expect(err.code).toBe(code);
    if (lines) expect(err.lines).toEqual(lines);
    return err;
  }
  throw new Error(`expected ${code}`);
}

describe('scanCsvFile', () => {
  it('handles quotes, doubled quotes, embedded newlines and CRLF, with physical line numbers', () => {
    const p = write('q.csv', 'a,b,c\r\n1,"x,y",3\r\n2,"he said ""hi""",4\r\n3,"multi\nline\nvalue",5\r\n4,,6');
    const { rows, lines, result } = collect(p, { ...csv, columnCount: 3 });
    expect(result.header).toEqual(['a', 'b', 'c']);
    expect(rows).toEqual([
      ['1', 'x,y', '3'],
      ['2', 'he said "hi"', '4'],
      ['3', 'multi\nline\nvalue', '5'],
      ['4', '', '6'],
    ]);
    expect(lines).toEqual([2, 3, 4, 7]);
    expect(result.rows).toBe(4);
  });

  it('parses numbers in the tokenizer and leaves NaN for everything else', () => {
    const p = write('n.csv', 'a,b,c,d\n1.5,-2,abc,"7"\n');
    const seen: number[] = [];
    scanCsvFile(p, csv, { onRow: (_b, s) => seen.push(...s.numbers.subarray(0, 4)) });
    expect(seen.slice(0, 2)).toEqual([1.5, -2]);
    expect(seen[2]).toBeNaN();
    expect(seen[3]).toBeNaN(); // quoted: left to parseNumberBytes
  });

  it('gives the same records as the reference text parser across 1 MiB chunk boundaries', () => {
    const parts = ['id,text,n'];
    for (let i = 0; i < 40000; i++) parts.push(`${i},"line ${i}\nwith ""quote"", comma",${i * 0.5}`);
    const text = parts.join('\r\n') + '\r\n';
    expect(text.length).toBeGreaterThan(READ_CHUNK_BYTES);
    const p = write('big.csv', text);
    const { rows, result } = collect(p, { ...csv, columnCount: 3 });
    const ref = parseCsvText(text, ',').slice(1);
    expect(rows.length).toBe(ref.length);
    expect(rows).toEqual(ref);
    expect(result.sha256).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('reports ragged rows with their line numbers', () => {
    const p = write('r.csv', 'a,b,c\n1,2,3\n4,5\n"x\ny",8,9\n6,7,8,9\n10,11,12\n');
    const err = expectCsvError(() => collect(p, { ...csv, columnCount: 3 }), 'ragged_rows', [3, 6]);
    expect(err.message).toMatch(/lines 3, 6/);
  });

  it('can skip ragged rows instead, and says which', () => {
    const p = write('r.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n');
    const { rows, result } = collect(p, { ...csv, columnCount: 3, raggedRows: 'skip' });
    expect(rows).toEqual([
      ['1', '2', '3'],
      ['6', '7', '8'],
    ]);
    expect(result.skippedRows).toBe(1);
    expect(result.skippedExamples).toEqual([3]);
  });

  it('rejects an unterminated quote with the line it opened on', () => {
    const p = write('u.csv', 'a,b\n1,2\n3,"never closed\n4,5\n');
    expectCsvError(() => collect(p, { ...csv, columnCount: 2 }), 'unterminated_quote', [3]);
  });

  it('rejects text after a closing quote', () => {
    const p = write('bq.csv', 'a,b\n1,"x"y\n');
    expectCsvError(() => collect(p, { ...csv, columnCount: 2 }), 'bad_quote', [2]);
  });

  it('rejects an empty file and a header-only file', () => {
    expectCsvError(() => collect(write('e.csv', '')), 'empty_file');
    expectCsvError(() => collect(write('h.csv', 'a,b,c\n')), 'header_only');
    expectCsvError(() => collect(write('h2.csv', 'a,b,c\n\n\n')), 'header_only');
  });

  it('rejects binary content and invalid UTF-8 with a line number', () => {
    expectCsvError(() => collect(write('b.bin', Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x00, 0x32, 0x0a]))), 'binary_file', [2]);
    const bad = Buffer.concat([Buffer.from('a,b\n1,2\n3,caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const err = expectCsvError(() => collect(write('l.csv', bad), { ...csv, columnCount: 2 }), 'invalid_utf8', [3]);
    expect(err.message).toMatch(/Latin-1/);
    // The same bytes read fine as Latin-1.
    width = 2;
    const { rows } = collect(join(dir, 'l.csv'), { ...csv, encoding: 'latin1' });
    expect(rows[1]).toEqual(['3', 'café']);
  });

  it('skips a UTF-8 byte order mark', () => {
    const p = write('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name,v\nÅsa,1\n')]));
    const { rows, result } = collect(p, { ...csv, encoding: 'utf-8-bom', columnCount: 2 });
    expect(result.header).toEqual(['name', 'v']);
    expect(rows).toEqual([['Åsa', '1']]);
  });

  it('fails when the header width does not match the given columns', () => {
    expectCsvError(() => collect(write('w.csv', 'a,b\n1,2\n'), { ...csv, columnCount: 3 }), 'bad_columns');
  });

  it('copies the bytes in the same pass and removes the copy on failure', () => {
    const good = write('g.csv', 'a,b\n1,2\n');
    const copy = join(dir, 'copy');
    scanCsvFile(good, csv, { onRow() {} }, { copyTo: copy });
    expect(existsSync(copy)).toBe(true);
    const bad = write('bad.csv', 'a,b\n1,2\n3\n');
    const copy2 = join(dir, 'copy2');
    expect(() => scanCsvFile(bad, csv, { onRow() {} }, { copyTo: copy2 })).toThrow(CsvFormatError);
    expect(existsSync(copy2)).toBe(false);
  });

  it('detects a file changed or deleted during the scan, and honours cancel', () => {
    const lines = ['a,b'];
    for (let i = 0; i < 300000; i++) lines.push(`${i},${i}`);
    const p = write('c.csv', lines.join('\n') + '\n');
    let once = false;
    const copy = join(dir, 'copy');
    expect(() =>
      scanCsvFile(p, csv, { onRow() {} }, {
        copyTo: copy,
        progressEveryBytes: 1 << 20,
        onProgress: () => {
          if (!once) appendFileSync(p, '1,2\n');
          once = true;
        },
      }),
    ).toThrow(FileChangedError);
    expect(existsSync(copy)).toBe(false);
    let deleted = false;
    expect(() =>
      scanCsvFile(p, csv, { onRow() {} }, {
        progressEveryBytes: 1 << 20,
        onProgress: () => {
          if (!deleted) rmSync(p);
          deleted = true;
        },
      }),
    ).toThrow(FileChangedError);
    const p2 = write('c2.csv', lines.join('\n') + '\n');
    const signal = { aborted: false };
    expect(() => scanCsvFile(p2, csv, { onRow() {} }, { signal, progressEveryBytes: 1 << 20, onProgress: () => (signal.aborted = true) })).toThrow(CancelledError);
  });

  it('stops at maxRows for previews', () => {
    const p = write('m.csv', 'a\n1\n2\n3\n4\n');
    const seen: number[] = [];
    const r = scanCsvFile(p, csv, { onRow: (_b, _s, row) => seen.push(row) }, { maxRows: 2 });
    expect(seen).toEqual([1, 2]);
    expect(r.truncated).toBe(true);
  });

  it('accepts other delimiters and a file without a header', () => {
    width = 3;
    const { rows, result } = collect(write('t.tsv', '1\t2\t3\n4\t5\t6'), { delimiter: '\t', hasHeader: false, encoding: 'utf-8' });
    expect(result.header).toBeNull();
    expect(rows).toEqual([
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
  });
});
