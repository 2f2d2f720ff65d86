/**
 * MLflow's model registry endpoints (model_registry.proto) through the
 * workbench's registry (registry-service.ts), so gates, approvals and the
 * audit log apply to API calls as to the app's: a transition to Production of
 * a model that requires approval files a request and answers MLflow's
 * PERMISSION_DENIED; a version that no longer beats Production is refused
 * with INVALID_PARAMETER_VALUE; every write is an audit row "via mlflow-api".
 *
 * Versions are created from a run's model artifact as the registry creates
 * them (a workbench model, `model/model.json`); a run logged from MLflow with a
 * pickled model has none and is refused with a message that says so.
 */
import { z } from 'zod';
import { MLFLOW_LIMITS } from '../../../shared/mlflow';
import { MODEL_STAGES, type ModelStage, type ModelVersion, type RegisteredModel } from '../../../shared/registry';
import { createPageToken, likePatternToRegExp, parsePageToken } from '../../../shared/run-filter';
import type { Actor } from '../registry/actor';
import * as registry from '../registry/registry-service';
import type { RegistryEnv } from '../registry/registry-service';
import type { MlflowRoute } from './tracking-api';
import { MlflowApiError } from './wire';

// ---------- wire ----------

export function toMlflowModelVersion(v: ModelVersion) {
  return {
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.createdAt,
    last_updated_timestamp: v.updatedAt,
    user_id: v.createdBy,
    current_stage: v.stage,
    description: v.description,
    source: v.source,
    run_id: v.runId,
    status: 'READY',
    status_message: '',
    tags: Object.entries(v.tags).map(([key, value]) => ({ key, value })),
    run_link: '',
    aliases: v.aliases,
  };
}

function toMlflowRegisteredModel(m: RegisteredModel, latest: ModelVersion[]) {
  return {
    name: m.name,
    creation_timestamp: m.createdAt,
    last_updated_timestamp: m.updatedAt,
    user_id: '',
    description: m.description,
    latest_versions: latest.map(toMlflowModelVersion),
    tags: Object.entries(m.tags).map(([key, value]) => ({ key, value })),
    aliases: Object.entries(m.aliases).map(([alias, version]) => ({ alias, version: String(version) })),
  };
}

// ---------- request schemas (model_registry.proto) ----------

const name = z.string().min(1).max(256);
const version = z.union([
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a version number')
    .transform(Number),
  z.number().int().min(1),
]);
const tag = z.object({ key: z.string().min(1).max(MLFLOW_LIMITS.maxKeyLength), value: z.string().max(5000) });
const stage = z
  .string()
  .transform((s) => MODEL_STAGES.find((x) => x.toLowerCase() === s.toLowerCase()))
  .pipe(z.enum(MODEL_STAGES, { message: `must be one of ${MODEL_STAGES.join(', ')}` }));
const search = z.object({
  filter: z.string().max(5000).optional(),
  max_results: z
    .union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)])
    .pipe(z.number().min(1).max(10_000))
    .optional(),
  order_by: z.array(z.string().max(200)).max(10).optional(),
  page_token: z.string().max(1000).optional(),
});

const R = {
  createModel: z.object({ name, tags: z.array(tag).max(100).optional(), description: z.string().max(20_000).optional() }),
  model: z.object({ name }),
  renameModel: z.object({ name, new_name: name }),
  updateModel: z.object({ name, description: z.string().max(20_000).optional() }),
  latest: z.object({ name, stages: z.array(stage).max(4).optional() }),
  modelTag: z.object({ name, key: tag.shape.key, value: tag.shape.value }),
  modelTagKey: z.object({ name, key: tag.shape.key }),
  setAlias: z.object({ name, alias: z.string().min(1).max(256), version }),
  alias: z.object({ name, alias: z.string().min(1).max(256) }),
  createVersion: z.object({
    name,
    source: z.string().max(5000).optional(),
    run_id: z
      .string()
      .regex(/^[0-9a-f]{32}$/, 'must be a run id (32 hexadecimal characters)')
      .optional(),
    tags: z.array(tag).max(100).optional(),
    run_link: z.string().max(5000).optional(),
    description: z.string().max(20_000).optional(),
  }),
  version: z.object({ name, version }),
  updateVersion: z.object({ name, version, description: z.string().max(20_000).optional() }),
  transition: z.object({
    name,
    version,
    stage,
    archive_existing_versions: z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]).optional(),
  }),
  versionTag: z.object({ name, version, key: tag.shape.key, value: tag.shape.value }),
  versionTagKey: z.object({ name, version, key: tag.shape.key }),
  search,
};

// ---------- search filters ----------

type Clause = { key: string; op: string; values: string[] };

