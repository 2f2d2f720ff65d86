/** What push and pull share: their environment, the per-item result, and how a failure ends an item or the sync. */
import { AppError } from '../../../../shared/errors';
import { SYNC_OUTCOMES, type SyncItem, type SyncResult } from '../../../../shared/mlflow-sync';
import type { EventBus } from '../../events';
import type { Actor } from '../../registry/actor';
import type { Store } from '../../store';
import { createMlflowClient, RemoteError, type FetchLike, type MlflowClient } from './client';

export interface SyncEnv {
  store: Store;
  events: Pick<EventBus, 'emit'>;
  /** The remote's normalised URI (the key of its id map). */
  uri: string;
  token: string | null;
  fetch?: FetchLike;
  signal?: AbortSignal;
  progress?: (done: number, total: number, message: string | null) => void;
  /** Page sizes of a pull's runs/search and get-history (MLflow's largest by default; small in tests to cross pages). */
  pageSizes?: { runs?: number; history?: number };
  /** Who the registry's audit log records for pulled versions. */
  actor?: Actor;
}

/** The tag a pushed run carries on the server: the local run it came from (found again if create-run's answer was lost). */
export const SOURCE_RUN_TAG = 'mlwb.sync.source_run_id';

export const clientOf = (env: SyncEnv): MlflowClient =>
  createMlflowClient({ uri: env.uri, token: env.token, fetch: env.fetch, signal: env.signal });

/** Thrown to end the sync: the server cannot be talked to any more. */
class Stop extends Error {}

export function createCollector(direction: 'push' | 'pull', env: SyncEnv) {
  const items: SyncItem[] = [];
  let stopped: string | null = null;
  let done = 0;
  let total = 0;
  return {
    items,
    setTotal(n: number) {
      total = n;
      env.progress?.(done, total, null);
    },
    /** More items than counted at the start (a pull learns its runs page by page). */
    grow(n: number) {
      total += n;
    },
    add(item: SyncItem) {
      items.push(item);
    },
    /** Progress inside an item (metric points sent…), the count unchanged. */
    note(message: string) {
      env.progress?.(Math.min(done, total), total, message);
    },
    step(message: string) {
      done++;
      env.progress?.(Math.min(done, total), total, message);
    },
    /**
     * Runs one item: its outcome, or `failed` with the reason. A fatal remote
     * error (unreachable, token refused) fails this item and stops the sync.
     * `silent`: only a failure is a row (a look-up before the item itself).
     */
    async item(
      base: Omit<SyncItem, 'outcome' | 'message'>,
      work: () => Promise<Pick<SyncItem, 'outcome' | 'message'> & Partial<SyncItem>>,
      { silent = false } = {},
    ) {
      if (stopped) throw new Stop(stopped);
      try {
        const r = await work();
        const item = { ...base, ...r };
        if (!silent) items.push(item);
        return item;
      } catch (err) {
        if (err instanceof AppError && err.code === 'job_cancelled') throw err;
        if (env.signal?.aborted) throw new AppError('job_cancelled', 'Cancelled.');
        const message = err instanceof Error ? err.message : String(err);
        items.push({ ...base, outcome: 'failed', message });
        if (err instanceof RemoteError && err.fatal) {
          stopped = message;
          throw new Stop(message);
        }
        return null;
      }
    },
    /** Runs the whole sync body; a Stop ends it early with the reason kept. */
    async run(body: () => Promise<void>): Promise<SyncResult> {
      try {
        await body();
      } catch (err) {
        if (!(err instanceof Stop)) throw err;
      }
      const counts = Object.fromEntries(SYNC_OUTCOMES.map((o) => [o, 0])) as SyncResult['counts'];
      for (const i of items) counts[i.outcome]++;
      env.progress?.(total, total, null);
      return { direction, remote: env.uri, items, counts, stopped };
    },
  };
}

/** Epoch ms from an MLflow int64 (a number or a decimal string), or null. */
export function int64(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return null;
}

/** A string literal of MLflow's filter syntax: single quotes, or double ones for a value holding a single quote. */
export const filterString = (v: string) => (v.includes("'") ? `"${v}"` : `'${v}'`);
