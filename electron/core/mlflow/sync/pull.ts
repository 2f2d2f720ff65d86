/**
 * Pull: a team MLflow server's experiments and runs (params, tags, the full
 * history of every metric, artifacts byte for byte, status and times) into
 * this workspace, and the registered models' versions whose runs are here and
 * hold a workbench model. Pulled runs have the source `mlflow-pull` and keep
 * the remote run id when it is free here.
 *
 * Idempotent and resumable through the id map: each local write and the map's
 * progress are one transaction, so a pull that stopped (network gone, app
 * closed, cancelled) resumes at the first page not written — a metric's
 * history is read again from its start and the points already written are
 * skipped. A run already mapped (pulled before, or pushed from here) is
 * `unchanged`. A run pulled before and changed on the server since is not
 * pulled again (a run is pulled once).
 */
import { Readable } from 'node:stream';
import type { PullRequest, SyncResult } from '../../../../shared/mlflow-sync';
import { MODEL_STAGES, type ModelStage } from '../../../../shared/registry';
import { fromWireNumber, RUN_STATUSES, type RunStatus, type WireNumber } from '../../../../shared/tracking';
import * as registry from '../../registry/registry-service';
import type { RegistryEnv } from '../../registry/registry-service';
import { newRunId } from '../../store/tracking-repo';
import { mediaTypeOf } from '../artifacts';
import { noProxyMessage, proxyPathOf, RemoteError, type MlflowClient } from './client';
import { clientOf, createCollector, filterString, int64, SOURCE_RUN_TAG, type SyncEnv } from './common';

const RUN_PAGE = 1000;
const HISTORY_PAGE = 25_000;
const MODEL_ARTIFACT = 'model/model.json';

interface RemoteExperiment {
  experiment_id: string;
  name: string;
  lifecycle_stage: string;
  creation_time?: number | string;
  tags?: { key: string; value: string }[];
}

interface RemoteRun {
  info: {
    run_id: string;
    run_name?: string;
    experiment_id: string;
    user_id?: string;
    status: string;
    start_time?: number | string;
    end_time?: number | string;
    artifact_uri: string;
    lifecycle_stage?: string;
  };
  data: {
    metrics?: { key: string }[];
    params?: { key: string; value: string }[];
    tags?: { key: string; value: string }[];
  };
}

async function* pages<T>(fetchPage: (token: string | undefined) => Promise<{ items: T[]; next?: string }>): AsyncGenerator<T> {
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    yield* page.items;
    token = page.next || undefined;
  } while (token);
}