/** `name = 'x'`, `name LIKE '%x%'`, `run_id IN ('a', 'b')`, `tags.k = 'v'`… joined by AND. */
function parseRegistryFilter(filter: string | undefined, keys: readonly string[]): Clause[] {
  if (!filter?.trim()) return [];
  const clauses: Clause[] = [];
  const re =
    /^\s*((?:tags?\.)?(?:`[^`]+`|[A-Za-z_][\w.]*))\s*(=|!=|ILIKE|LIKE|IN)\s*(?:'((?:[^']|'')*)'|"((?:[^"]|"")*)"|\(([^)]*)\)|(\d+))\s*(?:AND\s+|$)/i;
  let rest = filter;
  while (rest.trim()) {
    const m = re.exec(rest);
    if (!m) throw new MlflowApiError('INVALID_PARAMETER_VALUE', `Invalid filter '${filter.slice(0, 200)}'.`);
    let key = m[1].replace(/^tag\./, 'tags.').replace(/`/g, '');
    if (key.startsWith('version_number')) key = 'version';
    if (!keys.includes(key) && !key.startsWith('tags.'))
      throw new MlflowApiError('INVALID_PARAMETER_VALUE', `Invalid attribute key '${key}' specified. Valid keys are ${keys.join(', ')}.`);
    const op = m[2].toUpperCase();
    const values =
      m[5] !== undefined
        ? [...m[5].matchAll(/'((?:[^']|'')*)'|"((?:[^"]|"")*)"/g)].map((x) => (x[1] ?? x[2]).replace(/''/g, "'"))
        : [m[3]?.replace(/''/g, "'") ?? m[4]?.replace(/""/g, '"') ?? m[6]];
    clauses.push({ key, op, values });
    rest = rest.slice(m[0].length);
  }
  return clauses;
}

function matches(value: string | undefined, c: Clause): boolean {
  if (value === undefined) return false;
  switch (c.op) {
    case '=':
      return value === c.values[0];
    case '!=':
      return value !== c.values[0];
    case 'LIKE':
      return likePatternToRegExp(c.values[0], false).test(value);
    case 'ILIKE':
      return likePatternToRegExp(c.values[0], true).test(value);
    default:
      return c.values.includes(value);
  }
}

function page<T>(items: T[], r: z.output<typeof search>, defaultMax: number) {
  const offset = parsePageToken(r.page_token || undefined);
  const max = r.max_results ?? defaultMax;
  return { items: items.slice(offset, offset + max), next: offset + max < items.length ? createPageToken(offset + max) : undefined };
}

function sortBy<T>(
  items: T[],
  orderBy: readonly string[] | undefined,
  fields: Record<string, (x: T) => string | number>,
  fallback: string[],
) {
  const order = [...(orderBy ?? []), ...fallback].map((o) => {
    const m = /^\s*(\w+)(?:\s+(ASC|DESC))?\s*$/i.exec(o);
    if (!m || !fields[m[1]]) throw new MlflowApiError('INVALID_PARAMETER_VALUE', `Invalid order_by clause '${o}'.`);
    return { get: fields[m[1]], asc: (m[2] ?? 'ASC').toUpperCase() === 'ASC' };
  });
  return items.sort((a, b) => {
    for (const o of order) {
      const x = o.get(a);
      const y = o.get(b);
      if (x !== y) return (x < y ? -1 : 1) * (o.asc ? 1 : -1);
    }
    return 0;
  });
}

// ---------- routes ----------

