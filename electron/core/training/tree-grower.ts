/**
 * Histogram-based CART growth over binned features. One grower is created
 * per (worker, binned data set) and reused for every tree, so buffers are
 * allocated once; the per-sample loops (histogram build, partition) do not
 * allocate.
 *
 * Three modes share the machinery:
 *  - classification: histogram per bin = K weighted class totals + row count;
 *    Gini or entropy.
 *  - regression: [Σw, Σw·y, count]; squared error.
 *  - gradient (boosting): [Σh, Σg, count]; Newton gain G²/(H+λ).
 * Regression and gradient use the same formulas with (B, A) = (w, w·y) or (h, g).
 */
import type { BinnedMatrix } from './binning';
import type { FlatTree } from './flat-tree';
import { HIST_BLOCK, scanGradFeature } from './gradient-jobs';
import { GradientSplitter, type ScanBest, type SplitterOptions } from './gradient-split';
import { Rng } from './random';

export type GrowMode = 'classification' | 'regression' | 'gradient';

/** Tree hyper-parameters (resolved to numbers). */
export interface GrowParams {
  mode: GrowMode;
  nClasses: number;
  criterion: 'gini' | 'entropy' | 'squared_error';
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** 0 = unlimited (depth-first growth); > 0 = best-first growth. */
  maxLeafNodes: number;
  /** Features drawn at each split (constant features do not count, as in scikit-learn). */
  maxFeatures: number;
  splitter: 'best' | 'random';
  minImpurityDecrease: number;
  /** Gradient mode: L2 regularisation on leaf values and minimum hessian per child. */
  l2: number;
  minHessian: number;
  /**
   * Gradient mode with whole-node histograms: split nodes on this many threads
   * (1 = this thread only; at most 2 are used). Results are bit-identical to
   * 1 thread (see gradient-split.ts).
   */
  histThreads?: number;
  /** Gradient mode with whole-node histograms: how the splitter gets its helper thread and histogram loop (default: the production ones). */
  splitOptions?: SplitterOptions;
  /**
   * Gradient mode with whole-node histograms: keep raw scores and targets per
   * row beside the gradients, so `boostLeaves` can apply a tree and recompute
   * gradients (on both threads). Rows 0..n−1 must then be grown in order.
   */
  boosting?: boolean;
}

/** Output of one growth. */
export interface GrownTree {
  tree: FlatTree;
  /** Total impurity decrease per feature (unnormalised, in weight units). */
  importance: Float64Array;
}

interface NodeRec {
  id: number;
  start: number;
  end: number;
  depth: number;
  stats: Float64Array;
  hist: Float64Array | null;
  // best split
  feature: number;
  bin: number;
  missingLeft: boolean;
  gain: number;
  leftStats: Float64Array | null;
}

const NB = 256; // bins per feature block incl. the missing bin (255)
// Same value as binning's MISSING_BIN; a local constant so hot loops do not go through a module binding.
const MISSING_BIN = 255;
// Below this many rows a node's histograms are built directly per feature: whole-node
// histograms (p × 256 bins) would cost more to clear and subtract than to build.
const SUBTRACTION_MIN_ROWS = 128;

/** Reusable CART grower bound to one binned matrix. */
export class TreeGrower {
  private readonly n: number;
  private readonly p: number;
  private readonly codes: Uint8Array;
  private readonly nBins: Int32Array;
  private readonly edges: Float64Array[];
  private readonly S: number;
  private readonly K: number;
  private readonly params: GrowParams;
  private readonly subtraction: boolean;
  /**
   * Boosting: gradients/hessians stay indexed by row and only idx is
   * partitioned. Best-first boosting trees peel small leaves off big nodes, so
   * moving payloads at every split would cost more than reading them by row.
   */
  private readonly rowPayload: boolean;
  /** Row-major copy of the codes (row r's p codes at r·p), for whole-node histograms. Empty unless subtraction is used. */
  private readonly codesRM: Uint8Array;
  // Positions buffers (node order), partitioned together.
  private readonly idx: Int32Array;
  private readonly cls: Int32Array;
  private readonly A: Float64Array;
  private readonly B: Float64Array;
  private readonly tIdx: Int32Array;
  private readonly tCls: Int32Array;
  private readonly tA: Float64Array;
  private readonly tB: Float64Array;
  private readonly featHist: Float64Array;
  private readonly featOrder: Int32Array;
  // Occupied bins of the current feature in a small node (sorted), so deep small nodes cost O(rows), not O(bins).
  private readonly occ = new Int32Array(NB);
  private readonly occMark = new Uint8Array(NB);
  private nOcc = -1;
  private readonly histPool: Float64Array[] = [];
  /** Gradient mode with whole-node histograms: builds, subtracts and scans them, possibly with a helper thread. */
  private readonly splitter: GradientSplitter | null = null;
  private readonly accL: Float64Array;
  private readonly accTmp: Float64Array;
  private readonly bestLeft: Float64Array;
  /** One feature's scan result [score, bin, missing left] (see scanGradFeature). */
  private readonly scanOut = new Float64Array(3);
  private rng: Rng = new Rng(0);
  // Output arrays (growable).
  private oFeature: number[] = [];
  private oThreshold: number[] = [];
  private oBin: number[] = [];
  private oMissingLeft: number[] = [];
  private oLeft: number[] = [];
  private oValue: number[] = [];
  private oStart: number[] = [];
  private oEnd: number[] = [];
  private importance: Float64Array;
  private rootWeight = 0;

