/**
 * Runs search: the parsed MLflow filter and order_by (shared/run-filter.ts)
 * as one SQL query over runs, latest_metrics, params and tags — the only place
 * that SQL is written. Semantics, as MLflow's SQL store and SearchUtils:
 *
 * - every clause is the set of runs that have a row for that key satisfying
 *   it, so a run without the key never matches, not even `!=` or `NOT IN`;
 *   only IS NULL (runs not in the set of those with the key) matches a
 *   missing param or tag.
 * - metrics compare on their latest value (latest_metrics). NaN compares as
 *   IEEE NaN, as MLflow's in-memory SearchUtils.filter does: only `!=` matches
 *   it. (MLflow's SQL store stores NaN as 0 and so lets `> -1` match it; that
 *   artefact is not copied.)
 * - `=`, `!=`, IN compare exactly (SQLite's BINARY collation); LIKE is
 *   case-sensitive (translated to GLOB); ILIKE folds case in every script
 *   through a registered function (SQLite's own LIKE folds ASCII only).
 * - order: each key sorts runs missing it last, whatever the direction (an
 *   is-null flag first, as MLflow's sqlalchemy store; for metrics NaN sorts
 *   after numbers and before missing); then start_time DESC unless ordered on,
 *   then run id — so paging by offset is stable.
 * - a page of runs is loaded with one query per table (info, params, tags,
 *   latest metrics), not one per run.
 */
import { AppError } from '../../../shared/errors';
import {
  checkMaxResults,
  createPageToken,
  likePatternToGlob,
  likePatternToRegExp,
  parseOrderBy,
  parsePageToken,
  parseSearchFilter,
  RUN_VIEW_TYPES,
  type FilterClause,
  type RunSummary,
  type SearchRunsRequest,
  type SearchRunsResult,
} from '../../../shared/run-filter';
import { toWireNumber, type RunInfo, type WireNumber } from '../../../shared/tracking';
import type Database from 'better-sqlite3';
import type { Db } from './database';

/**
 * A run's artifact URI as search sees it (MLflow's `artifact_uri` attribute):
 * artifacts live in the workspace's content-addressed store, listed per run.
 */
export const ARTIFACT_URI_SQL = `('mlwb-artifacts:/' || r.experiment_id || '/' || r.id || '/artifacts')`;

/** The artifact URI of one run, the same string ARTIFACT_URI_SQL builds. */
export function artifactUri(experimentId: number, runId: string): string {
  return `mlwb-artifacts:/${experimentId}/${runId}/artifacts`;
}

const ATTRIBUTE_SQL: Record<string, string> = {
  run_id: 'r.id',
  run_name: 'r.name',
  status: 'r.status',
  user_id: 'r.user_id',
  artifact_uri: ARTIFACT_URI_SQL,
  start_time: 'r.start_time',
  end_time: 'r.end_time',
};

const KEYED_TABLE = { metric: 'latest_metrics', parameter: 'params', tag: 'tags' } as const;

const ILIKE_FN = 'mlwb_ilike';

/** Registers the SQL functions search needs on this connection (idempotent per connection). */
function registerFunctions(db: Db): void {
  const cache = new Map<string, RegExp>();
  db.function(ILIKE_FN, { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (typeof pattern !== 'string' || typeof value !== 'string') return 0;
    let re = cache.get(pattern);
    if (!re) {
      re = likePatternToRegExp(pattern, true);
      if (cache.size > 200) cache.clear();
      cache.set(pattern, re);
    }
    return re.test(value) ? 1 : 0;
  });
}

/** `expr <comparator> value` for a string column; pushes its parameters. */
function stringCondition(expr: string, comparator: string, value: string | string[], args: unknown[]): string {
  switch (comparator) {
    case '=':
    case '!=':
      args.push(value);
      return `${expr} ${comparator} ?`;
    case 'LIKE':
      args.push(likePatternToGlob(value as string));
      return `${expr} GLOB ?`;
    case 'ILIKE':
      args.push(value);
      return `${ILIKE_FN}(?, ${expr})`;
    case 'IN':
    case 'NOT IN': {
      const list = value as string[];
      args.push(...list);
      return `${expr} ${comparator} (${list.map(() => '?').join(', ')})`;
    }
  }
  throw new AppError('internal', `No SQL for string comparator ${comparator}.`);
}