export async function pullFromRemote(env: SyncEnv, req: Omit<PullRequest, 'remote'>): Promise<SyncResult> {
  const { store, uri } = env;
  const client = clientOf(env);
  const c = createCollector('pull', env);
  await client.preflight();
  const regEnv: RegistryEnv = {
    store,
    events: env.events,
    runTask: () => Promise.reject(new Error('no gates are evaluated for a pulled version')),
  };

  const result = await c.run(async () => {
    // The experiments: by name, or every active one.
    const remoteExperiments: RemoteExperiment[] = [];
    if (req.experiments?.length) {
      for (const name of req.experiments) {
        await c.item(
          { kind: 'experiment', name, localId: null, remoteId: null },
          async () => {
            try {
              remoteExperiments.push((await client.call('GET', 'experiments/get-by-name', { experiment_name: name })).experiment);
            } catch (err) {
              if (err instanceof RemoteError && err.status === 404) throw new Error(`The server has no experiment named "${name}".`);
              throw err;
            }
            return { outcome: 'unchanged', message: '' };
          },
          { silent: true },
        );
      }
    } else {
      for await (const e of pages<RemoteExperiment>(async (page_token) => {
        const r = await client.call('GET', 'experiments/search', { max_results: 1000, view_type: 'ACTIVE_ONLY', page_token });
        return { items: r.experiments ?? [], next: r.next_page_token };
      }))
        remoteExperiments.push(e);
    }
    c.setTotal(remoteExperiments.length);

    for (const e of remoteExperiments) {
      const exp = await c.item({ kind: 'experiment', name: e.name, localId: null, remoteId: e.experiment_id }, async () =>
        pullExperiment(env, e),
      );
      c.step(`experiment ${e.name}`);
      if (!exp?.localId) continue;
      const localExperimentId = Number(exp.localId);
      for await (const run of pages<RemoteRun>(async (page_token) => {
        const r = await client.call('POST', 'runs/search', {
          experiment_ids: [e.experiment_id],
          run_view_type: 'ACTIVE_ONLY',
          max_results: env.pageSizes?.runs ?? RUN_PAGE,
          order_by: ['attributes.start_time ASC'],
          ...(page_token ? { page_token } : {}),
        });
        c.grow((r.runs ?? []).length);
        return { items: r.runs ?? [], next: r.next_page_token };
      })) {
        const name = run.info.run_name ?? run.data.tags?.find((t) => t.key === 'mlflow.runName')?.value ?? run.info.run_id;
        await c.item(
          {
            kind: 'run',
            name,
            localId: store.mlflowSync.byRemote(uri, 'run', run.info.run_id)?.localId ?? null,
            remoteId: run.info.run_id,
          },
          () => pullRun(env, client, run, localExperimentId, name),
        );
        c.step(`run ${name}`);
      }
    }

    // Registered models: the versions whose run is here.
    for await (const m of pages<{ name: string; description?: string; tags?: { key: string; value: string }[] }>(async (page_token) => {
      const r = await client.call('GET', 'registered-models/search', { max_results: 100, page_token });
      return { items: r.registered_models ?? [], next: r.next_page_token };
    })) {
      const versions: any[] = [];
      for await (const v of pages<any>(async (page_token) => {
        const r = await client.call('GET', 'model-versions/search', {
          filter: `name = ${filterString(m.name)}`,
          max_results: 1000,
          page_token,
        });
        return { items: r.model_versions ?? [], next: r.next_page_token };
      }))
        if (store.mlflowSync.byRemote(uri, 'run', v.run_id)?.state === 'done') versions.push(v);
      if (!versions.length) continue;
      versions.sort((a, b) => Number(a.version) - Number(b.version));
      const model = await c.item({ kind: 'registered-model', name: m.name, localId: null, remoteId: m.name }, async () => {
        if (store.registry.findModel(m.name)) return { outcome: 'unchanged', message: '', localId: m.name };
        store.registry.createModel(m.name, m.description ?? '');
        for (const t of m.tags ?? [])
          registry.audited(regEnv, () => store.registry.setModelTag(m.name, t.key, t.value), {
            ...actorOf(env),
            action: 'tag-set',
            model: m.name,
            to: `${t.key}=${t.value}`,
          });
        env.events.emit('changed', { topic: 'registry' });
        return { outcome: 'created', message: '', localId: m.name };
      });
      if (!model) continue;
      for (const v of versions) {
        await c.item({ kind: 'model-version', name: `${m.name} v${v.version}`, localId: null, remoteId: `${m.name}/${v.version}` }, () =>
          pullVersion(env, regEnv, v),
        );
      }
    }
  });
  store.mlflowSync.touchRemote(uri, 'pull');
  env.events.emit('changed', { topic: 'mlflow' });
  return result;
}

const actorOf = (env: SyncEnv) => env.actor ?? { actor: 'mlflow-pull', via: 'mlflow-sync' };

function pullExperiment(env: SyncEnv, e: RemoteExperiment) {
  const { store, uri } = env;
  const known = store.mlflowSync.byRemote(uri, 'experiment', e.experiment_id);
  if (known) return Promise.resolve({ outcome: 'unchanged' as const, message: '', localId: known.localId });
  const local = store.tracking.findExperimentByName(e.name);
  if (local) {
    if (local.lifecycleStage === 'deleted')
      throw new Error(`An experiment named "${e.name}" is in this workspace's trash; restore it or delete it permanently first.`);
    store.mlflowSync.setEntry({
      remoteUri: uri,
      kind: 'experiment',
      localId: String(local.id),
      remoteId: e.experiment_id,
      direction: 'pull',
      state: 'done',
      progress: {},
    });
    return Promise.resolve({ outcome: 'unchanged' as const, message: 'found here by name', localId: String(local.id) });
  }
  const tags = (e.tags ?? []).filter((t) => t.key !== 'mlflow.note.content');
  const created = store.transaction(() => {
    const x = store.tracking.createExperiment({
      name: e.name,
      description: e.tags?.find((t) => t.key === 'mlflow.note.content')?.value ?? '',
      tags,
      createdAt: int64(e.creation_time) ?? undefined,
    });
    store.mlflowSync.setEntry({
      remoteUri: uri,
      kind: 'experiment',
      localId: String(x.id),
      remoteId: e.experiment_id,
      direction: 'pull',
      state: 'done',
      progress: {},
    });
    return x;
  });
  env.events.emit('changed', { topic: 'tracking' });
  return Promise.resolve({ outcome: 'created' as const, message: '', localId: String(created.id) });
}

interface PullProgress {
  dataDone?: boolean;
  /** Metric keys (sorted) whose history is all here. */
  keysDone?: number;
  /** Points of the next key already here. */
  keyPoints?: number;
  artifactsDone?: number;
}

