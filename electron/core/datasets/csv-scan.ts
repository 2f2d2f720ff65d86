import { createHash, type Hash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, fsyncSync, openSync, readSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { CsvOptions } from '../../../shared/datasets';
import { CsvFormatError, countLineFeeds, findInvalidUtf8 } from './csv-errors';
import { CancelledError, FileChangedError, READ_CHUNK_BYTES, type CancelCheck } from './hash-file';

/**
 * Field positions of the current record inside the scan buffer. Sinks read
 * bytes directly (no string per field); the arrays are reused between records.
 * flags: 0 = unquoted, 1 = quoted, 2 = quoted with doubled quotes to unescape.
 * numbers: the field parsed as a plain decimal by the tokenizer, or NaN when
 * it is not one the fast path handles (call parseNumberBytes then).
 */
export interface FieldSpans {
  starts: Int32Array;
  ends: Int32Array;
  flags: Uint8Array;
  numbers: Float64Array;
}

/** Receives each well-formed data row. `row` is the 1-based data row number, `line` the 1-based physical line. */
export interface RowSink {
  onRow(buf: Buffer, fields: FieldSpans, row: number, line: number): void;
}

/** Progress of a scan: bytes read and data rows seen. */
export interface ScanProgress {
  bytesDone: number;
  bytesTotal: number;
  rows: number;
}

/** Options of {@link scanCsvFile}. */
export interface ScanOptions {
  signal?: CancelCheck;
  onProgress?: (p: ScanProgress) => void;
  /** Minimum bytes between progress callbacks (default 8 MiB). */
  progressEveryBytes?: number;
  /** Compute SHA-256 of the bytes read (default true). */
  sha256?: boolean;
  md5?: boolean;
  /**
   * Write every byte read to this new file (created exclusively) in the same
   * pass, so the content-addressed copy costs no second read. Deleted on failure.
   */
  copyTo?: string;
  /** Stop after this many data rows (previews). Skips the hash and change checks. */
  maxRows?: number;
}

/** What a scan saw, besides what the sink accumulated. */
export interface ScanResult {
  sha256?: string;
  md5?: string;
  size: number;
  mtimeMs: number;
  rows: number;
  skippedRows: number;
  skippedExamples: number[];
  header: string[] | null;
  /** True when maxRows stopped the scan before the end of the file. */
  truncated: boolean;
}

/** The parts of CsvOptions a scan needs. */
export type ScanCsvOptions = Pick<CsvOptions, 'delimiter' | 'hasHeader' | 'encoding'> & {
  raggedRows?: CsvOptions['raggedRows'];
  /** Expected field count; defaults to the header's (or the first row's) count. */
  columnCount?: number;
};

/** A single record longer than this is almost surely an unterminated quote; we refuse rather than buffer gigabytes. */
export const MAX_RECORD_BYTES = 64 << 20;
const MAX_LINE_EXAMPLES = 20;
const POW10 = new Float64Array(23);
for (let i = 0, p = 1; i < 23; i++, p *= 10) POW10[i] = p;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Decodes one field to a string, undoing quote doubling. */
export function decodeField(buf: Buffer, start: number, end: number, flag: number, latin1: boolean): string {
  const s = buf.toString(latin1 ? 'latin1' : 'utf8', start, end);
  return flag === 2 ? s.replaceAll('""', '"') : s;
}

/**
 * The byte-level tokenizer. It keeps the line counter across chunks and
 * returns how far it got; an incomplete trailing record is left for the next
 * chunk (the caller moves it to the front of the buffer).
 */
class CsvTokenizer {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  flags = new Uint8Array(64);
  numbers = new Float64Array(64);
  line = 1;
  constructor(
    private readonly delim: number,
    private readonly onRecord: (buf: Buffer, count: number, line: number) => boolean,
  ) {}

  private grow(): void {
    const n = this.starts.length * 2;
    const s = new Int32Array(n);
    s.set(this.starts);
    const e = new Int32Array(n);
    e.set(this.ends);
    const f = new Uint8Array(n);
    f.set(this.flags);
    const v = new Float64Array(n);
    v.set(this.numbers);
    this.numbers = v;
    this.starts = s;
    this.ends = e;
    this.flags = f;
  }

  /** Tokenizes complete records in buf[pos, end). Returns the offset of the first unconsumed byte, or -1 when the sink asked to stop. */
  tokenize(buf: Buffer, pos: number, end: number, final: boolean): number {
    const delim = this.delim;
    // Local copies of the span arrays (re-read after a grow) keep property loads out of the byte loop.
    let starts = this.starts;
    let ends = this.ends;
    let flags = this.flags;
    let numbers = this.numbers;
    let p = pos;
    while (p < end) {
      const recStart = p;
      let nf = 0;
      let extraLines = 0;
      for (;;) {
        if (nf === starts.length) {
          this.grow();
          starts = this.starts;
          ends = this.ends;
          flags = this.flags;
          numbers = this.numbers;
        }
        if (p < end && buf[p] === QUOTE) {
          let q = p + 1;
          let esc = 0;
          for (;;) {
            while (q < end) {
              const c = buf[q];
              if (c === QUOTE) break;
              if (c === LF) extraLines++;
              q++;
            }
            if (q >= end) {
              if (!final) return recStart;
              throw new CsvFormatError(
                'unterminated_quote',
                `A quoted field opened on line ${this.line} is never closed (unterminated quote).`,
                [this.line],
              );
            }
            if (q + 1 < end) {
              if (buf[q + 1] === QUOTE) {
                esc = 1;
                q += 2;
                continue;
              }
              break;
            }
            if (!final) return recStart;
            break;
          }
          starts[nf] = p + 1;
          ends[nf] = q;
          flags[nf] = esc ? 2 : 1;
          numbers[nf] = NaN;
          nf++;
          p = q + 1;
          if (p >= end) {
            if (!final) return recStart;
            break;
          }
          const c = buf[p];
          if (c === delim) {
            p++;
            continue;
          }
          if (c === LF || c === CR) break;
          throw new CsvFormatError(
            'bad_quote',
            `Line ${this.line + extraLines}: unexpected text after a closing quote (a quote inside a quoted field must be doubled: "").`,
            [this.line + extraLines],
          );
        } else {
          // Scan the field and, in the same loop, parse it as a plain decimal
          // (Clinger's fast path: <= 15 significant digits, exact powers of ten).
          // Number columns then need no second pass over their bytes.
          // The first 9 significant digits go to `hi` and the next 6 to `lo`: both stay small
          // integers, so V8 keeps the per-digit multiply-add in integer registers.
          let q = p;
          let hi = 0;
          let lo = 0;
          let loDigits = 0;
          let sig = 0;
          let exp = 0;
          let frac = 0;
          let digits = 0;
          let plain = true;
          let neg = false;
          if (q < end && buf[q] === 45) {
            neg = true;
            q++;
          }
          while (q < end) {
            const c = buf[q];
            const d = c - 48;
            if (d >= 0 && d <= 9) {
              if (sig < 9) {
                hi = hi * 10 + d;
                if (hi !== 0) sig++;
                exp -= frac;
              } else if (sig < 15) {
                lo = lo * 10 + d;
                loDigits++;
                sig++;
                exp -= frac;
              } else {
                exp += 1 - frac;
                if (d !== 0) plain = false;
              }
              digits++;
              q++;
              continue;
            }
            if (c === delim || c === LF || c === CR) break;
            if (c === 46 && frac === 0) {
              frac = 1;
              q++;
              continue;
            }
            plain = false;
            q++;
            while (q < end) {
              const c2 = buf[q];
              if (c2 === delim || c2 === LF || c2 === CR) break;
              q++;
            }
            break;
          }
          if (plain && digits > 0 && exp >= -22 && exp <= 22) {
            const mant = loDigits === 0 ? hi : hi * POW10[loDigits] + lo;
            const v = exp < 0 ? mant / POW10[-exp] : mant * POW10[exp];
            numbers[nf] = neg ? -v : v;
          } else numbers[nf] = NaN;
          starts[nf] = p;
          ends[nf] = q;
          flags[nf] = 0;
          nf++;
          p = q;
          if (q >= end) {
            if (!final) return recStart;
            break;
          }
          if (buf[q] === delim) {
            p++;
            continue;
          }
          break;
        }
      }
      if (p < end) {
        if (buf[p] === CR) {
          if (p + 1 < end) p += buf[p + 1] === LF ? 2 : 1;
          else if (!final) return recStart;
          else p++;
        } else p++;
      }
      const line = this.line;
      this.line += 1 + extraLines;
      if (!this.onRecord(buf, nf, line)) return -1;
    }
    return p;
  }
}

/**
 * Reads a CSV file once, in 1 MiB `readSync` chunks into a reused buffer, and
 * in that same pass: hashes the bytes (SHA-256, optionally MD5), optionally
 * copies them to `copyTo`, checks for binary content and invalid UTF-8,
 * tokenizes records and hands each data row to the sink as byte spans.
 * Memory is bounded by the buffer (plus the longest record). Ragged rows are
 * collected with their line numbers and fail the scan at the end (or are
 * skipped). Throws CsvFormatError, CancelledError or FileChangedError; on any
 * failure the `copyTo` file is removed.
 */
export function scanCsvFile(path: string, csv: ScanCsvOptions, sink: RowSink, opts: ScanOptions = {}): ScanResult {
  const fd = openSync(path, 'r');
  let copyFd: number | null = null;
  let ok = false;
  try {
    const before = fstatSync(fd);
    if (opts.copyTo) copyFd = openSync(opts.copyTo, 'wx');
    const sha: Hash | null = opts.sha256 === false || opts.maxRows !== undefined ? null : createHash('sha256');
    const md5: Hash | null = opts.md5 && opts.maxRows === undefined ? createHash('md5') : null;
    const latin1 = csv.encoding === 'latin1';
    const raggedMode = csv.raggedRows ?? 'error';
    const every = opts.progressEveryBytes ?? 8 * READ_CHUNK_BYTES;

    let expected = csv.columnCount ?? -1;
    let header: string[] | null = null;
    let headerPending = csv.hasHeader;
    let rows = 0;
    let badCount = 0;
    const badLines: number[] = [];
    let badExpected = 0;
    let badGot = 0;
    const maxRows = opts.maxRows ?? Infinity;

    const tokenizer: CsvTokenizer = new CsvTokenizer(csv.delimiter.charCodeAt(0), (buf, count, line) => {
      const spans = tokenizer as unknown as FieldSpans;
      if (headerPending) {
        headerPending = false;
        header = [];
        for (let i = 0; i < count; i++) header.push(decodeField(buf, spans.starts[i], spans.ends[i], spans.flags[i], latin1));
        if (expected < 0) expected = count;
        else if (count !== expected) {
          throw new CsvFormatError(
            'bad_columns',
            `The header has ${count} columns but ${expected} column types were given.`,
            [line],
          );
        }
        return true;
      }
      // A blank line is one empty unquoted field; skip it unless the file has one column (then it is a missing value).
      if (count === 1 && expected !== 1 && spans.flags[0] === 0 && spans.starts[0] === spans.ends[0]) return true;
      if (expected < 0) expected = count;
      if (count !== expected) {
        badCount++;
        if (badLines.length < MAX_LINE_EXAMPLES) badLines.push(line);
        if (badCount === 1) {
          badExpected = expected;
          badGot = count;
        }
        return true;
      }
      // After the first ragged row in 'error' mode the scan only collects line numbers.
      if (badCount > 0 && raggedMode === 'error') return true;
      rows++;
      sink.onRow(buf, spans, rows, line);
      return rows < maxRows;
    });

    let work = Buffer.allocUnsafe(READ_CHUNK_BYTES * 2);
    let len = 0;
    let pos = 0;
    let checked = 0; // bytes before this offset passed the UTF-8 check
    let done = 0;
    let nextReport = every;
    let truncated = false;
    let first = true;
    for (;;) {
      if (opts.signal?.aborted) throw new CancelledError();
      if (pos > 0) {
        work.copy(work, 0, pos, len);
        len -= pos;
        checked = Math.max(0, checked - pos);
        pos = 0;
      }
      if (len + READ_CHUNK_BYTES > work.length) {
        if (len > MAX_RECORD_BYTES) {
          throw new CsvFormatError(
            'record_too_long',
            `A single record starting on line ${tokenizer.line} is longer than ${MAX_RECORD_BYTES >> 20} MiB; most likely a quote is never closed.`,
            [tokenizer.line],
          );
        }
        const bigger = Buffer.allocUnsafe(work.length * 2);
        work.copy(bigger, 0, 0, len);
        work = bigger;
      }
      const n = readSync(fd, work, len, READ_CHUNK_BYTES, null);
      const final = n === 0;
      if (n > 0) {
        const fresh = work.subarray(len, len + n);
        sha?.update(fresh);
        md5?.update(fresh);
        if (copyFd !== null) writeSync(copyFd, fresh);
        if (fresh.indexOf(0) !== -1) {
          const at = len + fresh.indexOf(0);
          const line = tokenizer.line + countLineFeeds(work, pos, at);
          throw new CsvFormatError('binary_file', `This looks like a binary file, not a CSV text file (a NUL byte on line ${line}).`, [line]);
        }
        len += n;
        done += n;
      }
      if (first) {
        first = false;
        // Skip a UTF-8 byte order mark whatever the chosen encoding: it is never data.
        if (len >= 3 && work[0] === 0xef && work[1] === 0xbb && work[2] === 0xbf) {
          pos = 3;
          checked = 3;
        }
      }
      if (!latin1) {
        let upto = final ? len : work.lastIndexOf(LF, len - 1) + 1;
        if (upto < checked) upto = checked;
        if (upto > checked && !isUtf8(work.subarray(checked, upto))) {
          const at = findInvalidUtf8(work, checked, upto);
          const line = tokenizer.line + countLineFeeds(work, pos, at < 0 ? upto : at);
          throw new CsvFormatError(
            'invalid_utf8',
            `The file is not valid UTF-8 (line ${line}, byte ${done - (len - (at < 0 ? upto : at))}). If it was saved as Latin-1 (ISO-8859-1), choose that encoding.`,
            [line],
          );
        }
        checked = upto;
      }
      const next = tokenizer.tokenize(work, pos, len, final);
      if (next < 0) {
        truncated = true;
        break;
      }
      pos = next;
      if (opts.onProgress && done >= nextReport) {
        opts.onProgress({ bytesDone: done, bytesTotal: before.size, rows });
        nextReport = done + every;
      }
      if (final) break;
    }

    if (!truncated) {
      if (badCount > 0 && raggedMode === 'error') {
        const more = badCount > badLines.length ? ` (and ${badCount - badLines.length} more)` : '';
        throw new CsvFormatError(
          'ragged_rows',
          `${badCount} row${badCount === 1 ? ' has' : 's have'} the wrong number of fields (expected ${badExpected}, e.g. ${badGot}) on line${badCount === 1 ? '' : 's'} ${badLines.join(', ')}${more}.`,
          badLines,
        );
      }
      if (done === 0 || (header === null && rows === 0)) {
        throw new CsvFormatError('empty_file', 'The file is empty: there is nothing to import.');
      }
      if (rows === 0) {
        throw new CsvFormatError('header_only', 'The file has a header line but no data rows.');
      }
      let after;
      try {
        after = statSync(path);
      } catch {
        throw new FileChangedError(path);
      }
      if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || after.ino !== before.ino || done !== before.size) {
        throw new FileChangedError(path);
      }
      opts.onProgress?.({ bytesDone: done, bytesTotal: before.size, rows });
    }
    if (copyFd !== null) fsyncSync(copyFd);
    const result: ScanResult = {
      size: before.size,
      mtimeMs: before.mtimeMs,
      rows,
      skippedRows: raggedMode === 'skip' ? badCount : 0,
      skippedExamples: raggedMode === 'skip' ? badLines : [],
      header,
      truncated,
    };
    if (sha) result.sha256 = sha.digest('hex');
    if (md5) result.md5 = md5.digest('hex');
    ok = true;
    return result;
  } finally {
    closeSync(fd);
    if (copyFd !== null) {
      closeSync(copyFd);
      if (!ok && opts.copyTo) {
        try {
          unlinkSync(opts.copyTo);
        } catch {
          // already gone: nothing to clean
        }
      }
    }
  }
}