  constructor(binned: BinnedMatrix, params: GrowParams) {
    this.n = binned.nRows;
    this.p = binned.nFeatures;
    this.codes = binned.codes;
    this.nBins = binned.binning.nBins;
    this.edges = binned.binning.edges;
    this.params = params;
    this.K = params.mode === 'classification' ? params.nClasses : 0;
    this.S = params.mode === 'classification' ? this.K + 1 : 3;
    this.subtraction = params.splitter === 'best' && params.maxFeatures >= this.p;
    this.rowPayload = params.mode === 'gradient';
    const n = this.n;
    if (this.subtraction && params.mode === 'gradient') {
      // Gradient histograms, row arrays included, belong to the splitter (shared memory for its helper thread and kernel).
      // Live histograms: at most one per pending node plus the one being built (best-first); depth-first needs about one per level.
      const nSlots = params.maxLeafNodes > 0 ? params.maxLeafNodes + 2 : 64;
      const maxLeaves = params.boosting ? (params.maxLeafNodes > 0 ? params.maxLeafNodes : 4096) : 0;
      const threads = Math.min(2, params.histThreads ?? 1);
      this.splitter = new GradientSplitter(n, this.p, this.nBins, params, threads, nSlots, maxLeaves, params.splitOptions);
      ({ rm: this.codesRM, idx: this.idx, A: this.A, B: this.B } = this.splitter);
      this.histPool.push(...this.splitter.slots());
    } else {
      this.codesRM = new Uint8Array(this.subtraction ? n * this.p : 0);
      this.idx = new Int32Array(n);
      this.A = new Float64Array(params.mode === 'classification' ? 0 : n);
      this.B = new Float64Array(n);
    }
    if (this.subtraction) {
      for (let f = 0; f < this.p; f++) {
        const off = f * n;
        for (let i = 0; i < n; i++) this.codesRM[i * this.p + f] = this.codes[off + i];
      }
    }
    this.cls = new Int32Array(params.mode === 'classification' ? n : 0);
    this.tIdx = new Int32Array(n);
    this.tCls = new Int32Array(params.mode === 'classification' ? n : 0);
    this.tA = new Float64Array(params.mode === 'classification' ? 0 : n);
    this.tB = new Float64Array(n);
    this.featHist = new Float64Array(NB * this.S);
    this.featOrder = new Int32Array(this.p);
    for (let f = 0; f < this.p; f++) this.featOrder[f] = f;
    this.accL = new Float64Array(this.S);
    this.accTmp = new Float64Array(this.S);
    this.bestLeft = new Float64Array(this.S);
    this.importance = new Float64Array(this.p);
  }

  /** Chunks of jobs done by the helper thread so far (0 without one). */
  get helperChunks(): number {
    return this.splitter?.helperChunks ?? 0;
  }

  /**
   * Boosting (params.boosting): the per-row buffers to fill before the first
   * tree — gradients g and hessians h (pass them to `grow`), raw scores and
   * targets y. After each tree `boostLeaves` updates raw, g and h.
   */
  boostingBuffers(): { g: Float64Array; h: Float64Array; raw: Float64Array; y: Float64Array } {
    const s = this.splitter;
    if (!s || !s.y.length) throw new Error('boostingBuffers needs a gradient grower created with boosting: true');
    return { g: this.A, h: this.B, raw: s.raw, y: s.y };
  }

  /** Boosting: add the leaf values of the tree just grown (on rows 0..n−1) to the raw scores, then recompute g and h. */
  boostLeaves(tree: FlatTree, loss: 'logistic' | 'squared'): void {
    const list: number[] = [];
    for (let node = 0; node < tree.nNodes; node++) {
      if (tree.feature[node] < 0) list.push(this.oStart[node], this.oEnd[node], tree.value[node]);
    }
    this.splitter!.boost(list, list.length / 3, loss);
  }

  /** Stop the helper thread (if any). The grower stays usable on this thread alone. */
  close(): void {
    this.splitter?.close();
  }

