import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chi2Contingency2, chi2Sf } from './chi-square';
import { driftColumns } from './column-drift';
import { binCountsSorted, jensenShannon, psiCutPoints, psiFromCounts, psiSorted, wassersteinSorted } from './distances';
import { kstwoSf } from './ks-distribution';
import { ks2Samp, ks2SampSorted, KS_MAX_AUTO_N, sortedWithoutNaN, type KsMethod } from './ks-two-sample';
import { checkOf, makeSample, type SampleCheck, type SampleRecipe } from '../../../tests/fixtures/drift/samples';

// Values computed by Debian's python3-scipy with tests/fixtures/drift/make_reference.py.
const FIX = path.resolve(__dirname, '../../../tests/fixtures/drift/reference.json');
const ref = JSON.parse(fs.readFileSync(FIX, 'utf8'));

const REL = 1e-9;

/** |actual - expected| <= 1e-9 * |expected| (exact equality for 0). */
function expectClose(actual: number, expected: number, what: string): void {
  const ok = actual === expected || Math.abs(actual - expected) <= REL * Math.abs(expected);
  expect(ok, `${what}: got ${actual}, scipy ${expected} (rel ${Math.abs(actual - expected) / Math.abs(expected)})`).toBe(true);
}

function sample(recipe: SampleRecipe, check: SampleCheck): Float64Array {
  const x = makeSample(recipe);
  // The rebuilt sample must be Python's, or the comparison means nothing.
  expect(checkOf(x)).toEqual(check);
  return x;
}

interface KsCase {
  name: string;
  a: SampleRecipe;
  b: SampleRecipe;
  method: KsMethod;
  expectedMethod: 'exact' | 'asymp';
  checkA: SampleCheck;
  checkB: SampleCheck;
  statistic: number;
  pvalue: number;
}

describe('ks_2samp', () => {
  const cases: KsCase[] = ref.ks;

  it('covers the sizes and situations the issue lists', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const sizes = cases.flatMap((c) => [c.a.n, c.b.n]);
    expect(Math.min(...sizes)).toBe(1);
    expect(Math.max(...sizes)).toBe(100000);
    expect(cases.some((c) => c.a.n === c.b.n)).toBe(true);
    expect(cases.some((c) => c.a.n !== c.b.n)).toBe(true);
    // Both sides of scipy's exact/asymptotic switch under 'auto'.
    const auto = cases.filter((c) => c.method === 'auto');
    expect(auto.some((c) => Math.max(c.a.n, c.b.n) === KS_MAX_AUTO_N)).toBe(true);
    expect(auto.some((c) => Math.max(c.a.n, c.b.n) === KS_MAX_AUTO_N + 1)).toBe(true);
    expect(cases.some((c) => c.name.includes('identical'))).toBe(true);
    expect(cases.some((c) => c.name.includes('ties'))).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const rawA = sample(c.a, c.checkA);
    const rawB = sample(c.b, c.checkB);
    const r = ks2SampSorted(sortedWithoutNaN(rawA), sortedWithoutNaN(rawB), c.method);
    expectClose(r.statistic, c.statistic, 'statistic');
    expectClose(r.pValue, c.pvalue, 'p-value');
    if (c.method === 'auto') expect(r.method).toBe(c.expectedMethod);
    // The unsorted path (bucketed statistic, no sort) gives the very same numbers.
    const u = ks2Samp(rawA, rawB, c.method);
    expect(u.statistic).toBe(r.statistic);
    expect(u.pValue).toBe(r.pValue);
  });

  it('is symmetric in its two samples', () => {
    for (const c of cases.slice(0, 25)) {
      const a = sortedWithoutNaN(makeSample(c.a));
      const b = sortedWithoutNaN(makeSample(c.b));
      const ab = ks2SampSorted(a, b, c.method);
      const ba = ks2SampSorted(b, a, c.method);
      expect(ba.statistic).toBe(ab.statistic);
      expectClose(ba.pValue, ab.pValue, c.name);
    }
  });

  it('refuses an empty sample, as scipy', () => {
    expect(() => ks2SampSorted(new Float64Array(0), new Float64Array([1]))).toThrow(/at least one value/);
  });
});

