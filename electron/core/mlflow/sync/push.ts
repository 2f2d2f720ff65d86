/**
 * Push: local experiments, their runs (params, tags, the full history of every
 * metric, artifacts byte for byte, status and times) and registered models'
 * versions to a team MLflow server, over plain MLflow REST.
 *
 * Idempotent and resumable through the id map (store.mlflowSync): each call
 * the server accepted is recorded before the next is sent, so a push that
 * stopped (network gone, app closed, cancelled) resumes at the first call not
 * known to have been applied, and a run mapped `done` is not sent again — a
 * second push creates nothing.
 *
 * A lost answer (the server applied a call, the answer never arrived):
 * - create-run: the map says `creating` before it is sent; on resume the
 *   remote run is looked up by its tag `mlwb.sync.source_run_id` and adopted,
 *   so no second remote run is made;
 * - log-batch of params/tags: sending it again is harmless (same values);
 * - log-batch of metrics: MLflow appends points, so on resume the remote
 *   history of the first pending chunk's first key is counted — when it
 *   already holds that chunk's points (a batch is applied whole or not at all),
 *   the chunk is skipped — no duplicate points;
 * - artifact PUT and update-run: sending again overwrites with the same bytes/values;
 * - model-versions/create: `creating` first; on resume the version is looked up by run_id.
 *
 * A run changed locally after it was pushed (new tags, more metric points) is
 * reported `skipped` with "changed locally since it was pushed": a push sends
 * a run once, as MLflow's own copy tools do; it is never half-updated.
 * Runs in the trash and runs still running are not pushed.
 */
import crypto from 'node:crypto';
import type { PushRequest, SyncResult } from '../../../../shared/mlflow-sync';
import { AppError } from '../../../../shared/errors';
import { MLFLOW_LIMITS } from '../../../../shared/mlflow';
import type { Experiment, RunInfo } from '../../../../shared/tracking';
import { noProxyMessage, proxyPathOf, RemoteError, type MlflowClient } from './client';
import { clientOf, createCollector, filterString, SOURCE_RUN_TAG, type SyncEnv } from './common';

const PAGE = 50_000;

function localRunIds(env: SyncEnv, experimentId: number): string[] {
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = env.store.tracking.searchRuns({
      experimentIds: [experimentId],
      maxResults: PAGE,
      orderBy: ['attributes.start_time ASC'],
      pageToken,
      keys: { metrics: [], params: [], tags: [] },
    });
    ids.push(...page.runs.map((r) => r.info.runId));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return ids;
}

/** What a pushed run was, to tell later whether it changed locally. */
function fingerprint(env: SyncEnv, runId: string): string {
  const run = env.store.tracking.getRun(runId);
  return crypto
    .createHash('sha256')
    .update(
      JSON.stringify({
        name: run.info.name,
        status: run.info.status,
        end: run.info.endTime,
        params: run.params,
        tags: run.tags,
        points: env.store.mlflowSync.metricPointCounts(runId),
        artifacts: run.artifacts.map((a) => [a.path, a.sha256]),
      }),
    )
    .digest('hex');
}