  /**
   * Grow one tree on rows `rows[0..m)`.
   * - classification: `target[r]` is the class code of row r;
   * - regression: `target[r]` is y; gradient: `target[r]` is the gradient g and `rowB[r]` the hessian h.
   * The weight (or hessian) of position j is `(rowB ? rowB[rows[j]] : 1) * (posMul ? posMul[j] : 1)`.
   */
  grow(
    rows: ArrayLike<number>,
    m: number,
    target: ArrayLike<number>,
    rowB: ArrayLike<number> | null,
    posMul: ArrayLike<number> | null,
    seed: number,
  ): GrownTree {
    const { idx, B } = this;
    const isCls = this.params.mode === 'classification';
    const isReg = this.params.mode === 'regression';
    // Boosting passes the grower's own gradient buffers: nothing to copy.
    const inPlace = this.rowPayload && target === this.A && rowB === this.B && !posMul;
    for (let j = 0; j < m; j++) {
      const r = rows[j];
      idx[j] = r;
      if (inPlace) continue;
      const w = (rowB ? rowB[r] : 1) * (posMul ? posMul[j] : 1);
      if (this.rowPayload) {
        B[r] = w;
        this.A[r] = target[r];
        continue;
      }
      B[j] = w;
      if (isCls) this.cls[j] = target[r];
      else this.A[j] = isReg ? w * target[r] : target[r];
    }
    this.rng = new Rng(seed);
    // Feature draws permute featOrder in place; reset it so a tree depends only on its own seed.
    for (let f = 0; f < this.p; f++) this.featOrder[f] = f;
    this.oFeature = [];
    this.oThreshold = [];
    this.oBin = [];
    this.oMissingLeft = [];
    this.oLeft = [];
    this.oValue = [];
    this.oStart = [];
    this.oEnd = [];
    this.importance = new Float64Array(this.p);

    const rootStats = new Float64Array(this.S);
    this.sumStats(0, m, rootStats);
    this.rootWeight = this.K ? m : rootStats[0];
    if (this.K) {
      this.rootWeight = 0;
      for (let k = 0; k < this.K; k++) this.rootWeight += rootStats[k];
    }
    const root = this.newNode(0, m, 0, rootStats);
    if (this.subtraction && m >= SUBTRACTION_MIN_ROWS) root.hist = this.takeHist();
    if (this.splitter && root.hist) {
      this.splitter.run({ start: 0, end: m, hist: root.hist, stats: this.canSplit(root) ? root.stats : null }, null);
      this.adopt(root, this.splitter.best(0));
    } else {
      if (root.hist) this.buildAllHist(0, m, root.hist);
      this.evaluate(root);
    }

    const best = this.params.maxLeafNodes > 0;
    const pending: NodeRec[] = [];
    if (root.feature >= 0) pending.push(root);
    else this.releaseHist(root);
    let leaves = 1;
    while (pending.length) {
      let node: NodeRec;
      if (best) {
        if (leaves >= this.params.maxLeafNodes) break;
        // Best-first: highest gain; ties go to the lower node id (deterministic).
        let bi = 0;
        for (let i = 1; i < pending.length; i++) {
          const a = pending[i];
          const b = pending[bi];
          if (a.gain > b.gain || (a.gain === b.gain && a.id < b.id)) bi = i;
        }
        node = pending[bi];
        pending[bi] = pending[pending.length - 1];
        pending.pop();
      } else node = pending.pop()!;
      const [l, r] = this.split(node);
      leaves++;
      // Depth-first: push right first so the left subtree is grown first.
      if (r.feature >= 0) pending.push(r);
      else this.releaseHist(r);
      if (l.feature >= 0) pending.push(l);
      else this.releaseHist(l);
    }
    for (const node of pending) this.releaseHist(node);
    const nNodes = this.oFeature.length;
    const tree: FlatTree = {
      nNodes,
      nOut: isCls ? this.K : 1,
      feature: Int32Array.from(this.oFeature),
      threshold: Float64Array.from(this.oThreshold),
      bin: Int16Array.from(this.oBin),
      missingLeft: Uint8Array.from(this.oMissingLeft),
      left: Int32Array.from(this.oLeft),
      value: Float64Array.from(this.oValue),
    };
    return { tree, importance: this.importance };
  }

  /**
   * After `grow` (gradient/regression modes): add `scale × leaf value` of the leaf
   * holding each training row to `out[row * stride + offset]`. Uses the final
   * partition, so no tree traversal is needed.
   */
  addLeafValues(tree: FlatTree, out: Float64Array, stride: number, offset: number, scale: number): void {
    const idx = this.idx;
    for (let node = 0; node < tree.nNodes; node++) {
      if (tree.feature[node] >= 0) continue;
      const v = tree.value[node] * scale;
      const end = this.oEnd[node];
      for (let j = this.oStart[node]; j < end; j++) out[idx[j] * stride + offset] += v;
    }
  }

  private newNode(start: number, end: number, depth: number, stats: Float64Array): NodeRec {
    const id = this.oFeature.length;
    this.oFeature.push(-1);
    this.oThreshold.push(0);
    this.oBin.push(0);
    this.oMissingLeft.push(0);
    this.oLeft.push(-1);
    this.oStart.push(start);
    this.oEnd.push(end);
    this.writeValue(stats);
    return { id, start, end, depth, stats, hist: null, feature: -1, bin: 0, missingLeft: false, gain: 0, leftStats: null };
  }

  private writeValue(stats: Float64Array): void {
    const { mode, l2 } = this.params;
    if (mode === 'classification') {
      let w = 0;
      for (let k = 0; k < this.K; k++) w += stats[k];
      for (let k = 0; k < this.K; k++) this.oValue.push(w > 0 ? stats[k] / w : 1 / this.K);
    } else if (mode === 'regression') this.oValue.push(stats[0] > 0 ? stats[1] / stats[0] : 0);
    else this.oValue.push(-stats[1] / (stats[0] + l2));
  }

