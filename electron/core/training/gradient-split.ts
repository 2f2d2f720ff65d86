/**
 * Boosting's per-node and per-row work, shared between this thread and an
 * optional helper thread: split jobs (below) and boost jobs (add a tree's
 * leaf values to the raw scores and recompute gradients and hessians, for
 * rows split into ranges; each row depends only on itself).
 *
 * A split job covers one node split (or the root): for a range of features,
 * build the smaller child's histogram, turn the parent's histogram into the
 * larger child's by subtraction, and scan both children for their best split
 * on each feature. Features are dealt out in chunks that either thread claims
 * (this thread from the low end, the helper from the high end, so each keeps
 * its features' histograms in its own cache). Every feature is summed by one
 * thread in row order and scanned on its own, and the best feature is chosen
 * on this thread in feature order, so results are bit-identical whatever the
 * number of threads.
 *
 * Histograms are summed by a WebAssembly loop (hist-kernel.ts) when the row
 * arrays and histogram buffers live in its shared memory (the default), else
 * by the same loop in JS; both add in the same order, so they agree bit for bit.
 *
 * The helper runs the source text of the functions marked "helper code", so
 * those must refer to nothing outside themselves but their arguments, each
 * other and globals. The helper thread outlives a fit: the next grower reuses it.
 */
import { Worker } from 'node:worker_threads';
import { histKernelModule, type HistKernelFn } from './hist-kernel';

/** Doubles per feature block: 256 bins (255 = missing) × [Σh, Σg, count]. */
export const HIST_BLOCK = 768;

/**
 * Job layout (Float64Array, written by this thread before a job is published).
 * Split jobs: 0 start, 1 end (positions of the node whose histogram is built),
 * 2 built slot, 3 parent slot (−1: none; the helper resolves slots, this thread passes arrays),
 * 4 scan built, 5 scan parent (0/1),
 * 6..8 built node [Σh, Σg, count], 9..11 other node [Σh, Σg, count],
 * 12 min samples per leaf, 13 min hessian per leaf, 14 L2.
 * Boost jobs: 0 number of leaves, 1 loss (0 logistic, 1 squared error), 2 which raw buffer is current.
 */
const JOB_WORDS = 15;

/** A node in a split job: its positions, its histogram buffer, and its stats [Σh, Σg, count] when it is to be scanned. */
export interface SplitNode {
  start: number;
  end: number;
  hist: Float64Array;
  stats: Float64Array | null;
}

/** Best split of one child found by a job. */
export interface ScanBest {
  feature: number;
  bin: number;
  missingLeft: boolean;
  /** Score of the two children (Σ G²/(H+λ)); the gain is this minus the parent's score. */
  score: number;
}

/**
 * Helper code. Best split of one feature from its histogram block of
 * [Σh, Σg, count] per bin: the highest children score Σ G²/(H+λ) over
 * "bin ≤ b" (missing values right or left) and "missing vs the rest",
 * respecting min samples and min hessian per child. Ties keep the first
 * candidate. Writes [score, bin, missingLeft] at res[ro] (score −Infinity when
 * no candidate is allowed). Regression trees use it too, with (Σw, Σw·y), λ = 0.
 * `occ` (nOcc ≥ 0) lists the occupied bins in order, for small nodes; else all bins are walked.
 */
