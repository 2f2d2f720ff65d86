import type { RecordPrediction } from '../training/model';
import type { PredictionLogBatch } from './protocol';
import type { InputRecord } from './request-parsing';
import type { ServedModel } from './served-model';

/** One answered request, as the HTTP side hands it to the log. */
export interface AnsweredRequest {
  model: ServedModel;
  records: InputRecord[];
  predictions: RecordPrediction[];
  ids: string[];
  at: number;
  latencyMs: number;
}

export interface PredictionLogBufferOptions {
  /** Sends the waiting batches (to main); never awaited, so answering never waits for the log. */
  send(batches: PredictionLogBatch[], dropped: number): void;
  flushMs: number;
  batchRows: number;
  /** Rows kept waiting at most; beyond it new rows are dropped and counted (main is not keeping up). */
  maxPending?: number;
}

/**
 * Collects logged predictions in the server process, column-wise per
 * answering version, and hands them to main in batches — every `flushMs`, or
 * as soon as `batchRows` are waiting — so main writes one transaction per
 * batch and a request never waits for the database.
 */
export function createPredictionLogBuffer(options: PredictionLogBufferOptions) {
  const maxPending = options.maxPending ?? 50_000;
  let batches = new Map<ServedModel, PredictionLogBatch>();
  let pending = 0;
  let dropped = 0;
  let timer: NodeJS.Timeout | null = null;
  let immediate = false;

  function batchOf(model: ServedModel): PredictionLogBatch {
    let b = batches.get(model);
    if (!b) {
      const classes = model.model.task === 'classification' ? (model.model.encoding.classes ?? []) : null;
      b = {
        version: model.version,
        columns: model.inputs.columns.map((c) => c.name),
        classes,
        predictionIds: [],
        at: [],
        latencyMs: [],
        inputs: [],
        predictions: [],
        probabilities: classes ? [] : null,
      };
      batches.set(model, b);
    }
    return b;
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    immediate = false;
    if (!pending && !dropped) return;
    const ready = [...batches.values()];
    const lost = dropped;
    batches = new Map();
    pending = 0;
    dropped = 0;
    options.send(ready, lost);
  }

  return {
    add(a: AnsweredRequest): void {
      const n = a.records.length;
      if (pending + n > maxPending) {
        dropped += n;
        return;
      }
      const b = batchOf(a.model);
      for (let i = 0; i < n; i++) {
        const rec = a.records[i];
        const p = a.predictions[i];
        b.predictionIds.push(a.ids[i]);
        b.at.push(a.at);
        b.latencyMs.push(a.latencyMs);
        b.inputs.push(b.columns.map((c) => rec[c] ?? null));
        b.predictions.push(p.prediction);
        if (b.probabilities) b.probabilities.push(b.classes!.map((c) => p.probabilities?.[c] ?? 0));
      }
      pending += n;
      if (pending >= options.batchRows) {
        if (!immediate) {
          immediate = true;
          setImmediate(flush);
        }
      } else if (!timer) timer = setTimeout(flush, options.flushMs);
    },
    flush,
    get pendingRows(): number {
      return pending;
    },
  };
}
export type PredictionLogBuffer = ReturnType<typeof createPredictionLogBuffer>;