  private takeHist(): Float64Array {
    return this.histPool.pop() ?? new Float64Array(this.p * NB * this.S);
  }

  private releaseHist(node: NodeRec): void {
    if (node.hist) {
      // The splitter clears the buffers it fills; the other builders expect zeros.
      if (!this.splitter) node.hist.fill(0);
      this.histPool.push(node.hist);
      node.hist = null;
    }
  }

  private sumStats(start: number, end: number, out: Float64Array): void {
    out.fill(0);
    if (this.K) {
      const K = this.K;
      for (let j = start; j < end; j++) out[this.cls[j]] += this.B[j];
      out[K] = end - start;
    } else {
      let b = 0;
      let a = 0;
      for (let j = start; j < end; j++) {
        const q = this.rowPayload ? this.idx[j] : j;
        b += this.B[q];
        a += this.A[q];
      }
      out[0] = b;
      out[1] = a;
      out[2] = end - start;
    }
  }

  /** Histogram of one feature over positions [start, end) into `hist` at `base`. */
  private buildFeatureHist(f: number, start: number, end: number, hist: Float64Array, base: number): void {
    const codes = this.codes;
    const off = f * this.n;
    const idx = this.idx;
    const B = this.B;
    if (this.K) {
      const S = this.S;
      const K = this.K;
      const cls = this.cls;
      if (K === 2) {
        for (let j = start; j < end; j++) {
          const o = base + codes[off + idx[j]] * 3;
          hist[o + cls[j]] += B[j];
          hist[o + 2] += 1;
        }
      } else {
        for (let j = start; j < end; j++) {
          const o = base + codes[off + idx[j]] * S;
          hist[o + cls[j]] += B[j];
          hist[o + K] += 1;
        }
      }
    } else {
      const A = this.A;
      if (this.rowPayload) {
        for (let j = start; j < end; j++) {
          const r = idx[j];
          const o = base + codes[off + r] * 3;
          hist[o] += B[r];
          hist[o + 1] += A[r];
          hist[o + 2] += 1;
        }
        return;
      }
      for (let j = start; j < end; j++) {
        const o = base + codes[off + idx[j]] * 3;
        hist[o] += B[j];
        hist[o + 1] += A[j];
        hist[o + 2] += 1;
      }
    }
  }

  /**
   * Histograms of all features over positions [start, end), row by row on the
   * row-major code copy: each row's payload is read once and its p codes sit
   * in one cache line (about twice as fast as p column passes). Gradient mode
   * goes through the splitter instead.
   */
  private buildAllHist(start: number, end: number, hist: Float64Array): void {
    const p = this.p;
    const S = this.S;
    const block = NB * S;
    const rm = this.codesRM;
    const idx = this.idx;
    const B = this.B;
    if (this.K) {
      const K = this.K;
      const cls = this.cls;
      for (let j = start; j < end; j++) {
        const ro = idx[j] * p;
        const w = B[j];
        const c = cls[j];
        for (let f = 0, fb = 0; f < p; f++, fb += block) {
          const o = fb + rm[ro + f] * S;
          hist[o + c] += w;
          hist[o + K] += 1;
        }
      }
      return;
    }
    const A = this.A;
    // Features unrolled by 4 (independent bins, so the adds of one row can overlap).
    const p4 = p & ~3;
    const block4 = 4 * block;
    for (let j = start; j < end; j++) {
      const r = idx[j];
      const b = B[j];
      const a = A[j];
      const ro = r * p;
      let f = 0;
      let fb = 0;
      for (; f < p4; f += 4, fb += block4) {
        const o0 = fb + rm[ro + f] * 3;
        const o1 = fb + block + rm[ro + f + 1] * 3;
        const o2 = fb + 2 * block + rm[ro + f + 2] * 3;
        const o3 = fb + 3 * block + rm[ro + f + 3] * 3;
        hist[o0] += b;
        hist[o0 + 1] += a;
        hist[o0 + 2] += 1;
        hist[o1] += b;
        hist[o1 + 1] += a;
        hist[o1 + 2] += 1;
        hist[o2] += b;
        hist[o2 + 1] += a;
        hist[o2 + 2] += 1;
        hist[o3] += b;
        hist[o3 + 1] += a;
        hist[o3 + 2] += 1;
      }
      for (; f < p; f++, fb += block) {
        const o = fb + rm[ro + f] * 3;
        hist[o] += b;
        hist[o + 1] += a;
        hist[o + 2] += 1;
      }
    }
  }

  /** Node "score" (higher is purer, in weight units); gain = score(children) − score(parent). */
  private score(st: Float64Array): number {
    const { mode, criterion, l2 } = this.params;
    if (mode === 'classification') {
      const K = this.K;
      let w = 0;
      if (criterion === 'entropy') {
        let s = 0;
        for (let k = 0; k < K; k++) {
          const c = st[k];
          w += c;
          if (c > 0) s += c * Math.log(c);
        }
        return w > 0 ? s - w * Math.log(w) : 0;
      }
      let sq = 0;
      for (let k = 0; k < K; k++) {
        w += st[k];
        sq += st[k] * st[k];
      }
      return w > 0 ? sq / w : 0;
    }
    const den = st[0] + (mode === 'gradient' ? l2 : 0);
    return den > 0 ? (st[1] * st[1]) / den : 0;
  }