export function scanGradFeature(
  hist: Float64Array,
  base: number,
  nb: number,
  TB: number,
  TA: number,
  TC: number,
  msl: number,
  minB: number,
  lam: number,
  res: Float64Array,
  ro: number,
  occ: Int32Array | null,
  nOcc: number,
): void {
  const mo = base + 765;
  const MB = hist[mo];
  const MA = hist[mo + 1];
  const MC = hist[mo + 2];
  const total = TC - MC;
  let bestS = -Infinity;
  let bestBin = -2;
  let bestML = 0;
  if (MC > 0 && MC >= msl && TC - MC >= msl && MB >= minB && TB - MB >= minB) {
    const sc = (MA * MA) / (MB + lam) + ((TA - MA) * (TA - MA)) / (TB - MB + lam);
    if (sc > bestS) {
      bestS = sc;
      bestBin = -1;
      bestML = 1;
    }
  }
  let lb = 0;
  let la = 0;
  let lc = 0;
  const list = occ !== null && nOcc >= 0;
  const nIter = list ? nOcc : nb - 1;
  for (let q = 0; q < nIter; q++) {
    const b = list ? occ[q] : q;
    if (b >= nb - 1) break;
    const o = base + b * 3;
    const c = hist[o + 2];
    if (c === 0) continue;
    lb += hist[o];
    la += hist[o + 1];
    lc += c;
    if (lc >= total && MC === 0) break;
    if (lc >= msl && TC - lc >= msl && lb >= minB && TB - lb >= minB) {
      const ra = TA - la;
      const sc = (la * la) / (lb + lam) + (ra * ra) / (TB - lb + lam);
      if (sc > bestS) {
        bestS = sc;
        bestBin = b;
        bestML = 0;
      }
    }
    if (MC > 0) {
      const ab = lb + MB;
      const aa = la + MA;
      if (lc + MC >= msl && TC - lc - MC >= msl && ab >= minB && TB - ab >= minB) {
        const ra = TA - aa;
        const sc = (aa * aa) / (ab + lam) + (ra * ra) / (TB - ab + lam);
        if (sc > bestS) {
          bestS = sc;
          bestBin = b;
          bestML = 1;
        }
      }
    }
  }
  res[ro] = bestBin === -2 ? -Infinity : bestS;
  res[ro + 1] = bestBin;
  res[ro + 2] = bestML;
}

/** The WebAssembly memory holding rm, idx, B, A and the histogram slots, and their byte offsets in it. */
interface KernelMemory {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  rm: number;
  idx: number;
  B: number;
  A: number;
}

/** The WebAssembly histogram loop (hist-kernel.ts) bound to its memory. */
interface Kernel {
  fn: HistKernelFn;
  buffer: ArrayBufferLike;
  rm: number;
  idx: number;
  B: number;
  A: number;
}

/** Helper code. Instantiate the histogram loop on its memory (each thread does). */
function bindKernel(w: KernelMemory | null): Kernel | null {
  if (!w) return null;
  const fn = new WebAssembly.Instance(w.module, { env: { mem: w.memory } }).exports.hist as HistKernelFn;
  return { fn, buffer: w.memory.buffer, rm: w.rm, idx: w.idx, B: w.B, A: w.A };
}

/**
 * Helper code. One split job over features [f0, f1): histogram of positions
 * [job[0], job[1]) into `built` (cleared first, then summed in row order;
 * gradients/hessians read by row), `parent` −= `built`, then the scans asked
 * for by the job. Each thread clears the blocks it fills, so they stay in its cache.
 */