async function pullRun(env: SyncEnv, client: MlflowClient, run: RemoteRun, experimentId: number, name: string) {
  const { store, uri } = env;
  const map = store.mlflowSync;
  const remoteId = run.info.run_id;
  const known = map.byRemote(uri, 'run', remoteId);
  if (known?.state === 'done') return { outcome: 'unchanged' as const, message: '', localId: known.localId };
  // Pushed from this workspace (its id map since removed): the run is already here.
  const source = run.data.tags?.find((t) => t.key === SOURCE_RUN_TAG)?.value;
  if (!known && source && /^[0-9a-f]{32}$/.test(source) && runExists(env, source)) {
    map.setEntry({ remoteUri: uri, kind: 'run', localId: source, remoteId, direction: 'push', state: 'done', progress: {} });
    return { outcome: 'unchanged' as const, message: 'pushed from this workspace', localId: source };
  }
  if (run.info.status === 'RUNNING' || run.info.status === 'SCHEDULED')
    return { outcome: 'skipped' as const, message: 'still running on the server: pull it once it has ended' };
  const status: RunStatus = (RUN_STATUSES as readonly string[]).includes(run.info.status) ? (run.info.status as RunStatus) : 'FINISHED';
  const resumed = known !== undefined;
  let localId = known?.localId;
  const progress: PullProgress = { ...(known?.progress as PullProgress | undefined) };
  const save = (state: 'partial' | 'done') =>
    map.setEntry({ remoteUri: uri, kind: 'run', localId: localId!, remoteId, direction: 'pull', state, progress: { ...progress } });

  if (!localId) {
    const id = runExists(env, remoteId) ? newRunId() : remoteId;
    store.transaction(() => {
      store.tracking.createRun({
        id,
        experimentId,
        name,
        userId: run.info.user_id ?? '',
        source: 'mlflow-pull',
        status: 'RUNNING',
        startTime: int64(run.info.start_time) ?? 0,
      });
      localId = id;
      save('partial');
    });
  }
  const runId = localId!;

  if (!progress.dataDone) {
    store.transaction(() => {
      store.tracking.logBatch(runId, {
        params: run.data.params ?? [],
        tags: (run.data.tags ?? []).filter((t) => t.key !== SOURCE_RUN_TAG),
      });
      progress.dataDone = true;
      save('partial');
    });
  }

  // Every metric's full history, page by page; each page and the progress in one transaction.
  const keys = [...new Set((run.data.metrics ?? []).map((m) => m.key))].sort();
  let points = 0;
  for (let k = progress.keysDone ?? 0; k < keys.length; k++) {
    let skip = progress.keyPoints ?? 0;
    let token: string | undefined;
    do {
      const page = await client.call('GET', 'metrics/get-history', {
        run_id: remoteId,
        metric_key: keys[k],
        max_results: env.pageSizes?.history ?? HISTORY_PAGE,
        page_token: token,
      });
      token = page.next_page_token || undefined;
      const all = (page.metrics ?? []) as { value: WireNumber; timestamp: number | string; step?: number | string }[];
      const fresh = all.slice(Math.min(skip, all.length));
      skip -= all.length - fresh.length;
      points += all.length;
      if (!fresh.length) continue;
      store.transaction(() => {
        store.tracking.logBatch(runId, {
          metrics: fresh.map((p) => ({
            key: keys[k],
            value: fromWireNumber(p.value),
            timestamp: int64(p.timestamp) ?? 0,
            step: int64(p.step) ?? 0,
          })),
        });
        progress.keyPoints = (progress.keyPoints ?? 0) + fresh.length;
        save('partial');
      });
    } while (token);
    progress.keysDone = k + 1;
    progress.keyPoints = 0;
    save('partial');
  }

  // Artifacts: every file (listed level by level), downloaded through the proxy, hashed into objects/.
  const files = await listArtifacts(client, remoteId);
  if (files.length) {
    const proxy = proxyPathOf(run.info.artifact_uri);
    if (proxy === null) throw new Error(noProxyMessage(run.info.artifact_uri));
    for (let i = progress.artifactsDone ?? 0; i < files.length; i++) {
      const path = files[i];
      const res = await client.getArtifact(`${proxy}/${path}`);
      let stored: { sha256: string; size: number };
      try {
        stored = await store.objects.writeObjectStream(Readable.fromWeb(res.body as never), { signal: env.signal });
      } catch (err) {
        if (env.signal?.aborted) throw err;
        throw new RemoteError(`The download of ${path} from ${uri} broke off: ${(err as Error).message}`, null, null, true);
      }
      const { sha256, size } = stored;
      store.transaction(() => {
        store.tracking.addArtifact(runId, { path, sha256, size, mediaType: mediaTypeOf(path) });
        progress.artifactsDone = i + 1;
        save('partial');
      });
    }
  }

  store.transaction(() => {
    store.tracking.updateRun(runId, { status, endTime: int64(run.info.end_time) });
    save('done');
  });
  env.events.emit('changed', { topic: 'tracking' });
  return {
    outcome: resumed ? ('resumed' as const) : ('created' as const),
    message: `${run.data.params?.length ?? 0} params, ${points} metric points${resumed ? ' read' : ''}, ${files.length} artifacts`,
    localId: runId,
  };
}

