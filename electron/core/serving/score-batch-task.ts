/**
 * The worker side of batch scoring: streams a CSV (a dataset version's object
 * file or a user's file) through a registered model in chunks and writes the
 * scored CSV — every input column as it was, then `prediction` and, for
 * classification, one `probability_<class>` column per class — to a temp file
 * main adopts as an object. Memory is bounded by one chunk, whatever the size
 * of the file; cancelling kills the worker (main removes the temp file).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { CellValue, ColumnType, CsvOptions } from '../../../shared/datasets';
import { AppError } from '../../../shared/errors';
import { CsvFormatError } from '../datasets/csv-errors';
import { decodeField, scanCsvFile, type FieldSpans } from '../datasets/csv-scan';
import { toInputError } from '../datasets/dataset-tasks';
import { typedCell } from '../datasets/read-table';
import type { WorkerTask } from '../jobs/worker-task';
import { encodeTable, type TableColumn } from '../training/data-matrix';
import { deserializeModel, predictOutputs, type TrainedModel } from '../training/model';
import { toTaskError } from '../training/training-tasks';

/** Rows encoded and predicted at once: large enough to amortise the per-batch work, small enough to bound memory. */
export const SCORE_CHUNK_ROWS = 8192;
const OUT_BUFFER_BYTES = 1 << 20;

/** What `score-batch` needs; plain JSON. */
export interface ScoreBatchTaskParams {
  /** The model file (a registered version's object). */
  modelPath: string;
  /** Names the model in messages: `churn v3`. */
  modelLabel: string;
  /** The CSV to score and how to read it (a version's stored options, or a file's sniffed ones). */
  input: { path: string; options: CsvOptions; label: string };
  /** Where to write the scored CSV (a temp path under objects/tmp). */
  outPath: string;
  chunkRows?: number;
}

/** What `score-batch` returns: the file it wrote and a summary of the predictions. */
export interface ScoreBatchTaskResult {
  rows: number;
  sha256: string;
  bytes: number;
  task: 'classification' | 'regression';
  /** The scored CSV's header. */
  columns: string[];
  /** Classification: share of rows per predicted class; regression: mean, std, min, max of the predictions. */
  summary: Record<string, number>;
}

/** The source columns a model reads (with a recipe: the recipe's inputs), with the types it was trained on. */
export function modelInputs(model: TrainedModel): { name: string; type: ColumnType }[] {
  return model.encoding.sources.map((s) => ({ name: s.name, type: s.type }));
}

/** Refuses an input that lacks a column the model reads, naming it and what the file has. */
export function checkInputColumns(model: TrainedModel, columns: readonly string[], label: string, modelLabel: string): void {
  const have = new Set(columns);
  const missing = modelInputs(model)
    .map((s) => s.name)
    .filter((n) => !have.has(n));
  if (missing.length === 0) return;
  const names = missing.map((n) => `"${n}"`);
  const list =
    names.length === 1
      ? `column ${names[0]}`
      : `columns ${names.slice(0, 10).join(', ')}${names.length > 10 ? ` and ${names.length - 10} more` : ''}`;
  throw new AppError(
    'bad_input',
    `${label} has no ${list}, which ${modelLabel} needs (it has: ${columns.slice(0, 30).join(', ')}${columns.length > 30 ? ', …' : ''}).`,
    { column: missing[0], missing },
  );
}

/** Output column names: the input's, then the prediction's; a name the input already uses gets a `_2`, `_3`… suffix. */
export function scoredHeader(
  inputColumns: readonly string[],
  classes: readonly string[] | undefined,
): { header: string[]; added: string[] } {
  const taken = new Set(inputColumns);
  const unique = (name: string) => {
    let n = name;
    for (let i = 2; taken.has(n); i++) n = `${name}_${i}`;
    taken.add(n);
    return n;
  };
  const added = [unique('prediction'), ...(classes ?? []).map((c) => unique(`probability_${c}`))];
  return { header: [...inputColumns, ...added], added };
}