export async function pushToRemote(env: SyncEnv, req: Omit<PushRequest, 'remote'>): Promise<SyncResult> {
  const { store, uri } = env;
  const map = store.mlflowSync;
  const client = clientOf(env);
  const c = createCollector('push', env);
  await client.preflight();

  // What goes: the experiments (default every active one), their active runs, and the chosen models' versions with their runs.
  const experiments: Experiment[] = req.experimentIds
    ? req.experimentIds.map((id) => store.tracking.getExperiment(id))
    : req.models?.length
      ? []
      : store.tracking.listExperiments('active');
  const runsByExperiment = new Map<number, string[]>();
  for (const e of experiments) runsByExperiment.set(e.id, localRunIds(env, e.id));
  const models = (req.models ?? []).map((name) => {
    const m = store.registry.findModel(name);
    if (!m) throw new AppError('not_found', `No registered model named "${name}".`);
    return { model: m, versions: store.registry.listVersions(name).sort((a, b) => a.version - b.version) };
  });
  for (const { versions } of models)
    for (const v of versions) {
      const list = runsByExperiment.get(v.experimentId);
      if (!list) {
        runsByExperiment.set(v.experimentId, [v.runId]);
        experiments.push(store.tracking.getExperiment(v.experimentId));
      } else if (!list.includes(v.runId)) list.push(v.runId);
    }
  c.setTotal(
    experiments.length +
      [...runsByExperiment.values()].reduce((n, l) => n + l.length, 0) +
      models.reduce((n, m) => n + 1 + m.versions.length, 0),
  );

  const remoteRunOf = new Map<string, { id: string; artifactUri: string }>();

  const result = await c.run(async () => {
    for (const e of experiments) {
      const item = await c.item({ kind: 'experiment', name: e.name, localId: String(e.id), remoteId: null }, () =>
        pushExperiment(env, client, e),
      );
      c.step(`experiment ${e.name}`);
      const remoteExp = item?.remoteId;
      for (const runId of runsByExperiment.get(e.id) ?? []) {
        const info = store.tracking.getRunInfo(runId);
        if (!remoteExp) {
          c.add({
            kind: 'run',
            name: info.name,
            localId: runId,
            remoteId: null,
            outcome: 'skipped',
            message: 'its experiment was not pushed',
          });
        } else
          await c.item({ kind: 'run', name: info.name, localId: runId, remoteId: map.byLocal(uri, 'run', runId)?.remoteId ?? null }, () =>
            pushRun(env, client, info, remoteExp, remoteRunOf, c.note, item?.outcome !== 'created'),
          );
        c.step(`run ${info.name}`);
      }
    }
    for (const { model, versions } of models) {
      const mItem = await c.item({ kind: 'registered-model', name: model.name, localId: model.name, remoteId: null }, () =>
        pushModel(env, client, model),
      );
      c.step(`model ${model.name}`);
      for (const v of versions) {
        const localId = `${v.name}/${v.version}`;
        if (!mItem?.remoteId)
          c.add({
            kind: 'model-version',
            name: `${v.name} v${v.version}`,
            localId,
            remoteId: null,
            outcome: 'skipped',
            message: 'its model was not pushed',
          });
        else
          await c.item({ kind: 'model-version', name: `${v.name} v${v.version}`, localId, remoteId: null }, () =>
            pushVersion(env, client, v.name, v.version, remoteRunOf, mItem.outcome !== 'created'),
          );
        c.step(`${v.name} v${v.version}`);
      }
    }
  });
  map.touchRemote(uri, 'push');
  env.events.emit('changed', { topic: 'mlflow' });
  return result;
}

async function pushExperiment(env: SyncEnv, client: MlflowClient, e: Experiment) {
  const map = env.store.mlflowSync;
  const known = map.byLocal(env.uri, 'experiment', String(e.id));
  if (known?.state === 'done' && known.remoteId) return { outcome: 'unchanged' as const, message: '', remoteId: known.remoteId };
  let remote: { experiment_id: string; lifecycle_stage: string } | null = null;
  try {
    remote = (await client.call('GET', 'experiments/get-by-name', { experiment_name: e.name })).experiment;
  } catch (err) {
    if (!(err instanceof RemoteError && err.status === 404)) throw err;
  }
  if (remote) {
    if (remote.lifecycle_stage === 'deleted')
      throw new Error(`An experiment named "${e.name}" is in the server's trash; restore it there or rename this one.`);
    map.setEntry({
      remoteUri: env.uri,
      kind: 'experiment',
      localId: String(e.id),
      remoteId: remote.experiment_id,
      direction: 'push',
      state: 'done',
      progress: {},
    });
    return { outcome: 'unchanged' as const, message: 'found on the server by name', remoteId: remote.experiment_id };
  }
  const tags = Object.entries(e.tags).map(([key, value]) => ({ key, value }));
  if (e.description && e.tags['mlflow.note.content'] === undefined) tags.push({ key: 'mlflow.note.content', value: e.description });
  const created = await client.call('POST', 'experiments/create', { name: e.name, tags });
  map.setEntry({
    remoteUri: env.uri,
    kind: 'experiment',
    localId: String(e.id),
    remoteId: created.experiment_id,
    direction: 'push',
    state: 'done',
    progress: {},
  });
  return { outcome: 'created' as const, message: '', remoteId: String(created.experiment_id) };
}

