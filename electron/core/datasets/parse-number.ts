/**
 * Number parsing straight from bytes, so the importer never builds a string per
 * numeric field. The fast path is Clinger's: a mantissa of at most 15
 * significant digits and a power of ten within ±22 are both exact doubles, so
 * one IEEE multiply/divide gives the correctly rounded result — the same value
 * `Number()` returns. Anything else falls back to `Number()` on a Latin-1 slice.
 */

const POW10 = new Float64Array(23);
for (let i = 0, p = 1; i < 23; i++, p *= 10) POW10[i] = p;

// Strict decimal syntax accepted by the slow path (what a CSV number column may hold).
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INF_RE = /^[+-]?(inf|infinity)$/i;

/**
 * Parses `buf[start, end)` as a decimal number. Returns NaN when the bytes are
 * not a number (callers treat that as an invalid value; missing markers are
 * checked before this is called). Leading/trailing spaces are tolerated.
 */
export function parseNumberBytes(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  if (i >= end) return NaN;
  const c = buf[i];
  let neg = false;
  if (c === 45 /* - */) {
    neg = true;
    i++;
  } else if (c === 43 /* + */) {
    i++;
  }
  let mant = 0;
  let sig = 0; // significant digits kept in mant
  let exp10 = 0;
  let digits = 0;
  let exact = true;
  for (; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) break;
    digits++;
    if (sig < 15) {
      mant = mant * 10 + d;
      if (mant !== 0) sig++;
    } else {
      exp10++;
      if (d !== 0) exact = false;
    }
  }
  if (i < end && buf[i] === 46 /* . */) {
    i++;
    for (; i < end; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) break;
      digits++;
      if (sig < 15) {
        mant = mant * 10 + d;
        if (mant !== 0) sig++;
        exp10--;
      } else if (d !== 0) exact = false;
    }
  }
  if (digits === 0) return parseNumberSlow(buf, start, end);
  if (i < end && (buf[i] | 0x20) === 101 /* e/E */) {
    i++;
    let eneg = false;
    if (i < end && (buf[i] === 45 || buf[i] === 43)) {
      eneg = buf[i] === 45;
      i++;
    }
    let e = 0;
    let edigits = 0;
    for (; i < end; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) break;
      if (e < 100000) e = e * 10 + d;
      edigits++;
    }
    if (edigits === 0) return NaN;
    exp10 += eneg ? -e : e;
  }
  if (i !== end) return parseNumberSlow(buf, start, end);
  if (!exact || exp10 < -22 || exp10 > 22) return parseNumberSlow(buf, start, end);
  const v = exp10 < 0 ? mant / POW10[-exp10] : mant * POW10[exp10];
  return neg ? -v : v;
}

/** Slow but exact path: decode and let `Number` round; reject non-decimal syntax such as hex. */
function parseNumberSlow(buf: Uint8Array, start: number, end: number): number {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
  s = s.trim();
  if (NUMBER_RE.test(s)) return Number(s);
  if (INF_RE.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  return NaN;
}

/** Parses a JS string with the same rules as {@link parseNumberBytes}. */
export function parseNumberText(text: string): number {
  const s = text.trim();
  if (NUMBER_RE.test(s)) return Number(s);
  if (INF_RE.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  return NaN;
}