function splitChunk(
  rm: Uint8Array,
  idx: Int32Array,
  B: Float64Array,
  A: Float64Array,
  p: number,
  nBins: Int32Array,
  built: Float64Array,
  parent: Float64Array | null,
  job: Float64Array,
  res: Float64Array,
  f0: number,
  f1: number,
  k: Kernel | null,
): void {
  const start = job[0];
  const end = job[1];
  built.fill(0, f0 * 768, f1 * 768);
  // Four features per step: their bins are independent, so the adds of one row can overlap.
  const f4 = f0 + ((f1 - f0) & ~3);
  // The same loop in WebAssembly when the histogram lives in its memory (same adds in the same order).
  if (k !== null && built.buffer === k.buffer) k.fn(k.rm, k.idx, k.B, k.A, p, start, end, built.byteOffset, f0, f1);
  else
    for (let j = start; j < end; j++) {
      const r = idx[j];
      const b = B[r];
      const a = A[r];
      const ro = r * p;
      let f = f0;
      let fb = f0 * 768;
      for (; f < f4; f += 4, fb += 3072) {
        const o0 = fb + rm[ro + f] * 3;
        const o1 = fb + 768 + rm[ro + f + 1] * 3;
        const o2 = fb + 1536 + rm[ro + f + 2] * 3;
        const o3 = fb + 2304 + rm[ro + f + 3] * 3;
        built[o0] += b;
        built[o0 + 1] += a;
        built[o0 + 2] += 1;
        built[o1] += b;
        built[o1 + 1] += a;
        built[o1 + 2] += 1;
        built[o2] += b;
        built[o2 + 1] += a;
        built[o2 + 2] += 1;
        built[o3] += b;
        built[o3 + 1] += a;
        built[o3 + 2] += 1;
      }
      for (; f < f1; f++, fb += 768) {
        const o = fb + rm[ro + f] * 3;
        built[o] += b;
        built[o + 1] += a;
        built[o + 2] += 1;
      }
    }
  if (parent) for (let i = f0 * 768, e = f1 * 768; i < e; i++) parent[i] -= built[i];
  // A child that is not scanned reports no split (never a stale result of an earlier job).
  for (let f = f0; f < f1; f++) {
    if (job[4]) scanGradFeature(built, f * 768, nBins[f], job[6], job[7], job[8], job[12], job[13], job[14], res, 3 * f, null, -1);
    else res[3 * f] = -Infinity;
    if (job[5] && parent)
      scanGradFeature(parent, f * 768, nBins[f], job[9], job[10], job[11], job[12], job[13], job[14], res, 3 * (p + f), null, -1);
    else res[3 * (p + f)] = -Infinity;
  }
}

/**
 * Helper code. One boost job over rows [r0, r1) of n: for each leaf
 * (leaves[3l..3l+2] = first position, end position, value; job[0] = count),
 * out[row] = raw[row] + value for its rows in the range, then gradient A and
 * hessian B from out and y: logistic loss (job[1] = 0) or squared error (1).
 * Positions of a leaf hold ascending rows, so the range is found by bisection.
 * `raw` is only read, so a job can always be redone from scratch.
 */
function boostChunk(
  idx: Int32Array,
  B: Float64Array,
  A: Float64Array,
  raw: Float64Array,
  out: Float64Array,
  y: Float64Array,
  leaves: Float64Array,
  job: Float64Array,
  r0: number,
  r1: number,
): void {
  const nLeaves = job[0];
  const logistic = job[1] === 0;
  for (let l = 0; l < nLeaves; l++) {
    const end = leaves[3 * l + 1];
    const v = leaves[3 * l + 2];
    let lo = leaves[3 * l];
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (idx[mid] < r0) lo = mid + 1;
      else hi = mid;
    }
    for (let j = lo; j < end; j++) {
      const r = idx[j];
      if (r >= r1) break;
      const z = raw[r] + v;
      out[r] = z;
      if (logistic) {
        const q = 1 / (1 + Math.exp(-z));
        A[r] = q - y[r];
        B[r] = q * (1 - q);
      } else {
        A[r] = z - y[r];
        B[r] = 1;
      }
    }
  }
}

// Control words (Int32 on a SharedArrayBuffer).
const C_SEQ = 0; // job number, bumped to publish a job
const C_CLAIM = 1; // tag (job number & 0x7fff) << 16 | next low chunk << 8 | end of the high chunks
const C_DONE = 2; // chunks finished by the helper in the current job
const C_STOP = 3;
const C_FAILED = 4; // set by the helper if it throws
const C_KIND = 5; // 0 = split job, 1 = boost job
const C_STARTED = 6; // set by the helper when it is ready for jobs
const C_WORDS = 7;

