/**
 * MLflow's tracking endpoints (service.proto's MlflowService) mapped onto the
 * workbench's tracking store: each route is its request schema (shared/mlflow.ts)
 * and a function from the parsed request to MLflow's response message. The
 * HTTP side (server.ts) reads, parses and answers; nothing here knows HTTP.
 */
import type { z } from 'zod';
import { MLFLOW_LIMITS, mlflowRequests, type MlflowRequest } from '../../../shared/mlflow';
import { createPageToken, parsePageToken } from '../../../shared/run-filter';
import { DEFAULT_EXPERIMENT_ID, fromWireNumber, isMlflowSource, SYSTEM_TAGS, type RunStatus } from '../../../shared/tracking';
import type { Store } from '../store';
import { searchExperiments } from './experiment-search';
import { MlflowApiError, toMlflowExperiment, toMlflowRun, toMlflowRunInfo } from './wire';

/** What the routes need: the store, and a way to tell the app something changed. */
export interface MlflowDeps {
  store: Store;
  /** Called after every write with the capability whose data changed. */
  changed(topic: 'tracking' | 'registry'): void;
}

export interface MlflowRoute<S extends z.ZodType = z.ZodType> {
  /** GET routes take the query string (or a JSON body); POST (PATCH, DELETE) routes a JSON body. */
  methods: readonly string[];
  schema: S;
  handle(request: z.output<S>, deps: MlflowDeps): unknown;
}

const route = <S extends z.ZodType>(
  methods: readonly string[],
  schema: S,
  handle: (r: z.output<S>, d: MlflowDeps) => unknown,
): MlflowRoute => ({ methods, schema, handle }) as MlflowRoute;

const READ = ['GET', 'POST'] as const;
const LOG_MODEL_HISTORY = 'mlflow.log-model.history';
const WRITE = ['POST'] as const;

const ADJECTIVES = ['amazing', 'bold', 'calm', 'clever', 'gentle', 'happy', 'keen', 'lucky', 'merry', 'quiet', 'rare', 'swift', 'wise'];
const ANIMALS = ['ant', 'bat', 'crab', 'deer', 'eel', 'fox', 'gnu', 'hawk', 'ibis', 'koi', 'lynx', 'mole', 'owl', 'ram', 'seal', 'yak'];
/** A run name as MLflow makes one when none is given (adjective-animal-number). */
function randomRunName(): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
  return `${pick(ADJECTIVES)}-${pick(ANIMALS)}-${Math.floor(Math.random() * 1000)}`;
}

function experimentIdOf(id: string): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n)) throw new MlflowApiError('INVALID_PARAMETER_VALUE', `Invalid experiment ID: '${id}'`);
  return n;
}

function experimentById(store: Store, id: string) {
  const n = experimentIdOf(id);
  try {
    return store.tracking.getExperiment(n);
  } catch {
    throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${id} exists`);
  }
}

function runOf(store: Store, runId: string) {
  try {
    return store.tracking.getRun(runId);
  } catch {
    throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`);
  }
}

function fullRun(store: Store, runId: string) {
  return toMlflowRun(runOf(store, runId), store.tracking.listRunInputs(runId));
}

/** A run must exist (404) and be active (400, MLflow's wording) before anything is logged to it. */
function activeRun(store: Store, runId: string) {
  let info;
  try {
    info = store.tracking.getRunInfo(runId);
  } catch {
    throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`);
  }
  if (info.lifecycleStage !== 'active')
    throw new MlflowApiError(
      'INVALID_PARAMETER_VALUE',
      `The run ${runId} must be in the 'active' state. Current state is ${info.lifecycleStage}.`,
    );
  return info;
}

function nameTaken(store: Store, name: string): void {
  if (store.tracking.findExperimentByName(name))
    throw new MlflowApiError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${name}) already exists.`);
}

/** Renames the run when the batch sets mlflow.runName (as MLflow does). */
function applyRunNameTag(store: Store, runId: string, tags: { key: string; value: string }[] | undefined): void {
  const tag = tags?.findLast((t) => t.key === SYSTEM_TAGS.runName);
  if (tag && tag.value.trim()) store.tracking.updateRun(runId, { name: tag.value.slice(0, MLFLOW_LIMITS.maxRunNameLength) });
}

