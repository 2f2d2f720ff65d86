import type { LoggedPrediction } from './protocol';

export interface PredictionLogBufferOptions {
  /** Sends one batch (to main); never awaited, so answering never waits for the log. */
  send(entries: LoggedPrediction[], dropped: number): void;
  flushMs: number;
  batchRows: number;
  /** Rows kept waiting at most; beyond it new rows are dropped and counted (main is not keeping up). */
  maxPending?: number;
}

/**
 * Collects logged predictions in the server process and hands them to main in
 * batches — every `flushMs`, or as soon as `batchRows` are waiting — so main
 * writes one transaction per batch and a request never waits for the database.
 */
export function createPredictionLogBuffer(options: PredictionLogBufferOptions) {
  const maxPending = options.maxPending ?? 50_000;
  let pending: LoggedPrediction[] = [];
  let dropped = 0;
  let timer: NodeJS.Timeout | null = null;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!pending.length && !dropped) return;
    const batch = pending;
    const lost = dropped;
    pending = [];
    dropped = 0;
    options.send(batch, lost);
  }

  return {
    add(entry: LoggedPrediction): void {
      if (pending.length >= maxPending) {
        dropped++;
        return;
      }
      pending.push(entry);
      if (pending.length >= options.batchRows) setImmediate(flush);
      else if (!timer) timer = setTimeout(flush, options.flushMs);
    },
    flush,
    get pendingRows(): number {
      return pending.length;
    },
  };
}
export type PredictionLogBuffer = ReturnType<typeof createPredictionLogBuffer>;