  /** Whether a child with these stats is allowed. */
  private validChild(st: Float64Array): boolean {
    const S = this.S;
    if (st[S - 1] < this.params.minSamplesLeaf) return false;
    if (this.params.mode === 'gradient') return st[0] >= this.params.minHessian;
    if (this.K) {
      let w = 0;
      for (let k = 0; k < this.K; k++) w += st[k];
      return w > 0;
    }
    return st[0] > 0;
  }

  /** Whether the limits (depth, sizes, purity) let a node be split at all. */
  private canSplit(node: NodeRec): boolean {
    const P = this.params;
    const count = node.end - node.start;
    if (node.depth >= P.maxDepth || count < P.minSamplesSplit || count < 2 * P.minSamplesLeaf) return false;
    return !this.isPure(node);
  }

  /** Take the best split the splitter found for a node, if it gains enough (else the node stays a leaf). */
  private adopt(node: NodeRec, best: ScanBest | null): void {
    node.feature = -1;
    if (!best || !this.canSplit(node)) return;
    const parentScore = this.score(node.stats);
    const gain = best.score - parentScore;
    const tol = 1e-12 * Math.abs(parentScore) + 1e-300;
    if (!(gain > tol) || gain < this.params.minImpurityDecrease * this.rootWeight) return;
    this.nOcc = -1;
    this.commitSplit(node, best.feature, best.bin, best.missingLeft, gain, node.hist!, best.feature * HIST_BLOCK);
  }

  /** Find the best split of a node (sets node.feature = -1 when it must be a leaf). */
  private evaluate(node: NodeRec): void {
    node.feature = -1;
    const P = this.params;
    if (!this.canSplit(node)) return;
    const block = NB * this.S;
    const parentScore = this.score(node.stats);
    const tol = 1e-12 * Math.abs(parentScore) + 1e-300;
    let bestGain = -Infinity;
    this.nOcc = -1;
    if (node.hist) {
      const hist = node.hist;
      for (let f = 0; f < this.p; f++) {
        const g = this.scanFeature(f, hist, f * block, node, parentScore, bestGain);
        if (g > bestGain) bestGain = g;
      }
    } else {
      // Draw features without replacement; constant ones do not count towards maxFeatures.
      const order = this.featOrder;
      let counted = 0;
      const rng = this.rng;
      const hist = this.featHist;
      for (let i = 0; i < this.p && counted < P.maxFeatures; i++) {
        const j = i + rng.nextInt(this.p - i);
        const f = order[j];
        order[j] = order[i];
        order[i] = f;
        this.buildFeatureHist(f, node.start, node.end, hist, 0);
        this.collectOccupied(f, node);
        if (this.isConstant(f, hist, 0)) {
          this.clearFeatureHist(f, node, hist);
          continue;
        }
        counted++;
        const g =
          P.splitter === 'random'
            ? this.randomSplit(f, hist, 0, node, parentScore, bestGain)
            : this.scanFeature(f, hist, 0, node, parentScore, bestGain);
        if (g > bestGain) bestGain = g;
        this.clearFeatureHist(f, node, hist);
      }
      this.nOcc = -1;
    }
    if (!(bestGain > tol) || bestGain < P.minImpurityDecrease * this.rootWeight) node.feature = -1;
  }

  /** For nodes much smaller than the bin count, list the occupied (non-missing) bins in order; else mark "scan all bins". */
  private collectOccupied(f: number, node: NodeRec): void {
    const count = node.end - node.start;
    if (count * 4 >= this.nBins[f]) {
      this.nOcc = -1;
      return;
    }
    const codes = this.codes;
    const off = f * this.n;
    const occ = this.occ;
    const mark = this.occMark;
    let m = 0;
    for (let j = node.start; j < node.end; j++) {
      const b = codes[off + this.idx[j]];
      if (b !== MISSING_BIN && mark[b] === 0) {
        mark[b] = 1;
        occ[m++] = b;
      }
    }
    for (let i = 0; i < m; i++) mark[occ[i]] = 0;
    // Insertion sort: m is small.
    for (let i = 1; i < m; i++) {
      const v = occ[i];
      let k = i - 1;
      while (k >= 0 && occ[k] > v) {
        occ[k + 1] = occ[k];
        k--;
      }
      occ[k + 1] = v;
    }
    this.nOcc = m;
  }

  private clearFeatureHist(f: number, node: NodeRec, hist: Float64Array): void {
    const S = this.S;
    const count = node.end - node.start;
    if (count * 2 < this.nBins[f]) {
      const codes = this.codes;
      const off = f * this.n;
      for (let j = node.start; j < node.end; j++) {
        const o = codes[off + this.idx[j]] * S;
        for (let s = 0; s < S; s++) hist[o + s] = 0;
      }
    } else {
      hist.fill(0, 0, this.nBins[f] * S);
      hist.fill(0, MISSING_BIN * S, NB * S);
    }
  }