interface RunProgress {
  artifactUri?: string;
  batchesSent?: number;
  metricsSent?: number;
  artifactsSent?: number;
  fingerprint?: string;
}

async function pushRun(
  env: SyncEnv,
  client: MlflowClient,
  info: RunInfo,
  remoteExperimentId: string,
  remoteRunOf: Map<string, { id: string; artifactUri: string }>,
  note: (message: string) => void,
  /** The remote experiment was there before this push: a run may be on it already (an id map since removed). */
  lookUp: boolean,
) {
  const { store, uri } = env;
  const map = store.mlflowSync;
  const runId = info.runId;
  const known = map.byLocal(uri, 'run', runId);
  const print = fingerprint(env, runId);
  if (known?.state === 'done' && known.remoteId) {
    const p = known.progress as RunProgress;
    remoteRunOf.set(runId, { id: known.remoteId, artifactUri: p.artifactUri ?? '' });
    if (known.direction === 'pull' || p.fingerprint === print)
      return { outcome: 'unchanged' as const, message: '', remoteId: known.remoteId };
    return {
      outcome: 'skipped' as const,
      message: 'changed locally since it was pushed; a run is pushed once (later changes are not sent)',
      remoteId: known.remoteId,
    };
  }
  if (info.status === 'RUNNING' || info.status === 'SCHEDULED')
    return { outcome: 'skipped' as const, message: 'still running: push it once it has ended' };
  if (info.lifecycleStage !== 'active') return { outcome: 'skipped' as const, message: 'in the trash' };
  const resumed = known !== undefined;
  const save = (state: 'creating' | 'partial' | 'done', remoteId: string | null, progress: RunProgress) =>
    map.setEntry({ remoteUri: uri, kind: 'run', localId: runId, remoteId, direction: 'push', state, progress: { ...progress } });

  // 1. The remote run (found again by its source tag if a create-run answer was lost).
  let remoteId = known?.state === 'creating' ? null : (known?.remoteId ?? null);
  let adopted = false;
  const progress: RunProgress = { ...(known?.progress as RunProgress | undefined) };
  if (!remoteId && (known?.state === 'creating' || (!known && lookUp))) {
    const found = await client.call('POST', 'runs/search', {
      experiment_ids: [remoteExperimentId],
      filter: `tags.\`${SOURCE_RUN_TAG}\` = '${runId}'`,
      run_view_type: 'ALL',
      max_results: 1,
    });
    const run = found.runs?.[0];
    if (run) {
      remoteId = run.info.run_id as string;
      progress.artifactUri = run.info.artifact_uri;
      // Ended on the server: update-run, the last call, was applied — the push was whole.
      if (run.info.status !== 'RUNNING' && run.info.status !== 'SCHEDULED' && run.info.end_time !== undefined) {
        save('done', remoteId, { artifactUri: run.info.artifact_uri, fingerprint: print });
        remoteRunOf.set(runId, { id: remoteId, artifactUri: run.info.artifact_uri });
        return { outcome: 'unchanged' as const, message: 'already on the server (found by its source tag)', remoteId };
      }
      // Half pushed, how far unknown: params and tags go again (same values); the points already there are counted.
      progress.metricsSent = undefined;
      progress.batchesSent = 0;
      progress.artifactsSent = 0;
      adopted = true;
    }
  }
  if (!remoteId) {
    save('creating', null, {});
    const created = await client.call('POST', 'runs/create', {
      experiment_id: remoteExperimentId,
      user_id: info.userId,
      run_name: info.name,
      start_time: info.startTime,
      tags: [{ key: SOURCE_RUN_TAG, value: runId }],
    });
    remoteId = created.run.info.run_id as string;
    progress.artifactUri = created.run.info.artifact_uri;
  }
  const artifactUri: string = progress.artifactUri ?? (await client.call('GET', 'runs/get', { run_id: remoteId })).run.info.artifact_uri;
  progress.artifactUri = artifactUri;
  save('partial', remoteId, progress);

  const run = store.tracking.getRun(runId);
  // 2. Params and tags, ≤100 of each per log-batch.
  const params = Object.entries(run.params).map(([key, value]) => ({ key, value }));
  const tags = Object.entries(run.tags).map(([key, value]) => ({ key, value }));
  const batches = Math.max(Math.ceil(params.length / MLFLOW_LIMITS.maxBatchParams), Math.ceil(tags.length / MLFLOW_LIMITS.maxBatchTags));
  for (let b = progress.batchesSent ?? 0; b < batches; b++) {
    await client.call('POST', 'runs/log-batch', {
      run_id: remoteId,
      params: params.slice(b * MLFLOW_LIMITS.maxBatchParams, (b + 1) * MLFLOW_LIMITS.maxBatchParams),
      tags: tags.slice(b * MLFLOW_LIMITS.maxBatchTags, (b + 1) * MLFLOW_LIMITS.maxBatchTags),
    });
    progress.batchesSent = b + 1;
    save('partial', remoteId, progress);
  }

  // 3. Every metric point, by key then step, time and order logged; ≤1000 per log-batch.
  const points = Object.keys(store.mlflowSync.metricPointCounts(runId))
    .sort()
    .flatMap((key) => store.tracking.metricHistory(runId, key).map((p) => ({ key, value: p.value, timestamp: p.timestamp, step: p.step })));
  const chunk = MLFLOW_LIMITS.maxBatchMetrics;
  let sent = adopted ? await remotePrefix(client, remoteId, points) : (progress.metricsSent ?? 0);
  if (resumed && !adopted && sent < points.length) {
    // The chunk at `sent` may have been applied with its answer lost: count its first key's points on the server.
    const next = points.slice(sent, sent + chunk);
    const key = next[0].key;
    const before = points.slice(0, sent).filter((p) => p.key === key).length;
    const inChunk = next.filter((p) => p.key === key).length;
    if ((await remoteHistoryCount(client, remoteId, key)) >= before + inChunk) {
      sent += next.length;
      progress.metricsSent = sent;
      save('partial', remoteId, progress);
    }
  }
  for (; sent < points.length; sent += chunk) {
    await client.call('POST', 'runs/log-batch', { run_id: remoteId, metrics: points.slice(sent, sent + chunk) });
    progress.metricsSent = Math.min(sent + chunk, points.length);
    save('partial', remoteId, progress);
    note(`run ${info.name}: ${progress.metricsSent} of ${points.length} metric points`);
  }

  // 4. Artifacts, byte for byte, through the server's artifacts proxy.
  if (run.artifacts.length) {
    const proxy = proxyPathOf(artifactUri);
    if (proxy === null) throw new Error(noProxyMessage(artifactUri));
    for (let i = progress.artifactsSent ?? 0; i < run.artifacts.length; i++) {
      const a = run.artifacts[i];
      await client.putArtifact(`${proxy}/${a.path}`, store.objects.objectPath(a.sha256), a.size);
      progress.artifactsSent = i + 1;
      save('partial', remoteId, progress);
      note(`run ${info.name}: ${i + 1} of ${run.artifacts.length} artifacts`);
    }
  }

  // 5. Status and end time; then the run is done.
  await client.call('POST', 'runs/update', {
    run_id: remoteId,
    status: run.info.status,
    ...(run.info.endTime !== null ? { end_time: run.info.endTime } : {}),
  });
  save('done', remoteId, { artifactUri, fingerprint: print });
  remoteRunOf.set(runId, { id: remoteId, artifactUri });
  return {
    outcome: resumed || adopted ? ('resumed' as const) : ('created' as const),
    message: `${params.length} params, ${tags.length} tags, ${points.length} metric points, ${run.artifacts.length} artifacts`,
    remoteId,
  };
}

