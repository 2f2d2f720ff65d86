/**
 * The worker side of batch scoring: streams a CSV (a dataset version's object
 * file or a user's file) through a registered model in chunks and writes the
 * scored CSV — every input column as it was, then `prediction` and, for
 * classification, one `probability_<class>` column per class — to a temp file
 * main adopts as an object. Memory is bounded by one chunk, whatever the size
 * of the file; cancelling kills the worker (main removes the temp file).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import type { CellValue, ColumnType, CsvOptions } from '../../../shared/datasets';
import { AppError } from '../../../shared/errors';
import { CsvFormatError } from '../datasets/csv-errors';
import { decodeField, scanCsvFile, type FieldSpans } from '../datasets/csv-scan';
import { toInputError } from '../datasets/dataset-tasks';
import { parseNumberBytes } from '../datasets/parse-number';
import { typedCell } from '../datasets/read-table';
import type { WorkerTask } from '../jobs/worker-task';
import { encodeTable, type TableColumn } from '../training/data-matrix';
import { deserializeModel, predictOutputs, type TrainedModel } from '../training/model';
import { isTrainingError, type TrainingError } from '../training/errors';
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
  /**
   * Score only chunks `index`, `index + of`, … of the file (every task still
   * reads all of it: a quoted field may hold a line break, so the file cannot
   * be cut by bytes), writing them without the header; `score-batch-merge`
   * interleaves the parts. Absent: the whole file, with its header.
   */
  part?: { index: number; of: number };
}