  private isPure(node: NodeRec): boolean {
    const st = node.stats;
    if (this.K) {
      let nz = 0;
      for (let k = 0; k < this.K; k++) if (st[k] > 0) nz++;
      return nz <= 1;
    }
    if (this.params.mode === 'regression') {
      // Constant target in the node: no split can reduce the error.
      const A = this.A;
      const B = this.B;
      const y0 = A[node.start] / B[node.start];
      const eps = 1e-12 * Math.abs(y0);
      for (let j = node.start + 1; j < node.end; j++) if (Math.abs(A[j] / B[j] - y0) > eps) return false;
      return true;
    }
    return false;
  }

  private isConstant(f: number, hist: Float64Array, base: number): boolean {
    const S = this.S;
    const nb = this.nBins[f];
    let nonEmpty = hist[base + MISSING_BIN * S + S - 1] > 0 ? 1 : 0;
    if (this.nOcc >= 0) return nonEmpty + this.nOcc <= 1;
    for (let b = 0; b < nb; b++) {
      if (hist[base + b * S + S - 1] > 0) {
        nonEmpty++;
        if (nonEmpty > 1) return false;
      }
    }
    return true;
  }

  /** Consider a candidate left-stats vector; update node's best when better. Returns gain or -Infinity. */
  private consider(
    node: NodeRec,
    f: number,
    bin: number,
    missingLeft: boolean,
    L: Float64Array,
    parentScore: number,
    bestGain: number,
  ): number {
    const R = this.accTmp;
    const T = node.stats;
    for (let s = 0; s < this.S; s++) R[s] = T[s] - L[s];
    if (!this.validChild(L) || !this.validChild(R)) return -Infinity;
    const gain = this.score(L) + this.score(R) - parentScore;
    if (gain > bestGain) {
      node.feature = f;
      node.bin = bin;
      node.missingLeft = missingLeft;
      node.gain = gain;
      return gain;
    }
    return -Infinity;
  }

  /** Exhaustive scan of the bins of feature f. Returns the best gain found (or -Infinity); updates the node when it beats `bestGain`. */
  private scanFeature(f: number, hist: Float64Array, base: number, node: NodeRec, parentScore: number, bestGain: number): number {
    const P = this.params;
    if (P.mode === 'classification' && P.criterion === 'entropy')
      return this.scanFeatureGeneric(f, hist, base, node, parentScore, bestGain);
    const S = this.S;
    const nb = this.nBins[f];
    const st = node.stats;
    const msl = P.minSamplesLeaf;
    const mo = base + MISSING_BIN * S;
    const MC = hist[mo + S - 1];
    const TC = st[S - 1];
    const total = TC - MC;
    // Scores are compared as "children score" against this target, then converted to a gain.
    let bestS = bestGain + parentScore;
    let bestBin = -2;
    let bestML = false;
    // The bin scan is written out twice on purpose (binary Gini here, variance/gradient gain in scanGradFeature): one shared loop would need a per-bin score call in training's hottest loop.
    if (this.K === 2) {
      const T0 = st[0];
      const T1 = st[1];
      const M0 = hist[mo];
      const M1 = hist[mo + 1];
      if (MC > 0 && MC >= msl && TC - MC >= msl) {
        const wl = M0 + M1;
        const r0 = T0 - M0;
        const r1 = T1 - M1;
        const wr = r0 + r1;
        if (wl > 0 && wr > 0) {
          const sc = (M0 * M0 + M1 * M1) / wl + (r0 * r0 + r1 * r1) / wr;
          if (sc > bestS) {
            bestS = sc;
            bestBin = -1;
            bestML = true;
          }
        }
      }
      let l0 = 0;
      let l1 = 0;
      let lc = 0;
      const occ = this.occ;
      const nIter = this.nOcc >= 0 ? this.nOcc : nb - 1;
      const list = this.nOcc >= 0;
      for (let q = 0; q < nIter; q++) {
        const b = list ? occ[q] : q;
        if (b >= nb - 1) break;
        const o = base + b * 3;
        const c = hist[o + 2];
        if (c === 0) continue;
        l0 += hist[o];
        l1 += hist[o + 1];
        lc += c;
        if (lc >= total && MC === 0) break;
        if (lc >= msl && TC - lc >= msl) {
          const wl = l0 + l1;
          const r0 = T0 - l0;
          const r1 = T1 - l1;
          const wr = r0 + r1;
          if (wl > 0 && wr > 0) {
            const sc = (l0 * l0 + l1 * l1) / wl + (r0 * r0 + r1 * r1) / wr;
            if (sc > bestS) {
              bestS = sc;
              bestBin = b;
              bestML = false;
            }
          }
        }
        if (MC > 0 && lc + MC >= msl && TC - lc - MC >= msl) {
          const a0 = l0 + M0;
          const a1 = l1 + M1;
          const wl = a0 + a1;
          const r0 = T0 - a0;
          const r1 = T1 - a1;
          const wr = r0 + r1;
          if (wl > 0 && wr > 0) {
            const sc = (a0 * a0 + a1 * a1) / wl + (r0 * r0 + r1 * r1) / wr;
            if (sc > bestS) {
              bestS = sc;
              bestBin = b;
              bestML = true;
            }
          }
        }
      }
    } else if (this.K > 2) {
      return this.scanFeatureGeneric(f, hist, base, node, parentScore, bestGain);
    } else {
      // Variance / Newton gain: the scan boosting's split jobs use (λ = 0 and no minimum hessian for regression).
      const gradient = P.mode === 'gradient';
      const out = this.scanOut;
      const minB = gradient ? Math.max(P.minHessian, Number.MIN_VALUE) : Number.MIN_VALUE;
      scanGradFeature(hist, base, nb, st[0], st[1], TC, msl, minB, gradient ? P.l2 : 0, out, 0, this.occ, this.nOcc);
      if (out[0] > bestS) {
        bestS = out[0];
        bestBin = out[1];
        bestML = out[2] === 1;
      }
    }
    if (bestBin === -2) return -Infinity;
    this.commitSplit(node, f, bestBin, bestML, bestS - parentScore, hist, base);
    return bestS - parentScore;
  }