/**
 * How many of `points` (in push order: key by key) a remote run already holds:
 * every point of the keys before the first one the server has fewer of, plus
 * what it has of that one.
 */
async function remotePrefix(client: MlflowClient, runId: string, points: { key: string }[]): Promise<number> {
  const counts = new Map<string, number>();
  for (const p of points) counts.set(p.key, (counts.get(p.key) ?? 0) + 1);
  let sent = 0;
  for (const [key, n] of counts) {
    const there = Math.min(n, await remoteHistoryCount(client, runId, key));
    sent += there;
    if (there < n) break;
  }
  return sent;
}

/** How many points a remote metric's history holds (get-history, paged). */
async function remoteHistoryCount(client: MlflowClient, runId: string, key: string): Promise<number> {
  let n = 0;
  let pageToken: string | undefined;
  do {
    const page = await client.call('GET', 'metrics/get-history', {
      run_id: runId,
      metric_key: key,
      max_results: MLFLOW_LIMITS.historyMaxResults,
      page_token: pageToken,
    });
    n += (page.metrics ?? []).length;
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return n;
}

async function pushModel(env: SyncEnv, client: MlflowClient, m: { name: string; description: string; tags: Record<string, string> }) {
  const mapped = () =>
    env.store.mlflowSync.setEntry({
      remoteUri: env.uri,
      kind: 'registered-model',
      localId: m.name,
      remoteId: m.name,
      direction: 'push',
      state: 'done',
      progress: {},
    });
  try {
    await client.call('GET', 'registered-models/get', { name: m.name });
    mapped();
    return { outcome: 'unchanged' as const, message: 'on the server', remoteId: m.name };
  } catch (err) {
    if (!(err instanceof RemoteError && err.status === 404)) throw err;
  }
  await client.call('POST', 'registered-models/create', {
    name: m.name,
    description: m.description,
    tags: Object.entries(m.tags).map(([key, value]) => ({ key, value })),
  });
  mapped();
  return { outcome: 'created' as const, message: '', remoteId: m.name };
}

async function pushVersion(
  env: SyncEnv,
  client: MlflowClient,
  name: string,
  version: number,
  remoteRunOf: Map<string, { id: string; artifactUri: string }>,
  /** The registered model was on the server before this push. */
  lookUp: boolean,
) {
  const { store, uri } = env;
  const map = store.mlflowSync;
  const localId = `${name}/${version}`;
  const v = store.registry.getVersion(name, version);
  const known = map.byLocal(uri, 'model-version', localId);
  if (known?.state === 'done') return { outcome: 'unchanged' as const, message: '', remoteId: known.remoteId };
  const remoteRun = remoteRunOf.get(v.runId);
  if (!remoteRun) return { outcome: 'skipped' as const, message: `its run ${v.runName} was not pushed` };
  let remoteVersion: string | null =
    known?.state === 'partial' && known.remoteId ? known.remoteId.slice(known.remoteId.lastIndexOf('/') + 1) : null;
  if (!remoteVersion && (known?.state === 'creating' || (!known && lookUp))) {
    const found = await client.call('GET', 'model-versions/search', {
      filter: `name = ${filterString(name)} and run_id = '${remoteRun.id}'`,
    });
    remoteVersion = found.model_versions?.[0]?.version ?? null;
  }
  const foundThere = remoteVersion !== null && !known;
  if (!remoteVersion) {
    map.setEntry({ remoteUri: uri, kind: 'model-version', localId, remoteId: null, direction: 'push', state: 'creating', progress: {} });
    const created = await client.call('POST', 'model-versions/create', {
      name,
      source: `${remoteRun.artifactUri.replace(/\/+$/, '')}/model`,
      run_id: remoteRun.id,
      description: v.description,
      tags: Object.entries(v.tags).map(([key, value]) => ({ key, value })),
    });
    remoteVersion = String(created.model_version.version);
  }
  const remoteId = `${name}/${remoteVersion}`;
  map.setEntry({ remoteUri: uri, kind: 'model-version', localId, remoteId, direction: 'push', state: 'partial', progress: {} });
  let message = '';
  if (v.stage !== 'None') {
    try {
      await client.call('POST', 'model-versions/transition-stage', {
        name,
        version: remoteVersion,
        stage: v.stage,
        archive_existing_versions: false,
      });
    } catch (err) {
      if (!(err instanceof RemoteError && err.errorCode === 'PERMISSION_DENIED')) throw err;
      message = `stage ${v.stage} not set: ${err.message}`;
    }
  }
  for (const alias of v.aliases) await client.call('POST', 'registered-models/alias', { name, alias, version: remoteVersion });
  map.setEntry({ remoteUri: uri, kind: 'model-version', localId, remoteId, direction: 'push', state: 'done', progress: {} });
  return {
    outcome: foundThere ? ('unchanged' as const) : known ? ('resumed' as const) : ('created' as const),
    message: message || `version ${remoteVersion} on the server${foundThere ? ' (found by its run)' : ''}`,
    remoteId,
  };
}