/** A CSV field as RFC 4180 writes it: quoted when it holds a comma, quote or line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Buffered, hashing writer of the scored file. */
class OutputFile {
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(OUT_BUFFER_BYTES);
  private pos = 0;
  private readonly hash = createHash('sha256');
  bytes = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'wx');
  }
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }
  bytesFrom(src: Buffer, start: number, end: number): void {
    this.room(end - start);
    this.pos += src.copy(this.buf, this.pos, start, end);
  }
  text(s: string): void {
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }
  flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.hash.update(chunk);
    let off = 0;
    while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off);
    this.bytes += chunk.length;
    this.pos = 0;
  }
  close(): string {
    this.flush();
    closeSync(this.fd);
    return this.hash.digest('hex');
  }
  abandon(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}

const LF = 10;

/**
 * Scores one CSV file with one model; see the module comment. Throws
 * AppError('bad_input') naming the file and the column for input the model
 * cannot read (a missing column, an infinite value, malformed CSV).
 */
export function scoreCsvFile(
  params: ScoreBatchTaskParams,
  onProgress?: (done: number, total: number, rows: number) => void,
): ScoreBatchTaskResult {
  const { input } = params;
  const model = deserializeModel(readFileSync(params.modelPath, 'utf8'));
  const options = input.options;
  const names = options.columns.map((c) => c.name);
  checkInputColumns(model, names, input.label, params.modelLabel);
  const sources = modelInputs(model);
  // Read each input with the type the model was trained on, whatever a sniff of this file guessed.
  const sourceIndex = sources.map((s) => names.indexOf(s.name));
  const sourceTypes = sources.map((s) => s.type);
  const latin1 = options.encoding === 'latin1';
  const markers = options.missingMarkers.map((m) => Buffer.from(m, latin1 ? 'latin1' : 'utf8'));
  // UTF-8 with commas: a record's bytes are copied as they are; otherwise each field is decoded and re-quoted.
  const copyRecords = !latin1 && options.delimiter === ',';
  const nCols = names.length;

  const classification = model.task === 'classification';
  const classes = classification ? model.encoding.classes! : undefined;
  const K = classes?.length ?? 0;
  const classFields = (classes ?? []).map((c) => `,${csvField(c)}`);
  const classCounts = new Float64Array(K);
  let regN = 0;
  let regMean = 0;
  let regM2 = 0;
  let regMin = Infinity;
  let regMax = -Infinity;

  const chunkRows = Math.max(1, params.chunkRows ?? SCORE_CHUNK_ROWS);
  const cells: CellValue[][] = sources.map(() => new Array<CellValue>(chunkRows).fill(null));
  const table: { columns: TableColumn[] } = { columns: sources.map((s, j) => ({ name: s.name, type: s.type, values: cells[j] })) };
  let raw = Buffer.allocUnsafe(1 << 20);
  let rawLen = 0;
  const rawEnds = new Int32Array(chunkRows);
  let inChunk = 0;
  let rows = 0;

  const { header } = scoredHeader(names, classes);
  const out = new OutputFile(params.outPath);
  const appendRaw = (src: Buffer, s: number, e: number) => {
    const need = rawLen + (e - s);
    if (need > raw.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, raw.length * 2));
      raw.copy(bigger, 0, 0, rawLen);
      raw = bigger;
    }
    rawLen += src.copy(raw, rawLen, s, e);
  };
  const appendText = (t: string) => {
    const need = rawLen + t.length * 3;
    if (need > raw.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, raw.length * 2));
      raw.copy(bigger, 0, 0, rawLen);
      raw = bigger;
    }
    rawLen += raw.write(t, rawLen, 'utf8');
  };

  const flushChunk = () => {
    const n = inChunk;
    if (n === 0) return;
    // The last chunk is shorter: encode only its rows.
    const chunk = n === chunkRows ? table : { columns: table.columns.map((c) => ({ ...c, values: c.values.slice(0, n) })) };
    const { X } = encodeTable(model.encoding, chunk);
    const P = predictOutputs(model, X, n);
    let start = 0;
    for (let i = 0; i < n; i++) {
      out.bytesFrom(raw, start, rawEnds[i]);
      start = rawEnds[i];
      if (classification) {
        let best = 0;
        const o = i * K;
        for (let k = 1; k < K; k++) if (P[o + k] > P[o + best]) best = k;
        classCounts[best]++;
        out.text(classFields[best]);
        let line = '';
        for (let k = 0; k < K; k++) line += `,${P[o + k]}`;
        out.text(line);
      } else {
        const v = P[i];
        regN++;
        const d = v - regMean;
        regMean += d / regN;
        regM2 += d * (v - regMean);
        if (v < regMin) regMin = v;
        if (v > regMax) regMax = v;
        out.text(`,${v}`);
      }
      out.byte(LF);
    }
    inChunk = 0;
    rawLen = 0;
  };

  let ok = false;
  try {
    out.text(header.map(csvField).join(','));
    out.byte(LF);
    scanCsvFile(
      input.path,
      {
        delimiter: options.delimiter,
        hasHeader: options.hasHeader,
        encoding: options.encoding,
        raggedRows: options.raggedRows,
        columnCount: nCols,
      },
      {
        onRow(buf: Buffer, spans: FieldSpans) {
          for (let j = 0; j < sourceIndex.length; j++)
            cells[j][inChunk] = typedCell(buf, spans, sourceIndex[j], sourceTypes[j], markers, latin1);
          if (copyRecords) {
            const last = nCols - 1;
            appendRaw(buf, spans.starts[0] - (spans.flags[0] ? 1 : 0), spans.ends[last] + (spans.flags[last] ? 1 : 0));
          } else {
            let line = '';
            for (let c = 0; c < nCols; c++) {
              if (c > 0) line += ',';
              line += csvField(decodeField(buf, spans.starts[c], spans.ends[c], spans.flags[c], latin1));
            }
            appendText(line);
          }
          rawEnds[inChunk++] = rawLen;
          rows++;
          if (inChunk === chunkRows) flushChunk();
        },
      },
      {
        sha256: false,
        progressEveryBytes: 1 << 20,
        onProgress: onProgress ? (p) => onProgress(p.bytesDone, p.bytesTotal, p.rows) : undefined,
      },
    );
    flushChunk();
    const sha256 = out.close();
    ok = true;
    const summary: Record<string, number> = {};
    if (classification) classes!.forEach((c, k) => (summary[c] = rows > 0 ? classCounts[k] / rows : 0));
    else Object.assign(summary, { mean: regMean, std: regN > 1 ? Math.sqrt(regM2 / regN) : 0, min: regMin, max: regMax });
    return { rows, sha256, bytes: out.bytes, task: model.task, columns: header, summary };
  } finally {
    if (!ok) out.abandon();
  }
}

