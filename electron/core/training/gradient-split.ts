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
 * The job code both threads run is in gradient-jobs.ts; the helper thread is a
 * real worker entry (electron/workers/split-helper.ts, built to
 * out/main/split-helper.js), found by `splitHelperEntry`. If it cannot be
 * found, cannot start or throws, this thread does all the work and the model
 * is the same. The helper thread outlives a fit: the next grower reuses it.
 *
 * `NODE_DEBUG=mlwb-split` logs, per grower, how many chunks the helper did.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { debuglog } from 'node:util';
import { Worker } from 'node:worker_threads';
import {
  C_CLAIM,
  C_DONE,
  C_FAILED,
  C_KIND,
  C_SEQ,
  C_STARTED,
  C_STOP,
  C_WORDS,
  HIST_BLOCK,
  JOB_WORDS,
  SPIN,
  bindKernel,
  boostChunk,
  claimLow,
  splitChunk,
  type HelperSessionData,
  type Kernel,
  type KernelMemory,
} from './gradient-jobs';
import { histKernelModule } from './hist-kernel';

const debug = debuglog('mlwb-split');

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

/** Where a helper thread's code lives: its entry file, arguments for it and Node options for its thread. */
export interface HelperEntry {
  file: string;
  /** process.argv.slice(2) in the thread. */
  argv?: string[];
  /** Node options of the thread (default: this process's). */
  execArgv?: string[];
}

/**
 * A helper entry for `file`. A built file runs with no Node options (not
 * this process's: a utility process's or a tsx run's flags are not for it).
 * A TypeScript file (running from the sources, under Vitest or tsx) is loaded
 * through tsx's require hook: a worker thread does not get the hooks of
 * `--import tsx` on Node 20 (inherited or passed), but `--require tsx/cjs` works.
 */
export function helperEntry(file: string, argv: string[] = []): HelperEntry {
  if (!file.endsWith('.ts')) return { file, argv, execArgv: [] };
  const tsxCjs = createRequire(__filename).resolve('tsx/cjs');
  return { file, argv, execArgv: ['--require', tsxCjs] };
}

/**
 * The helper thread's entry, looked up next to this code: the built
 * out/main/split-helper.js (this code is in out/main or out/main/chunks,
 * inside app.asar when packaged — Electron loads worker threads from asar),
 * else the TypeScript source electron/workers/split-helper.ts. Null if
 * neither exists.
 */
