import {
  MISSING_WARN_SHARE,
  type ColumnProfile,
  type ColumnSchema,
  type DatasetProfile,
} from '../../../shared/datasets';
import { createRandom, summarizeValues } from './column-stats';
import type { FieldSpans, RowSink } from './csv-scan';
import { decodeField } from './csv-scan';
import { parseNumberBytes } from './parse-number';
import { fmix, NumberSet, RowHashList } from './hash-sets';
import { isBooleanText, isDateText } from './value-kinds';

/** Limits that keep memory bounded whatever the file size. */
export interface ProfileLimits {
  /** Distinct values tracked per column before counting stops (the count is then a lower bound). */
  distinctCap: number;
  /** Numeric values kept for exact quartiles, over all columns; beyond it each column keeps a reservoir sample. */
  numericValueBudget: number;
  /** Max row hashes kept for duplicate counting; beyond it duplicates are counted among the first rows only. */
  rowHashCap: number;
  topValues: number;
  histogramBins: number;
  seed: number;
  /** Estimated data rows (from the file size), to pre-size the row-hash list. */
  expectedRows?: number;
}

/** Defaults: ~256 MB of numbers (32 M values), 20,000 distinct values per column, 32 M row hashes (8 B each). */
export const DEFAULT_PROFILE_LIMITS: ProfileLimits = {
  distinctCap: 20_000,
  numericValueBudget: 32 * 1024 * 1024,
  rowHashCap: 32 * 1024 * 1024,
  topValues: 10,
  histogramBins: 20,
  seed: 42,
};

const CHUNK = 65_536;
const MAX_EXAMPLES = 5;
const MAX_KEY_CHARS = 200;

// Shared scratch views to read a double's bits for hashing without allocation.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Accumulates a number/integer column: moments in one pass, values in Float64Array chunks for exact quartiles. */
class NumericColumn {
  readonly numeric = true;
  count = 0;
  missing = 0;
  invalid = 0;
  invalidExamples: number[] = [];
  min = Infinity;
  max = -Infinity;
  shift = NaN;
  sum = 0;
  sumSq = 0;
  chunks: Float64Array[] = [];
  cur: Float64Array;
  pos = 0;
  stored = 0;
  /** True once keepCap values are kept: from then on the kept values are a uniform reservoir sample. */
  sampling = false;
  readonly distinct: NumberSet;
  constructor(
    readonly schema: ColumnSchema,
    readonly integer: boolean,
    private readonly keepCap: number,
    distinctCap: number,
    private readonly random: () => number,
  ) {
    this.distinct = new NumberSet(distinctCap);
    // Small budgets (many columns, tight limits) should not reserve a full chunk per column.
    this.cur = new Float64Array(Math.min(CHUNK, keepCap));
  }

  add(v: number): void {
    this.count++;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    // Shifted sums keep the variance accurate when values sit far from zero.
    if (this.shift !== this.shift) this.shift = v;
    const d = v - this.shift;
    this.sum += d;
    this.sumSq += d * d;
    if (!this.distinct.capped) this.distinct.add(v);
    if (!this.sampling) {
      if (this.pos === this.cur.length) {
        this.chunks.push(this.cur);
        this.cur = new Float64Array(CHUNK);
        this.pos = 0;
      }
      this.cur[this.pos++] = v;
      if (++this.stored >= this.keepCap) this.sampling = true;
    } else {
      // Algorithm R over the kept chunks themselves (no copy): slot j is replaced with probability keepCap / count.
      // Every chunk but the last holds CHUNK values (or there is only one), so j splits into chunk and offset.
      const j = Math.floor(this.random() * this.count);
      if (j < this.keepCap) {
        const c = j >>> 16;
        if (c < this.chunks.length) this.chunks[c][j & (CHUNK - 1)] = v;
        else this.cur[j - c * CHUNK] = v;
      }
    }
  }

  /** The kept values (all of them, or the reservoir sample): the filled chunks, the last one trimmed; never concatenated. */
  values(): Float64Array[] {
    return [...this.chunks, this.cur.subarray(0, this.pos)];
  }
}