/** Input errors as AppError('bad_input') naming the file they are about (the CSV reader's messages do not). */
export function scoringInputError(err: unknown, label: string): unknown {
  if (err instanceof CsvFormatError && (err.code === 'empty_file' || err.code === 'header_only')) {
    return new AppError(
      'bad_input',
      `${label} has no rows to score: ${err.code === 'empty_file' ? 'the file is empty' : 'it has a header line but no data rows'}.`,
      {
        csvError: err.code,
      },
    );
  }
  const mapped = toInputError(err);
  if (mapped instanceof AppError && mapped.code === 'bad_input' && err instanceof CsvFormatError) {
    return new AppError('bad_input', `${label}: ${mapped.message}`, mapped.details);
  }
  return toTaskError(mapped);
}

/** `score-batch`: {@link scoreCsvFile} in a worker, progress in bytes read with the row count. */
export const scoreBatchTask: WorkerTask<ScoreBatchTaskParams, ScoreBatchTaskResult> = {
  name: 'score-batch',
  run(params, ctx) {
    try {
      return scoreCsvFile(params, (done, total, rows) => ctx.progress(done, total, `${rows.toLocaleString('en')} rows scored`));
    } catch (err) {
      throw scoringInputError(err, params.input.label);
    }
  },
};

/** The batch-scoring tasks every worker serves (listed in electron/workers/worker-tasks.ts). */
export const SCORING_TASKS: readonly WorkerTask[] = [scoreBatchTask];
