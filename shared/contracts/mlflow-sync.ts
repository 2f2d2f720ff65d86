import { z } from 'zod';
import { defineChannel } from '../contract';
import type { JobRecord } from '../jobs';
import {
  addRemoteSchema,
  pullRequestSchema,
  pushRequestSchema,
  remoteRefSchema,
  setRemoteTokenSchema,
  type SyncRemotesResponse,
} from '../mlflow-sync';

/** Team server sync: remotes (their tokens in the OS keychain, never in the workspace) and push/pull jobs. */
export const mlflowSyncChannels = {
  /** The remotes, whether each has a token, and where tokens are kept. */
  'mlflow:remotes': defineChannel(z.strictObject({}))<SyncRemotesResponse>(),
  /** Adds a remote (a URI already added is renamed and its token replaced when one is given). */
  'mlflow:addRemote': defineChannel(addRemoteSchema)<SyncRemotesResponse>(),
  /** Removes a remote, its token and its id map. */
  'mlflow:removeRemote': defineChannel(remoteRefSchema)<SyncRemotesResponse>(),
  /** Sets a remote's token ('' removes it). */
  'mlflow:setRemoteToken': defineChannel(setRemoteTokenSchema)<SyncRemotesResponse>(),
  /** Starts a push job (the result: SyncResult). */
  'mlflow:push': defineChannel(pushRequestSchema)<JobRecord>(),
  /** Starts a pull job (the result: SyncResult). */
  'mlflow:pull': defineChannel(pullRequestSchema)<JobRecord>(),
};
