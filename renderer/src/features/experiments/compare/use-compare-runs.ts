import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunDetail } from '../../../../../shared/tracking';
import type { ComparedRun } from '../../../../../shared/run-comparison';
import { api } from '../../../lib/api';

/** A compared run: its page data and its metrics by key (what the comparison helpers read). */
export interface CompareRun extends ComparedRun {
  detail: RunDetail;
}

/** The runs' data, fetched together and again when tracking data change (a rename, a tag, a finished run). */
export function useCompareRuns(runIds: readonly string[]): { runs: CompareRun[] | undefined; error: Error | undefined } {
  const [state, setState] = useState<{ runs?: CompareRun[]; error?: Error }>({});
  const key = runIds.join(',');
  const seq = useRef(0);
  const load = useCallback(() => {
    const mine = ++seq.current;
    Promise.all(key.split(',').map((runId) => api.call('runs:get', { runId }))).then(
      (details) => {
        if (mine !== seq.current) return;
        // Lets the benchmark time "data arrived → plot drawn".
        performance.mark('mlwb:compare-data');
        setState({
          runs: details.map((d) => ({
            detail: d,
            runId: d.info.runId,
            name: d.info.name,
            params: d.params,
            tags: d.tags,
            metrics: Object.fromEntries(d.metrics.map((m) => [m.key, m.value])),
          })),
        });
      },
      (error: Error) => mine === seq.current && setState((s) => ({ ...s, error })),
    );
  }, [key]);
  useEffect(() => load(), [load]);
  useEffect(
    () =>
      api.onEvent((name, payload) => {
        if (name === 'changed' && (payload as { topic: string }).topic === 'tracking') load();
      }),
    [load],
  );
  return { runs: state.runs, error: state.error };
}
