import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChangeTopic } from '../../../../../shared/events';
import type { ChannelName, RequestOf, ResponseOf } from '../../../../../shared/ipc';
import { api } from '../../../lib/api';

/** Change events closer together than this fold into one refetch (a training run sends many). */
export const REFETCH_DELAY_MS = 400;

/**
 * Calls `load` when main says one of `topics` changed, at most once per
 * REFETCH_DELAY_MS: the first event starts a timer, later ones ride on it
 * (trailing, never restarted, so a steady stream still refreshes).
 */
export function useChangeRefetch(topics: readonly ChangeTopic[], load: () => void): void {
  const topicKey = topics.join(',');
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    const wanted = new Set(topicKey.split(','));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = api.onEvent((name, payload) => {
      if (name !== 'changed' || !wanted.has((payload as { topic: string }).topic)) return;
      timer ??= setTimeout(() => {
        timer = undefined;
        latest.current();
      }, REFETCH_DELAY_MS);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [topicKey]);
}

/** useQuery with refetches folded by useChangeRefetch; the previous data stays while a request fails. */
export function useDebouncedQuery<C extends ChannelName>(
  channel: C,
  request: RequestOf<C>,
  topics: readonly ChangeTopic[],
): { data: ResponseOf<C> | undefined; error: Error | undefined; reload(): void } {
  const [state, setState] = useState<{ data?: ResponseOf<C>; error?: Error }>({});
  const key = JSON.stringify(request);
  const seq = useRef(0);
  const load = useCallback(() => {
    const mine = ++seq.current;
    api.call(channel, JSON.parse(key)).then(
      (data) => mine === seq.current && setState({ data }),
      (error: Error) => mine === seq.current && setState((s) => ({ data: s.data, error })),
    );
  }, [channel, key]);
  useEffect(load, [load]);
  useChangeRefetch(topics, load);
  return { data: state.data, error: state.error, reload: load };
}
