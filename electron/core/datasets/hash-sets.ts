// Scratch views to read a double's bits without allocating.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Murmur3's 32-bit finaliser: spreads bits so low bits make a good table index. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Open-addressing set of doubles (NaN marks an empty slot; values are never NaN), capped. */
export class NumberSet {
  table = new Float64Array(1024).fill(NaN);
  size = 0;
  capped = false;
  constructor(private readonly cap: number) {}
  add(v: number): void {
    const t = this.table;
    const mask = t.length - 1;
    f64[0] = v;
    let i = fmix(u32[0] ^ Math.imul(u32[1], 0x9e3779b1)) & mask;
    for (;;) {
      const x = t[i];
      if (x === v) return;
      if (x !== x) break;
      i = (i + 1) & mask;
    }
    if (this.size >= this.cap) {
      this.capped = true;
      return;
    }
    t[i] = v;
    this.size++;
    if (this.size * 2 > t.length) this.rehash();
  }
  private rehash(): void {
    const old = this.table;
    // Grow 4× at a time: rehashing dominates while a high-cardinality column fills the set up to its cap.
    const t = new Float64Array(old.length * 4).fill(NaN);
    const mask = t.length - 1;
    for (let j = 0; j < old.length; j++) {
      const v = old[j];
      if (v !== v) continue;
      f64[0] = v;
      let i = fmix(u32[0] ^ Math.imul(u32[1], 0x9e3779b1)) & mask;
      while (t[i] === t[i]) i = (i + 1) & mask;
      t[i] = v;
    }
    this.table = t;
  }
}

/** Open-addressing set of 64-bit row hashes stored as two u32 lanes; (0,0) marks empty. */
export class RowHashSet {
  table = new Uint32Array(2 * 4096);
  size = 0;
  duplicates = 0;
  capped = false;
  constructor(private readonly cap: number) {}
  /** Adds a 64-bit hash; returns false (and counts a duplicate) when it was already there. */
  add(a: number, b: number): boolean {
    if (a === 0 && b === 0) a = 1;
    let t = this.table;
    let mask = (t.length >>> 1) - 1;
    let i = (a ^ Math.imul(b, 0x27d4eb2f)) & mask;
    for (;;) {
      const x = t[2 * i];
      const y = t[2 * i + 1];
      if (x === 0 && y === 0) break;
      if (x === a && y === b) {
        this.duplicates++;
        return false;
      }
      i = (i + 1) & mask;
    }
    if (this.size >= this.cap) {
      this.capped = true;
      return true;
    }
    t[2 * i] = a;
    t[2 * i + 1] = b;
    this.size++;
    if (this.size * 2 > t.length >>> 1) {
      const old = t;
      t = new Uint32Array(old.length * 2);
      mask = (t.length >>> 1) - 1;
      for (let j = 0; j < old.length; j += 2) {
        const x = old[j];
        const y = old[j + 1];
        if (x === 0 && y === 0) continue;
        let k = (x ^ Math.imul(y, 0x27d4eb2f)) & mask;
        while (t[2 * k] !== 0 || t[2 * k + 1] !== 0) k = (k + 1) & mask;
        t[2 * k] = x;
        t[2 * k + 1] = y;
      }
      this.table = t;
    }
    return true;
  }
}

/** Second lane of {@link hashBytes}' result (kept in a module variable to avoid allocating a pair). */
export let hashBytesLane2 = 0;

/** Hashes buf[start, end) into two 32-bit lanes; returns lane 1, lane 2 is in {@link hashBytesLane2}. */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x1b873593 ^ (end - start);
  for (let i = start; i < end; i++) {
    h1 = Math.imul(h1 ^ buf[i], 0x01000193);
    h2 = Math.imul(h2 ^ buf[i], 0x9e3779b1);
  }
  hashBytesLane2 = fmix(h2 ^ h1);
  return fmix(h1);
}

/**
 * Duplicate counting by sorting instead of a hash table: each row's 64-bit
 * hash is appended (sequential writes, 8 bytes a row) and at the end the list
 * is sorted natively as a BigUint64Array view and equal neighbours counted.
 * About 4× faster than probing a hash table that outgrows the CPU caches.
 */
export class RowHashList {
  private words: Uint32Array;
  size = 0;
  capped = false;
  /** `expected` pre-sizes the list (e.g. from the file size) so a large file needs no grow-and-copy. */
  constructor(
    private readonly cap: number,
    expected = 65536,
  ) {
    this.words = new Uint32Array(2 * Math.max(1024, Math.min(cap, Math.ceil(expected))));
  }
  add(a: number, b: number): void {
    if (this.size >= this.cap) {
      this.capped = true;
      return;
    }
    if (2 * this.size === this.words.length) {
      // 1.5×: the old and new arrays coexist during the copy, so smaller steps keep the peak lower.
      const bigger = new Uint32Array(2 * Math.min(this.cap, Math.ceil(this.size * 1.5)));
      bigger.set(this.words);
      this.words = bigger;
    }
    this.words[2 * this.size] = a;
    this.words[2 * this.size + 1] = b;
    this.size++;
  }
  /** Number of rows equal (by hash) to an earlier row. Sorts in place, so call once. */
  countDuplicates(): number {
    const keys = new BigUint64Array(this.words.buffer, 0, this.size);
    keys.sort();
    const w = this.words;
    let dups = 0;
    for (let i = 1; i < this.size; i++) if (w[2 * i] === w[2 * i - 2] && w[2 * i + 1] === w[2 * i - 1]) dups++;
    this.words = new Uint32Array(0);
    return dups;
  }
}
