import { useEffect, useState } from 'react';
import type { JobRecord } from '../../../../shared/jobs';
import { api } from '../../lib/api';

/**
 * Follows one background job by id through the `job` events (progress, final
 * status), starting from the record the start call returned.
 */
export function useJob(initial: JobRecord | null): JobRecord | null {
  const [job, setJob] = useState<JobRecord | null>(initial);
  useEffect(() => {
    setJob(initial);
    if (!initial) return undefined;
    const unsubscribe = api.onEvent((name, payload) => {
      if (name === 'job' && (payload as JobRecord).id === initial.id) setJob(payload as JobRecord);
    });
    // The job may have finished before we subscribed.
    api.call('jobs:get', { id: initial.id }).then((j) => setJob((cur) => (cur && cur.id === j.id && cur.status !== 'queued' && cur.status !== 'running' ? cur : j)), () => {});
    return unsubscribe;
  }, [initial]);
  return job;
}

/** True once a job has ended one way or another. */
export function isFinished(job: JobRecord | null): boolean {
  return !!job && (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled');
}
