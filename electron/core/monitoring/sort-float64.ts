/**
 * Ascending sort of a Float64Array without NaN (±Infinity allowed), in place.
 */
/**
 * Sorts a Float64Array without NaN ascending, in place, and returns it. Typed-array sort
 * is V8's builtin; above 4,096 values an LSD radix sort on the IEEE bit patterns (four
 * 16-bit digits, trivial digits skipped) is about twice as fast, which the KS bench needs.
 * -0 and +0 sort as equal values (their relative order does not matter to any statistic).
 */
export function sortFloat64(x: Float64Array): Float64Array {
  if (x.length <= 4096) return x.sort();
  return radixSortFloat64(x);
}

function radixSortFloat64(x: Float64Array): Float64Array {
  const n = x.length;
  const words = new Uint32Array(x.buffer, x.byteOffset, n * 2);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  const counts = new Uint32Array(65536 * 4);
  for (let i = 0; i < n; i++) {
    let l = words[2 * i];
    let h = words[2 * i + 1];
    // Map to unsigned keys that order like the doubles: flip all bits of negatives,
    // set the sign bit of positives. -0 maps just below +0.
    if (h & 0x80000000) {
      l = ~l >>> 0;
      h = ~h >>> 0;
    } else {
      h = (h | 0x80000000) >>> 0;
    }
    lo[i] = l;
    hi[i] = h;
    counts[l & 0xffff]++;
    counts[65536 + (l >>> 16)]++;
    counts[131072 + (h & 0xffff)]++;
    counts[196608 + (h >>> 16)]++;
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * 65536;
    let trivial = false;
    let sum = 0;
    for (let dgt = 0; dgt < 65536; dgt++) {
      const c = counts[base + dgt];
      if (c === n) trivial = true;
      counts[base + dgt] = sum;
      sum += c;
    }
    if (trivial) continue;
    const shift = (pass & 1) * 16;
    if (pass < 2) {
      for (let i = 0; i < n; i++) {
        const l = lo[i];
        const pos = counts[base + ((l >>> shift) & 0xffff)]++;
        lo2[pos] = l;
        hi2[pos] = hi[i];
      }
    } else {
      for (let i = 0; i < n; i++) {
        const h = hi[i];
        const pos = counts[base + ((h >>> shift) & 0xffff)]++;
        lo2[pos] = lo[i];
        hi2[pos] = h;
      }
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
  }
  for (let i = 0; i < n; i++) {
    const l = lo[i];
    const h = hi[i];
    if (h & 0x80000000) {
      words[2 * i] = l;
      words[2 * i + 1] = (h & 0x7fffffff) >>> 0;
    } else {
      words[2 * i] = ~l >>> 0;
      words[2 * i + 1] = ~h >>> 0;
    }
  }
  return x;
}