function runExists(env: SyncEnv, runId: string): boolean {
  try {
    env.store.tracking.getRunInfo(runId);
    return true;
  } catch {
    return false;
  }
}

/** Every file of a remote run (artifacts/list, one level per call), sorted by path. */
async function listArtifacts(client: MlflowClient, runId: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string | undefined) => {
    const r = await client.call('GET', 'artifacts/list', { run_id: runId, ...(dir ? { path: dir } : {}) });
    for (const f of (r.files ?? []) as { path: string; is_dir?: boolean }[]) {
      if (f.is_dir) await walk(f.path);
      else out.push(f.path);
    }
  };
  await walk(undefined);
  return out.sort();
}

async function pullVersion(env: SyncEnv, regEnv: RegistryEnv, v: any) {
  const { store, uri } = env;
  const map = store.mlflowSync;
  const name: string = v.name;
  const remoteId = `${name}/${v.version}`;
  const known = map.byRemote(uri, 'model-version', remoteId);
  if (known?.state === 'done') return { outcome: 'unchanged' as const, message: '', localId: known.localId };
  const runId = map.byRemote(uri, 'run', v.run_id)!.localId;
  const info = store.tracking.getRunInfo(runId);
  if (!store.tracking.listArtifacts(runId).some((a) => a.path === MODEL_ARTIFACT))
    return {
      outcome: 'skipped' as const,
      message: `its run ${info.name} has no workbench model (${MODEL_ARTIFACT}): an MLflow model such as a pickle cannot be registered here`,
    };
  if (info.status !== 'FINISHED')
    return { outcome: 'skipped' as const, message: `its run ${info.name} is ${info.status.toLowerCase()}, not finished` };
  const who = actorOf(env);
  let local: number | null = known && known.state !== 'creating' ? Number(known.localId.slice(known.localId.lastIndexOf('/') + 1)) : null;
  if (local === null && known?.state === 'creating') {
    const taken = new Set(
      map
        .entries(uri)
        .filter((e) => e.kind === 'model-version')
        .map((e) => e.localId),
    );
    local = store.registry.versionsOfRun(runId).find((x) => x.name === name && !taken.has(`${name}/${x.version}`))?.version ?? null;
  }
  if (local === null) {
    map.setEntry({
      remoteUri: uri,
      kind: 'model-version',
      localId: `creating:${remoteId}`,
      remoteId,
      direction: 'pull',
      state: 'creating',
      progress: {},
    });
    const r = await registry.registerModel(regEnv, who, { runId, name, description: v.description ?? '' });
    if (!r.version) throw new Error('the registry refused the version');
    local = r.version.version;
  }
  const localId = `${name}/${local}`;
  store.transaction(() => {
    map.deleteEntry(uri, 'model-version', `creating:${remoteId}`);
    map.setEntry({ remoteUri: uri, kind: 'model-version', localId, remoteId, direction: 'pull', state: 'partial', progress: {} });
  });
  for (const t of (v.tags ?? []) as { key: string; value: string }[])
    registry.audited(regEnv, () => store.registry.setVersionTag(name, local!, t.key, t.value), {
      ...who,
      action: 'tag-set',
      model: name,
      version: local!,
      to: `${t.key}=${t.value}`,
    });
  let message = '';
  const stage = MODEL_STAGES.find((s) => s.toLowerCase() === String(v.current_stage ?? 'None').toLowerCase()) as ModelStage | undefined;
  const current = store.registry.getVersion(name, local);
  if (stage && stage !== current.stage) {
    const moved = await registry.transitionVersion(regEnv, who, {
      name,
      version: local,
      stage,
      comment: `pulled from ${uri}`,
      keepExisting: true,
    });
    if (!moved.done) message = `stage ${stage} needs an approval here: request #${moved.request.id} was filed`;
  }
  for (const alias of (v.aliases ?? []) as string[]) registry.setAlias(regEnv, who, name, alias, local);
  map.setEntry({ remoteUri: uri, kind: 'model-version', localId, remoteId, direction: 'pull', state: 'done', progress: {} });
  return { outcome: known ? ('resumed' as const) : ('created' as const), message: message || `version ${local} here`, localId };
}
