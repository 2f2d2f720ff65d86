/**
 * The push and pull jobs (the job tray shows them; their result is a
 * SyncResult). The token is read from the secret store when the job runs —
 * never a job param, since the jobs table keeps params.
 */
import { remoteSecretKey, type PullRequest, type PushRequest, type SyncResult } from '../../../../shared/mlflow-sync';
import type { JobContext, JobKind } from '../../jobs/job-kind';
import type { Actor } from '../../registry/actor';
import type { FetchLike } from './client';
import type { SyncEnv } from './common';
import { pullFromRemote } from './pull';
import { pushToRemote } from './push';

export const MLFLOW_PUSH_KIND = 'mlflow-push';
export const MLFLOW_PULL_KIND = 'mlflow-pull';

export interface SyncJobOptions {
  fetch?: FetchLike;
  actor?: Actor;
}

async function envOf(ctx: JobContext, uri: string, options: SyncJobOptions): Promise<SyncEnv> {
  return {
    store: ctx.app.store,
    events: ctx.app.events,
    uri,
    token: await ctx.app.secrets.get(remoteSecretKey(uri)),
    fetch: options.fetch,
    signal: ctx.signal,
    progress: ctx.progress,
    actor: options.actor,
  };
}

export function mlflowPushJob(options: SyncJobOptions = {}): JobKind<PushRequest, SyncResult> {
  return {
    kind: MLFLOW_PUSH_KIND,
    title: (p) => `Push to ${p.remote}`,
    execute: async (ctx, p) => pushToRemote(await envOf(ctx, p.remote, options), p),
  };
}

export function mlflowPullJob(options: SyncJobOptions = {}): JobKind<PullRequest, SyncResult> {
  return {
    kind: MLFLOW_PULL_KIND,
    title: (p) => `Pull from ${p.remote}`,
    execute: async (ctx, p) => pullFromRemote(await envOf(ctx, p.remote, options), p),
  };
}
