import { useEffect, useState } from 'react';
import type { JobRecord } from '../../../../../shared/jobs';
import { api } from '../../../lib/api';

/** True once a job has ended one way or another. */
export function jobEnded(job: JobRecord | null | undefined): boolean {
  return !!job && (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled');
}

/**
 * Follows one background job by id: its record from `jobs:get`, then every
 * `job` event (progress, final status). An ended record is never replaced by
 * an older running one that arrives late.
 */
export function useFollowJob(jobId: number | null, initial?: JobRecord | null): JobRecord | null {
  const [job, setJob] = useState<JobRecord | null>(initial ?? null);
  useEffect(() => {
    if (jobId === null) {
      setJob(null);
      return undefined;
    }
    let live = true;
    const take = (next: JobRecord) => setJob((cur) => (cur && cur.id === next.id && jobEnded(cur) && !jobEnded(next) ? cur : next));
    const off = api.onEvent((name, payload) => {
      if (name === 'job' && (payload as JobRecord).id === jobId) take(payload as JobRecord);
    });
    api.call('jobs:get', { id: jobId }).then(
      (j) => live && take(j),
      () => {},
    );
    return () => {
      live = false;
      off();
    };
  }, [jobId]);
  return job && job.id === jobId ? job : null;
}

export interface CallState<T> {
  data: T | undefined;
  error: Error | undefined;
}

/**
 * Runs an async read when its key changes (null: nothing to read yet), for
 * reads that depend on the run's data — a query waits for its inputs.
 */
export function useCall<T>(key: string | null, read: () => Promise<T>): CallState<T> {
  const [state, setState] = useState<CallState<T> & { key: string | null }>({ data: undefined, error: undefined, key: null });
  useEffect(() => {
    if (key === null) return undefined;
    let live = true;
    read().then(
      (data) => live && setState({ data, error: undefined, key }),
      (error: Error) => live && setState({ data: undefined, error, key }),
    );
    return () => {
      live = false;
    };
    // `read` is recreated each render; the key says when its inputs changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  // While a changed key reloads, the previous answer stays on screen (a live run refreshes without flicker).
  return key === null ? { data: undefined, error: undefined } : { data: state.data, error: state.error };
}