/** Accumulates a category/boolean/date/text column: value counts (capped), invalid values for booleans and dates. */
class TextColumn {
  readonly numeric = false;
  count = 0;
  missing = 0;
  invalid = 0;
  invalidExamples: number[] = [];
  counts = new Map<string, number>();
  capped = false;
  minText: string | null = null;
  maxText: string | null = null;
  constructor(
    readonly schema: ColumnSchema,
    private readonly cap: number,
  ) {}
  add(s: string, row: number): void {
    const type = this.schema.type;
    if ((type === 'boolean' && !isBooleanText(s)) || (type === 'date' && !isDateText(s))) {
      this.invalid++;
      if (this.invalidExamples.length < MAX_EXAMPLES) this.invalidExamples.push(row);
      return;
    }
    this.count++;
    if (type === 'date') {
      if (this.minText === null || s < this.minText) this.minText = s;
      if (this.maxText === null || s > this.maxText) this.maxText = s;
    }
    const key = s.length > MAX_KEY_CHARS ? s.slice(0, MAX_KEY_CHARS) : s;
    const c = this.counts.get(key);
    if (c !== undefined) this.counts.set(key, c + 1);
    else if (this.counts.size < this.cap) this.counts.set(key, 1);
    else this.capped = true;
  }
}

/**
 * A RowSink that profiles a CSV in the same pass as parsing: numbers are
 * parsed from bytes (no strings), text values decoded only for text-like
 * columns, and each row is reduced to a 64-bit hash of its typed values for
 * duplicate counting (so "1.0" and "1" in a number column are the same value,
 * as in pandas' `duplicated()`). Memory is bounded by ProfileLimits.
 */
export class ProfileBuilder implements RowSink {
  private readonly cols: (NumericColumn | TextColumn)[];
  private readonly markers: Uint8Array[];
  private readonly maxMarkerLen: number;
  private readonly rowHashes: RowHashList;
  private readonly latin1: boolean;
  private readonly limits: ProfileLimits;
  rows = 0;

  constructor(columns: ColumnSchema[], missingMarkers: string[], encoding: string, limits: Partial<ProfileLimits> = {}) {
    this.limits = { ...DEFAULT_PROFILE_LIMITS, ...limits };
    const numericCount = columns.filter((c) => c.type === 'number' || c.type === 'integer').length;
    const keepCap = Math.max(1024, Math.floor(this.limits.numericValueBudget / Math.max(1, numericCount)));
    const random = createRandom(this.limits.seed);
    this.cols = columns.map((c) =>
      c.type === 'number' || c.type === 'integer'
        ? new NumericColumn(c, c.type === 'integer', keepCap, this.limits.distinctCap, random)
        : new TextColumn(c, this.limits.distinctCap),
    );
    this.latin1 = encoding === 'latin1';
    this.markers = missingMarkers.map((m) => Buffer.from(m, this.latin1 ? 'latin1' : 'utf8'));
    this.maxMarkerLen = Math.max(0, ...this.markers.map((m) => m.length));
    this.rowHashes = new RowHashList(this.limits.rowHashCap, this.limits.expectedRows);
  }

  private isMissing(buf: Buffer, s: number, e: number): boolean {
    const len = e - s;
    if (len > this.maxMarkerLen) return false;
    for (const m of this.markers) {
      if (m.length !== len) continue;
      let k = 0;
      while (k < len && buf[s + k] === m[k]) k++;
      if (k === len) return true;
    }
    return false;
  }

