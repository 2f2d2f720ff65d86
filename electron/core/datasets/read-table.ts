import type { CellValue, ColumnType, CsvOptions, DataTable } from '../../../shared/datasets';
import { decodeField, scanCsvFile, type FieldSpans, type ScanOptions } from './csv-scan';
import { parseNumberBytes } from './parse-number';
import { assertColumnNames } from './profile-csv';
import { parseBooleanText } from './value-kinds';

/** Options of {@link readCsvTable}. */
export interface ReadTableOptions extends Pick<ScanOptions, 'signal' | 'onProgress'> {
  /** Stop after this many data rows (previews). */
  maxRows?: number;
  /** Keep only these columns, in this order (default: all). */
  columns?: string[];
}

/**
 * Field `c` of the scanner's current record as a typed cell: null for a
 * missing marker (the markers as bytes in the file's encoding) and for a
 * value that does not match its column type; numbers parsed, booleans read,
 * other types as text. The one decoding every reader of a version shares.
 */
export function typedCell(
  buf: Buffer,
  spans: FieldSpans,
  c: number,
  type: ColumnType,
  markers: readonly Buffer[],
  latin1: boolean,
): CellValue {
  const s = spans.starts[c];
  const e = spans.ends[c];
  for (const m of markers) if (m.length === e - s && buf.compare(m, 0, m.length, s, e) === 0) return null;
  if (type === 'number' || type === 'integer') {
    let v = spans.numbers[c];
    if (v !== v) v = parseNumberBytes(buf, s, e);
    return v !== v || (type === 'integer' && !Number.isInteger(v)) ? null : v;
  }
  const text = decodeField(buf, s, e, spans.flags[c], latin1);
  return type === 'boolean' ? parseBooleanText(text) : text;
}

/**
 * Loads a CSV (a dataset version's file) into an in-memory table with typed
 * cells, for recipe fitting, previews and training. Values that do not match
 * their column type become null (the profile reports them as invalid).
 * Whole-file loads hold every row in memory: callers should check the
 * version's row count first.
 */
export function readCsvTable(path: string, options: CsvOptions, read: ReadTableOptions = {}): DataTable {
  assertColumnNames(options.columns.map((c) => c.name));
  const latin1 = options.encoding === 'latin1';
  const all = options.columns;
  const wanted = read.columns ?? all.map((c) => c.name);
  const index = wanted.map((name) => {
    const i = all.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`Unknown column "${name}".`);
    return i;
  });
  const types = index.map((i) => all[i].type);
  const markers = options.missingMarkers.map((m) => Buffer.from(m, latin1 ? 'latin1' : 'utf8'));
  const rows: CellValue[][] = [];
  scanCsvFile(
    path,
    {
      delimiter: options.delimiter,
      hasHeader: options.hasHeader,
      encoding: options.encoding,
      raggedRows: options.raggedRows,
      columnCount: all.length,
    },
    {
      onRow(buf, spans) {
        const row: CellValue[] = new Array(index.length);
        for (let k = 0; k < index.length; k++) row[k] = typedCell(buf, spans, index[k], types[k], markers, latin1);
        rows.push(row);
      },
    },
    { signal: read.signal, onProgress: read.onProgress, maxRows: read.maxRows, sha256: false },
  );
  return { columns: index.map((i) => all[i]), rows };
}
