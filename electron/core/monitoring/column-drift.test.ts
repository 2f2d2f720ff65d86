import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { driftColumns } from './column-drift';
import type { ColumnDriftResult, DriftColumnInput, DriftColumnSet, DriftResult } from './drift-types';
import { Rng } from '../training/random';

const FIX = path.resolve(__dirname, '../../../tests/fixtures/drift/reference.json');
const chapter = JSON.parse(fs.readFileSync(FIX, 'utf8')).chapter as {
  baseline: number[][];
  current: number[][];
  features: {
    feature: string;
    statistic: number;
    pvalue: number;
    drift: boolean;
    baselineMean: number;
    newMean: number;
    meanShiftPct: number;
    baselineStd: number;
  }[];
};

const num = (name: string, values: ArrayLike<number>): DriftColumnInput => ({ name, kind: 'number', values: Float64Array.from(values) });
const cat = (name: string, values: (string | null)[]): DriftColumnInput => ({ name, kind: 'category', values });
const set = (...columns: DriftColumnInput[]): DriftColumnSet => ({ rows: columns[0] ? columns[0].values.length : 0, columns });
const row = (r: DriftResult, name: string): ColumnDriftResult => r.columns.find((c) => c.column === name)!;

function normal(rng: Rng, n: number, shift = 0, scale = 1): number[] {
  return Array.from({ length: n }, () => (rng.nextFloat() + rng.nextFloat() + rng.nextFloat() + rng.nextFloat() - 2) * scale + shift);
}

/** Every row has a definite verdict or a reason; numbers that are shown are never NaN. */
function expectWellFormed(r: DriftResult): void {
  for (const c of r.columns) {
    expect(['drift', 'no-drift', 'not-tested']).toContain(c.status);
    expect(c.drifted).toBe(c.status === 'drift');
    expect(c.reason.length).toBeGreaterThan(5);
    for (const v of [
      c.statistic,
      c.pValue,
      c.distance,
      c.threshold,
      c.psi,
      c.meanShiftPct,
      c.baseline.mean,
      c.current.mean,
      c.baseline.std,
    ]) {
      if (v !== null) expect(Number.isNaN(v)).toBe(false);
    }
    if (c.status !== 'not-tested') {
      expect(c.test).not.toBeNull();
      expect(c.pValue !== null || c.distance !== null).toBe(true);
    }
  }
  expect(Number.isNaN(r.summary.driftShare)).toBe(false);
}