/** What the predictions of a file (or of a part's chunks) add up to; parts combine with {@link mergeStats}. */
export interface PredictionStats {
  /** Classification: rows per predicted class (class index order); empty for regression. */
  classCounts: number[];
  /** Regression: count, mean, sum of squared deviations (Welford), min and max of the predictions. */
  n: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

/** What `score-batch` returns: the file it wrote and a summary of the predictions. */
export interface ScoreBatchTaskResult {
  rows: number;
  sha256: string;
  bytes: number;
  task: 'classification' | 'regression';
  /** The scored CSV's header. */
  columns: string[];
  /** The model's class labels (classification). */
  classes: string[] | null;
  stats: PredictionStats;
  /** Byte length of each chunk this task wrote, in file order (what the merge needs to interleave parts). */
  chunkBytes: number[];
  /** {@link summarize} of this task's stats: the file's summary when it scored the whole file. */
  summary: Record<string, number>;
}

/** Combines the stats of two parts (Chan et al.'s parallel update for the mean and M2). */
export function mergeStats(a: PredictionStats, b: PredictionStats): PredictionStats {
  const n = a.n + b.n;
  const d = b.mean - a.mean;
  return {
    classCounts: a.classCounts.map((c, k) => c + (b.classCounts[k] ?? 0)),
    n,
    mean: n > 0 ? a.mean + (d * b.n) / n : 0,
    m2: n > 0 ? a.m2 + b.m2 + (d * d * a.n * b.n) / n : 0,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
  };
}

/** A prediction set's summary: share of rows per class (classification), or mean, std, min and max (regression). */
export function summarize(stats: PredictionStats, classes: readonly string[] | null, rows: number): Record<string, number> {
  if (classes) return Object.fromEntries(classes.map((c, k) => [c, rows > 0 ? (stats.classCounts[k] ?? 0) / rows : 0]));
  return { mean: stats.mean, std: stats.n > 1 ? Math.sqrt(stats.m2 / stats.n) : 0, min: stats.min, max: stats.max };
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
  /** Bytes buffered, not yet written. */
  get pending(): number {
    return this.pos;
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
  const classCounts = new Array<number>(K).fill(0);
  let regN = 0;
  let regMean = 0;
  let regM2 = 0;
  let regMin = Infinity;
  let regMax = -Infinity;
  const part = params.part && params.part.of > 1 ? params.part : null;
  const chunkBytes: number[] = [];

  const chunkRows = Math.max(1, params.chunkRows ?? SCORE_CHUNK_ROWS);
  // Number columns are kept unboxed (no heap number per cell): NaN marks a missing value, which the
  // encoders (built-in and recipe) read exactly as they read null.
  const numeric = sourceTypes.map((t) => t === 'number' || t === 'integer');
  const cells: CellValue[][] = sources.map((_, j) =>
    numeric[j] ? (new Float64Array(chunkRows) as unknown as CellValue[]) : new Array<CellValue>(chunkRows).fill(null),
  );
  // The tokenizer's number is the cell unless a missing marker could itself be a number (e.g. -999).
  const numericMarker = markers.some((m) => !Number.isNaN(parseNumberBytes(m, 0, m.length)));
  const table: { columns: TableColumn[] } = { columns: sources.map((s, j) => ({ name: s.name, type: s.type, values: cells[j] })) };
  let raw = Buffer.allocUnsafe(1 << 20);
  let rawLen = 0;
  const rawEnds = new Int32Array(chunkRows);
  let inChunk = 0;
  let rows = 0;
  /** Rows of the current chunk seen (whether this task scores it or not). */
  let seenInChunk = 0;
  let chunkIndex = 0;
  let mine = !part || part.index === 0;

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
    const before = out.bytes + out.pending;
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
    chunkBytes.push(out.bytes + out.pending - before);
    inChunk = 0;
    rawLen = 0;
  };

  let ok = false;
  try {
    if (!part) {
      out.text(header.map(csvField).join(','));
      out.byte(LF);
    }
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
          rows++;
          if (!mine) {
            if (++seenInChunk === chunkRows) {
              seenInChunk = 0;
              chunkIndex++;
              mine = chunkIndex % part!.of === part!.index;
            }
            return;
          }
          for (let j = 0; j < sourceIndex.length; j++) {
            const c = sourceIndex[j];
            if (numeric[j]) {
              const v = spans.numbers[c];
              if (v === v && !numericMarker && (sourceTypes[j] === 'number' || Number.isInteger(v))) cells[j][inChunk] = v;
              else cells[j][inChunk] = (typedCell(buf, spans, c, sourceTypes[j], markers, latin1) as number | null) ?? NaN;
            } else cells[j][inChunk] = typedCell(buf, spans, c, sourceTypes[j], markers, latin1);
          }
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
          if (inChunk === chunkRows) {
            flushChunk();
            seenInChunk = 0;
            chunkIndex++;
            mine = !part || chunkIndex % part.of === part.index;
          }
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
    const stats: PredictionStats = { classCounts, n: regN, mean: regMean, m2: regM2, min: regMin, max: regMax };
    return {
      rows,
      sha256,
      bytes: out.bytes,
      task: model.task,
      columns: header,
      classes: classes ?? null,
      stats,
      chunkBytes,
      summary: summarize(stats, classes ?? null, rows),
    };
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
  // The engine's input errors (an infinite value in a column) name the column; say which file too.
  if (isTrainingError(err) && (err as TrainingError).code !== 'CANCELLED' && (err as TrainingError).code !== 'BAD_MODEL') {
    const e = toTaskError(err) as AppError;
    return new AppError(e.code, `${label}: ${e.message}`, e.details);
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

/** What `score-batch-merge` needs: the header and the parts `score-batch` tasks wrote, in part order. */
export interface ScoreMergeParams {
  columns: string[];
  parts: { path: string; chunkBytes: number[] }[];
  outPath: string;
}

/**
 * Writes the scored file from parts: the header, then chunk 0 of part 0,
 * chunk 0 of part 1, …, chunk 1 of part 0, … (part `i` holds chunks `i`,
 * `i + parts`, …), hashing as it goes. Progress in bytes written.
 */
export function mergeScoredParts(
  params: ScoreMergeParams,
  onProgress?: (done: number, total: number) => void,
): { sha256: string; bytes: number } {
  const out = new OutputFile(params.outPath);
  const fds: number[] = [];
  let ok = false;
  try {
    out.text(params.columns.map(csvField).join(','));
    out.byte(LF);
    for (const p of params.parts) fds.push(openSync(p.path, 'r'));
    const total = params.parts.reduce((s, p) => s + p.chunkBytes.reduce((a, b) => a + b, 0), 0);
    const next = params.parts.map(() => 0);
    const buf = Buffer.allocUnsafe(OUT_BUFFER_BYTES);
    let done = 0;
    for (let chunk = 0; ; chunk++) {
      const w = chunk % params.parts.length;
      const k = next[w]++;
      if (k >= params.parts[w].chunkBytes.length) break;
      let left = params.parts[w].chunkBytes[k];
      while (left > 0) {
        const n = readSync(fds[w], buf, 0, Math.min(left, buf.length), null);
        if (n === 0) throw new Error(`Part ${w} of the scored file ended early.`);
        out.bytesFrom(buf, 0, n);
        left -= n;
        done += n;
      }
      onProgress?.(done, total);
    }
    const sha256 = out.close();
    ok = true;
    return { sha256, bytes: out.bytes };
  } finally {
    for (const fd of fds) closeSync(fd);
    if (!ok) out.abandon();
  }
}

/** `score-batch-merge`: {@link mergeScoredParts} in a worker (main never copies hundreds of megabytes on its event loop). */
export const scoreMergeTask: WorkerTask<ScoreMergeParams, { sha256: string; bytes: number }> = {
  name: 'score-batch-merge',
  run(params, ctx) {
    return mergeScoredParts(params, (done, total) => ctx.progress(done, total, 'writing the scored file'));
  },
};

/** The batch-scoring tasks every worker serves (listed in electron/workers/worker-tasks.ts). */
export const SCORING_TASKS: readonly WorkerTask[] = [scoreBatchTask, scoreMergeTask];
