import { z } from 'zod';
import { defineChannel } from '../contract';
import type { TrainableVersion } from '../training';

/**
 * Training from the app: what can be trained. Runs are launched with
 * `runs:launch` and read with `runs:get` / `runs:artifact` (contracts/tracking.ts).
 */
export const trainingChannels = {
  /** Dataset versions with their columns (types, distinct counts, implied task), newest first. */
  'training:sources': defineChannel(z.object({}).strict())<TrainableVersion[]>(),
};