/** The registry routes by path under /api/2.0/mlflow/ (a key "METHOD path" takes that method only); `actor` is who the audit log records. */
export function REGISTRY_ROUTES(env: RegistryEnv | null, actor: () => Actor): Record<string, MlflowRoute> {
  const need = (): RegistryEnv => {
    if (!env) throw new MlflowApiError('ENDPOINT_NOT_FOUND', 'The model registry is not served by this endpoint.');
    return env;
  };
  const store = () => need().store;
  const model = (n: string) => {
    const m = store().registry.findModel(n);
    if (!m) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${n} not found`);
    return m;
  };
  const versionOf = (n: string, v: number) => {
    model(n);
    try {
      return store().registry.getVersion(n, v);
    } catch {
      throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Model Version (name=${n}, version=${v}) not found`);
    }
  };
  const latestOf = (m: RegisteredModel, stages?: readonly ModelStage[]) =>
    Object.entries(m.latest)
      .filter(([s]) => !stages?.length || stages.includes(s as ModelStage))
      .map(([, v]) => store().registry.getVersion(m.name, v as number));
  const full = (n: string) => {
    const m = store().registry.getModel(n);
    return toMlflowRegisteredModel(m, latestOf(m));
  };
  const route = <S extends z.ZodType>(methods: string[], schema: S, handle: (r: z.output<S>) => unknown): MlflowRoute =>
    ({ methods, schema, handle: (r: z.output<S>) => handle(r) }) as MlflowRoute;
  const GET = ['GET', 'POST'];

  return {
    'registered-models/create': route(['POST'], R.createModel, (r) => {
      if (store().registry.findModel(r.name))
        throw new MlflowApiError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${r.name}) already exists.`);
      store().registry.createModel(r.name, r.description ?? '');
      for (const t of r.tags ?? []) setModelTag(r.name, t.key, t.value);
      need().events.emit('changed', { topic: 'registry' });
      return { registered_model: full(r.name) };
    }),
    'registered-models/get': route(GET, R.model, (r) => (model(r.name), { registered_model: full(r.name) })),
    'registered-models/search': route(GET, R.search, (r) => {
      const clauses = parseRegistryFilter(r.filter, ['name']);
      const all = store()
        .registry.listModels('')
        .filter((m) => clauses.every((c) => matches(c.key === 'name' ? m.name : m.tags[c.key.slice(5)], c)));
      sortBy(all, r.order_by, { name: (m) => m.name, timestamp: (m) => m.updatedAt, last_updated_timestamp: (m) => m.updatedAt }, ['name']);
      const p = page(all, r, 100);
      return {
        registered_models: p.items.map((m) => toMlflowRegisteredModel(m, latestOf(m))),
        ...(p.next ? { next_page_token: p.next } : {}),
      };
    }),
    'registered-models/rename': route(['POST'], R.renameModel, (r) => {
      model(r.name);
      if (store().registry.findModel(r.new_name))
        throw new MlflowApiError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${r.new_name}) already exists.`);
      registry.audited(need(), () => store().registry.renameModel(r.name, r.new_name), {
        ...actor(),
        action: 'rename',
        model: r.new_name,
        from: r.name,
        to: r.new_name,
      });
      return { registered_model: full(r.new_name) };
    }),
    'registered-models/update': route(['PATCH', 'POST'], R.updateModel, (r) => {
      model(r.name);
      if (r.description !== undefined)
        registry.audited(need(), () => store().registry.updateModel(r.name, { description: r.description }), {
          ...actor(),
          action: 'update',
          model: r.name,
          to: 'description',
        });
      return { registered_model: full(r.name) };
    }),
    'registered-models/delete': route(['DELETE', 'POST'], R.model, (r) => {
      model(r.name);
      registry.deleteModel(need(), actor(), r.name);
      return {};
    }),
    'registered-models/get-latest-versions': route(GET, R.latest, (r) => ({
      model_versions: latestOf(model(r.name), r.stages).map(toMlflowModelVersion),
    })),
    'registered-models/set-tag': route(['POST'], R.modelTag, (r) => {
      model(r.name);
      setModelTag(r.name, r.key, r.value);
      return {};
    }),
    'registered-models/delete-tag': route(['DELETE', 'POST'], R.modelTagKey, (r) => {
      const m = model(r.name);
      if (m.tags[r.key] === undefined) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `No tag with key ${r.key} on model ${r.name}`);
      registry.audited(need(), () => store().registry.deleteModelTag(r.name, r.key), {
        ...actor(),
        action: 'tag-delete',
        model: r.name,
        from: r.key,
      });
      return {};
    }),
    'POST registered-models/alias': route(['POST'], R.setAlias, (r) => {
      versionOf(r.name, r.version);
      registry.setAlias(need(), actor(), r.name, r.alias, r.version);
      return {};
    }),
    'DELETE registered-models/alias': route(['DELETE'], R.alias, (r) => {
      const m = model(r.name);
      if (m.aliases[r.alias] === undefined)
        throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Registered model alias ${r.alias} not found.`);
      registry.deleteAlias(need(), actor(), r.name, r.alias);
      return {};
    }),
    'GET registered-models/alias': route(['GET'], R.alias, (r) => {
      const m = model(r.name);
      const v = m.aliases[r.alias];
      if (v === undefined) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Registered model alias ${r.alias} not found.`);
      return { model_version: toMlflowModelVersion(store().registry.getVersion(r.name, v)) };
    }),

    'model-versions/create': route(['POST'], R.createVersion, async (r) => {
      model(r.name);
      const runId = r.run_id ?? /([0-9a-f]{32})/.exec(r.source ?? '')?.[1];
      if (!runId)
        throw new MlflowApiError(
          'INVALID_PARAMETER_VALUE',
          'A model version is registered from a run: send run_id (or a source such as runs:/<run_id>/model).',
        );
      try {
        store().tracking.getRunInfo(runId);
      } catch {
        throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`);
      }
      const result = await registry.registerModel(need(), actor(), { runId, name: r.name, description: r.description });
      if (!result.registered || !result.version)
        throw new MlflowApiError(
          'INVALID_PARAMETER_VALUE',
          `Registration refused by the model's gates: ${result.gates.checks
            .filter((c) => !c.passed)
            .map((c) => c.message)
            .join('; ')}`,
        );
      for (const t of r.tags ?? []) setVersionTag(r.name, result.version.version, t.key, t.value);
      return { model_version: toMlflowModelVersion(store().registry.getVersion(r.name, result.version.version)) };
    }),
    'model-versions/get': route(GET, R.version, (r) => ({ model_version: toMlflowModelVersion(versionOf(r.name, r.version)) })),
    'model-versions/get-download-uri': route(GET, R.version, (r) => {
      const v = versionOf(r.name, r.version);
      return { artifact_uri: `mlflow-artifacts:/${v.experimentId}/${v.runId}/artifacts/model` };
    }),
    'model-versions/search': route(GET, R.search, (r) => {
      const clauses = parseRegistryFilter(r.filter, ['name', 'run_id', 'version', 'source']);
      const all = store()
        .registry.listModels('')
        .flatMap((m) => store().registry.listVersions(m.name))
        .filter((v) =>
          clauses.every((c) =>
            matches(
              c.key === 'name'
                ? v.name
                : c.key === 'run_id'
                  ? v.runId
                  : c.key === 'version'
                    ? String(v.version)
                    : c.key === 'source'
                      ? v.source
                      : v.tags[c.key.slice(5)],
              c,
            ),
          ),
        );
      sortBy(
        all,
        r.order_by,
        {
          name: (v) => v.name,
          version_number: (v) => v.version,
          creation_timestamp: (v) => v.createdAt,
          last_updated_timestamp: (v) => v.updatedAt,
        },
        ['name', 'version_number DESC'],
      );
      const p = page(all, r, 10_000);
      return { model_versions: p.items.map(toMlflowModelVersion), ...(p.next ? { next_page_token: p.next } : {}) };
    }),
    'model-versions/update': route(['PATCH', 'POST'], R.updateVersion, (r) => {
      versionOf(r.name, r.version);
      if (r.description !== undefined)
        registry.audited(need(), () => store().registry.updateVersion(r.name, r.version, { description: r.description }), {
          ...actor(),
          action: 'update',
          model: r.name,
          version: r.version,
          to: 'description',
        });
      return { model_version: toMlflowModelVersion(store().registry.getVersion(r.name, r.version)) };
    }),
    'model-versions/delete': route(['DELETE', 'POST'], R.version, (r) => {
      versionOf(r.name, r.version);
      registry.deleteVersion(need(), actor(), r.name, r.version);
      return {};
    }),
    'model-versions/transition-stage': route(['POST'], R.transition, async (r) => {
      const v = versionOf(r.name, r.version);
      if (v.stage === r.stage) return { model_version: toMlflowModelVersion(v) };
      const result = await registry.transitionVersion(need(), actor(), {
        name: r.name,
        version: r.version,
        stage: r.stage,
        comment: 'through the MLflow API',
        keepExisting: r.stage === 'Production' ? !r.archive_existing_versions : undefined,
      });
      if (!result.done)
        throw new MlflowApiError(
          'PERMISSION_DENIED',
          `Moving version ${r.version} of "${r.name}" to ${r.stage} needs an approval: request #${result.request.id} was filed; approve it on the Registry page of the workbench.`,
        );
      return { model_version: toMlflowModelVersion(result.version) };
    }),
    'model-versions/set-tag': route(['POST'], R.versionTag, (r) => {
      versionOf(r.name, r.version);
      setVersionTag(r.name, r.version, r.key, r.value);
      return {};
    }),
    'model-versions/delete-tag': route(['DELETE', 'POST'], R.versionTagKey, (r) => {
      const v = versionOf(r.name, r.version);
      if (v.tags[r.key] === undefined)
        throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `No tag with key ${r.key} on version ${r.version} of ${r.name}`);
      registry.audited(need(), () => store().registry.deleteVersionTag(r.name, r.version, r.key), {
        ...actor(),
        action: 'tag-delete',
        model: r.name,
        version: r.version,
        from: r.key,
      });
      return {};
    }),
  };

  function setModelTag(n: string, key: string, value: string) {
    registry.audited(need(), () => store().registry.setModelTag(n, key, value), {
      ...actor(),
      action: 'tag-set',
      model: n,
      to: `${key}=${value}`,
    });
  }
  function setVersionTag(n: string, v: number, key: string, value: string) {
    registry.audited(need(), () => store().registry.setVersionTag(n, v, key, value), {
      ...actor(),
      action: 'tag-set',
      model: n,
      version: v,
      to: `${key}=${value}`,
    });
  }
}
