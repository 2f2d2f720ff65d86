/**
 * Logistic regression (L2, binary or multinomial, L-BFGS) and linear/ridge
 * regression (closed form). Both replay a small recipe learned on the
 * training rows: missing values → training mean, and (logistic regression,
 * by default) standardisation, as a scikit-learn Pipeline(StandardScaler,
 * LogisticRegression) would.
 */
import { TrainingError } from './errors';
import { minimizeLbfgs } from './lbfgs';
import { linearParamsSchema, logregParamsSchema } from '../../../shared/training';
import { parseModelParams } from './params';

/** Logistic regression hyper-parameters (C = inverse regularisation strength, as scikit-learn). */
export interface LogregParams {
  C: number;
  maxIter: number;
  tol: number;
  standardize: boolean;
  fitIntercept: boolean;
}

/** Linear regression hyper-parameters (alpha = 0: ordinary least squares; > 0: ridge). */
export interface LinearParams {
  alpha: number;
  fitIntercept: boolean;
  standardize: boolean;
}

/** Logistic regression params with their defaults, validated by the shared schema (shared/training.ts). */
export function parseLogregParams(raw: Record<string, unknown>): LogregParams {
  const p = parseModelParams(logregParamsSchema, raw);
  return {
    C: p.C ?? 1,
    maxIter: p.maxIter ?? 1000,
    tol: p.tol ?? 1e-6,
    standardize: p.standardize ?? true,
    fitIntercept: p.fitIntercept ?? true,
  };
}

/** Linear/ridge regression params with their defaults, validated by the shared schema (shared/training.ts). */
export function parseLinearParams(raw: Record<string, unknown>): LinearParams {
  const p = parseModelParams(linearParamsSchema, raw);
  return { alpha: p.alpha ?? 0, fitIntercept: p.fitIntercept ?? true, standardize: p.standardize ?? false };
}

/** Per-feature preprocessing replayed at prediction time. */
export interface LinearRecipe {
  /** Value used for missing entries (training mean). */
  fill: number[];
  /** Subtracted then divided (identity when not standardising). */
  center: number[];
  scale: number[];
}

/** A fitted linear model: scores = W·x' + b on the recipe-transformed x'. */
export interface LinearModel {
  type: 'linear';
  kind: 'logistic' | 'linear';
  nClasses: number;
  nFeatures: number;
  recipe: LinearRecipe;
  /** nOut × nFeatures, row-major (nOut = 1 for binary/regression, K for multinomial). */
  coef: number[];
  intercept: number[];
  iterations?: number;
  converged?: boolean;
  importance: number[];
}

function learnRecipe(X: Float64Array, n: number, p: number, standardize: boolean): LinearRecipe {
  const fill: number[] = [];
  const center: number[] = [];
  const scale: number[] = [];
  for (let f = 0; f < p; f++) {
    let s = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const v = X[f * n + i];
      if (v === v) {
        s += v;
        c++;
      }
    }
    const mean = c ? s / c : 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const v = X[f * n + i];
      ss += ((v === v ? v : mean) - mean) ** 2;
    }
    const std = Math.sqrt(ss / n);
    fill.push(mean);
    center.push(standardize ? mean : 0);
    // Constant columns keep scale 1 (StandardScaler does the same).
    scale.push(standardize && std > 0 ? std : 1);
  }
  return { fill, center, scale };
}

/** Apply a recipe to a column-major matrix. */
export function applyRecipe(recipe: LinearRecipe, X: Float64Array, n: number): Float64Array {
  const p = recipe.fill.length;
  const Z = new Float64Array(n * p);
  for (let f = 0; f < p; f++) {
    const fill = recipe.fill[f];
    const c = recipe.center[f];
    const s = recipe.scale[f];
    for (let i = 0; i < n; i++) {
      const v = X[f * n + i];
      Z[f * n + i] = ((v === v ? v : fill) - c) / s;
    }
  }
  return Z;
}

