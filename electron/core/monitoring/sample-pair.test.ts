import { describe, expect, it } from 'vitest';
import { ksStatisticSorted, sortedWithoutNaN } from './ks-two-sample';
import { SamplePair } from './sample-pair';
import { Rng } from '../training/random';

function draw(rng: Rng, n: number, kind: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.nextFloat();
    switch (kind) {
      case 0: // heavy tail: a few huge values stretch the grid
        x[i] = u < 0.001 ? 1e12 * u : u;
        break;
      case 1: // ties
        x[i] = Math.floor(u * 7);
        break;
      case 2: // lognormal-ish skew
        x[i] = Math.exp(8 * (u - 0.5));
        break;
      case 3: // constant with missing and infinite values
        x[i] = i % 11 === 0 ? NaN : i % 13 === 0 ? -Infinity : 2.5;
        break;
      default:
        x[i] = u + rng.nextFloat() - 1;
    }
  }
  return x;
}

describe('SamplePair', () => {
  it('gives exactly the sorted merge walk’s KS statistic on awkward data', () => {
    const rng = new Rng(5);
    for (let kind = 0; kind < 5; kind++) {
      for (const [n1, n2] of [
        [1, 1],
        [3, 200],
        [5000, 4000],
        [60000, 50000],
      ]) {
        const a = draw(rng, n1, kind);
        const b = draw(rng, n2, (kind + (n1 % 2)) % 5);
        const sa = sortedWithoutNaN(a);
        const sb = sortedWithoutNaN(b);
        if (!sa.length || !sb.length) continue;
        expect(new SamplePair(a, b).ksStatistic(), `kind ${kind}, ${n1} vs ${n2}`).toBe(ksStatisticSorted(sa, sb));
      }
    }
  });

  it('finds order statistics without sorting', () => {
    const rng = new Rng(9);
    for (let kind = 0; kind < 5; kind++) {
      const a = draw(rng, 30001, kind);
      const b = draw(rng, 100, kind);
      const sorted = sortedWithoutNaN(a);
      const ranks = [0, 1, 17, Math.floor(sorted.length / 2), sorted.length - 2, sorted.length - 1];
      expect(new SamplePair(a, b).orderStatistics('a', ranks)).toEqual(ranks.map((r) => sorted[r]));
    }
    expect(() => new SamplePair(new Float64Array([1]), new Float64Array([2])).orderStatistics('a', [1])).toThrow(/outside/);
  });

  it('refuses a KS statistic when a side has no values', () => {
    expect(() => new SamplePair(new Float64Array([NaN]), new Float64Array([1])).ksStatistic()).toThrow(/at least one value/);
  });
});
