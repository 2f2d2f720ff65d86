import { z } from 'zod';
import { defineChannel } from '../contract';
import { jobIdSchema, selfCheckParamsSchema, type JobRecord } from '../jobs';

export const jobChannels = {
  'jobs:list': defineChannel(
    z
      .object({
        limit: z.number().int().min(1).max(500).default(50),
        /** Only jobs of this kind. */
        kind: z.string().max(100).optional(),
        /** Also jobs cleared from the tray (their results stay). */
        includeDismissed: z.boolean().default(false),
      })
      .strict(),
  )<JobRecord[]>(),
  'jobs:get': defineChannel(jobIdSchema.strict())<JobRecord>(),
  'jobs:cancel': defineChannel(jobIdSchema.strict())<JobRecord>(),
  'jobs:clearFinished': defineChannel(z.object({}).strict())<{ removed: number }>(),
  'jobs:startSelfCheck': defineChannel(selfCheckParamsSchema)<JobRecord>(),
};