/** Fit L2-regularised logistic regression: minimise C·Σ log-loss + ½‖W‖² (intercept not penalised). */
export function fitLogistic(X: Float64Array, n: number, p: number, y: Float64Array, nClasses: number, params: LogregParams): LinearModel {
  const recipe = learnRecipe(X, n, p, params.standardize);
  const Z = applyRecipe(recipe, X, n);
  const nOut = nClasses === 2 ? 1 : nClasses;
  const d = nOut * (p + 1);
  // Scaled by 1/(C·n) so tolerances do not depend on n; same minimiser.
  const lam = 1 / (params.C * n);
  const scores = new Float64Array(n * nOut);
  const resid = new Float64Array(n * nOut);
  const fn = (w: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    scores.fill(0);
    for (let k = 0; k < nOut; k++) {
      const wo = k * (p + 1);
      const b = params.fitIntercept ? w[wo + p] : 0;
      for (let i = 0; i < n; i++) scores[i * nOut + k] = b;
      for (let f = 0; f < p; f++) {
        const wf = w[wo + f];
        if (wf === 0) continue;
        const off = f * n;
        for (let i = 0; i < n; i++) scores[i * nOut + k] += wf * Z[off + i];
      }
    }
    let loss = 0;
    if (nOut === 1) {
      for (let i = 0; i < n; i++) {
        const z = scores[i];
        const yi = y[i];
        loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - yi * z;
        const pr = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
        resid[i] = pr - yi;
      }
    } else {
      for (let i = 0; i < n; i++) {
        let mx = -Infinity;
        for (let k = 0; k < nOut; k++) mx = Math.max(mx, scores[i * nOut + k]);
        let se = 0;
        for (let k = 0; k < nOut; k++) se += Math.exp(scores[i * nOut + k] - mx);
        const lse = mx + Math.log(se);
        loss += lse - scores[i * nOut + y[i]];
        for (let k = 0; k < nOut; k++) resid[i * nOut + k] = Math.exp(scores[i * nOut + k] - lse) - (y[i] === k ? 1 : 0);
      }
    }
    let reg = 0;
    for (let k = 0; k < nOut; k++) {
      const wo = k * (p + 1);
      for (let f = 0; f < p; f++) {
        const off = f * n;
        let s = 0;
        for (let i = 0; i < n; i++) s += resid[i * nOut + k] * Z[off + i];
        grad[wo + f] = s / n + lam * w[wo + f];
        reg += w[wo + f] * w[wo + f];
      }
      if (params.fitIntercept) {
        let s = 0;
        for (let i = 0; i < n; i++) s += resid[i * nOut + k];
        grad[wo + p] = s / n;
      }
    }
    return loss / n + 0.5 * lam * reg;
  };
  const res = minimizeLbfgs(fn, new Float64Array(d), { maxIter: params.maxIter, gtol: params.tol / 10, ftol: 1e-15 });
  const coef: number[] = [];
  const intercept: number[] = [];
  for (let k = 0; k < nOut; k++) {
    for (let f = 0; f < p; f++) coef.push(res.x[k * (p + 1) + f]);
    intercept.push(res.x[k * (p + 1) + p]);
  }
  return {
    type: 'linear',
    kind: 'logistic',
    nClasses,
    nFeatures: p,
    recipe,
    coef,
    intercept,
    iterations: res.iterations,
    converged: res.converged,
    importance: coefImportance(coef, nOut, p, recipe, params.standardize),
  };
}

/** Importance of a linear model: mean |coefficient| on the standardised scale, normalised to sum 1. */
function coefImportance(coef: number[], nOut: number, p: number, recipe: LinearRecipe, standardized: boolean): number[] {
  const imp = new Array<number>(p).fill(0);
  for (let k = 0; k < nOut; k++) for (let f = 0; f < p; f++) imp[f] += Math.abs(coef[k * p + f]) * (standardized ? 1 : recipe.scale[f]);
  const tot = imp.reduce((s, v) => s + v, 0);
  return imp.map((v) => (tot > 0 ? v / tot : 0));
}