  /** Record a split on the node, recomputing its left-child stats from the histogram. */
  private commitSplit(node: NodeRec, f: number, bin: number, missingLeft: boolean, gain: number, hist: Float64Array, base: number): void {
    const S = this.S;
    if (!node.leftStats) node.leftStats = new Float64Array(S);
    const L = node.leftStats;
    L.fill(0);
    if (this.nOcc >= 0) {
      for (let q = 0; q < this.nOcc && this.occ[q] <= bin; q++) {
        const o = base + this.occ[q] * S;
        for (let s = 0; s < S; s++) L[s] += hist[o + s];
      }
    } else {
      for (let b = 0; b <= bin; b++) {
        const o = base + b * S;
        for (let s = 0; s < S; s++) L[s] += hist[o + s];
      }
    }
    const mo = base + MISSING_BIN * S;
    const MC = hist[mo + S - 1];
    if (missingLeft) for (let s = 0; s < S; s++) L[s] += hist[mo + s];
    else if (MC === 0) {
      // No missing values reached this node: send future ones to the larger child.
      missingLeft = L[S - 1] * 2 >= node.stats[S - 1];
    }
    node.feature = f;
    node.bin = bin;
    node.missingLeft = missingLeft;
    node.gain = gain;
  }

  /** Generic scan (entropy, multiclass): same candidates as scanFeature, through `consider`. */
  private scanFeatureGeneric(f: number, hist: Float64Array, base: number, node: NodeRec, parentScore: number, bestGain: number): number {
    const S = this.S;
    const nb = this.nBins[f];
    const acc = this.accL;
    const L2 = this.bestLeft;
    acc.fill(0);
    const mo = base + MISSING_BIN * S;
    const missCount = hist[mo + S - 1];
    let best = bestGain;
    let found = -Infinity;
    if (missCount > 0) {
      for (let s = 0; s < S; s++) L2[s] = hist[mo + s];
      const g = this.consider(node, f, -1, true, L2, parentScore, best);
      if (g > best) best = found = g;
    }
    const total = node.stats[S - 1] - missCount;
    let seen = 0;
    const list = this.nOcc >= 0;
    const nIter = list ? this.nOcc : nb - 1;
    for (let q = 0; q < nIter; q++) {
      const b = list ? this.occ[q] : q;
      if (b >= nb - 1) break;
      const o = base + b * S;
      const c = hist[o + S - 1];
      if (c === 0) continue;
      for (let s = 0; s < S; s++) acc[s] += hist[o + s];
      seen += c;
      if (seen >= total && missCount === 0) break;
      let g = this.consider(node, f, b, false, acc, parentScore, best);
      if (g > best) best = found = g;
      if (missCount > 0) {
        for (let s = 0; s < S; s++) L2[s] = acc[s] + hist[mo + s];
        g = this.consider(node, f, b, true, L2, parentScore, best);
        if (g > best) best = found = g;
      }
    }
    if (found > -Infinity) this.commitSplit(node, node.feature, node.bin, node.missingLeft, found, hist, base);
    return found;
  }

  /** Extremely randomised split: one random threshold between the node's lowest and highest bin. */
  private randomSplit(f: number, hist: Float64Array, base: number, node: NodeRec, parentScore: number, bestGain: number): number {
    const S = this.S;
    const nb = this.nBins[f];
    let lo = -1;
    let hi = -1;
    if (this.nOcc > 0) {
      lo = this.occ[0];
      hi = this.occ[this.nOcc - 1];
    } else {
      for (let b = 0; b < nb; b++) {
        if (hist[base + b * S + S - 1] > 0) {
          if (lo < 0) lo = b;
          hi = b;
        }
      }
    }
    const mo = base + MISSING_BIN * S;
    const missCount = hist[mo + S - 1];
    let best = bestGain;
    let found = -Infinity;
    const L2 = this.bestLeft;
    if (lo === hi) {
      // A single value plus missing values: the only split is missing vs present.
      for (let s = 0; s < S; s++) L2[s] = hist[mo + s];
      const g = this.consider(node, f, -1, true, L2, parentScore, best);
      if (g > -Infinity) this.commitSplit(node, f, -1, true, g, hist, base);
      return g;
    }
    const t = lo + this.rng.nextInt(hi - lo);
    const acc = this.accL;
    acc.fill(0);
    const list = this.nOcc >= 0;
    for (let q = list ? 0 : lo; list ? q < this.nOcc && this.occ[q] <= t : q <= t; q++) {
      const b = list ? this.occ[q] : q;
      const o = base + b * S;
      for (let s = 0; s < S; s++) acc[s] += hist[o + s];
    }
    let g = this.consider(node, f, t, false, acc, parentScore, best);
    if (g > best) best = found = g;
    if (missCount > 0) {
      for (let s = 0; s < S; s++) L2[s] = acc[s] + hist[mo + s];
      g = this.consider(node, f, t, true, L2, parentScore, best);
      if (g > best) best = found = g;
    }
    if (found > -Infinity) this.commitSplit(node, f, node.bin, node.missingLeft, found, hist, base);
    return found;
  }

