import type { jobChannels } from '../../../shared/contracts/jobs';
import type { AppContext } from '../app-context';
import { selfCheckJob } from '../jobs/self-check';
import type { HandlersFor } from './handler-types';

export function createJobHandlers(ctx: AppContext): HandlersFor<keyof typeof jobChannels> {
  return {
    'jobs:list': ({ limit, kind, includeDismissed }) => ctx.store.jobs.listJobs(limit, { kind, includeDismissed }),
    'jobs:get': ({ id }) => ctx.store.jobs.getJob(id),
    'jobs:cancel': ({ id }) => ctx.jobs.cancel(id),
    'jobs:clearFinished': () => {
      const removed = ctx.store.jobs.dismissFinishedJobs();
      ctx.events.emit('changed', { topic: 'jobs' });
      return { removed };
    },
    'jobs:startSelfCheck': (params) => ctx.jobs.start(selfCheckJob, params),
  };
}
