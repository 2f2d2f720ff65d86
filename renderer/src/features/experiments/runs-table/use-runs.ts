import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunSummary, RunViewType } from '../../../../../shared/tracking';
import { api } from '../../../lib/api';
import { useChangeRefetch } from './use-debounced-query';

/** The first page is small so the first rows paint early; the rest come in larger pages. */
export const FIRST_PAGE = 1000;
export const NEXT_PAGE = 9000;
/** How many runs the table loads before it offers "Load more". */
export const LOAD_LIMIT = 10_000;

export interface RunsQuery {
  experimentIds: number[];
  filter: string;
  orderBy: string[];
  runViewType: RunViewType;
  /** The metric, param and tag keys the visible columns show (the rest is not fetched). */
  keys: { metrics: string[]; params: string[]; tags: string[] };
}

export interface RunsState {
  runs: RunSummary[];
  /** More runs match than were loaded. */
  more: boolean;
  loading: boolean;
  /** The server's message for the last request (a bad filter, …); the previous rows stay. */
  error: Error | undefined;
  /** The filter the shown rows answer. */
  shownFilter: string;
  loadMore(): void;
}

/**
 * Fetches the runs of a query in pages (nextPageToken) up to a limit, keeps the
 * previous rows while a request fails, and refetches on 'tracking' and 'jobs'
 * changes at most once per REFETCH_DELAY_MS.
 */
export function useRuns(query: RunsQuery): RunsState {
  const [state, setState] = useState<Omit<RunsState, 'loadMore'>>({
    runs: [],
    more: false,
    loading: true,
    error: undefined,
    shownFilter: '',
  });
  const [limit, setLimit] = useState(LOAD_LIMIT);
  const key = JSON.stringify(query);
  const seq = useRef(0);
  const shownKey = useRef<string | null>(null);

  const load = useCallback(async () => {
    const mine = ++seq.current;
    const q = JSON.parse(key) as RunsQuery;
    setState((s) => ({ ...s, loading: true }));
    try {
      let runs: RunSummary[] = [];
      let token: string | undefined;
      do {
        const pageSize = Math.min(runs.length === 0 ? FIRST_PAGE : NEXT_PAGE, limit - runs.length);
        const page = await api.call('runs:search', { ...q, maxResults: pageSize, pageToken: token });
        if (mine !== seq.current) return;
        runs = runs.length === 0 ? page.runs : runs.concat(page.runs);
        token = page.nextPageToken;
        const done = !token || runs.length >= limit;
        // A new query paints its first page at once, the rest behind it; a refetch of the
        // same query swaps the rows in one go, so the list never shrinks under the user's scroll.
        if (done || shownKey.current !== key) {
          shownKey.current = key;
          setState({ runs, more: token !== undefined, loading: !done, error: undefined, shownFilter: q.filter });
        }
      } while (token && runs.length < limit);
    } catch (error) {
      if (mine === seq.current) setState((s) => ({ ...s, loading: false, error: error as Error }));
    }
  }, [key, limit]);

  useEffect(() => {
    void load();
  }, [load]);

  useChangeRefetch(['tracking', 'jobs'], () => void load());

  useEffect(() => setLimit(LOAD_LIMIT), [key]);

  return { ...state, loadMore: () => setLimit((l) => l + LOAD_LIMIT) };
}