  /** Apply the node's best split: partition positions, create both children and evaluate them. */
  private split(node: NodeRec): [NodeRec, NodeRec] {
    const f = node.feature;
    const bin = node.bin;
    const missingLeft = node.missingLeft;
    const { start, end } = node;
    // Stable in-place partition of idx (and the payload arrays) on the split.
    const codes = this.codes;
    const off = f * this.n;
    const idx = this.idx;
    const B = this.B;
    const tIdx = this.tIdx;
    const tB = this.tB;
    let w = start;
    let t = 0;
    const ml = missingLeft ? 1 : 0;
    if (this.K) {
      const cls = this.cls;
      const tCls = this.tCls;
      for (let j = start; j < end; j++) {
        const r = idx[j];
        const k = cls[j];
        const bw = B[j];
        const c = codes[off + r];
        const go = +(c <= bin) | (+(c === MISSING_BIN) & ml);
        idx[w] = r;
        cls[w] = k;
        B[w] = bw;
        tIdx[t] = r;
        tCls[t] = k;
        tB[t] = bw;
        w += go;
        t += go ^ 1;
      }
      cls.set(tCls.subarray(0, t), w);
      B.set(tB.subarray(0, t), w);
    } else if (this.rowPayload) {
      // Branch-free: the side of a row is data-dependent and unpredictable, so write both and advance one.
      for (let j = start; j < end; j++) {
        const r = idx[j];
        const c = codes[off + r];
        const go = +(c <= bin) | (+(c === MISSING_BIN) & ml);
        idx[w] = r;
        tIdx[t] = r;
        w += go;
        t += go ^ 1;
      }
    } else {
      const A = this.A;
      const tA = this.tA;
      for (let j = start; j < end; j++) {
        const r = idx[j];
        const a = A[j];
        const bw = B[j];
        const c = codes[off + r];
        const go = +(c <= bin) | (+(c === MISSING_BIN) & ml);
        idx[w] = r;
        A[w] = a;
        B[w] = bw;
        tIdx[t] = r;
        tA[t] = a;
        tB[t] = bw;
        w += go;
        t += go ^ 1;
      }
      A.set(tA.subarray(0, t), w);
      B.set(tB.subarray(0, t), w);
    }
    idx.set(tIdx.subarray(0, t), w);
    const mid = w;

    const leftStats = Float64Array.from(node.leftStats!);
    const rightStats = new Float64Array(this.S);
    for (let s = 0; s < this.S; s++) rightStats[s] = node.stats[s] - leftStats[s];
    // Counts are exact integers; keep them exact.
    leftStats[this.S - 1] = mid - start;
    rightStats[this.S - 1] = end - mid;

    this.oFeature[node.id] = f;
    this.oThreshold[node.id] = bin < 0 ? -Infinity : this.edges[f][bin];
    this.oBin[node.id] = bin;
    this.oMissingLeft[node.id] = missingLeft ? 1 : 0;
    this.importance[f] += node.gain;
    const l = this.newNode(start, mid, node.depth + 1, leftStats);
    const r = this.newNode(mid, end, node.depth + 1, rightStats);
    this.oLeft[node.id] = l.id;

    if (node.hist && end - start < SUBTRACTION_MIN_ROWS) this.releaseHist(node);
    if (node.hist) {
      // Build the smaller child's histogram; the larger one is parent − smaller (reusing the parent's buffer).
      const parentHist = node.hist;
      node.hist = null;
      const small = mid - start <= end - mid ? l : r;
      const large = small === l ? r : l;
      small.hist = this.takeHist();
      large.hist = parentHist;
      if (this.splitter) {
        const job = (c: NodeRec) => ({ start: c.start, end: c.end, hist: c.hist!, stats: this.canSplit(c) ? c.stats : null });
        this.splitter.run(job(small), job(large));
        this.adopt(small, this.splitter.best(0));
        this.adopt(large, this.splitter.best(1));
        return [l, r];
      }
      this.buildAllHist(small.start, small.end, small.hist);
      for (let i = 0; i < parentHist.length; i++) parentHist[i] -= small.hist[i];
    }
    this.evaluate(l);
    this.evaluate(r);
    return [l, r];
  }
}
