/**
 * The job code of boosting's split and boost jobs (see gradient-split.ts),
 * run by both threads: this module is imported by the splitter on the
 * training thread and by the helper thread's entry (electron/workers/split-helper.ts),
 * which serves sessions with `serveHelperSessions`.
 *
 * Histograms are summed by a WebAssembly loop (hist-kernel.ts) when the row
 * arrays and histogram buffers live in its shared memory, else by the same
 * loop in JS; both add in the same order, so they agree bit for bit.
 */
import type { HistKernelFn } from './hist-kernel';

/** Doubles per feature block: 256 bins (255 = missing) × [Σh, Σg, count]. (768 in the loops below.) */
export const HIST_BLOCK = 768;

/**
 * Job layout (Float64Array, written by the training thread before a job is published).
 * Split jobs: 0 start, 1 end (positions of the node whose histogram is built),
 * 2 built slot, 3 parent slot (−1: none; the helper resolves slots, the training thread passes arrays),
 * 4 scan built, 5 scan parent (0/1),
 * 6..8 built node [Σh, Σg, count], 9..11 other node [Σh, Σg, count],
 * 12 min samples per leaf, 13 min hessian per leaf, 14 L2.
 * Boost jobs: 0 number of leaves, 1 loss (0 logistic, 1 squared error), 2 which raw buffer is current.
 */
export const JOB_WORDS = 15;

/**
 * Best split of one feature from its histogram block of
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
export interface KernelMemory {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  rm: number;
  idx: number;
  B: number;
  A: number;
}

/** The WebAssembly histogram loop (hist-kernel.ts) bound to its memory. */
export interface Kernel {
  fn: HistKernelFn;
  buffer: ArrayBufferLike;
  rm: number;
  idx: number;
  B: number;
  A: number;
}

/** Instantiate the histogram loop on its memory (each thread does). */
export function bindKernel(w: KernelMemory | null): Kernel | null {
  if (!w) return null;
  const fn = new WebAssembly.Instance(w.module, { env: { mem: w.memory } }).exports.hist as HistKernelFn;
  return { fn, buffer: w.memory.buffer, rm: w.rm, idx: w.idx, B: w.B, A: w.A };
}

/**
 * One split job over features [f0, f1): histogram of positions
 * [job[0], job[1]) into `built` (cleared first, then summed in row order;
 * gradients/hessians read by row), `parent` −= `built`, then the scans asked
 * for by the job. Each thread clears the blocks it fills, so they stay in its cache.
 */