/** Fit linear (alpha = 0) or ridge regression by solving the normal equations with Cholesky. */
export function fitLinear(X: Float64Array, n: number, p: number, y: Float64Array, params: LinearParams): LinearModel {
  const recipe = learnRecipe(X, n, p, params.standardize);
  const Z = applyRecipe(recipe, X, n);
  // Centre so the intercept is not penalised (as scikit-learn's Ridge).
  const mz = new Float64Array(p);
  let my = 0;
  if (params.fitIntercept) {
    for (let f = 0; f < p; f++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Z[f * n + i];
      mz[f] = s / n;
    }
    for (let i = 0; i < n; i++) my += y[i];
    my /= n;
  }
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let f = 0; f < p; f++) {
    const of = f * n;
    for (let g = f; g < p; g++) {
      const og = g * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += (Z[of + i] - mz[f]) * (Z[og + i] - mz[g]);
      A[f * p + g] = A[g * p + f] = s;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += (Z[of + i] - mz[f]) * (y[i] - my);
    b[f] = s;
  }
  let w: Float64Array | null = null;
  // OLS on collinear columns (one-hot + intercept, duplicated or constant features) is singular: add a vanishing ridge.
  // The jitter is relative to each column's own scale, so one huge column (epoch milliseconds) cannot crush the others.
  for (const jitter of [0, 1e-12, 1e-10, 1e-8, 1e-6]) {
    const M = Float64Array.from(A);
    for (let f = 0; f < p; f++) M[f * p + f] += params.alpha + jitter * (A[f * p + f] || 1);
    w = solveCholesky(M, b, p);
    if (w) break;
  }
  if (!w) throw new TrainingError('BAD_INPUT', 'Linear regression could not be solved (degenerate features)');
  let intercept = my;
  for (let f = 0; f < p; f++) intercept -= w[f] * mz[f];
  const coef = Array.from(w);
  return {
    type: 'linear',
    kind: 'linear',
    nClasses: 0,
    nFeatures: p,
    recipe,
    coef,
    intercept: [intercept],
    importance: coefImportance(coef, 1, p, recipe, params.standardize),
  };
}

function solveCholesky(M: Float64Array, b: Float64Array, p: number): Float64Array | null {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = M[i * p + j];
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      if (i === j) {
        // A pivot tiny against its own column's diagonal means that column is (nearly) collinear with earlier ones.
        if (!(s > 1e-13 * Math.max(M[i * p + i], 1e-300))) return null;
        L[i * p + i] = Math.sqrt(s);
      } else L[i * p + j] = s / L[j * p + j];
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * p + k] * z[k];
    z[i] = s / L[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < p; k++) s -= L[k * p + i] * x[k];
    x[i] = s / L[i * p + i];
  }
  return x;
}

/** Probabilities (n × K) for logistic regression; predictions (n) for linear regression. */
export function predictLinear(model: LinearModel, X: Float64Array, n: number): Float64Array {
  const p = model.nFeatures;
  const Z = applyRecipe(model.recipe, X, n);
  const nOut = model.intercept.length;
  const s = new Float64Array(n * nOut);
  for (let k = 0; k < nOut; k++) {
    for (let i = 0; i < n; i++) s[i * nOut + k] = model.intercept[k];
    for (let f = 0; f < p; f++) {
      const w = model.coef[k * p + f];
      for (let i = 0; i < n; i++) s[i * nOut + k] += w * Z[f * n + i];
    }
  }
  if (model.kind === 'linear') return s;
  if (nOut === 1) {
    const out = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const z = s[i];
      const pr = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      out[2 * i] = 1 - pr;
      out[2 * i + 1] = pr;
    }
    return out;
  }
  const out = new Float64Array(n * nOut);
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let k = 0; k < nOut; k++) mx = Math.max(mx, s[i * nOut + k]);
    let se = 0;
    for (let k = 0; k < nOut; k++) se += out[i * nOut + k] = Math.exp(s[i * nOut + k] - mx);
    for (let k = 0; k < nOut; k++) out[i * nOut + k] /= se;
  }
  return out;
}
