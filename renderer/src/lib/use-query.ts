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

/**
 * Fetches a channel and refetches whenever main says one of `topics` changed —
 * the renderer never keeps its own copy of stored data in sync by hand.
 */
export function useQuery<C extends ChannelName>(channel: C, request: RequestOf<C>, topics: readonly ChangeTopic[] = []): QueryState<ResponseOf<C>> {
  const [state, setState] = useState<{ data?: ResponseOf<C>; error?: Error; loading: boolean }>({ loading: true });
  const key = JSON.stringify(request);
  const seq = useRef(0);
  const load = useCallback(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    api.call(channel, JSON.parse(key)).then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      (error: Error) => mine === seq.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
  }, [channel, key]);
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