/** SQL for one clause, true only for runs that have the key (except IS NULL). */
function clauseSql(clause: FilterClause, args: unknown[]): string {
  const { type, key, comparator, value } = clause;
  if (type === 'attribute') {
    const expr = ATTRIBUTE_SQL[key];
    if (typeof value === 'number') {
      args.push(value);
      return `${expr} ${comparator} ?`;
    }
    return stringCondition(expr, comparator, value as string | string[], args);
  }
  if (type === 'dataset') {
    if (key === 'context') return '0'; // the workbench records no dataset context: a missing value never matches
    const col = key === 'name' ? 'd.name' : 'dv.sha256';
    const inner: unknown[] = [];
    const cond = stringCondition(col, comparator, value as string | string[], inner);
    args.push(...inner);
    return `EXISTS (SELECT 1 FROM dataset_versions dv JOIN datasets d ON d.id = dv.dataset_id WHERE dv.id = r.dataset_version_id AND ${cond})`;
  }
  const table = KEYED_TABLE[type];
  if (comparator === 'IS NULL' || comparator === 'IS NOT NULL') {
    args.push(key);
    return `r.id ${comparator === 'IS NULL' ? 'NOT ' : ''}IN (SELECT k.run_id FROM ${table} k WHERE k.key = ?)`;
  }
  args.push(key);
  let cond: string;
  if (type === 'metric') {
    args.push(value);
    // NaN is stored as value NULL, is_nan 1: it is unequal to everything and no comparison holds.
    cond = comparator === '!=' ? '(k.is_nan = 1 OR k.value != ?)' : `k.value ${comparator} ?`;
  } else {
    cond = stringCondition('k.value', comparator, value as string | string[], args);
  }
  // A set of run ids per clause, read through the (key, value) index: its cost follows the rows
  // that match the clause, where a per-run EXISTS probe costs a lookup for every run (bench/tracking-search.ts).
  return `r.id IN (SELECT k.run_id FROM ${table} k WHERE k.key = ? AND ${cond})`;
}

interface MetricRow {
  run_id: string;
  key: string;
  value: number | null;
  is_nan: number;
}

/**
 * The search function for one database connection. `toRunInfo` maps a raw
 * `runs` row to RunInfo (the tracking repository's own mapper, so both agree).
 */
