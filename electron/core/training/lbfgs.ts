/**
 * Limited-memory BFGS for smooth convex objectives (used by logistic
 * regression). Backtracking line search with the Armijo condition; curvature
 * pairs with non-positive s·y are skipped, which keeps the method stable.
 */

/** Objective: writes the gradient into `grad` and returns the value. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Result of a minimisation. */
export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

/** Minimise `fn` from `x0`. Stops when the gradient's max-norm ≤ gtol or the relative decrease ≤ ftol. */
export function minimizeLbfgs(
  fn: Objective,
  x0: Float64Array,
  opts: { maxIter?: number; gtol?: number; ftol?: number; m?: number } = {},
): LbfgsResult {
  const maxIter = opts.maxIter ?? 500;
  const gtol = opts.gtol ?? 1e-6;
  const ftol = opts.ftol ?? 1e-14;
  const m = opts.m ?? 10;
  const d = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(d);
  let f = fn(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const dir = new Float64Array(d);
  const xNew = new Float64Array(d);
  const gNew = new Float64Array(d);
  const alpha = new Float64Array(m);
  let it = 0;
  let converged = false;
  for (; it < maxIter; it++) {
    if (maxAbs(g) <= gtol) {
      converged = true;
      break;
    }
    // Two-loop recursion: dir = −H·g.
    for (let i = 0; i < d; i++) dir[i] = -g[i];
    for (let j = S.length - 1; j >= 0; j--) {
      alpha[j] = rho[j] * dot(S[j], dir);
      axpy(-alpha[j], Y[j], dir);
    }
    if (S.length) {
      const last = S.length - 1;
      const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let i = 0; i < d; i++) dir[i] *= gamma;
    } else {
      const gn = Math.sqrt(dot(g, g));
      for (let i = 0; i < d; i++) dir[i] /= Math.max(1, gn);
    }
    for (let j = 0; j < S.length; j++) {
      const beta = rho[j] * dot(Y[j], dir);
      axpy(alpha[j] - beta, S[j], dir);
    }
    let slope = dot(g, dir);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < d; i++) dir[i] = -g[i];
      slope = dot(g, dir);
    }
    let step = 1;
    let fNew = 0;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < d; i++) xNew[i] = x[i] + step * dir[i];
      fNew = fn(xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break;
    const s = new Float64Array(d);
    const yv = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      s[i] = xNew[i] - x[i];
      yv[i] = gNew[i] - g[i];
    }
    const sy = dot(s, yv);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(yv, yv))) {
      S.push(s);
      Y.push(yv);
      rho.push(1 / sy);
      if (S.length > m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    const fOld = f;
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol) {
      converged = maxAbs(g) <= gtol * 100;
      it++;
      break;
    }
  }
  return { x, value: f, iterations: it, converged };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