const point = (m: { key: string; value: number | string; timestamp: number; step?: number }) => ({
  key: m.key,
  value: fromWireNumber(m.value as never),
  timestamp: m.timestamp,
  step: m.step ?? 0,
});

function logBatch(deps: MlflowDeps, r: MlflowRequest<'logBatch'>): object {
  activeRun(deps.store, r.run_id);
  // Duplicate keys of one batch with different values: MLflow refuses the batch.
  const seen = new Map<string, string>();
  for (const p of r.params ?? []) {
    const before = seen.get(p.key);
    if (before !== undefined && before !== p.value)
      throw new MlflowApiError(
        'INVALID_PARAMETER_VALUE',
        `Duplicate parameter keys have been submitted: ['${p.key}']. Please ensure the request contains only one param value per param key.`,
      );
    seen.set(p.key, p.value);
  }
  deps.store.tracking.logBatch(r.run_id, { metrics: (r.metrics ?? []).map(point), params: r.params, tags: r.tags });
  applyRunNameTag(deps.store, r.run_id, r.tags);
  deps.changed('tracking');
  return {};
}

/** Every tracking route by its path under /api/2.0/mlflow/. */
export const TRACKING_ROUTES: Record<string, MlflowRoute> = {
  // ---------- experiments ----------
  'experiments/create': route(WRITE, mlflowRequests.createExperiment, (r, deps) => {
    const name = r.name.trim();
    nameTaken(deps.store, name);
    const e = deps.store.tracking.createExperiment({ name, tags: r.tags });
    deps.changed('tracking');
    return { experiment_id: String(e.id) };
  }),
  'experiments/get': route(READ, mlflowRequests.getExperiment, (r, { store }) => ({
    experiment: toMlflowExperiment(experimentById(store, r.experiment_id)),
  })),
  'experiments/get-by-name': route(READ, mlflowRequests.getExperimentByName, (r, { store }) => {
    const e = store.tracking.findExperimentByName(r.experiment_name);
    if (!e) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${r.experiment_name}'`);
    return { experiment: toMlflowExperiment(e) };
  }),
  'experiments/search': route(READ, mlflowRequests.searchExperiments, (r, { store }) => {
    const page = searchExperiments(store.tracking.listExperiments('all'), {
      filter: r.filter,
      orderBy: r.order_by,
      viewType: r.view_type,
      maxResults: r.max_results ?? MLFLOW_LIMITS.searchMaxResultsDefault,
      pageToken: r.page_token,
    });
    return {
      experiments: page.experiments.map(toMlflowExperiment),
      ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
    };
  }),
  /** MLflow 1.x's list (removed in 2.0), kept for older clients. */
  'experiments/list': route(READ, mlflowRequests.searchExperiments.pick({ view_type: true }), (r, { store }) => {
    const stage = r.view_type === 'ALL' ? 'all' : r.view_type === 'DELETED_ONLY' ? 'deleted' : 'active';
    return { experiments: store.tracking.listExperiments(stage).map(toMlflowExperiment) };
  }),
  'experiments/delete': route(WRITE, mlflowRequests.deleteExperiment, (r, deps) => {
    const e = experimentById(deps.store, r.experiment_id);
    if (e.id === DEFAULT_EXPERIMENT_ID)
      throw new MlflowApiError('INVALID_PARAMETER_VALUE', 'Cannot delete the default experiment (ID 0). This is a reserved experiment.');
    deps.store.tracking.deleteExperiment(e.id);
    deps.changed('tracking');
    return {};
  }),
  'experiments/restore': route(WRITE, mlflowRequests.restoreExperiment, (r, deps) => {
    const e = experimentById(deps.store, r.experiment_id);
    deps.store.tracking.restoreExperiment(e.id);
    deps.changed('tracking');
    return {};
  }),
  'experiments/update': route(WRITE, mlflowRequests.updateExperiment, (r, deps) => {
    const e = experimentById(deps.store, r.experiment_id);
    if (e.lifecycleStage !== 'active')
      throw new MlflowApiError(
        'INVALID_PARAMETER_VALUE',
        `Cannot rename a non-active experiment. Experiment ${e.id} is ${e.lifecycleStage}.`,
      );
    if (r.new_name !== undefined && r.new_name.trim() !== e.name) {
      const name = r.new_name.trim();
      if (!name) throw new MlflowApiError('INVALID_PARAMETER_VALUE', "Invalid value for parameter 'new_name' supplied: must not be empty");
      nameTaken(deps.store, name);
      deps.store.tracking.updateExperiment(e.id, { name });
      deps.changed('tracking');
    }
    return {};
  }),
  'experiments/set-experiment-tag': route(WRITE, mlflowRequests.setExperimentTag, (r, deps) => {
    const e = experimentById(deps.store, r.experiment_id);
    deps.store.tracking.setExperimentTag(e.id, r.key, r.value);
    deps.changed('tracking');
    return {};
  }),
  'experiments/delete-experiment-tag': route(WRITE, mlflowRequests.deleteExperimentTag, (r, deps) => {
    const e = experimentById(deps.store, r.experiment_id);
    deps.store.tracking.deleteExperimentTag(e.id, r.key);
    deps.changed('tracking');
    return {};
  }),

  // ---------- runs ----------
  'runs/create': route(WRITE, mlflowRequests.createRun, (r, deps) => {
    const e = experimentById(deps.store, r.experiment_id ?? String(DEFAULT_EXPERIMENT_ID));
    if (e.lifecycleStage !== 'active')
      throw new MlflowApiError(
        'INVALID_PARAMETER_VALUE',
        `The experiment ${e.id} must be in the 'active' state. Current state is ${e.lifecycleStage}.`,
      );
    const tags = [...(r.tags ?? [])];
    const tagName = tags.findLast((t) => t.key === SYSTEM_TAGS.runName)?.value;
    if (r.run_name && tagName && tagName !== r.run_name)
      throw new MlflowApiError(
        'INVALID_PARAMETER_VALUE',
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${r.run_name}', mlflow.runName='${tagName}').`,
      );
    const name = (r.run_name?.trim() || tagName?.trim() || randomRunName()).slice(0, MLFLOW_LIMITS.maxRunNameLength);
    if (!tagName) tags.push({ key: SYSTEM_TAGS.runName, value: name });
    const info = deps.store.tracking.createRun({
      experimentId: e.id,
      name,
      userId: r.user_id ?? '',
      source: 'mlflow-client',
      startTime: r.start_time,
      tags,
    });
    deps.changed('tracking');
    return { run: fullRun(deps.store, info.runId) };
  }),
  'runs/update': route(WRITE, mlflowRequests.updateRun, (r, deps) => {
    activeRun(deps.store, r.run_id);
    const info = deps.store.tracking.updateRun(r.run_id, {
      status: r.status as RunStatus | undefined,
      ...(r.end_time !== undefined ? { endTime: r.end_time } : {}),
      ...(r.run_name?.trim() ? { name: r.run_name.trim() } : {}),
    });
    deps.changed('tracking');
    return { run_info: toMlflowRunInfo(info) };
  }),
  'runs/delete': route(WRITE, mlflowRequests.deleteRun, (r, deps) => {
    const run = runOf(deps.store, r.run_id);
    // A run still RUNNING (a client that never ended it) is ended as MLflow's store allows deleting it.
    if (run.info.status === 'RUNNING' || run.info.status === 'SCHEDULED') {
      if (!isMlflowSource(run.info.source))
        throw new MlflowApiError(
          'INVALID_PARAMETER_VALUE',
          `Run "${run.info.name}" is being trained by the workbench; cancel it in the app first.`,
        );
      deps.store.tracking.updateRun(r.run_id, { status: 'KILLED', endTime: Date.now() });
    }
    deps.store.tracking.deleteRun(r.run_id);
    deps.changed('tracking');
    return {};
  }),
  'runs/restore': route(WRITE, mlflowRequests.restoreRun, (r, deps) => {
    runOf(deps.store, r.run_id);
    deps.store.tracking.restoreRun(r.run_id);
    deps.changed('tracking');
    return {};
  }),
  'runs/get': route(READ, mlflowRequests.getRun, (r, { store }) => ({ run: fullRun(store, r.run_id) })),
  'runs/log-metric': route(WRITE, mlflowRequests.logMetric, (r, deps) => logBatch(deps, { run_id: r.run_id, metrics: [r] } as never)),
  'runs/log-parameter': route(WRITE, mlflowRequests.logParam, (r, deps) =>
    logBatch(deps, { run_id: r.run_id, params: [{ key: r.key, value: r.value }] } as never),
  ),
  'runs/set-tag': route(WRITE, mlflowRequests.setTag, (r, deps) =>
    logBatch(deps, { run_id: r.run_id, tags: [{ key: r.key, value: r.value }] } as never),
  ),
  'runs/delete-tag': route(WRITE, mlflowRequests.deleteTag, (r, deps) => {
    activeRun(deps.store, r.run_id);
    deps.store.tracking.deleteTag(r.run_id, r.key);
    deps.changed('tracking');
    return {};
  }),
  'runs/log-batch': route(WRITE, mlflowRequests.logBatch, (r, deps) => logBatch(deps, r)),
  'runs/log-inputs': route(WRITE, mlflowRequests.logInputs, (r, deps) => {
    activeRun(deps.store, r.run_id);
    deps.store.tracking.logRunInputs(
      r.run_id,
      (r.datasets ?? []).map((d) => ({
        name: d.dataset.name,
        digest: d.dataset.digest,
        sourceType: d.dataset.source_type,
        source: d.dataset.source,
        schema: d.dataset.schema ?? null,
        profile: d.dataset.profile ?? null,
        tags: d.tags ?? [],
      })),
    );
    deps.changed('tracking');
    return {};
  }),
  /**
   * MLflow's log-model (what `mlflow.<flavor>.log_model` records besides the files):
   * appended to the run's `mlflow.log-model.history` tag, a JSON list, as MLflow's
   * stores keep it; the oldest entries give way when the list would pass the tag limit.
   */
  'runs/log-model': route(WRITE, mlflowRequests.logModel, (r, deps) => {
    activeRun(deps.store, r.run_id);
    let model: unknown;
    try {
      model = JSON.parse(r.model_json);
    } catch {
      throw new MlflowApiError('INVALID_PARAMETER_VALUE', "Invalid value for parameter 'model_json' supplied: it is not JSON.");
    }
    const run = runOf(deps.store, r.run_id);
    let history: unknown[] = [];
    try {
      const old: unknown = JSON.parse(run.tags[LOG_MODEL_HISTORY] ?? '[]');
      if (Array.isArray(old)) history = old;
    } catch {
      history = [];
    }
    history.push(model);
    let text = JSON.stringify(history);
    while (text.length > MLFLOW_LIMITS.maxTagValueLength && history.length > 1) text = JSON.stringify((history = history.slice(1)));
    if (text.length > MLFLOW_LIMITS.maxTagValueLength)
      throw new MlflowApiError('INVALID_PARAMETER_VALUE', `The model's JSON is longer than ${MLFLOW_LIMITS.maxTagValueLength} characters.`);
    deps.store.tracking.setTag(r.run_id, LOG_MODEL_HISTORY, text);
    deps.changed('tracking');
    return {};
  }),
  'runs/search': route(READ, mlflowRequests.searchRuns, (r, { store }) => {
    const result = store.tracking.searchRuns({
      experimentIds: (r.experiment_ids ?? []).map(experimentIdOf),
      filter: r.filter ?? '',
      orderBy: r.order_by ?? [],
      runViewType: r.run_view_type ?? 'ACTIVE_ONLY',
      maxResults: r.max_results ?? MLFLOW_LIMITS.searchMaxResultsDefault,
      pageToken: r.page_token || undefined,
      keys: { metrics: [], params: [], tags: [] },
    });
    return {
      runs: result.runs.map((s) => fullRun(store, s.info.runId)),
      ...(result.nextPageToken ? { next_page_token: result.nextPageToken } : {}),
    };
  }),
  'metrics/get-history': route(READ, mlflowRequests.getMetricHistory, (r, { store }) => {
    runOf(store, r.run_id);
    const offset = parsePageToken(r.page_token || undefined);
    const limit = r.max_results ?? MLFLOW_LIMITS.historyMaxResults;
    const page = store.tracking.metricHistoryPage(r.run_id, r.metric_key, offset, limit);
    return {
      metrics: page.points.map((p) => ({ key: r.metric_key, value: p.value, timestamp: p.timestamp, step: p.step })),
      ...(page.more ? { next_page_token: createPageToken(offset + limit) } : {}),
    };
  }),
};
