import { describe, expect, it } from 'vitest';
import { fitForest, parseForestParams, predictForest, prepareForestData } from './forest';
import { fitGbm, parseGbmParams, predictGbm, predictGbmRaw } from './gradient-boosting';
import { fitLogistic, parseLogregParams, predictLinear } from './linear-models';
import { argmaxRows, serializeModel } from './model';
import { accuracy, binaryScores, r2Score } from './metrics';
import { Rng } from './random';
import { binMatrix, binMatrixFast, gatherRows } from './binning';
import { GradientSplitter } from './gradient-split';
import { failingHelper, readyHelper } from '../../../tests/helpers/split-helpers';
import { TreeGrower } from './tree-grower';

/** Three classes separated along the first two of four features. */
function multiclass(n: number, seed: number) {
  const rng = new Rng(seed);
  const p = 4;
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = rng.nextInt(3);
    y[i] = k;
    X[i] = (k === 1 ? 2 : 0) + rng.nextFloat() * 1.6;
    X[n + i] = (k === 2 ? 2 : 0) + rng.nextFloat() * 1.6;
    X[2 * n + i] = rng.nextFloat();
    X[3 * n + i] = rng.nextFloat();
  }
  return { X, y, n, p };
}

describe('gradient boosting', () => {
  it('multiclass softmax learns separable classes; probabilities sum to 1', () => {
    const d = multiclass(900, 1);
    const m = fitGbm(d.X, d.n, d.p, d.y, 3, parseGbmParams({ maxIter: 30 }), 1);
    expect(m.treesPerIteration).toBe(3);
    expect(m.trees.length).toBe(90);
    const t = multiclass(600, 2);
    const P = predictGbm(m, t.X, t.n);
    expect(accuracy(t.y, argmaxRows(P, t.n, 3))).toBeGreaterThan(0.9);
    for (let i = 0; i < t.n; i++) expect(P[3 * i] + P[3 * i + 1] + P[3 * i + 2]).toBeCloseTo(1, 12);
  });

  it('early stopping on a validation split stops before maxIter on noise and records the loss curve', () => {
    const rng = new Rng(4);
    const n = 1500;
    const X = Float64Array.from({ length: n * 3 }, () => rng.nextFloat());
    const y = Float64Array.from({ length: n }, () => (rng.nextFloat() < 0.5 ? 1 : 0));
    const m = fitGbm(X, n, 3, y, 2, parseGbmParams({ maxIter: 500, earlyStopping: 'on', nIterNoChange: 5 }), 3);
    expect(m.nIterations).toBeLessThan(500);
    expect(m.validationLoss!.length).toBe(m.nIterations + 1);
  });

  it('regression with squared error fits a smooth function', () => {
    const rng = new Rng(5);
    const n = 2000;
    const X = Float64Array.from({ length: n * 2 }, () => rng.nextFloat() * 4);
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(X[i]) * 3 + X[n + i]);
    const m = fitGbm(X, n, 2, y, 0, parseGbmParams({}), 1);
    expect(r2Score(y, predictGbm(m, X, n))).toBeGreaterThan(0.95);
  });
});

/** Mean loss of raw scores, straight from the definitions (log-sum-exp, log(1 + e^z) − y·z, ½(z − y)²). */
function referenceLoss(raw: Float64Array, y: Float64Array, nClasses: number): number {
  const n = y.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (nClasses === 0) s += 0.5 * (raw[i] - y[i]) ** 2;
    else if (nClasses === 2) s += Math.log(1 + Math.exp(raw[i])) - y[i] * raw[i];
    else {
      let se = 0;
      for (let k = 0; k < nClasses; k++) se += Math.exp(raw[i * nClasses + k]);
      s += Math.log(se) - raw[i * nClasses + y[i]];
    }
  }
  return s / n;
}