describe("the chapter's example (DataDriftMonitor)", () => {
  const names = chapter.features.map((f) => f.feature);
  const baseline = set(...names.map((n, j) => num(n, chapter.baseline[j])));
  const current = set(...names.map((n, j) => num(n, chapter.current[j])));
  const r = driftColumns(baseline, current);

  it('flags exactly feature_0 and feature_3, with scipy’s statistics', () => {
    expect(r.columns.filter((c) => c.drifted).map((c) => c.column)).toEqual(['feature_0', 'feature_3']);
    for (const f of chapter.features) {
      const c = row(r, f.feature);
      expect(c.test).toBe('ks');
      expect(c.ksMethod).toBe('exact');
      expect(Math.abs(c.statistic! - f.statistic)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(c.pValue! - f.pvalue)).toBeLessThanOrEqual(1e-9 * f.pvalue);
      expect(c.drifted).toBe(f.drift);
      expect(c.meanShiftPct!).toBeCloseTo(f.meanShiftPct, 8);
      expect(c.baseline.std!).toBeCloseTo(f.baselineStd, 12);
      expect(c.threshold).toBe(0.05);
    }
    expectWellFormed(r);
  });

  it('puts drifting columns first and recommends no retraining at 2 of 10', () => {
    expect(r.columns.slice(0, 2).map((c) => c.column)).toEqual(['feature_0', 'feature_3']);
    expect(r.columnOrder).toEqual(names);
    expect(r.summary).toMatchObject({
      tested: 10,
      drifted: 2,
      notTested: 0,
      driftShare: 0.2,
      datasetDrift: false,
      retrainingRecommended: false,
    });
    expect(r.summary.message).toContain('2 of 10');
  });

  it('recommends retraining when more than the configured share drifts', () => {
    const lower = driftColumns(baseline, current, { driftShareThreshold: 0.15 });
    expect(lower.summary.datasetDrift).toBe(true);
    expect(lower.summary.retrainingRecommended).toBe(true);
    expect(lower.summary.message).toContain('retraining recommended');
    // Exactly at the share is not "more than" (the chapter's n_drift > len * 0.3).
    expect(driftColumns(baseline, current, { driftShareThreshold: 0.2 }).summary.datasetDrift).toBe(false);
  });

  it('gives overlay histograms on shared edges', () => {
    const c = row(r, 'feature_0');
    expect(c.chart?.kind).toBe('histogram');
    if (c.chart?.kind !== 'histogram') return;
    expect(c.chart.edges).toHaveLength(21);
    expect(c.chart.baselineCounts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(c.chart.currentCounts.reduce((a, b) => a + b, 0)).toBe(500);
    expect(c.chart.edges[0]).toBe(Math.min(c.baseline.min!, c.current.min!));
    expect(c.chart.edges[20]).toBe(Math.max(c.baseline.max!, c.current.max!));
    expect(c.chart.currentShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe("Evidently's defaults", () => {
  const rng = new Rng(7);
  it('uses KS / chi-square up to 1,000 reference rows and Wasserstein / Jensen–Shannon above', () => {
    const small = driftColumns(
      set(
        num('x', normal(rng, 1000)),
        cat(
          'c',
          Array.from({ length: 1000 }, (_, i) => 'abc'[i % 3]),
        ),
      ),
      set(
        num('x', normal(rng, 400, 0.5)),
        cat(
          'c',
          Array.from({ length: 400 }, (_, i) => 'abcd'[i % 4]),
        ),
      ),
      { rule: 'evidently' },
    );
    expect(row(small, 'x').test).toBe('ks');
    expect(row(small, 'c').test).toBe('chi-square');
    expect(row(small, 'x').drifted).toBe(true);
    const big = driftColumns(
      set(
        num('x', normal(rng, 1001)),
        cat(
          'c',
          Array.from({ length: 1001 }, (_, i) => 'abc'[i % 3]),
        ),
      ),
      set(
        num('x', normal(rng, 400, 0.5)),
        cat(
          'c',
          Array.from({ length: 400 }, (_, i) => 'abc'[i % 3]),
        ),
      ),
      { rule: 'evidently' },
    );
    const x = row(big, 'x');
    expect(x.test).toBe('wasserstein');
    expect(x.pValue).toBeNull();
    expect(x.threshold).toBe(0.1);
    // A half-std shift of a sum of four uniforms (std 1/sqrt(3)) is far above 0.1 normed.
    expect(x.distance!).toBeGreaterThan(0.5);
    expect(x.drifted).toBe(true);
    const c = row(big, 'c');
    expect(c.test).toBe('jensen-shannon');
    expect(c.distance!).toBeLessThan(0.1);
    expect(c.drifted).toBe(false);
    expectWellFormed(big);
  });

  it('compares numbers with at most 5 distinct values as categories', () => {
    const r = driftColumns(
      set(
        num(
          'k',
          Array.from({ length: 2000 }, (_, i) => i % 4),
        ),
      ),
      set(
        num(
          'k',
          Array.from({ length: 500 }, (_, i) => (i % 5 === 0 ? 3 : i % 3)),
        ),
      ),
      { rule: 'evidently' },
    );
    expect(row(r, 'k').test).toBe('jensen-shannon');
    expect(row(r, 'k').notes.join(' ')).toMatch(/distinct values/);
  });

  it('uses the chapter’s p < threshold in chapter mode and KS p <= threshold in Evidently mode', () => {
    const r = driftColumns(set(num('x', [0, 1])), set(num('x', [2, 3])), { pThreshold: 1 / 3 });
    // scipy's exact p for two disjoint pairs is 1/3.
    expect(row(r, 'x').pValue).toBeCloseTo(1 / 3, 15);
    expect(row(r, 'x').drifted).toBe(false);
  });
});

describe('bad and odd input: a verdict with a reason, never a crash or NaN', () => {
  const rng = new Rng(11);
  const base = normal(rng, 300);

  it('a column missing on one side', () => {
    const r = driftColumns(
      set(num('a', base), num('only_base', base)),
      set(num('a', normal(rng, 200)), num('only_current', base.slice(0, 200))),
    );
    expect(row(r, 'only_base')).toMatchObject({ status: 'not-tested', reasonCode: 'missing-in-current' });
    expect(row(r, 'only_current')).toMatchObject({ status: 'not-tested', reasonCode: 'missing-in-baseline' });
    expect(row(r, 'only_base').reason).toContain('only_base');
    expect(row(r, 'a').status).not.toBe('not-tested');
    expect(r.summary.tested).toBe(1);
    expectWellFormed(r);
  });

  it('all-missing columns', () => {
    const nan = new Array(50).fill(NaN);
    const r = driftColumns(
      set(num('x', nan), num('y', base), cat('c', new Array(300).fill(null))),
      set(num('x', base), num('y', nan), cat('c', ['a', 'b'])),
    );
    expect(row(r, 'x')).toMatchObject({ status: 'not-tested', reasonCode: 'all-missing-baseline' });
    expect(row(r, 'y')).toMatchObject({ status: 'not-tested', reasonCode: 'all-missing-current' });
    expect(row(r, 'y').current.missingShare).toBe(1);
    expect(row(r, 'c')).toMatchObject({ status: 'not-tested', reasonCode: 'all-missing-baseline' });
    expect(r.summary).toMatchObject({ tested: 0, driftShare: 0, datasetDrift: false });
    expectWellFormed(r);
  });

  it('a column whose type changed', () => {
    const r = driftColumns(set(num('x', [1, 2, 3])), set(cat('x', ['1', 'two', '3'])));
    expect(row(r, 'x')).toMatchObject({ status: 'not-tested', reasonCode: 'type-changed', type: 'number', currentType: 'category' });
    expect(row(r, 'x').reason).toMatch(/number .* category/);
    expectWellFormed(r);
  });

  it('an empty current set', () => {
    const r = driftColumns(set(num('x', base), cat('c', ['a', 'b'])), { rows: 0, columns: [num('x', []), cat('c', [])] });
    expect(r.columns.every((c) => c.reasonCode === 'no-current-rows')).toBe(true);
    expect(r.summary.message).toContain('no rows');
    expectWellFormed(r);
    // And a current set without any columns at all.
    const none = driftColumns(set(num('x', base)), { rows: 0, columns: [] });
    expect(row(none, 'x').reasonCode).toBe('missing-in-current');
    expectWellFormed(none);
  });

  it('a 1-row current set', () => {
    const r = driftColumns(
      set(
        num('x', base),
        cat(
          'c',
          base.map((v) => (v > 0 ? 'pos' : 'neg')),
        ),
      ),
      set(num('x', [5]), cat('c', ['pos'])),
    );
    const x = row(r, 'x');
    expect(x.status).toBe('drift');
    expect(x.ksMethod).toBe('exact');
    // One value above all 300 baseline values: D = 1, p = 2 / 301 (both extremes of the exact distribution).
    expect(x.statistic).toBe(1);
    expect(x.pValue).toBeCloseTo(2 / 301, 14);
    expect(x.notes.join(' ')).toMatch(/only 1 value/);
    expect(x.current.std).toBeNull();
    expect(row(r, 'c').test).toBe('chi-square');
    expect(row(r, 'c').dof).toBe(1);
    expectWellFormed(r);
  });

  it('constant columns', () => {
    const r = driftColumns(
      set(
        num('same', new Array(100).fill(3)),
        num('moved', new Array(100).fill(3)),
        num('zero', new Array(100).fill(0)),
        cat('one', new Array(100).fill('a')),
      ),
      set(
        num('same', new Array(80).fill(3)),
        num('moved', new Array(80).fill(4)),
        num('zero', new Array(80).fill(1)),
        cat('one', new Array(80).fill('a')),
      ),
    );
    expect(row(r, 'same')).toMatchObject({ status: 'no-drift', statistic: 0, pValue: 1, meanShiftPct: 0 });
    expect(row(r, 'moved')).toMatchObject({ status: 'drift', statistic: 1 });
    expect(row(r, 'moved').meanShiftPct).toBeCloseTo(100 / 3, 12);
    // Mean shift % is undefined for a zero baseline mean: null with a note, not Infinity.
    expect(row(r, 'zero').meanShiftPct).toBeNull();
    expect(row(r, 'zero').notes.join(' ')).toMatch(/baseline mean is 0/);
    expect(row(r, 'one')).toMatchObject({ status: 'no-drift', statistic: 0, pValue: 1, dof: 0 });
    const chart = row(r, 'same').chart;
    expect(chart?.kind === 'histogram' && chart.edges).toEqual([2.5, 3.5]);
    // Wasserstein on constants is normed by Evidently's floor 0.001, not divided by 0.
    const ev = driftColumns(
      set(
        num(
          'c',
          new Array(2000).fill(3).map((v, i) => (i < 1000 ? v : v + i / 1e3)),
        ),
      ),
      set(num('c', new Array(50).fill(3))),
      {
        rule: 'evidently',
      },
    );
    expect(row(ev, 'c').test).toBe('wasserstein');
    expectWellFormed(r);
    expectWellFormed(ev);
  });

  it('ties everywhere', () => {
    const r = driftColumns(
      set(
        num(
          't',
          Array.from({ length: 5000 }, (_, i) => i % 2),
        ),
        cat(
          'c',
          Array.from({ length: 5000 }, (_, i) => (i % 2 ? 'x' : 'y')),
        ),
      ),
      set(
        num(
          't',
          Array.from({ length: 4000 }, (_, i) => (i % 5 === 0 ? 1 : 0)),
        ),
        cat(
          'c',
          Array.from({ length: 4000 }, () => 'x'),
        ),
      ),
    );
    expect(row(r, 't').statistic).toBeCloseTo(0.3, 12);
    expect(row(r, 't').status).toBe('drift');
    expect(row(r, 'c').status).toBe('drift');
    expectWellFormed(r);
  });

  it('±Infinity', () => {
    const b = [...base.slice(0, 100), Infinity, -Infinity, Infinity];
    const c = [...base.slice(100, 150), Infinity];
    const r = driftColumns(set(num('x', b), num('allinf', [Infinity, -Infinity])), set(num('x', c), num('allinf', [Infinity])));
    const x = row(r, 'x');
    expect(x.status).not.toBe('not-tested');
    expect(x.baseline.infinite).toBe(3);
    expect(x.current.infinite).toBe(1);
    expect(Number.isFinite(x.baseline.mean!)).toBe(true);
    expect(x.notes.join(' ')).toMatch(/Infinity/);
    // Only infinities: KS still ranks them (scipy does too), means are null.
    const inf = row(r, 'allinf');
    expect(inf.test).toBe('ks');
    expect(inf.baseline.mean).toBeNull();
    expect(inf.meanShiftPct).toBeNull();
    expectWellFormed(r);
    // With a distance test the same column cannot be measured: a reason, not NaN.
    const w = driftColumns(set(num('allinf', new Array(1200).fill(Infinity))), set(num('allinf', [1, 2, 3, 4, 5, 6])), {
      numberTest: 'wasserstein',
    });
    expect(row(w, 'allinf')).toMatchObject({ status: 'not-tested', reasonCode: 'no-finite-baseline' });
    expectWellFormed(w);
  });

  it('missing values are dropped per side and counted', () => {
    const b = base.map((v, i) => (i % 10 === 0 ? NaN : v));
    const r = driftColumns(
      set(num('x', b), cat('c', ['a', null, '', 'b'])),
      set(num('x', base.slice(0, 100)), cat('c', ['a', 'b', 'b', null])),
    );
    expect(row(r, 'x').baseline).toMatchObject({ rows: 300, count: 270, missing: 30 });
    expect(row(r, 'x').baseline.missingShare).toBeCloseTo(0.1, 15);
    expect(row(r, 'c').baseline).toMatchObject({ count: 2, missing: 2, unique: 2 });
    expectWellFormed(r);
  });

  it('refuses bad options with the option’s name', () => {
    expect(() => driftColumns(set(num('x', base)), set(num('x', base)), { pThreshold: 2 })).toThrow(/pThreshold/);
    expect(() => driftColumns(set(num('x', base)), set(num('x', base)), { driftShareThreshold: NaN })).toThrow(/driftShareThreshold/);
    expect(() => driftColumns(set(num('x', base)), set(num('x', base)), { histogramBins: 2.5 })).toThrow(/histogramBins/);
  });
});

describe('tests on request and PSI', () => {
  it('forces PSI or Wasserstein, and always reports PSI', () => {
    const rng = new Rng(3);
    const b = normal(rng, 2000);
    const c = normal(rng, 2000, 0.3);
    const r = driftColumns(set(num('x', b)), set(num('x', c)), { numberTest: 'psi' });
    expect(row(r, 'x').test).toBe('psi');
    expect(row(r, 'x').distance).toBe(row(r, 'x').psi);
    expect(row(r, 'x').drifted).toBe(row(r, 'x').psi! >= 0.1);
    const same = driftColumns(set(num('x', b)), set(num('x', b)));
    expect(same.columns[0].psi).toBe(0);
    expect(same.columns[0].pValue).toBe(1);
  });

  it('shows the top categories as bars, the rest as other', () => {
    const cats = Array.from({ length: 300 }, (_, i) => `c${i % 15}`);
    const r = driftColumns(set(cat('c', cats)), set(cat('c', cats.slice(0, 100))), { topCategories: 4 });
    const chart = r.columns[0].chart!;
    expect(chart.kind).toBe('bars');
    if (chart.kind !== 'bars') return;
    expect(chart.categories).toHaveLength(4);
    expect(chart.baselineCounts.reduce((a, b) => a + b, 0) + chart.otherBaseline).toBe(300);
    expect(chart.currentCounts.reduce((a, b) => a + b, 0) + chart.otherCurrent).toBe(100);
  });
});
