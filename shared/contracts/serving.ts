import { z } from 'zod';
import { defineChannel } from '../contract';
import type { JobRecord } from '../jobs';
import { modelNameSchema } from '../registry';
import { scoreBatchSchema, startServerSchema, type PredictionLogStats, type PredictionSet, type ServerStatus } from '../serving';

export const servingChannels = {
  /** Every scoring server this app started (running first, then the recent stopped ones). */
  'serving:list': defineChannel(z.strictObject({ name: modelNameSchema.optional() }))<ServerStatus[]>(),
  'serving:start': defineChannel(startServerSchema)<ServerStatus>(),
  'serving:stop': defineChannel(z.strictObject({ id: z.number().int().min(1) }))<ServerStatus>(),
  'serving:logStats': defineChannel(z.strictObject({}))<PredictionLogStats>(),
  /** Starts a batch scoring job (dataset version or CSV → scored CSV + stored prediction set). */
  'scoring:start': defineChannel(scoreBatchSchema)<JobRecord>(),
  'scoring:sets': defineChannel(z.strictObject({ name: modelNameSchema.optional() }))<PredictionSet[]>(),
  /** A prediction set's scored CSV as text (for the renderer's download). */
  'scoring:csv': defineChannel(z.strictObject({ id: z.number().int().min(1) }))<string>(),
};
