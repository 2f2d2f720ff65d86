/**
 * Team server sync (issue #14): the workbench pushes experiments, runs and
 * model versions to a remote MLflow tracking server and pulls them from it.
 * The request schemas here are the one rule for the IPC handlers, the host
 * and the CLI (`mlwb mlflow push|pull`). No Node or DOM imports.
 */
import { z } from 'zod';
import { MLFLOW_LIMITS, mlflowTokenSchema } from './mlflow';
import { experimentIdSchema, TRACKING_LIMITS } from './tracking';

export const MLFLOW_SYNC_LIMITS = {
  maxUriLength: 2000,
  maxRemoteNameLength: 100,
  maxExperimentsPerSync: 500,
  maxModelsPerSync: 200,
} as const;

/** What the sync does to an item: the result table's badge. */
export const SYNC_OUTCOMES = ['created', 'unchanged', 'resumed', 'skipped', 'failed'] as const;
export type SyncOutcome = (typeof SYNC_OUTCOMES)[number];
export const SYNC_ITEM_KINDS = ['experiment', 'run', 'registered-model', 'model-version'] as const;
export type SyncItemKind = (typeof SYNC_ITEM_KINDS)[number];

/**
 * A remote's URI in one spelling (the key of its id map and of its token):
 * lower-case scheme and host, default port dropped, no trailing slash, no
 * query or fragment. Credentials in the URI are refused (they would be stored
 * in clear): the token goes in the token field.
 */
export function normaliseRemoteUri(raw: string): string {
  const url = new URL(raw.trim());
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

export const remoteUriSchema = z
  .string()
  .trim()
  .min(1, 'Enter the tracking URI of the team server, e.g. https://mlflow.example.com.')
  .max(MLFLOW_SYNC_LIMITS.maxUriLength, `A URI may be at most ${MLFLOW_SYNC_LIMITS.maxUriLength} characters long.`)
  .superRefine((s, ctx) => {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${s.slice(0, 100)}" is not a URI; use http://host:port or https://host.` });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      ctx.addIssue({ code: 'custom', message: `Only http:// and https:// tracking servers can be synced (not ${url.protocol}).` });
    else if (url.username || url.password)
      ctx.addIssue({ code: 'custom', message: 'Put no user or password in the URI: give the token in the token field.' });
    else if (url.search || url.hash) ctx.addIssue({ code: 'custom', message: 'A tracking URI has no query (?…) or fragment (#…).' });
  })
  .transform(normaliseRemoteUri);

export const remoteNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the remote a name.')
  .max(MLFLOW_SYNC_LIMITS.maxRemoteNameLength, `A name may be at most ${MLFLOW_SYNC_LIMITS.maxRemoteNameLength} characters long.`);

/** A token as MLflow's clients send it (MLFLOW_TRACKING_TOKEN); '' means none. */
export const remoteTokenSchema = mlflowTokenSchema;

export const addRemoteSchema = z.strictObject({
  name: remoteNameSchema,
  uri: remoteUriSchema,
  token: remoteTokenSchema.optional(),
});
export const remoteRefSchema = z.strictObject({ uri: remoteUriSchema });
export const setRemoteTokenSchema = z.strictObject({ uri: remoteUriSchema, token: remoteTokenSchema });

const modelNameSchema = z.string().trim().min(1).max(256);
const experimentNameSchema = z.string().trim().min(1).max(TRACKING_LIMITS.maxExperimentNameLength);

export const pushRequestSchema = z.strictObject({
  remote: remoteUriSchema,
  /** Local experiments to push; default every active experiment. */
  experimentIds: z.array(experimentIdSchema).max(MLFLOW_SYNC_LIMITS.maxExperimentsPerSync).optional(),
  /** Local registered models whose versions to push (their runs go too). */
  models: z.array(modelNameSchema).max(MLFLOW_SYNC_LIMITS.maxModelsPerSync).optional(),
});
export type PushRequest = z.output<typeof pushRequestSchema>;

export const pullRequestSchema = z.strictObject({
  remote: remoteUriSchema,
  /** Remote experiments by name; default every active one. */
  experiments: z.array(experimentNameSchema).max(MLFLOW_SYNC_LIMITS.maxExperimentsPerSync).optional(),
});
export type PullRequest = z.output<typeof pullRequestSchema>;

/** A remote as the Team server card lists it. */
export interface SyncRemote {
  name: string;
  uri: string;
  createdAt: number;
  lastPushAt: number | null;
  lastPullAt: number | null;
  tokenSet: boolean;
}

export interface SyncRemotesResponse {
  remotes: SyncRemote[];
  /** Where tokens are kept: the OS keychain, a weak fallback key (Linux without a keychain), or memory for this session. */
  tokenProtection: 'os-keychain' | 'weak' | 'session';
}

/** One row of a push's or pull's result. */
export interface SyncItem {
  kind: SyncItemKind;
  /** Experiment or model name, run name, `model vN`. */
  name: string;
  localId: string | null;
  remoteId: string | null;
  outcome: SyncOutcome;
  message: string;
}

export interface SyncResult {
  direction: 'push' | 'pull';
  remote: string;
  items: SyncItem[];
  counts: Record<SyncOutcome, number>;
  /** Why the sync stopped before the end (the server went away): the rest is resumed by the next push/pull. */
  stopped: string | null;
}

/** The key of a remote's token in the secret store. */
export const remoteSecretKey = (uri: string) => `mlflow-remote:${uri}`;

export const MAX_TOKEN_LENGTH = MLFLOW_LIMITS.maxTokenLength;