export function splitChunk(
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
 * One boost job over rows [r0, r1) of n: for each leaf
 * (leaves[3l..3l+2] = first position, end position, value; job[0] = count),
 * out[row] = raw[row] + value for its rows in the range, then gradient A and
 * hessian B from out and y: logistic loss (job[1] = 0) or squared error (1).
 * Positions of a leaf hold ascending rows, so the range is found by bisection.
 * `raw` is only read, so a job can always be redone from scratch.
 */
export function boostChunk(
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
export const C_SEQ = 0; // job number, bumped to publish a job
export const C_CLAIM = 1; // tag (job number & 0x7fff) << 16 | next low chunk << 8 | end of the high chunks
export const C_DONE = 2; // chunks finished by the helper in the current job
export const C_STOP = 3;
export const C_FAILED = 4; // set by the helper if it throws
export const C_KIND = 5; // 0 = split job, 1 = boost job
export const C_STARTED = 6; // set by the helper when it is ready for jobs
export const C_WORDS = 7;

/** Claim the lowest unclaimed chunk of job `tag` (the training thread), or −1. */
export function claimLow(ctrl: Int32Array, tag: number): number {
  for (;;) {
    const cur = Atomics.load(ctrl, C_CLAIM);
    const lo = (cur >>> 8) & 0xff;
    if (cur >>> 16 !== tag || lo >= (cur & 0xff)) return -1;
    if (Atomics.compareExchange(ctrl, C_CLAIM, cur, cur + 0x100) === cur) return lo;
  }
}

/** Claim the highest unclaimed chunk of job `tag` (the helper), or −1. */
export function claimHigh(ctrl: Int32Array, tag: number): number {
  for (;;) {
    const cur = Atomics.load(ctrl, C_CLAIM);
    const hi = cur & 0xff;
    if (cur >>> 16 !== tag || ((cur >>> 8) & 0xff) >= hi) return -1;
    if (Atomics.compareExchange(ctrl, C_CLAIM, cur, cur - 1) === cur) return hi - 1;
  }
}

// Spin this many polls before sleeping: jobs come every ~0.1 ms while a tree grows, and waking a sleeping thread costs more.
export const SPIN = 20000;

/** What a helper thread gets for one session (one grower): shared arrays, the kernel's memory and the sizes. */
export interface HelperSessionData {
  /** Control words (C_*), on a SharedArrayBuffer. */
  ctrl: Int32Array;
  rm: Uint8Array;
  idx: Int32Array;
  B: Float64Array;
  A: Float64Array;
  /** Histogram buffers, addressed by slot in split jobs. */
  slots: Float64Array[];
  wasm: KernelMemory | null;
  nBins: Int32Array;
  job: Float64Array;
  res: Float64Array;
  raw0: Float64Array;
  raw1: Float64Array;
  y: Float64Array;
  leaves: Float64Array;
  n: number;
  p: number;
  nChunks: number;
}

/** A session as the helper runs it: its data and the kernel bound on the helper's side. */
export interface HelperSession {
  d: HelperSessionData;
  kernel: Kernel | null;
}

/** Runs chunk `c` of the current job; `nth` counts the chunks this session has run before it. */
export type ChunkRunner = (s: HelperSession, c: number, nth: number) => void;

/** Chunk `c` of the current split or boost job (the helper's share, claimed from the high end). */
export const runHelperChunk: ChunkRunner = ({ d, kernel }, c) => {
  const job = d.job;
  if (Atomics.load(d.ctrl, C_KIND) === 1) {
    const cur = job[2];
    const raw = cur === 0 ? d.raw0 : d.raw1;
    const out = cur === 0 ? d.raw1 : d.raw0;
    boostChunk(d.idx, d.B, d.A, raw, out, d.y, d.leaves, job, Math.round((c * d.n) / d.nChunks), Math.round(((c + 1) * d.n) / d.nChunks));
  } else {
    const f0 = Math.round((c * d.p) / d.nChunks);
    const f1 = Math.round(((c + 1) * d.p) / d.nChunks);
    const parent = job[3] >= 0 ? d.slots[job[3]] : null;
    splitChunk(d.rm, d.idx, d.B, d.A, d.p, d.nBins, d.slots[job[2]], parent, job, d.res, f0, f1, kernel);
  }
};

/**
 * One session: take chunks of each published job until the session is
 * stopped. If a chunk throws, the session is marked failed (the training
 * thread then does all the work) and ends.
 */
export function runHelperSession(d: HelperSessionData, runChunk: ChunkRunner = runHelperChunk): void {
  const ctrl = d.ctrl;
  const session: HelperSession = { d, kernel: bindKernel(d.wasm) };
  let seen = 0;
  let nth = 0;
  Atomics.store(ctrl, C_STARTED, 1);
  Atomics.notify(ctrl, C_STARTED);
  for (;;) {
    for (let s = 0; s < SPIN && Atomics.load(ctrl, C_SEQ) === seen; s++);
    Atomics.wait(ctrl, C_SEQ, seen);
    if (Atomics.load(ctrl, C_STOP)) break;
    seen = Atomics.load(ctrl, C_SEQ);
    const tag = seen & 0x7fff;
    try {
      for (;;) {
        const c = claimHigh(ctrl, tag);
        if (c < 0) break;
        runChunk(session, c, nth++);
        Atomics.add(ctrl, C_DONE, 1);
        Atomics.notify(ctrl, C_DONE);
      }
    } catch {
      Atomics.store(ctrl, C_FAILED, 1);
      Atomics.notify(ctrl, C_DONE);
      break;
    }
  }
}

/** The message side of a helper thread (worker_threads' parentPort). */
export interface SessionPort {
  on(event: 'message', listener: (d: HelperSessionData) => void): unknown;
}

/**
 * Body of a helper thread's entry: run the first session (the thread's
 * workerData), then each session posted by a later grower, one at a time.
 */
export function serveHelperSessions(first: HelperSessionData, port: SessionPort, runChunk: ChunkRunner = runHelperChunk): void {
  runHelperSession(first, runChunk);
  port.on('message', (d) => runHelperSession(d, runChunk));
}
