import { mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CsvOptions } from '../../../shared/datasets';
import { computeQuartiles, createRandom, selectKth, summarizeValues } from './column-stats';
import { CsvFormatError } from './csv-errors';
import { RowHashList } from './hash-sets';
import { assertColumnNames, scanAndProfileCsv } from './profile-csv';
import { sniffCsvFile } from './sniff-csv';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlwb-profile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function optionsFor(path: string): CsvOptions {
  const s = sniffCsvFile(path);
  return { delimiter: s.delimiter, hasHeader: s.hasHeader, encoding: s.encoding, missingMarkers: s.missingMarkers, columns: s.columns, raggedRows: 'error' };
}

/** Reference quantile: sort, then numpy's linear interpolation. */
function refQuantile(values: number[], q: number): number {
  const a = [...values].sort((x, y) => x - y);
  const pos = (a.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(a.length - 1, lo + 1);
  return a[lo] + (a[hi] - a[lo]) * (pos - lo);
}

describe('column statistics helpers', () => {
  it('selectKth and computeQuartiles agree with sorting, including ties', () => {
    const rnd = createRandom(5);
    for (const n of [1, 2, 3, 4, 5, 10, 101, 1000]) {
      const values = Array.from({ length: n }, () => Math.floor(rnd() * 20) - 5 + (rnd() < 0.5 ? 0.5 : 0));
      const sorted = [...values].sort((a, b) => a - b);
      const k = Math.floor(rnd() * n);
      expect(selectKth(Float64Array.from(values), k)).toBe(sorted[k]);
      const q = computeQuartiles(Float64Array.from(values));
      expect(q.q25).toBeCloseTo(refQuantile(values, 0.25), 12);
      expect(q.median).toBeCloseTo(refQuantile(values, 0.5), 12);
      expect(q.q75).toBeCloseTo(refQuantile(values, 0.75), 12);
    }
  });
});

describe('summarizeValues', () => {
  it('gives exact quartiles and a complete histogram on large, tied and skewed inputs', () => {
    const rnd = createRandom(9);
    const inputs = [
      Array.from({ length: 50000 }, () => rnd() * 10 - 5),
      Array.from({ length: 20000 }, () => Math.floor(rnd() * 7) / 2),
      Array.from({ length: 30000 }, () => (rnd() < 0.999 ? rnd() : 1e9)), // one far outlier: all mass in the first bucket
    ];
    for (const xs of inputs) {
      const min = Math.min(...xs);
      const max = Math.max(...xs);
      const s = summarizeValues(Float64Array.from(xs), min, max, false);
      expect(s.q25).toBe(refQuantile(xs, 0.25));
      expect(s.median).toBe(refQuantile(xs, 0.5));
      expect(s.q75).toBe(refQuantile(xs, 0.75));
      expect(s.histogram.reduce((a, b) => a + b.count, 0)).toBe(xs.length);
      expect(s.histogram[0].lo).toBe(min);
      expect(s.histogram.at(-1)!.hi).toBe(max);
    }
  });

  it('accepts chunks and counts integers exactly', () => {
    const rnd = createRandom(4);
    const ints = Array.from({ length: 30000 }, () => Math.floor(rnd() * 1000) - 200);
    const chunks = [Float64Array.from(ints.slice(0, 7000)), Float64Array.from(ints.slice(7000, 7001)), Float64Array.from(ints.slice(7001))];
    const min = Math.min(...ints);
    const max = Math.max(...ints);
    const s = summarizeValues(chunks, min, max, true);
    expect([s.q25, s.median, s.q75]).toEqual([refQuantile(ints, 0.25), refQuantile(ints, 0.5), refQuantile(ints, 0.75)]);
    expect(s.histogram.length).toBe(20);
    expect(s.histogram.reduce((a, b) => a + b.count, 0)).toBe(ints.length);
    const flags = Array.from({ length: 9000 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const f = summarizeValues([Float64Array.from(flags)], 0, 1, true);
    expect(f.histogram.map((b) => b.count)).toEqual([6000, 3000]);
    expect(f.median).toBe(0);
    const reals = Array.from({ length: 20000 }, () => rnd() * 3);
    const r = summarizeValues([Float64Array.from(reals.slice(0, 5)), Float64Array.from(reals.slice(5))], Math.min(...reals), Math.max(...reals), false);
    expect(r.median).toBe(refQuantile(reals, 0.5));
  });
});

describe('RowHashList', () => {
  it('counts rows equal to an earlier row, across growth', () => {
    const list = new RowHashList(1_000_000);
    let expected = 0;
    const seen = new Set<string>();
    const rnd = createRandom(8);
    for (let i = 0; i < 200_000; i++) {
      const a = Math.floor(rnd() * 5000);
      const b = Math.floor(rnd() * 3);
      const key = `${a}:${b}`;
      if (seen.has(key)) expected++;
      seen.add(key);
      list.add(a, b);
    }
    expect(list.countDuplicates()).toBe(expected);
    const capped = new RowHashList(10);
    for (let i = 0; i < 20; i++) capped.add(1, 1);
    expect(capped.capped).toBe(true);
    expect(capped.countDuplicates()).toBe(9);
  });
});

describe('scanAndProfileCsv', () => {
  it('profiles numbers, categories, booleans and missing values in one pass', () => {
    const rnd = createRandom(11);
    const xs: number[] = [];
    const lines = ['x,k,cat,flag'];
    const keys = new Set<string>();
    let dups = 0;
    let missingX = 0;
    for (let i = 0; i < 3000; i++) {
      const miss = rnd() < 0.1;
      const x = Math.round((rnd() * 200 - 50) * 1000) / 1000;
      if (miss) missingX++;
      else xs.push(x);
      lines.push(`${miss ? (i % 2 ? 'NA' : '') : x},${i % 7},${['red', 'green', 'blue'][i % 3]},${i % 4 === 0 ? 'yes' : 'no'}`);
      // NA and empty are both missing, so rows differing only in the marker are duplicates.
      const key = `${miss ? 'missing' : x}|${i % 7}|${i % 3}|${i % 4 === 0}`;
      if (keys.has(key)) dups++;
      keys.add(key);
    }
    const p = join(dir, 'p.csv');
    writeFileSync(p, lines.join('\n') + '\n');
    const opts = optionsFor(p);
    const scan = scanAndProfileCsv(p, opts);
    const [x, k, cat, flag] = scan.profile.columns;
    expect(scan.profile.rows).toBe(3000);
    expect(scan.sha256).toBe(createHash('sha256').update(lines.join('\n') + '\n').digest('hex'));
    expect(x.type).toBe('number');
    expect(x.missing).toBe(missingX);
    expect(x.count).toBe(xs.length);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
    expect(x.mean).toBeCloseTo(mean, 9);
    expect(x.std).toBeCloseTo(std, 9);
    expect(x.min).toBe(Math.min(...xs));
    expect(x.max).toBe(Math.max(...xs));
    expect(x.median).toBeCloseTo(refQuantile(xs, 0.5), 9);
    expect(x.q25).toBeCloseTo(refQuantile(xs, 0.25), 9);
    expect(x.q75).toBeCloseTo(refQuantile(xs, 0.75), 9);
    expect(x.distinct).toBe(new Set(xs).size);
    expect(x.histogram!.reduce((a, b) => a + b.count, 0)).toBe(xs.length);
    expect(k.type).toBe('integer');
    expect(k.histogram!.length).toBe(7); // one bin per value for small integer ranges
    expect(cat.topValues).toEqual([
      { value: 'blue', count: 1000 },
      { value: 'green', count: 1000 },
      { value: 'red', count: 1000 },
    ]);
    expect(flag.type).toBe('boolean');
    expect(flag.topValues![0]).toEqual({ value: 'no', count: 2250 });
    expect(dups).toBeGreaterThan(0);
    expect(scan.profile.duplicateRows).toBe(dups);
  });

  it('counts duplicate rows by value (1.0 equals 1 in a number column) and warns on missing share', () => {
    const p = join(dir, 'd.csv');
    writeFileSync(p, 'a,b,c\n1,x,\n1.0,x,\n2,x,\n1,y,\n2,x,5\n2,x,\n');
    const opts = optionsFor(p);
    opts.columns[0].type = 'number';
    const scan = scanAndProfileCsv(p, opts);
    expect(scan.profile.duplicateRows).toBe(2); // row 2 repeats row 1, row 6 repeats row 3
    expect(scan.profile.warnings.join(' ')).toMatch(/"c" is 83.3% missing/);
  });

  it('reports values that do not match the column type, with row numbers', () => {
    const p = join(dir, 'i.csv');
    writeFileSync(p, 'n,d\n1,2024-01-01\n2.5,2024-13-01\nabc,2024-02-02\n4,x\n');
    const opts = optionsFor(p);
    opts.columns = [
      { name: 'n', type: 'integer' },
      { name: 'd', type: 'date' },
    ];
    const [n, d] = scanAndProfileCsv(p, opts).profile.columns;
    expect(n.invalid).toBe(2);
    expect(n.invalidExamples).toEqual([2, 3]);
    expect(d.invalid).toBe(2);
    expect(d.minText).toBe('2024-01-01');
  });

  it('caps distinct counting and says so', () => {
    const p = join(dir, 'c.csv');
    writeFileSync(p, 'v,s\n' + Array.from({ length: 500 }, (_, i) => `${i},s${i}`).join('\n'));
    const opts = optionsFor(p);
    const [v, s] = scanAndProfileCsv(p, opts, {}, { distinctCap: 100 }).profile.columns;
    expect(v.distinct).toBe(100);
    expect(v.distinctCapped).toBe(true);
    expect(s.distinctCapped).toBe(true);
  });

  it('switches to a reservoir sample beyond the value budget and flags approximate quartiles', () => {
    const p = join(dir, 'r.csv');
    const n = 20000;
    writeFileSync(p, 'v\n' + Array.from({ length: n }, (_, i) => String(i)).join('\n') + '\n');
    const [v] = scanAndProfileCsv(p, optionsFor(p), {}, { numericValueBudget: 2000 }).profile.columns;
    expect(v.quantilesApproximate).toBe(true);
    expect(v.mean).toBe((n - 1) / 2); // moments stay exact
    expect(Math.abs(v.median! - n / 2)).toBeLessThan(n * 0.05);
    expect(v.histogram!.reduce((a, b) => a + b.count, 0)).toBeGreaterThan(n * 0.95);
  });

  it('rejects duplicate or empty column names given by the caller', () => {
    expect(() => assertColumnNames(['a', 'a'])).toThrow(CsvFormatError);
    expect(() => assertColumnNames(['a', ' '])).toThrow(/empty name/);
    const p = join(dir, 'x.csv');
    writeFileSync(p, 'a,b\n1,2\n');
    const opts = optionsFor(p);
    opts.columns[1].name = 'a';
    expect(() => scanAndProfileCsv(p, opts)).toThrow(/more than once/);
  });

  it('streams a large file with memory bounded by the limits, not the file size', () => {
    const p = join(dir, 'big.csv');
    const fd = openSync(p, 'w');
    writeSync(fd, Array.from({ length: 20 }, (_, i) => `c${i}`).join(',') + '\n');
    const rnd = createRandom(3);
    for (let b = 0; b < 20; b++) {
      const rows: string[] = [];
      for (let r = 0; r < 10000; r++) rows.push(Array.from({ length: 20 }, () => (rnd() * 1000).toFixed(3)).join(','));
      writeSync(fd, rows.join('\n') + '\n');
    }
    closeSync(fd);
    const size = statSync(p).size;
    expect(size).toBeGreaterThan(30 << 20);
    global.gc?.();
    const base = process.memoryUsage();
    let peak = 0;
    const scan = scanAndProfileCsv(
      p,
      optionsFor(p),
      {
        progressEveryBytes: 1 << 20,
        onProgress: () => {
          const m = process.memoryUsage();
          peak = Math.max(peak, m.arrayBuffers - base.arrayBuffers);
        },
      },
      { numericValueBudget: 100_000, distinctCap: 1000 },
    );
    expect(scan.profile.rows).toBe(200000);
    // Typed-array memory (read buffer, kept values, 16 B per row hash) stays well below the file size;
    // keeping every value would take 32 MB here.
    expect(peak).toBeLessThan(size / 2);
    expect(scan.profile.columns[0].quantilesApproximate).toBe(true);
  });
});
