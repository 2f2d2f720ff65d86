import { expect } from 'vitest';

/** A CV summary as training reports it (engine result and IPC contract alike). */
export interface CvSummary {
  folds: number;
  perFold: object[];
  mean: Record<string, number>;
  std: Record<string, number>;
}

/**
 * Checks that a CV summary is the summary of its own per-fold metrics: for
 * every scalar metric of the folds, `mean` is their mean and `std` their
 * population standard deviation (divided by k, not k − 1): NumPy's `np.std`
 * default (ddof=0), which is what scikit-learn users print as
 * `cross_val_score(...).std()`. At least one metric must vary across folds, so
 * a summary that reports 0 for everything cannot pass.
 */
export function expectCvSummary(cv: CvSummary, folds: number): void {
  expect(cv.folds).toBe(folds);
  expect(cv.perFold).toHaveLength(folds);
  const scalar = (m: object) => Object.entries(m).filter((e): e is [string, number] => typeof e[1] === 'number');
  const keys = scalar(cv.perFold[0]).map(([k]) => k);
  expect(keys.length).toBeGreaterThan(0);
  expect(Object.keys(cv.mean).sort()).toEqual([...keys].sort());
  expect(Object.keys(cv.std).sort()).toEqual([...keys].sort());
  const close = (actual: number, expected: number) =>
    expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
  for (const key of keys) {
    const values = cv.perFold.map((m) => (m as Record<string, number>)[key]);
    const mean = values.reduce((a, b) => a + b, 0) / folds;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / folds);
    close(cv.mean[key], mean);
    close(cv.std[key], std);
  }
  expect(keys.some((k) => cv.std[k] > 0)).toBe(true);
}
