import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { CsvOptions, ImportScan } from '../../../shared/datasets';
import { CsvFormatError } from './csv-errors';
import { scanCsvFile, type ScanOptions } from './csv-scan';
import { ProfileBuilder, type ProfileLimits } from './profile-builder';

/** Throws CsvFormatError('bad_columns') when names are empty or repeated (the wizard must fix them first). */
export function assertColumnNames(names: string[]): void {
  const seen = new Set<string>();
  for (let i = 0; i < names.length; i++) {
    const n = names[i];
    if (n.trim() === '') throw new CsvFormatError('bad_columns', `Column ${i + 1} has an empty name; give it a name before importing.`);
    if (seen.has(n)) throw new CsvFormatError('bad_columns', `Column name "${n}" is used more than once; column names must be unique.`);
    seen.add(n);
  }
}

/** Rough row count from the file size and the line density of its first MiB (+5%), or undefined. */
export function estimateRows(path: string): number | undefined {
  try {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      const head = Buffer.allocUnsafe(Math.min(size, 1 << 20));
      const n = readSync(fd, head, 0, head.length, 0);
      let lines = 0;
      for (let i = head.indexOf(10); i >= 0 && i < n; i = head.indexOf(10, i + 1)) lines++;
      if (lines === 0) return undefined;
      return Math.ceil((size / n) * lines * 1.05);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/**
 * The import pass: hashes (SHA-256, MD5 on request), optionally copies the
 * bytes, parses and profiles a CSV in one read of the file, with bounded
 * memory. Throws CsvFormatError / CancelledError / FileChangedError.
 */
export function scanAndProfileCsv(
  path: string,
  options: CsvOptions,
  scan: ScanOptions = {},
  limits: Partial<ProfileLimits> = {},
): ImportScan {
  assertColumnNames(options.columns.map((c) => c.name));
  const builder = new ProfileBuilder(options.columns, options.missingMarkers, options.encoding, { expectedRows: estimateRows(path), ...limits });
  const result = scanCsvFile(
    path,
    {
      delimiter: options.delimiter,
      hasHeader: options.hasHeader,
      encoding: options.encoding,
      raggedRows: options.raggedRows,
      columnCount: options.columns.length,
    },
    builder,
    { ...scan, sha256: true, maxRows: undefined },
  );
  const profile = builder.finish();
  profile.skippedRows = result.skippedRows;
  profile.skippedExamples = result.skippedExamples;
  if (result.skippedRows > 0) {
    profile.warnings.push(`${result.skippedRows} row(s) with the wrong number of fields were skipped (lines ${result.skippedExamples.join(', ')}).`);
  }
  const out: ImportScan = { sha256: result.sha256 ?? '', size: result.size, mtimeMs: result.mtimeMs, profile };
  if (result.md5) out.md5 = result.md5;
  return out;
}
