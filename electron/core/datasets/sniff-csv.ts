import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import {
  DEFAULT_MISSING_MARKERS,
  type ColumnSchema,
  type CsvOptions,
  type Delimiter,
  type SniffResult,
  type TextEncoding,
} from '../../../shared/datasets';
import { CsvFormatError, countLineFeeds, findInvalidUtf8 } from './csv-errors';
import { parseNumberText } from './parse-number';
import { inferColumnType } from './value-kinds';

/** Bytes read from the head of the file to sniff (enough for ~thousands of typical rows). */
export const SNIFF_BYTES = 256 * 1024;
const SAMPLE_RECORDS = 2000;
const PREVIEW_ROWS = 20;
const DELIMITERS: Delimiter[] = [',', ';', '\t', '|'];

/** Choices the user made in the wizard; each one overrides sniffing. */
export interface SniffOverrides {
  delimiter?: Delimiter;
  hasHeader?: boolean;
  encoding?: TextEncoding;
  missingMarkers?: string[];
}

/**
 * Splits CSV text into records (quote-aware, CRLF, embedded newlines).
 * Stops after `maxRecords`; `complete` says whether the last record returned
 * ended with a line break (or the text was the whole file).
 */
export function parseCsvText(text: string, delimiter: string, maxRecords = Infinity, isWholeFile = true): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  let inQuotes = false;
  let fieldStarted = false;
  while (i < n && out.length < maxRecords) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      inQuotes = true;
      fieldStarted = true;
      i++;
      continue;
    }
    if (ch === delimiter) {
      row.push(field);
      field = '';
      fieldStarted = false;
      i++;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      row.push(field);
      out.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += ch;
    fieldStarted = true;
    i++;
  }
  // A trailing record without a line break counts only when we saw the whole file (else it may be cut).
  if (out.length < maxRecords && isWholeFile && !inQuotes && (fieldStarted || row.length > 0 || field !== '')) {
    row.push(field);
    out.push(row);
  }
  return out.filter((r) => !(r.length === 1 && r[0] === ''));
}

function readHead(path: string): { head: Buffer; size: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(Math.min(SNIFF_BYTES, size));
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return { head: buf.subarray(0, got), size };
  } finally {
    closeSync(fd);
  }
}