describe('gradient boosting loss per iteration', () => {
  const rng = new Rng(21);
  const n = 1200;
  const X = Float64Array.from({ length: n * 3 }, () => rng.nextFloat() * 4);
  const noise = Float64Array.from({ length: n }, () => rng.nextFloat());
  const targets: [string, number, Float64Array][] = [
    ['binary', 2, Float64Array.from({ length: n }, (_, i) => (X[i] + X[n + i] + noise[i] * 2 > 5 ? 1 : 0))],
    ['multiclass', 3, multiclass(n, 22).y],
    ['regression', 0, Float64Array.from({ length: n }, (_, i) => Math.sin(X[i]) * 3 + X[n + i] + noise[i])],
  ];

  it.each(targets)(
    '%s: the training loss of each iteration is the loss of that many iterations on the training rows, decreasing',
    (_, nClasses, y) => {
      const Xf = nClasses === 3 ? multiclass(n, 22).X : X;
      const p = nClasses === 3 ? 4 : 3;
      const params = parseGbmParams({ maxIter: 25, earlyStopping: 'off' });
      const points: [number, number, number | undefined][] = [];
      const m = fitGbm(Xf, n, p, y, nClasses, params, 7, { onLoss: (it, train, val) => points.push([it, train, val]) });
      expect(points.map((q) => q[0])).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(points.every((q) => q[2] === undefined)).toBe(true);
      // The last point against the loss of the finished model's predictions on all rows (early stopping off: they are the training rows).
      expect(points[24][1]).toBeCloseTo(referenceLoss(predictGbmRaw(m, Xf, n), y, nClasses), 10);
      // And an intermediate one, against the model cut after 10 iterations.
      const cut = { ...m, nIterations: 10, trees: m.trees.slice(0, 10 * m.treesPerIteration) };
      expect(points[9][1]).toBeCloseTo(referenceLoss(predictGbmRaw(cut, Xf, n), y, nClasses), 10);
      // Newton steps with shrinkage on the training rows: the training loss goes down at every iteration.
      for (let i = 1; i < points.length; i++) expect(points[i][1]).toBeLessThan(points[i - 1][1]);
      // Asking for the losses does not change the model.
      expect(serializeModel({ estimator: fitGbm(Xf, n, p, y, nClasses, params, 7) } as never)).toBe(
        serializeModel({ estimator: m } as never),
      );
    },
  );

  it('with early stopping: the validation loss per iteration is the recorded curve, the training loss is on the training part only', () => {
    const y = targets[0][2];
    const points: [number, number, number | undefined][] = [];
    const m = fitGbm(X, n, 3, y, 2, parseGbmParams({ maxIter: 200, earlyStopping: 'on', nIterNoChange: 5 }), 3, {
      onLoss: (it, train, val) => points.push([it, train, val]),
    });
    expect(points.length).toBe(m.nIterations);
    // validationLoss[0] is the baseline's loss (before the first iteration), as scikit-learn's validation_score_[0].
    expect(points.map((q) => q[2])).toEqual(m.validationLoss!.slice(1));
    // On all rows (validation ones included) the loss differs from the training part's.
    expect(Math.abs(points.at(-1)![1] - referenceLoss(predictGbmRaw(m, X, n), y, 2))).toBeGreaterThan(1e-6);
  });

  it('confidently wrong rows (probability of the true class below 1e-4) still give the exact log loss', () => {
    // Separable on x0 but with a few flipped labels: the fit grows very confident, and the flipped rows are confidently wrong.
    const m2 = 400;
    const Xs = Float64Array.from({ length: m2 }, (_, i) => i / m2);
    const ys = Float64Array.from({ length: m2 }, (_, i) => (i % 97 === 5 ? 1 - (i >= m2 / 2 ? 1 : 0) : i >= m2 / 2 ? 1 : 0));
    const params = parseGbmParams({ maxIter: 60, learningRate: 1, minSamplesLeaf: 1, earlyStopping: 'off' });
    let last = NaN;
    const m = fitGbm(Xs, m2, 1, ys, 2, params, 1, { onLoss: (_, train) => (last = train) });
    const raw = predictGbmRaw(m, Xs, m2);
    const wrong = Array.from(raw).filter((z, i) => 1 / (1 + Math.exp(ys[i] ? z : -z)) < 1e-4).length;
    expect(wrong).toBeGreaterThan(0);
    expect(last).toBeCloseTo(referenceLoss(raw, ys, 2), 10);
  });
});

describe('forest options and logistic regression', () => {
  it('balanced class weights raise minority recall on imbalanced data', () => {
    const rng = new Rng(9);
    const n = 3000;
    const X = new Float64Array(n * 3);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rng.nextFloat() < 0.07 ? 1 : 0;
      for (let f = 0; f < 3; f++) X[f * n + i] = rng.nextFloat() * 2 + (f === 0 && y[i] ? 0.9 : 0);
    }
    const data = prepareForestData(X, n, 3, y, 2);
    const recall = (classWeight: 'none' | 'balanced') => {
      const m = fitForest(data, parseForestParams({ nEstimators: 30, maxDepth: 4, classWeight }, 'classification', false), 1);
      return binaryScores(y, argmaxRows(predictForest(m, X, n), n, 2)).recall;
    };
    expect(recall('balanced')).toBeGreaterThan(recall('none') + 0.2);
  });

  it('entropy criterion and log2 feature sampling train well on multiclass data', () => {
    const d = multiclass(900, 6);
    const m = fitForest(
      prepareForestData(d.X, d.n, d.p, d.y, 3),
      parseForestParams({ nEstimators: 30, criterion: 'entropy', maxFeatures: 'log2' }, 'classification', false),
      2,
    );
    const t = multiclass(600, 7);
    expect(accuracy(t.y, argmaxRows(predictForest(m, t.X, t.n), t.n, 3))).toBeGreaterThan(0.9);
  });

  it('multinomial logistic regression converges and separates the classes', () => {
    const d = multiclass(900, 8);
    const m = fitLogistic(d.X, d.n, d.p, d.y, 3, parseLogregParams({}));
    expect(m.converged).toBe(true);
    expect(m.intercept.length).toBe(3);
    const t = multiclass(600, 9);
    expect(accuracy(t.y, argmaxRows(predictLinear(m, t.X, t.n), t.n, 3))).toBeGreaterThan(0.85);
  });
});

