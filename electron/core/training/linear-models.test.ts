import { describe, expect, it } from 'vitest';
import { fitLinear, predictLinear } from './linear-models';
import { r2Score } from './metrics';

/** Column-major matrix from columns. */
const matrix = (cols: number[][]) => Float64Array.from(cols.flat());

describe('linear regression', () => {
  it('recovers the coefficients when one column is on a huge scale (epoch milliseconds) and another is collinear', () => {
    const n = 500;
    let seed = 1;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const small = Array.from({ length: n }, () => rand() * 10);
    const epochMs = Array.from({ length: n }, () => 1.6e12 + rand() * 1e11);
    const dup = small.map((v) => 2 * v); // exactly collinear with `small`: needs the vanishing ridge
    const y = Float64Array.from(small.map((v, i) => 3 * v + 1e-11 * epochMs[i] + 5));
    const X = matrix([small, epochMs, dup]);
    const model = fitLinear(X, n, 3, y, { alpha: 0, fitIntercept: true, standardize: false });
    const pred = predictLinear(model, X, n);
    expect(r2Score(Array.from(y), Array.from(pred))).toBeGreaterThan(0.999);
    // The two collinear columns share the effect: 3 = c0 + 2·c2.
    expect(model.coef[0] + 2 * model.coef[2]).toBeCloseTo(3, 4);
  });
});