/** Bytes at the end of `b` that start a UTF-8 sequence the cut left incomplete (0–3). */
function incompleteUtf8Tail(b: Uint8Array): number {
  for (let k = 1; k <= Math.min(3, b.length); k++) {
    const x = b[b.length - k];
    if ((x & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = x >= 0xf0 ? 4 : x >= 0xe0 ? 3 : x >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

/** Throws CsvFormatError('binary_file') when the bytes hold NULs or many control characters. */
export function assertTextBytes(head: Uint8Array): void {
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b === 0) {
      const line = 1 + countLineFeeds(head, 0, i);
      throw new CsvFormatError('binary_file', `This looks like a binary file, not a CSV text file (a NUL byte on line ${line}).`, [line]);
    }
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  if (head.length > 0 && control / head.length > 0.1) {
    throw new CsvFormatError('binary_file', 'This looks like a binary file, not a CSV text file (many control characters).');
  }
}

function scoreDelimiter(records: string[][]): { width: number; consistency: number } {
  if (records.length === 0) return { width: 1, consistency: 0 };
  const freq = new Map<number, number>();
  for (const r of records) freq.set(r.length, (freq.get(r.length) ?? 0) + 1);
  let width = 1;
  let best = 0;
  for (const [w, c] of freq) if (c > best || (c === best && w > width)) [width, best] = [w, c];
  return { width, consistency: best / records.length };
}

/** Fixes empty and duplicate header names so every column has a unique, non-empty name; reports what changed. */
export function normalizeColumnNames(raw: string[], warnings: string[]): string[] {
  const seen = new Set<string>();
  return raw.map((name, i) => {
    let n = name.trim();
    if (n === '') {
      n = `col_${i + 1}`;
      warnings.push(`Column ${i + 1} has no name; it is called "${n}".`);
    }
    if (seen.has(n)) {
      let k = 2;
      while (seen.has(`${n}_${k}`)) k++;
      warnings.push(`Column name "${n}" appears more than once; column ${i + 1} is called "${n}_${k}".`);
      n = `${n}_${k}`;
    }
    seen.add(n);
    return n;
  });
}

function looksLikeHeader(records: string[][], markers: Set<string>): boolean {
  const first = records[0];
  // Any numeric value in the first row means it is data.
  if (first.some((v) => v.trim() !== '' && !markers.has(v) && !Number.isNaN(parseNumberText(v)))) return false;
  if (records.length < 2) return first.every((v) => v.trim() !== '');
  const rest = records.slice(1, 200);
  let typedVotes = 0;
  let textAgainst = 0;
  for (let c = 0; c < first.length; c++) {
    const col = rest.map((r) => r[c]).filter((v): v is string => v !== undefined && !markers.has(v));
    if (col.length === 0) continue;
    const t = inferColumnType(col);
    // A typed column (numbers, booleans, dates) whose first value is not of that type: a header cell.
    if (t !== 'text' && t !== 'category') {
      if (inferColumnType([first[c]]) !== t || first[c].trim() === '') typedVotes++;
    } else if (col.includes(first[c])) textAgainst++;
  }
  if (typedVotes > 0) return true;
  // All-text files: a header has non-empty, distinct names that do not recur as values.
  return textAgainst === 0 && first.every((v) => v.trim() !== '') && new Set(first).size === first.length;
}

/** Read options exactly as sniffed (no user corrections); rows with a wrong field count fail the read. */
export function csvOptionsFromSniff(s: SniffResult): CsvOptions {
  return {
    delimiter: s.delimiter,
    hasHeader: s.hasHeader,
    encoding: s.encoding,
    missingMarkers: s.missingMarkers,
    columns: s.columns,
    raggedRows: 'error',
  };
}

/**
 * Sniffs a CSV file's head: encoding (UTF-8, UTF-8 with BOM; Latin-1 only by
 * choice), delimiter (the one giving the most consistent field count > 1),
 * header presence, column names and types, and a preview. Reads at most
 * SNIFF_BYTES. Throws CsvFormatError for empty, header-only, binary and
 * non-UTF-8 files so the wizard can say what is wrong before importing.
 */
export function sniffCsvFile(path: string, overrides: SniffOverrides = {}): SniffResult {
  const { head, size } = readHead(path);
  const wholeFile = head.length === size;
  if (size === 0) throw new CsvFormatError('empty_file', 'The file is empty: there is nothing to import.');
  assertTextBytes(head);
  const hasBom = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  let body = hasBom ? head.subarray(3) : head;
  // Never cut a multi-byte character: sniff up to the last line break unless we hold the whole file.
  if (!wholeFile) {
    const lastLf = body.lastIndexOf(10);
    if (lastLf > 0) body = body.subarray(0, lastLf + 1);
    else body = body.subarray(0, body.length - incompleteUtf8Tail(body));
  }
  let encoding: TextEncoding = overrides.encoding ?? (hasBom ? 'utf-8-bom' : 'utf-8');
  if (encoding !== 'latin1' && !isUtf8(body)) {
    const at = findInvalidUtf8(body, 0, body.length);
    const line = 1 + countLineFeeds(body, 0, at < 0 ? 0 : at);
    throw new CsvFormatError(
      'invalid_utf8',
      `The file is not valid UTF-8 (line ${line}). If it was saved as Latin-1 (ISO-8859-1), choose that encoding.`,
      [line],
    );
  }
  if (encoding === 'utf-8' && hasBom) encoding = 'utf-8-bom';
  const text = body.toString(encoding === 'latin1' ? 'latin1' : 'utf8');
  if (text.trim() === '') throw new CsvFormatError('empty_file', 'The file is empty: there is nothing to import.');

  const missingMarkers = overrides.missingMarkers ?? [...DEFAULT_MISSING_MARKERS];
  const markers = new Set(missingMarkers);
  let delimiter: Delimiter = overrides.delimiter ?? ',';
  let records: string[][] = [];
  if (overrides.delimiter) {
    records = parseCsvText(text, delimiter, SAMPLE_RECORDS, wholeFile);
  } else {
    let best = { width: 0, consistency: -1 };
    for (const d of DELIMITERS) {
      const recs = parseCsvText(text, d, 200, wholeFile);
      const s = scoreDelimiter(recs);
      const better = s.width > 1 && (best.width <= 1 || s.consistency > best.consistency + 0.01 || (Math.abs(s.consistency - best.consistency) <= 0.01 && s.width > best.width));
      if (better || best.consistency < 0) {
        best = s;
        delimiter = d;
      }
    }
    records = parseCsvText(text, delimiter, SAMPLE_RECORDS, wholeFile);
  }
  if (records.length === 0 && !wholeFile) {
    throw new CsvFormatError('record_too_long', `The first line is longer than ${SNIFF_BYTES >> 10} KiB, so there is no row to preview; is this really a CSV file?`, [1]);
  }
  if (records.length === 0) throw new CsvFormatError('empty_file', 'The file is empty: there is nothing to import.');

  const warnings: string[] = [];
  const hasHeader = overrides.hasHeader ?? looksLikeHeader(records, markers);
  const width = scoreDelimiter(records).width;
  const rawNames = hasHeader ? records[0] : Array.from({ length: width }, (_, i) => `col_${i + 1}`);
  const names = normalizeColumnNames(rawNames, warnings);
  const data = hasHeader ? records.slice(1) : records;
  if (data.length === 0) {
    if (wholeFile) throw new CsvFormatError('header_only', 'The file has a header line but no data rows.');
    warnings.push('No complete data row in the first 256 KiB; column types are guesses.');
  }
  const ragged = data.filter((r) => r.length !== names.length).length;
  if (ragged > 0) warnings.push(`${ragged} of the first ${data.length} rows have a different number of fields than the header (${names.length}).`);
  const columns: ColumnSchema[] = names.map((name, c) => ({
    name,
    type: inferColumnType(data.map((r) => r[c]).filter((v): v is string => v !== undefined && !markers.has(v))),
  }));
  return {
    delimiter,
    hasHeader,
    encoding,
    missingMarkers,
    columns,
    previewRows: data.slice(0, PREVIEW_ROWS),
    warnings,
    fileSize: size,
  };
}