export function splitHelperEntry(): HelperEntry | null {
  const candidates = [
    path.join(__dirname, 'split-helper.js'),
    path.join(__dirname, '..', 'split-helper.js'),
    path.join(__dirname, '..', '..', 'workers', 'split-helper.ts'),
  ];
  const file = candidates.find((f) => fs.existsSync(f));
  return file ? helperEntry(file) : null;
}

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
function kernelMemory(n: number, p: number, nSlots: number, module: WebAssembly.Module | null): GradientMemory | null {
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

/** How a splitter gets its helper thread and its histogram loop; the defaults are what training uses. */
export interface SplitterOptions {
  /**
   * Starts the helper thread of a session (for a splitter with threads > 1);
   * null = no helper, this thread does all the work. Default: `startSplitHelper`
   * on `splitHelperEntry()`.
   */
  startHelper?: (session: HelperSessionData) => SplitHelper | null;
  /** The compiled WebAssembly histogram loop, or null for the JS loop. Default: `histKernelModule`. */
  kernelModule?: () => WebAssembly.Module | null;
}

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

  constructor(
    n: number,
    private readonly p: number,
    private readonly nBins: Int32Array,
    limits: { minSamplesLeaf: number; minHessian: number; l2: number },
    threads: number,
    nSlots: number,
    /** Leaves per tree a boost job can take (0 = no boost jobs: raw and y stay empty). */
    maxLeaves: number,
    options: SplitterOptions = {},
  ) {
    const shared = threads > 1;
    const { startHelper = startSplitHelper, kernelModule = histKernelModule } = options;
    const mem = kernelMemory(n, p, nSlots, kernelModule()) ?? plainMemory(n, p, nSlots, shared);
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
      this.helper = startHelper({
        ctrl: allocArray(Int32Array, C_WORDS, true),
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
      });
      if (!this.helper) debug('no helper thread: this thread does all the work');
    }
  }

  /** Histogram buffers for the grower's pool (the helper and the kernel can reach them). */
  slots(): Float64Array[] {
    return this.histSlots;
  }

  /** Chunks of finished jobs done by the helper (proof that it took part; logged under NODE_DEBUG=mlwb-split). */
  get helperChunks(): number {
    return this.helper?.chunks ?? 0;
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
      if (done >= 0) return;
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
      if (done >= 0) return;
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
    if (!this.helper) return;
    this.helper.stop();
    debug(
      'helper thread did %d chunks%s (%s histogram loop)',
      this.helperChunks,
      this.helper.failed ? ', then failed' : '',
      this.kernel ? 'WebAssembly' : 'JS',
    );
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
 * Helper threads kept between growers (one per entry), so a fit pays neither
 * a thread start (~80 ms) nor a cold JIT: each waits in its event loop for the
 * next session.
 */
const idleWorkers = new Map<string, Worker>();
/** Helper threads that have ended (a dead thread is never kept idle). */
const exitedWorkers = new WeakSet<Worker>();

function entryKey(entry: HelperEntry): string {
  return JSON.stringify([entry.file, entry.argv ?? [], entry.execArgv ?? null]);
}

function spawnHelper(entry: HelperEntry, key: string, workerData: HelperSessionData): Worker {
  const w = new Worker(entry.file, { workerData, argv: entry.argv, ...(entry.execArgv ? { execArgv: entry.execArgv } : {}) });
  w.unref();
  // A helper that fails to load or dies only means this thread does all chunks.
  w.on('error', (err) => debug('helper thread error: %s', err.message));
  w.on('exit', () => {
    exitedWorkers.add(w);
    if (idleWorkers.get(key) === w) idleWorkers.delete(key);
  });
  return w;
}

/**
 * Starts the helper thread of a session on `entry` (default: the built
 * split-helper entry), or returns null if there is none or it cannot start.
 */
export function startSplitHelper(session: HelperSessionData, entry: HelperEntry | null = splitHelperEntry()): SplitHelper | null {
  if (!entry) return null;
  try {
    return new SplitHelper(session, entry);
  } catch (err) {
    debug('helper thread did not start: %s', (err as Error).message);
    return null;
  }
}

/** The helper thread of one grower (a session): fed jobs through shared control words. */
export class SplitHelper {
  private readonly ctrl: Int32Array;
  private readonly worker: Worker;
  private readonly key: string;
  private seq = 0;
  /** Chunks the helper thread did in this session's finished jobs. */
  chunks = 0;

  constructor(
    private readonly session: HelperSessionData,
    entry: HelperEntry,
  ) {
    this.ctrl = session.ctrl;
    this.key = entryKey(entry);
    const idle = idleWorkers.get(this.key);
    idleWorkers.delete(this.key);
    if (idle) idle.postMessage(session);
    this.worker = idle ?? spawnHelper(entry, this.key, session);
  }

  /** Block until the helper thread is ready for jobs (at most `timeoutMs`); whether it is. */
  waitForStart(timeoutMs = 10_000): boolean {
    Atomics.wait(this.ctrl, C_STARTED, 0, timeoutMs);
    return Atomics.load(this.ctrl, C_STARTED) === 1;
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
    const n = this.session.nChunks;
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
      if (done + mine >= n) {
        this.chunks += done;
        return done;
      }
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
    if (!this.failed && !exitedWorkers.has(this.worker) && !idleWorkers.has(this.key)) idleWorkers.set(this.key, this.worker);
    else void this.worker.terminate();
  }
}