export function createRunSearch(db: Db, toRunInfo: (row: never) => RunInfo) {
  registerFunctions(db);
  const statements = new Map<string, Database.Statement<unknown[]>>();
  const prepare = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      if (statements.size > 100) statements.clear();
      stmt = db.prepare<unknown[]>(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };
  const paramsOf = db.prepare(
    'SELECT run_id, key, value FROM params WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, key',
  );
  const tagsOf = db.prepare('SELECT run_id, key, value FROM tags WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, key');
  const metricsOf = db.prepare(
    'SELECT run_id, key, value, is_nan FROM latest_metrics WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, key',
  );

  /**
   * MLflow's SearchRuns: the runs of the given experiments (all when left out)
   * that match `filter`, sorted by `orderBy`, one page at a time. Throws
   * AppError('bad_input') for a bad filter, order_by, page token or size.
   */
  return function searchRuns(request: SearchRunsRequest = {}): SearchRunsResult {
    const clauses = parseSearchFilter(request.filter);
    const orderBy = parseOrderBy(request.orderBy);
    const maxResults = checkMaxResults(request.maxResults);
    const offset = parsePageToken(request.pageToken);
    const viewType = request.runViewType ?? 'ACTIVE_ONLY';
    if (!RUN_VIEW_TYPES.includes(viewType))
      throw new AppError('bad_input', `Invalid run view type '${String(viewType)}'. Valid values are ${RUN_VIEW_TYPES.join(', ')}.`);

    const joins: string[] = [];
    const joinArgs: unknown[] = [];
    const where: string[] = [];
    const whereArgs: unknown[] = [];
    if (request.experimentIds !== undefined) {
      const ids = request.experimentIds;
      if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id)))
        throw new AppError('bad_input', 'experimentIds must be a list of experiment ids (integers).');
      if (ids.length === 0) return { runs: [] };
      where.push(`r.experiment_id IN (${ids.map(() => '?').join(', ')})`);
      whereArgs.push(...ids);
    }
    if (viewType !== 'ALL') where.push(viewType === 'ACTIVE_ONLY' ? `r.lifecycle_stage = 'active'` : `r.lifecycle_stage = 'deleted'`);
    for (const clause of clauses) where.push(clauseSql(clause, whereArgs));

    const order: string[] = [];
    orderBy.forEach((o, i) => {
      const dir = o.ascending ? 'ASC' : 'DESC';
      if (o.type === 'attribute') {
        const expr = ATTRIBUTE_SQL[o.key];
        order.push(`(${expr} IS NULL)`, `${expr} ${dir}`);
        return;
      }
      const alias = `o${i}`;
      joins.push(`LEFT JOIN ${KEYED_TABLE[o.type]} ${alias} ON ${alias}.run_id = r.id AND ${alias}.key = ?`);
      joinArgs.push(o.key);
      if (o.type === 'metric')
        order.push(`(CASE WHEN ${alias}.is_nan = 1 THEN 1 WHEN ${alias}.run_id IS NULL THEN 2 ELSE 0 END)`, `${alias}.value ${dir}`);
      else order.push(`(${alias}.value IS NULL)`, `${alias}.value ${dir}`);
    });
    if (!orderBy.some((o) => o.type === 'attribute' && o.key === 'start_time')) order.push('r.start_time DESC');
    order.push('r.id ASC');

    const sql = `SELECT r.* FROM runs r ${joins.join(' ')} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`;
    const rows = prepare(sql).all(...joinArgs, ...whereArgs, maxResults + 1, offset) as { id: string }[];
    const more = rows.length > maxResults;
    const page = more ? rows.slice(0, maxResults) : rows;
    return { runs: summaries(page, request.keys), ...(more ? { nextPageToken: createPageToken(offset + maxResults) } : {}) };
  };

  function summaries(rows: { id: string }[], keys: SearchRunsRequest['keys']): RunSummary[] {
    if (rows.length === 0) return [];
    const only = (list: string[] | undefined) => (list ? new Set(list) : null);
    const metricKeys = only(keys?.metrics);
    const paramKeys = only(keys?.params);
    const tagKeys = only(keys?.tags);
    const ids = JSON.stringify(rows.map((r) => r.id));
    const byId = new Map<string, RunSummary>();
    const out = rows.map((row) => {
      const s: RunSummary = { info: toRunInfo(row as never), metrics: {}, params: {}, tags: {} };
      byId.set(row.id, s);
      return s;
    });
    for (const p of paramsOf.all(ids) as { run_id: string; key: string; value: string }[])
      if (!paramKeys || paramKeys.has(p.key)) byId.get(p.run_id)!.params[p.key] = p.value;
    for (const t of tagsOf.all(ids) as { run_id: string; key: string; value: string }[])
      if (!tagKeys || tagKeys.has(t.key)) byId.get(t.run_id)!.tags[t.key] = t.value;
    for (const m of metricsOf.all(ids) as MetricRow[]) {
      if (metricKeys && !metricKeys.has(m.key)) continue;
      const v: WireNumber = m.is_nan ? 'NaN' : toWireNumber(m.value as number);
      byId.get(m.run_id)!.metrics[m.key] = v;
    }
    return out;
  }
}
export type RunSearch = ReturnType<typeof createRunSearch>;
