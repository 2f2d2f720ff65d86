import type { z } from 'zod';
import type { Channel } from './contract';
import { appChannels } from './contracts/app';
import { datasetChannels } from './contracts/datasets';
import { jobChannels } from './contracts/jobs';
import { maturityChannels } from './contracts/maturity';
import { reportChannels } from './contracts/reports';
import { trainingChannels } from './contracts/training';
import { trackingChannels } from './contracts/tracking';
import { registryChannels } from './contracts/registry';
import { servingChannels } from './contracts/serving';
import { monitoringChannels } from './contracts/monitoring';
import { mlflowChannels } from './contracts/mlflow';
import { mlflowFilesChannels } from './contracts/mlflow-files';
import { mlflowSyncChannels } from './contracts/mlflow-sync';
import { pipelineChannels } from './contracts/pipelines';

/**
 * The whole contract: channel name → request schema and response type.
 * Main registers handlers for exactly these keys, preload exposes `invoke` for
 * them, and the browser host serves the same map over HTTP. A capability adds
 * its channels in `shared/contracts/<capability>.ts` and spreads them here.
 */
export const channels = {
  ...appChannels,
  ...jobChannels,
  ...datasetChannels,
  ...maturityChannels,
  ...reportChannels,
  ...trainingChannels,
  ...trackingChannels,
  ...registryChannels,
  ...servingChannels,
  ...monitoringChannels,
  ...mlflowChannels,
  ...mlflowFilesChannels,
  ...mlflowSyncChannels,
  ...pipelineChannels,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = Channels[C] extends Channel<z.ZodType, infer R> ? R : never;

/** True when `name` is a channel of the contract. */
export function isChannelName(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(channels, name);
}

/** Upper bound on a request body, so a huge string cannot exhaust memory (IPC and HTTP alike). */
export const MAX_REQUEST_BYTES = 1_000_000;
