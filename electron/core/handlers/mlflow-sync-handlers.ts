import { AppError } from '../../../shared/errors';
import type { mlflowSyncChannels } from '../../../shared/contracts/mlflow-sync';
import { remoteSecretKey, type SyncRemotesResponse } from '../../../shared/mlflow-sync';
import type { AppContext } from '../app-context';
import { MLFLOW_PULL_KIND, MLFLOW_PUSH_KIND, mlflowPullJob, mlflowPushJob } from '../mlflow/sync/jobs';
import { actorOf } from '../registry/actor';
import type { HandlersFor } from './handler-types';

/**
 * Team server sync: the remotes (tokens in ctx.secrets — the OS keychain in
 * the app — never in the workspace), and push/pull as jobs.
 */
export function createMlflowSyncHandlers(ctx: AppContext): HandlersFor<keyof typeof mlflowSyncChannels> {
  const list = async (): Promise<SyncRemotesResponse> => {
    const rows = ctx.store.mlflowSync.listRemotes();
    const remotes = await Promise.all(
      rows.map(async (r) => ({ ...r, tokenSet: (await ctx.secrets.get(remoteSecretKey(r.uri))) !== null })),
    );
    return { remotes, tokenProtection: ctx.secrets.protection };
  };
  const changed = () => ctx.events.emit('changed', { topic: 'mlflow' });
  const known = (uri: string) => {
    if (!ctx.store.mlflowSync.findRemote(uri)) throw new AppError('not_found', `No remote with URI ${uri}; add it first.`);
  };
  const setToken = async (uri: string, token: string) => {
    if (token) await ctx.secrets.set(remoteSecretKey(uri), token);
    else await ctx.secrets.delete(remoteSecretKey(uri));
  };
  const actor = actorOf(ctx);
  /** One sync per remote at a time: two at once would both see an item unmapped and both create it. */
  const notBusy = (uri: string) => {
    const running = [MLFLOW_PUSH_KIND, MLFLOW_PULL_KIND].flatMap((kind) =>
      ctx.store.jobs
        .listJobs(50, { kind, includeDismissed: true })
        .filter((j) => (j.status === 'queued' || j.status === 'running') && j.title.endsWith(` ${uri}`)),
    );
    if (running.length) throw new AppError('conflict', `"${running[0].title}" is still running; wait for it to end (or cancel it) first.`);
  };
  return {
    'mlflow:remotes': list,
    'mlflow:addRemote': async ({ name, uri, token }) => {
      ctx.store.mlflowSync.saveRemote(name, uri);
      if (token !== undefined) await setToken(uri, token);
      changed();
      return list();
    },
    'mlflow:removeRemote': async ({ uri }) => {
      ctx.store.mlflowSync.removeRemote(uri);
      await ctx.secrets.delete(remoteSecretKey(uri));
      changed();
      return list();
    },
    'mlflow:setRemoteToken': async ({ uri, token }) => {
      known(uri);
      await setToken(uri, token);
      changed();
      return list();
    },
    'mlflow:push': (req) => (notBusy(req.remote), ctx.jobs.start(mlflowPushJob({ actor }), req)),
    'mlflow:pull': (req) => (notBusy(req.remote), ctx.jobs.start(mlflowPullJob({ actor }), req)),
  };
}