  onRow(buf: Buffer, spans: FieldSpans, row: number): void {
    const cols = this.cols;
    const starts = spans.starts;
    const ends = spans.ends;
    const flags = spans.flags;
    const nums = spans.numbers;
    const maxMarker = this.maxMarkerLen;
    let h1 = 0x811c9dc5;
    let h2 = 0x1b873593;
    for (let c = 0; c < cols.length; c++) {
      const col = cols[c];
      const s = starts[c];
      const e = ends[c];
      if (e - s <= maxMarker && this.isMissing(buf, s, e)) {
        col.missing++;
        h1 = Math.imul(h1 ^ 0x5bd1e995, 0x01000193);
        h2 = Math.imul(h2 ^ 0x2545f491, 0x9e3779b1);
        continue;
      }
      if (col.numeric) {
        let v = nums[c];
        if (v !== v) v = parseNumberBytes(buf, s, e);
        if (v !== v || (col.integer && !Number.isInteger(v))) {
          col.invalid++;
          if (col.invalidExamples.length < MAX_EXAMPLES) col.invalidExamples.push(row);
          for (let i = s; i < e; i++) {
            h1 = Math.imul(h1 ^ buf[i], 0x01000193);
            h2 = Math.imul(h2 ^ buf[i], 0x9e3779b1);
          }
          continue;
        }
        v += 0; // -0 -> +0 so equal values hash equally
        col.add(v);
        f64[0] = v;
        const lo = u32[0];
        const hi = u32[1];
        h1 = Math.imul((h1 << 5) | (h1 >>> 27), 0x01000193) ^ lo;
        h1 = Math.imul((h1 << 5) | (h1 >>> 27), 0x01000193) ^ hi;
        h2 = Math.imul(h2 ^ lo, 0x9e3779b1);
        h2 = Math.imul(h2 ^ (hi + c), 0x85ebca77);
      } else {
        col.add(decodeField(buf, s, e, flags[c], this.latin1), row);
        for (let i = s; i < e; i++) {
          h1 = Math.imul(h1 ^ buf[i], 0x01000193);
          h2 = Math.imul(h2 ^ buf[i], 0x9e3779b1);
        }
        h1 = Math.imul(h1 ^ 0xff, 0x01000193);
        h2 = Math.imul(h2 ^ (0xff + c), 0x9e3779b1);
      }
    }
    this.rows = row;
    this.rowHashes.add(fmix(h1), fmix(h2 ^ h1));
  }

  /** Finalises statistics (quartiles, histograms, top values) into a DatasetProfile. */
  finish(): DatasetProfile {
    const rows = this.rows;
    const warnings: string[] = [];
    const columns: ColumnProfile[] = this.cols.map((col) => {
      const base: ColumnProfile = {
        name: col.schema.name,
        type: col.schema.type,
        count: col.count,
        missing: col.missing,
        missingShare: rows > 0 ? col.missing / rows : 0,
        invalid: col.invalid,
        invalidExamples: col.invalidExamples,
        distinct: 0,
        distinctCapped: false,
      };
      if (base.missingShare > MISSING_WARN_SHARE) {
        warnings.push(`Column "${base.name}" is ${(base.missingShare * 100).toFixed(1)}% missing (above ${MISSING_WARN_SHARE * 100}%).`);
      }
      if (col.invalid > 0) {
        warnings.push(`Column "${base.name}" has ${col.invalid} value(s) that are not of type ${col.schema.type} (e.g. row ${col.invalidExamples[0]}).`);
      }
      if (col instanceof NumericColumn) {
        base.distinct = col.distinct.size;
        base.distinctCapped = col.distinct.capped;
        if (col.count > 0) {
          const n = col.count;
          base.min = col.min;
          base.max = col.max;
          base.mean = col.shift + col.sum / n;
          base.std = n > 1 ? Math.sqrt(Math.max(0, (col.sumSq - (col.sum * col.sum) / n) / (n - 1))) : NaN;
          const values = col.values();
          const approximate = col.sampling && col.count > col.stored;
          const summary = summarizeValues(values, col.min, col.max, col.integer, approximate ? n / col.stored : 1, this.limits.histogramBins);
          base.histogram = summary.histogram;
          base.q25 = summary.q25;
          base.median = summary.median;
          base.q75 = summary.q75;
          if (approximate) base.quantilesApproximate = true;
        }
      } else {
        base.distinct = col.counts.size;
        base.distinctCapped = col.capped;
        const top = [...col.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, this.limits.topValues);
        base.topValues = top.map(([value, count]) => ({ value, count }));
        if (col.minText !== null) base.minText = col.minText;
        if (col.maxText !== null) base.maxText = col.maxText;
      }
      if (base.std !== undefined && !Number.isFinite(base.std)) delete base.std;
      return base;
    });
    if (this.rowHashes.capped) warnings.push(`Duplicate rows were counted among the first ${this.limits.rowHashCap} rows only.`);
    return { rows, columns, duplicateRows: this.rowHashes.countDuplicates(), skippedRows: 0, skippedExamples: [], warnings };
  }
}