/** Helper code. Claim the lowest unclaimed chunk of job `tag` (this thread), or −1. Word 1 = C_CLAIM. */
function claimLow(ctrl: Int32Array, tag: number): number {
  for (;;) {
    const cur = Atomics.load(ctrl, 1);
    const lo = (cur >>> 8) & 0xff;
    if (cur >>> 16 !== tag || lo >= (cur & 0xff)) return -1;
    if (Atomics.compareExchange(ctrl, 1, cur, cur + 0x100) === cur) return lo;
  }
}

/** Helper code. Claim the highest unclaimed chunk of job `tag` (the helper), or −1. */
function claimHigh(ctrl: Int32Array, tag: number): number {
  for (;;) {
    const cur = Atomics.load(ctrl, 1);
    const hi = cur & 0xff;
    if (cur >>> 16 !== tag || ((cur >>> 8) & 0xff) >= hi) return -1;
    if (Atomics.compareExchange(ctrl, 1, cur, cur - 1) === cur) return hi - 1;
  }
}

// Spin this many polls before sleeping: jobs come every ~0.1 ms while a tree grows, and waking a sleeping thread costs more.
const SPIN = 20000;

const HELPER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
${scanGradFeature.toString()}
${splitChunk.toString()}
${boostChunk.toString()}
${claimHigh.toString()}
${bindKernel.toString()}
// One session per grower: run its jobs until it stops, then wait for the next grower's buffers.
function session(d) {
const ctrl = d.ctrl, rm = d.rm, idx = d.idx, B = d.B, A = d.A, nBins = d.nBins, job = d.job, res = d.res;
const raws = [d.raw0, d.raw1], y = d.y, leaves = d.leaves, hists = d.slots;
const k = ${bindKernel.name}(d.wasm);
let seen = 0, chunksDone = 0;
Atomics.store(ctrl, ${C_STARTED}, 1);
Atomics.notify(ctrl, ${C_STARTED});
for (;;) {
  for (let s = 0; s < ${SPIN} && Atomics.load(ctrl, ${C_SEQ}) === seen; s++);
  Atomics.wait(ctrl, ${C_SEQ}, seen);
  if (Atomics.load(ctrl, ${C_STOP})) break;
  seen = Atomics.load(ctrl, ${C_SEQ});
  const tag = seen & 0x7fff;
  try {
    for (;;) {
      const c = ${claimHigh.name}(ctrl, tag);
      if (c < 0) break;
      if (chunksDone++ === d.failAt) throw new Error('test failure');
      const kind = Atomics.load(ctrl, ${C_KIND});
      if (kind === 1) {
        const cur = job[2];
        ${boostChunk.name}(idx, B, A, raws[cur], raws[1 - cur], y, leaves, job, Math.round((c * d.n) / d.nChunks), Math.round(((c + 1) * d.n) / d.nChunks));
      } else {
        const f0 = Math.round((c * d.p) / d.nChunks), f1 = Math.round(((c + 1) * d.p) / d.nChunks);
        const parent = job[3] >= 0 ? hists[job[3]] : null;
        ${splitChunk.name}(rm, idx, B, A, d.p, nBins, hists[job[2]], parent, job, res, f0, f1, k);
      }
      Atomics.add(ctrl, ${C_DONE}, 1);
      Atomics.notify(ctrl, ${C_DONE});
    }
  } catch {
    Atomics.store(ctrl, ${C_FAILED}, 1);
    Atomics.notify(ctrl, ${C_DONE});
    break;
  }
}
}
session(workerData);
parentPort.on('message', session);
`;

type TypedCtor<T> = new (b: ArrayBufferLike | number, o?: number, l?: number) => T;

/** Allocate on a SharedArrayBuffer (for arrays a helper thread reads) or plainly. */
function allocArray<T extends { BYTES_PER_ELEMENT: number }>(
  C: TypedCtor<T> & { BYTES_PER_ELEMENT: number },
  n: number,
  shared: boolean,
): T {
  return shared ? new C(new SharedArrayBuffer(Math.max(1, n) * C.BYTES_PER_ELEMENT), 0, n) : new C(n);
}

interface GradientMemory {
  rm: Uint8Array;
  idx: Int32Array;
  B: Float64Array;
  A: Float64Array;
  slots: Float64Array[];
  /** Set when the arrays above live in the kernel's memory. */
  wasm: KernelMemory | null;
}

/** rm, idx, B, A and the histogram slots in one shared WebAssembly memory; null if unavailable or too big. */
function kernelMemory(n: number, p: number, nSlots: number): GradientMemory | null {
  const module = histKernelModule();
  if (!module) return null;
  const slotBytes = HIST_BLOCK * p * 8;
  const at = (bytes: number): number => Math.ceil(bytes / 64) * 64;
  const rmAt = 64;
  const idxAt = rmAt + at(n * p);
  const BAt = idxAt + at(4 * n);
  const AAt = BAt + at(8 * n);
  const slotsAt = AAt + at(8 * n);
  const total = slotsAt + nSlots * slotBytes;
  // The kernel's pointers are signed 32-bit: stay below 2 GiB.
  if (total >= 2 ** 31) return null;
  try {
    const pages = Math.ceil(total / 65536);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const buffer = memory.buffer;
    return {
      rm: new Uint8Array(buffer, rmAt, n * p),
      idx: new Int32Array(buffer, idxAt, n),
      B: new Float64Array(buffer, BAt, n),
      A: new Float64Array(buffer, AAt, n),
      slots: Array.from({ length: nSlots }, (_, i) => new Float64Array(buffer, slotsAt + i * slotBytes, HIST_BLOCK * p)),
      wasm: { module, memory, rm: rmAt, idx: idxAt, B: BAt, A: AAt },
    };
  } catch {
    return null;
  }
}

/** The same arrays as plain (or shared) typed arrays, for the JS loop. */
function plainMemory(n: number, p: number, nSlots: number, shared: boolean): GradientMemory {
  return {
    rm: allocArray(Uint8Array, n * p, shared),
    idx: allocArray(Int32Array, n, shared),
    B: allocArray(Float64Array, n, shared),
    A: allocArray(Float64Array, n, shared),
    slots: Array.from({ length: nSlots }, () => allocArray(Float64Array, HIST_BLOCK * p, shared)),
    wasm: null,
  };
}

// Features per job are dealt out in this many chunks.
const CHUNKS = 4;
// Below this many rows a node's histogram is built on this thread alone: waking the helper would cost more than it saves.
const PARALLEL_MIN_ROWS = 256;

/**
 * Runs split and boost jobs for one grower, on this thread or shared with a
 * helper thread (`threads` > 1). Owns the row arrays and histogram buffers.
 */
export class GradientSplitter {
  /** Row-major codes (row r's p codes at r·p): fill before the first job. */
  readonly rm: Uint8Array;
  /** Positions (the grower partitions them), gradients A and hessians B per row. */
  readonly idx: Int32Array;
  readonly B: Float64Array;
  readonly A: Float64Array;
  /** Histogram buffers: in the kernel's memory (and reachable by the helper). */
  private readonly histSlots: Float64Array[];
  private readonly kernel: Kernel | null;
  private readonly job: Float64Array;
  /** Scan results: for child c (0 = built, 1 = parent/other) and feature f, at 3·(c·p + f): [children score, bin, missing left]. */
  private readonly res: Float64Array;
  /** Raw scores: boost jobs read one buffer and write the other, then swap. Length n with boost jobs, else 0. */
  private readonly raws: [Float64Array, Float64Array];
  private cur: 0 | 1 = 0;
  /** Per-row targets for boost jobs (length n with boost jobs, else 0). */
  readonly y: Float64Array;
  private readonly leaves: Float64Array;
  private readonly helper: SplitHelper | null = null;
  /** Chunks the helper has finished (for tests: proof that it took part). */
  helperChunks = 0;
  /**
   * Tests only, for splitters created from now on: wait until the helper runs
   * (so it surely takes part), make it throw after this many chunks (−1 =
   * never), and use the JS histogram loop instead of WebAssembly.
   */
  static testing = { waitForStart: false, failAfter: -1, noWasm: false };

  constructor(
    n: number,
    private readonly p: number,
    private readonly nBins: Int32Array,
    limits: { minSamplesLeaf: number; minHessian: number; l2: number },
    threads: number,
    nSlots: number,
    /** Leaves per tree a boost job can take (0 = no boost jobs: raw and y stay empty). */
    maxLeaves: number,
  ) {
    const shared = threads > 1;
    const mem = (GradientSplitter.testing.noWasm ? null : kernelMemory(n, p, nSlots)) ?? plainMemory(n, p, nSlots, shared);
    ({ rm: this.rm, idx: this.idx, B: this.B, A: this.A, slots: this.histSlots } = mem);
    this.kernel = bindKernel(mem.wasm);
    this.job = allocArray(Float64Array, JOB_WORDS, shared);
    this.res = allocArray(Float64Array, 6 * p, shared);
    const nb = maxLeaves > 0 ? n : 0;
    this.raws = [allocArray(Float64Array, nb, shared), allocArray(Float64Array, nb, shared)];
    this.y = allocArray(Float64Array, nb, shared);
    this.leaves = allocArray(Float64Array, 3 * maxLeaves, shared);
    this.job[12] = limits.minSamplesLeaf;
    this.job[13] = Math.max(limits.minHessian, Number.MIN_VALUE);
    this.job[14] = limits.l2;
    if (shared) {
      this.helper = SplitHelper.start({
        rm: this.rm,
        idx: this.idx,
        B: this.B,
        A: this.A,
        slots: this.histSlots,
        wasm: mem.wasm,
        nBins: Int32Array.from(nBins),
        job: this.job,
        res: this.res,
        raw0: this.raws[0],
        raw1: this.raws[1],
        y: this.y,
        leaves: this.leaves,
        n,
        p,
        nChunks: Math.min(CHUNKS, p),
        failAt: GradientSplitter.testing.failAfter,
      });
      if (GradientSplitter.testing.waitForStart) this.helper?.waitForStart();
    }
  }

  /** Histogram buffers for the grower's pool (the helper and the kernel can reach them). */
  slots(): Float64Array[] {
    return this.histSlots;
  }

  /** Whether the helper thread threw (this thread then does all the work). */
  get helperFailed(): boolean {
    return this.helper?.failed ?? false;
  }

  /** Whether histograms are summed by the WebAssembly kernel. */
  get usesWasm(): boolean {
    return this.kernel !== null;
  }

  private slotOf(h: Float64Array): number {
    return this.histSlots.indexOf(h);
  }

  /**
   * Build the histogram of `built` (positions [start, end)), subtract it from
   * `other.hist` (the parent's histogram, which becomes the other child's), and
   * scan the nodes whose stats ([Σh, Σg, count]) are given (null = do not
   * scan). Read the outcome with best(0) for `built` and best(1) for `other`.
   */
  run(built: SplitNode, other: SplitNode | null): void {
    const job = this.job;
    job[0] = built.start;
    job[1] = built.end;
    job[4] = built.stats ? 1 : 0;
    job[5] = other?.stats ? 1 : 0;
    for (let s = 0; s < 3; s++) {
      job[6 + s] = built.stats ? built.stats[s] : 0;
      job[9 + s] = other?.stats ? other.stats[s] : 0;
    }
    const parent = other ? other.hist : null;
    const h = this.helper;
    const bSlot = h ? this.slotOf(built.hist) : -1;
    const pSlot = h && parent ? this.slotOf(parent) : -1;
    if (h && !h.failed && built.end - built.start >= PARALLEL_MIN_ROWS && bSlot >= 0 && (parent === null || pSlot >= 0)) {
      job[2] = bSlot;
      job[3] = pSlot;
      const done = h.run(0, (c) => this.chunk(built.hist, parent, c));
      if (done >= 0) {
        this.helperChunks += done;
        return;
      }
      // The helper failed mid-job, leaving chunks half-written: rebuild both nodes from their rows here.
      this.rebuild(built, other);
      return;
    }
    splitChunk(this.rm, this.idx, this.B, this.A, this.p, this.nBins, built.hist, parent, job, this.res, 0, this.p, this.kernel);
  }

  /**
   * Boost job: add each leaf's value to `raw` for the rows at its positions
   * [start, end) and recompute gradients (A) and hessians (B) of every row
   * from raw and y. Every row must be in one leaf, with ascending rows at each
   * leaf's positions (true after growing on rows 0..n−1).
   */
  boost(leaves: ArrayLike<number>, nLeaves: number, loss: 'logistic' | 'squared'): void {
    const job = this.job;
    job[0] = nLeaves;
    job[1] = loss === 'logistic' ? 0 : 1;
    job[2] = this.cur;
    const raw = this.raws[this.cur];
    const out = this.raws[1 - this.cur];
    this.cur = this.cur === 0 ? 1 : 0;
    const n = raw.length;
    const fits = 3 * nLeaves <= this.leaves.length;
    const list = fits ? this.leaves : new Float64Array(3 * nLeaves);
    for (let i = 0; i < 3 * nLeaves; i++) list[i] = leaves[i];
    const h = this.helper;
    if (h && !h.failed && fits) {
      const nc = Math.min(CHUNKS, this.p);
      const done = h.run(1, (c) =>
        boostChunk(this.idx, this.B, this.A, raw, out, this.y, list, job, Math.round((c * n) / nc), Math.round(((c + 1) * n) / nc)),
      );
      if (done >= 0) {
        this.helperChunks += done;
        return;
      }
      // The helper failed mid-job: raw is intact, so redo every row here.
    }
    boostChunk(this.idx, this.B, this.A, raw, out, this.y, list, job, 0, n);
  }

  /** Current raw scores (per row; written before the first boost job, then read only). */
  get raw(): Float64Array {
    return this.raws[this.cur];
  }

  /** Stop the helper thread (if any); jobs then run on this thread. */
  close(): void {
    this.helper?.stop();
  }

  /** Best split found for `which` (0 = built, 1 = parent) in the last job, or null. Ties go to the lower feature. */
  best(which: 0 | 1): ScanBest | null {
    const res = this.res;
    let bf = -1;
    let bs = -Infinity;
    for (let f = 0, o = 3 * which * this.p; f < this.p; f++, o += 3) {
      if (res[o] > bs) {
        bs = res[o];
        bf = f;
      }
    }
    if (bf < 0) return null;
    const o = 3 * (which * this.p + bf);
    return { feature: bf, bin: res[o + 1], missingLeft: res[o + 2] === 1, score: bs };
  }

  private chunk(built: Float64Array, parent: Float64Array | null, c: number): void {
    const n = Math.min(CHUNKS, this.p);
    const f0 = Math.round((c * this.p) / n);
    const f1 = Math.round(((c + 1) * this.p) / n);
    splitChunk(this.rm, this.idx, this.B, this.A, this.p, this.nBins, built, parent, this.job, this.res, f0, f1, this.kernel);
  }

  /** Build and scan each node directly from its own rows (no subtraction), on this thread. */
  private rebuild(built: SplitNode, other: SplitNode | null): void {
    if (!other) return this.direct(built);
    // Each direct job reports as "built"; keep the other node's results while the built one is redone.
    this.direct(other);
    const otherRes = this.res.slice(0, 3 * this.p);
    this.direct(built);
    this.res.set(otherRes, 3 * this.p);
  }

  private direct(node: SplitNode): void {
    const job = this.job;
    job[0] = node.start;
    job[1] = node.end;
    job[4] = node.stats ? 1 : 0;
    job[5] = 0;
    for (let s = 0; s < 3; s++) job[6 + s] = node.stats ? node.stats[s] : 0;
    splitChunk(this.rm, this.idx, this.B, this.A, this.p, this.nBins, node.hist, null, job, this.res, 0, this.p, this.kernel);
  }
}

/**
 * A helper thread kept between growers, so a fit pays neither a thread start
 * (~80 ms) nor a cold JIT: it waits in its event loop for the next session.
 */
let idleWorker: Worker | null = null;

function spawnHelper(workerData: Record<string, unknown>): Worker {
  const w = new Worker(HELPER_SOURCE, { eval: true, workerData });
  w.unref();
  // A failed helper only means this thread does all chunks.
  w.on('error', () => undefined);
  w.on('exit', () => {
    if (idleWorker === w) idleWorker = null;
  });
  return w;
}

/** The helper thread of one grower (a session): fed jobs through shared control words. */
class SplitHelper {
  private readonly ctrl: Int32Array;
  private readonly worker: Worker;
  private seq = 0;

  private constructor(private readonly data: Record<string, unknown> & { nChunks: number }) {
    this.ctrl = allocArray(Int32Array, C_WORDS, true);
    const session = { ...data, ctrl: this.ctrl };
    const idle = idleWorker;
    idleWorker = null;
    if (idle) idle.postMessage(session);
    this.worker = idle ?? spawnHelper(session);
  }

  static start(data: Record<string, unknown> & { nChunks: number }): SplitHelper | null {
    try {
      return new SplitHelper(data);
    } catch {
      return null;
    }
  }

  /** Block until the helper thread is ready for jobs (at most 10 s). */
  waitForStart(): void {
    Atomics.wait(this.ctrl, C_STARTED, 0, 10_000);
  }

  /** The helper threw (then this thread does all the work). */
  get failed(): boolean {
    return Atomics.load(this.ctrl, C_FAILED) === 1;
  }

  /**
   * Publish a job and take chunks from the low end with `work(chunk)` until
   * none is left, then wait for the helper's. Returns the helper's chunk count,
   * or −1 if it failed during the job (the job's output is then not to be trusted).
   */
  run(kind: 0 | 1, work: (chunk: number) => void): number {
    const ctrl = this.ctrl;
    if (Atomics.load(ctrl, C_FAILED)) return -1;
    Atomics.store(ctrl, C_KIND, kind);
    const n = this.data.nChunks;
    const seq = (this.seq = (this.seq + 1) & 0x7fffffff || 1);
    const tag = seq & 0x7fff;
    Atomics.store(ctrl, C_DONE, 0);
    Atomics.store(ctrl, C_CLAIM, (tag << 16) | n);
    Atomics.store(ctrl, C_SEQ, seq);
    Atomics.notify(ctrl, C_SEQ);
    let mine = 0;
    for (;;) {
      const c = claimLow(ctrl, tag);
      if (c < 0) break;
      work(c);
      mine++;
    }
    for (;;) {
      if (Atomics.load(ctrl, C_FAILED)) return -1;
      const done = Atomics.load(ctrl, C_DONE);
      if (done + mine >= n) return done;
      let s = 0;
      while (s++ < SPIN && Atomics.load(ctrl, C_DONE) === done && !Atomics.load(ctrl, C_FAILED));
      if (Atomics.load(ctrl, C_DONE) === done) Atomics.wait(ctrl, C_DONE, done, 50);
    }
  }

  /** End the session: the thread goes back to waiting for the next grower (or ends, if one already waits or it failed). */
  stop(): void {
    Atomics.store(this.ctrl, C_STOP, 1);
    Atomics.add(this.ctrl, C_SEQ, 1);
    Atomics.notify(this.ctrl, C_SEQ);
    if (!this.failed && idleWorker === null) idleWorker = this.worker;
    else void this.worker.terminate();
  }
}
