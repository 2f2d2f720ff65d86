import { describe, expect, it } from 'vitest';
import { failingHelper, readyHelper } from '../../../tests/helpers/split-helpers';
import { HIST_BLOCK } from './gradient-jobs';
import { GradientSplitter, type SplitterOptions } from './gradient-split';
import { Rng } from './random';

const n = 20000;
const p = 8;
const limits = { minSamplesLeaf: 20, minHessian: 1e-3, l2: 0.5 };

/** A splitter over random codes and gradients (the same for every call), rows 0..n−1 in order. */
function splitter(threads: number, maxLeaves = 0, options: SplitterOptions = {}): GradientSplitter {
  const s = new GradientSplitter(n, p, new Int32Array(p).fill(255), limits, threads, 3, maxLeaves, options);
  const rng = new Rng(5);
  for (let i = 0; i < n * p; i++) s.rm[i] = i % 41 === 0 ? 255 : rng.nextInt(255);
  for (let r = 0; r < n; r++) {
    s.idx[r] = r;
    s.A[r] = rng.nextFloat() - 0.4;
    s.B[r] = 0.05 + rng.nextFloat() * 0.2;
  }
  return s;
}

/** [Σh, Σg, count] of positions [a, b). */
function stats(s: GradientSplitter, a: number, b: number): Float64Array {
  const st = new Float64Array(3);
  for (let j = a; j < b; j++) {
    st[0] += s.B[s.idx[j]];
    st[1] += s.A[s.idx[j]];
    st[2] += 1;
  }
  return st;
}

describe('gradient split jobs', () => {
  it('a helper that throws mid-job leaves both children right: this thread rebuilds them from their rows', () => {
    const cut = 6000;
    const ref = splitter(1);
    const [refParent, refChild] = ref.slots();
    ref.run({ start: 0, end: n, hist: refParent, stats: stats(ref, 0, n) }, null);
    const parentHist = refParent.slice();
    ref.run(
      { start: 0, end: cut, hist: refChild, stats: stats(ref, 0, cut) },
      { start: cut, end: n, hist: refParent, stats: stats(ref, cut, n) },
    );

    const two = splitter(2, 0, failingHelper(0));
    try {
      const [parent, child] = two.slots();
      // Child jobs until the helper has taken a chunk (and thrown on it): usually the first.
      for (let k = 0; k < 50 && !two.helperFailed; k++) {
        parent.set(parentHist);
        two.run(
          { start: 0, end: cut, hist: child, stats: stats(two, 0, cut) },
          { start: cut, end: n, hist: parent, stats: stats(two, cut, n) },
        );
      }
      expect(two.helperFailed).toBe(true);
      // Rebuilt histograms equal the reference up to rounding (sums in another order), and the same splits are found.
      for (const [a, b] of [
        [child, refChild],
        [parent, refParent],
      ]) {
        for (let i = 0; i < p * HIST_BLOCK; i++) expect(a[i]).toBeCloseTo(b[i], 9);
      }
      expect(two.best(0)).toEqual(ref.best(0));
      expect(two.best(1)?.feature).toBe(ref.best(1)?.feature);
      expect(two.best(1)?.bin).toBe(ref.best(1)?.bin);
      expect(two.best(1)?.score).toBeCloseTo(ref.best(1)!.score, 6);
    } finally {
      two.close();
      ref.close();
    }
  });

  it('a child that is not to be scanned reports no split, whatever an earlier job found', () => {
    const s = splitter(1);
    try {
      const [parent, child] = s.slots();
      s.run({ start: 0, end: n, hist: parent, stats: stats(s, 0, n) }, null);
      expect(s.best(0)).not.toBeNull();
      s.run({ start: 0, end: 100, hist: child, stats: null }, { start: 100, end: n, hist: parent, stats: null });
      expect(s.best(0)).toBeNull();
      expect(s.best(1)).toBeNull();
    } finally {
      s.close();
    }
  });

  it('boost jobs give the same scores and gradients on two threads, and when the helper throws mid-job', () => {
    // Three leaves over positions 0..n−1 (rows ascending in each, as after growing on rows in order).
    const leaves = [0, 5000, 0.25, 5000, 12000, -0.5, 12000, n, 0.125];
    /**
     * Boost jobs on a fresh splitter: at least `times`, and with a helper, until it has taken a chunk
     * (or thrown, when `failAfter` ≥ 0): on a busy machine it can miss the first jobs.
     */
    const run = (threads: number, failAfter: number, times: number) => {
      const s = splitter(threads, 8, failAfter >= 0 ? failingHelper(failAfter) : readyHelper());
      try {
        for (let r = 0; r < n; r++) {
          s.raw[r] = (r % 7) / 7 - 0.5;
          s.y[r] = r % 3 === 0 ? 1 : 0;
        }
        let k = 0;
        const helped = () => (failAfter >= 0 ? s.helperFailed : s.helperChunks > 0);
        while (k < times || (threads > 1 && !helped() && k < 50)) {
          s.boost(leaves, 3, 'logistic');
          k++;
        }
        return { raw: Array.from(s.raw), g: Array.from(s.A), h: Array.from(s.B), chunks: s.helperChunks, failed: s.helperFailed, k };
      } finally {
        s.close();
      }
    };
    const two = run(2, -1, 3);
    const one = run(1, -1, two.k);
    expect(two.chunks).toBeGreaterThan(0);
    expect(two.raw).toEqual(one.raw);
    expect(two.g).toEqual(one.g);
    expect(two.h).toEqual(one.h);
    const failing = run(2, 0, 1);
    expect(failing.failed).toBe(true);
    const same = run(1, -1, failing.k);
    expect(failing.raw).toEqual(same.raw);
    expect(failing.g).toEqual(same.g);
    expect(failing.h).toEqual(same.h);
    // k applications of the leaf values, then logistic gradients from the new scores.
    expect(one.raw[6000]).toBeCloseTo((6000 % 7) / 7 - 0.5 - 0.5 * one.k, 12);
    const q = 1 / (1 + Math.exp(-one.raw[6000]));
    expect(one.g[6000]).toBeCloseTo(q - 1, 12); // y = 1 at rows divisible by 3
    expect(one.h[6000]).toBeCloseTo(q * (1 - q), 12);
  });
});
