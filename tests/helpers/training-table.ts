import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCsvTable } from '../../electron/core/datasets/read-table';
import { toColumnTable, type ColumnTable } from '../../electron/core/training/data-matrix';
import { sourceFromFile } from '../../electron/core/training/training-source';

/**
 * Reads a CSV file the way a training run on a file does (`mlwb train --data FILE`):
 * options sniffed as an import would, the datasets capability's reader, then the
 * row → column conversion of the training worker. Tests thus see the production
 * types and missing values, not a test-only parser's.
 */
export function readTrainingTable(file: string): ColumnTable {
  const source = sourceFromFile(file);
  return toColumnTable(readCsvTable(source.path, source.options));
}

/** {@link readTrainingTable} on CSV text (written to a temporary file that is removed again). */
export function csvTextToTable(text: string): ColumnTable {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-table-'));
  try {
    const file = path.join(dir, 'data.csv');
    fs.writeFileSync(file, text);
    return readTrainingTable(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