describe('kstwo.sf (the asymptotic p-value)', () => {
  it.each((ref.kstwo as { x: number; n: number; sf: number }[]).map((c) => [c.x, c.n, c.sf]))('kstwo.sf(%s, %s)', (x, n, sf) => {
    expectClose(kstwoSf(x, n), sf, 'sf');
  });
});

describe('chi2_contingency', () => {
  it.each((ref.chi2 as { name: string }[]).map((c) => [c.name, c] as const))('%s', (_name, c: any) => {
    const r = chi2Contingency2(c.baseline, c.current);
    expect(r.dof).toBe(c.dof);
    expectClose(r.statistic, c.statistic, 'statistic');
    expectClose(r.pValue, c.pvalue, 'p-value');
  });

  it.each((ref.chi2sf as { x: number; dof: number; sf: number }[]).map((c) => [c.x, c.dof, c.sf]))('chi2.sf(%s, %s)', (x, dof, sf) => {
    expectClose(chi2Sf(x, dof), sf, 'sf');
  });

  it('refuses a side without counts and negative counts', () => {
    expect(() => chi2Contingency2([0, 0], [1, 2])).toThrow(/both sides/);
    expect(() => chi2Contingency2([1, -1], [1, 2])).toThrow(/non-negative/);
    expect(() => chi2Contingency2([1], [1, 2])).toThrow(/length/);
  });
});

describe('distances', () => {
  it.each((ref.numeric as { name: string }[]).map((c) => [c.name, c] as const))('%s', (_name, c: any) => {
    const a = sortedWithoutNaN(sample(c.a, c.checkA));
    const b = sortedWithoutNaN(sample(c.b, c.checkB));
    expectClose(wassersteinSorted(a, b), c.wasserstein, 'wasserstein_distance');
    // The PSI bins are defined by numpy: compare the cut points and counts exactly, then the value.
    const cuts = psiCutPoints(a);
    expect(cuts).toEqual(c.psiCuts);
    expect(binCountsSorted(a, cuts)).toEqual(c.psiBaselineCounts);
    expect(binCountsSorted(b, cuts)).toEqual(c.psiCurrentCounts);
    expectClose(psiSorted(a, b), c.psi, 'psi');
    // The report computes the same PSI from the raw columns (deciles from the bucketed pair, no sort).
    const report = driftColumns(
      { rows: c.a.n, columns: [{ name: 'x', kind: 'number', values: makeSample(c.a) }] },
      { rows: c.b.n, columns: [{ name: 'x', kind: 'number', values: makeSample(c.b) }] },
    );
    expectClose(report.columns[0].psi!, c.psi, 'report psi');
    expectClose(report.columns[0].statistic!, c.ksStatistic, 'report KS statistic');
    // Evidently's normed Wasserstein (np.std of the reference, ddof 0).
    const ev = driftColumns(
      { rows: c.a.n, columns: [{ name: 'x', kind: 'number', values: makeSample(c.a) }] },
      { rows: c.b.n, columns: [{ name: 'x', kind: 'number', values: makeSample(c.b) }] },
      { numberTest: 'wasserstein' },
    );
    expectClose(ev.columns[0].distance!, c.wassersteinNormed, 'normed wasserstein');
  });

  it.each((ref.categorical as { name: string }[]).map((c) => [c.name, c] as const))('%s', (_name, c: any) => {
    expectClose(jensenShannon(c.baseline, c.current), c.jsE, 'jensenshannon base e');
    expectClose(jensenShannon(c.baseline, c.current, 2), c.js2, 'jensenshannon base 2');
    expectClose(psiFromCounts(c.baseline, c.current), c.psi, 'psi');
  });
});
