import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChangeTopic } from '../../../shared/events';
import type { ChannelName, RequestOf, ResponseOf } from '../../../shared/ipc';
import { api } from './api';

export interface QueryState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload(): void;
}

export interface QueryOptions {
  /**
   * False while the request's inputs are not known yet (e.g. an id still loading): nothing
   * is asked and `data` is undefined. Default true.
   */
  enabled?: boolean;
}

/**
 * Fetches a channel and refetches whenever main says one of `topics` changed —
 * the renderer never keeps its own copy of stored data in sync by hand.
 */
export function useQuery<C extends ChannelName>(
  channel: C,
  request: RequestOf<C>,
  topics: readonly ChangeTopic[] = [],
  { enabled = true }: QueryOptions = {},
): QueryState<ResponseOf<C>> {
  const [state, setState] = useState<{ data?: ResponseOf<C>; error?: Error; loading: boolean }>({ loading: enabled });
  const key = JSON.stringify(request);
  const seq = useRef(0);
  const load = useCallback(() => {
    const mine = ++seq.current;
    if (!enabled) {
      // A request that waits for its inputs: drop what an earlier request answered.
      setState({ loading: false });
      return;
    }
    setState((s) => ({ ...s, loading: true }));
    api.call(channel, JSON.parse(key)).then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      (error: Error) => mine === seq.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
  }, [channel, key, enabled]);
  useEffect(() => {
    load();
  }, [load]);
  const topicKey = topics.join(',');
  useEffect(() => {
    if (!topicKey) return undefined;
    const wanted = new Set(topicKey.split(','));
    return api.onEvent((name, payload) => {
      if (name === 'changed' && wanted.has((payload as { topic: string }).topic)) load();
    });
  }, [topicKey, load]);
  return { data: state.data, error: state.error, loading: state.loading, reload: load };
}