describe('gradient boosting speed paths give identical results', () => {
  it('radix binning (binMatrixFast) equals computeBinning + applyBinning, with NaN, ±0, ties, few distinct values and near-equal values', () => {
    const rng = new Rng(7);
    const n = 6000;
    const p = 7;
    const X = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      X[i] = rng.nextFloat() * 2 - 1;
      X[n + i] = i % 9 === 0 ? NaN : i % 5 === 0 ? -0 : i % 7 === 0 ? 0 : (rng.nextFloat() - 0.5) * 1e300;
      X[2 * n + i] = Math.round(rng.nextFloat() * 6) - 3;
      X[3 * n + i] = -Math.abs(rng.nextFloat()) * 1e-300;
      X[4 * n + i] = 5;
      // Values that share their high 32 bits: all of them (timestamps in one second), and in runs of a few dozen.
      X[5 * n + i] = 1e9 + Math.floor(rng.nextFloat() * 5000) * 1e-3;
      X[6 * n + i] = -(1 + rng.nextFloat() * 2e-4);
    }
    const a = binMatrix(X, n, p);
    const b = binMatrixFast(X, n, p);
    expect(Array.from(b.codes)).toEqual(Array.from(a.codes));
    expect(b.binning.edges.map((e) => Array.from(e))).toEqual(a.binning.edges.map((e) => Array.from(e)));
    expect(Array.from(b.binning.nBins)).toEqual(Array.from(a.binning.nBins));
    expect(Array.from(b.binning.hasMissing)).toEqual(Array.from(a.binning.hasMissing));
    // Binning a subset of rows in place equals binning the gathered rows (the radix path: ≥ 4096 rows).
    const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 4 !== 1);
    const sub = binMatrixFast(X, n, p, 255, 200_000, rows);
    const gathered = binMatrix(gatherRows(X, n, p, rows), rows.length, p);
    expect(sub.nRows).toBe(rows.length);
    expect(Array.from(sub.codes)).toEqual(Array.from(gathered.codes));
    expect(sub.binning.edges.map((e) => Array.from(e))).toEqual(gathered.binning.edges.map((e) => Array.from(e)));
  });

  it('histograms on a helper thread give bit-identical trees', () => {
    const rng = new Rng(3);
    const n = 20000;
    const p = 9;
    const X = new Float64Array(n * p);
    for (let i = 0; i < n * p; i++) X[i] = rng.nextFloat();
    const binned = binMatrixFast(X, n, p);
    const g = Float64Array.from({ length: n }, (_, i) => Math.sin(X[i] * 6) + X[n + i] - 0.5);
    const h = Float64Array.from({ length: n }, (_, i) => 0.1 + X[2 * n + i] * 0.2);
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    /** At least `count` trees, and with a helper, until it has taken part (on a busy machine it can miss the first ones). */
    const grow = (threads: number, count: number) => {
      const grower = new TreeGrower(binned, {
        mode: 'gradient',
        nClasses: 0,
        criterion: 'squared_error',
        maxDepth: Infinity,
        minSamplesSplit: 2,
        minSamplesLeaf: 20,
        maxLeafNodes: 31,
        maxFeatures: p,
        splitter: 'best',
        minImpurityDecrease: 0,
        l2: 0,
        minHessian: 1e-3,
        histThreads: threads,
        splitOptions: readyHelper(),
      });
      try {
        const trees = [];
        while (trees.length < count || (threads > 1 && grower.helperChunks === 0 && trees.length < 30))
          trees.push(grower.grow(rows, n, g, h, null, 0));
        return Object.assign(trees, { helperChunks: grower.helperChunks });
      } finally {
        grower.close();
      }
    };
    const two = grow(2, 3);
    const one = grow(1, two.length);
    // The helper really took part (histograms and scans), and not at all with 1 thread.
    expect(two.helperChunks).toBeGreaterThan(0);
    expect(one.helperChunks).toBe(0);
    expect(two.map((t) => Array.from(t.tree.value))).toEqual(one.map((t) => Array.from(t.tree.value)));
    expect(two.map((t) => Array.from(t.tree.feature))).toEqual(one.map((t) => Array.from(t.tree.feature)));
    expect(two.map((t) => Array.from(t.importance))).toEqual(one.map((t) => Array.from(t.importance)));
    expect(one[0].tree.nNodes).toBe(61);
  });

  /** 20,000 rows × 9 features: enough for jobs on both threads (nodes of thousands of rows). */
  function boostingData(nClasses: number) {
    const rng = new Rng(11);
    const n = 20000;
    const p = 9;
    const X = new Float64Array(n * p);
    for (let i = 0; i < n * p; i++) X[i] = i % 97 === 0 ? NaN : rng.nextFloat();
    const y = Float64Array.from({ length: n }, (_, i) => {
      const s = Math.sin(X[i] * 5) + X[n + i] - X[2 * n + i] * 0.5 + (rng.nextFloat() - 0.5) * 0.4;
      if (nClasses === 0) return s;
      if (nClasses === 2) return s > 0.2 ? 1 : 0;
      return s < -0.1 ? 0 : s < 0.4 ? 1 : 2;
    });
    return { X, y, n, p };
  }

  it.each([
    ['binary', 2],
    ['regression', 0],
    ['multiclass', 3],
  ])('%s boosting on two threads gives the same model as on one, bit for bit', (_name, nClasses) => {
    const { X, y, n, p } = boostingData(nClasses);
    const params = parseGbmParams({ maxIter: 25, earlyStopping: 'off' });
    const losses: [number[], number[]] = [[], []];
    const one = fitGbm(X, n, p, y, nClasses, params, 5, { threads: 1, onLoss: (_, l) => losses[0].push(l) });
    const helper = readyHelper();
    const two = fitGbm(X, n, p, y, nClasses, params, 5, { threads: 2, splitter: helper, onLoss: (_, l) => losses[1].push(l) });
    // One grower per fit, and its helper thread took part.
    expect(helper.started.length).toBe(1);
    expect(helper.started[0].chunks).toBeGreaterThan(0);
    expect(two.nIterations).toBe(25);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    // The training loss is read from the scores the helper thread updates: the same curve, and the finished model's loss.
    expect(losses[1]).toEqual(losses[0]);
    expect(losses[1].length).toBe(25);
    // (The regression targets here include NaN, from NaN features: its loss is checked in the loss tests above.)
    if (nClasses > 0) expect(losses[1][24]).toBeCloseTo(referenceLoss(predictGbmRaw(two, X, n), y, nClasses), 10);
  });

  it('the WebAssembly histogram loop gives the same model as the JS loop, bit for bit', () => {
    const { X, y, n, p } = boostingData(2);
    const params = parseGbmParams({ maxIter: 15, earlyStopping: 'off' });
    const splitter = new GradientSplitter(100, 3, Int32Array.of(255, 255, 255), { minSamplesLeaf: 20, minHessian: 1e-3, l2: 0 }, 1, 2, 0);
    expect(splitter.usesWasm).toBe(true);
    const wasm = fitGbm(X, n, p, y, 2, params, 3, { threads: 1 });
    let asked = 0;
    const noKernel = () => {
      asked++;
      return null;
    };
    const js = fitGbm(X, n, p, y, 2, params, 3, { threads: 1, splitter: { kernelModule: noKernel } });
    expect(asked).toBe(1);
    expect(JSON.stringify(wasm)).toBe(JSON.stringify(js));
  });

  it('a helper thread that fails mid-fit leaves a sound model (this thread takes over)', () => {
    const { X, y, n, p } = boostingData(2);
    const params = parseGbmParams({ maxIter: 25, earlyStopping: 'off' });
    const ref = predictGbm(fitGbm(X, n, p, y, 2, params, 5, { threads: 1 }), X, n);
    // Fail at the first chunk the helper takes, and later in the fit.
    for (const failAt of [0, 7, 200]) {
      const helper = failingHelper(failAt);
      const model = fitGbm(X, n, p, y, 2, params, 5, { threads: 2, splitter: helper });
      // The helper took its chunks until its failure (a fit gives it hundreds).
      expect(helper.started.length).toBe(1);
      expect(helper.started[0].failed).toBe(true);
      expect(helper.started[0].chunks).toBeLessThanOrEqual(failAt);
      expect(model.nIterations).toBe(25);
      const P = predictGbm(model, X, n);
      let maxDiff = 0;
      for (let i = 0; i < P.length; i++) maxDiff = Math.max(maxDiff, Math.abs(P[i] - ref[i]));
      // Rebuilt histograms may differ from subtracted ones in the last bits, nothing more.
      expect(maxDiff).toBeLessThan(1e-6);
    }
  });
});
