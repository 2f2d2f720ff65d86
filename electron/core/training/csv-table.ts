/**
 * Minimal CSV → Table loader for the CLI, tests and benchmarks. The datasets
 * capability owns real CSV import (sniffing, encodings, streaming); this one
 * handles comma/semicolon/tab, a header row, quoted fields and a UTF-8 BOM,
 * and infers each column's type from its values.
 */
import fs from 'node:fs';
import { TrainingError } from './errors';
import { isMissingCell, type ColumnType, type Table } from './data-matrix';

/** Parse CSV text into rows of strings (RFC 4180 quoting). */
export function parseCsvRows(text: string, delimiter?: string): string[][] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  const delim = delimiter ?? [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += ch;
    } else if (ch === '"') inQuotes = true;
    else if (ch === delim) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push(row);
  }
  return rows;
}

/** Parse CSV text (first row = header) into a typed Table. */
export function csvToTable(text: string): Table {
  const rows = parseCsvRows(text);
  if (rows.length === 0) throw new TrainingError('EMPTY_DATA', 'The CSV file is empty');
  const header = rows[0].map((h) => h.trim());
  const body = rows.slice(1);
  const columns = header.map((name, j) => {
    const raw = body.map((r) => (j < r.length ? r[j] : ''));
    const type = inferColumnType(raw);
    const values = raw.map((v) => {
      if (isMissingCell(v)) return null;
      if (type === 'number' || type === 'integer') return Number(v);
      return v.trim();
    });
    return { name, type, values };
  });
  return { columns };
}

/** Infer a column type from string cells: integer, number, boolean, or category. */
export function inferColumnType(raw: string[]): ColumnType {
  let numeric = true;
  let integer = true;
  let boolean = true;
  let any = false;
  for (const v of raw) {
    if (isMissingCell(v)) continue;
    any = true;
    const s = v.trim();
    const x = Number(s);
    // "Infinity" parses as a number; keep it numeric so the engine can report it clearly.
    if (Number.isNaN(x)) numeric = false;
    else if (!Number.isInteger(x)) integer = false;
    const l = s.toLowerCase();
    if (l !== 'true' && l !== 'false') boolean = false;
  }
  if (!any) return 'number';
  if (numeric) return integer ? 'integer' : 'number';
  if (boolean) return 'boolean';
  return 'category';
}

/** Read a CSV file into a Table. */
export function loadCsvTable(file: string): Table {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new TrainingError('BAD_INPUT', `Cannot read ${file}: ${(e as Error).message}`);
  }
  return csvToTable(text);
}
