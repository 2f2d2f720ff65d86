/**
 * MLflow's search-experiments: its filter (`name LIKE 'fraud%' AND
 * tags.team = 'risk' AND creation_time > 1700000000000`), order_by
 * (`name ASC`, `last_update_time DESC`…; default creation_time DESC, then
 * experiment_id), view type and paging, over the workbench's experiments.
 * Experiments are few (hundreds), so they are filtered in memory.
 *
 * As mlflow/utils/search_utils.py SearchExperimentsUtils: attributes `name`
 * (=, !=, LIKE, ILIKE), `creation_time` and `last_update_time` (=, !=, <, <=,
 * >, >=); `tags.<key>` (=, !=, LIKE, ILIKE); clauses joined by AND.
 */
import { AppError } from '../../../shared/errors';
import { createPageToken, likePatternToRegExp, parsePageToken } from '../../../shared/run-filter';
import type { Experiment, LifecycleStage } from '../../../shared/tracking';

type Clause =
  | { kind: 'name'; comparator: string; value: string }
  | { kind: 'time'; key: 'createdAt' | 'updatedAt'; comparator: string; value: number }
  | { kind: 'tag'; key: string; comparator: string; value: string };

const TOKEN =
  /\s*(?:(`(?:[^`])*`|"(?:[^"]|"")*"|'(?:[^']|'')*')|(<=|>=|!=|=|<|>)|([A-Za-z_][\w.]*(?:\.(?:`[^`]*`|"[^"]*"))?)|(-?\d+(?:\.\d+)?))/y;

function bad(message: string): never {
  throw new AppError('bad_input', message);
}

function unquote(s: string): string {
  const q = s[0];
  return s.slice(1, -1).replaceAll(q + q, q);
}

function tokenize(filter: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < filter.length) {
    if (/^\s*$/.test(filter.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(filter);
    if (!m) bad(`Invalid filter '${filter.slice(0, 200)}': could not parse at position ${pos}.`);
    out.push(m[0].trim());
    pos = TOKEN.lastIndex;
  }
  return out;
}

/** Parses a search-experiments filter into AND-ed clauses (throws AppError('bad_input') with MLflow's kind of message). */
export function parseExperimentFilter(filter: string | undefined): Clause[] {
  if (!filter || !filter.trim()) return [];
  const tokens = tokenize(filter);
  const clauses: Clause[] = [];
  let i = 0;
  while (i < tokens.length) {
    const ident = tokens[i];
    let comparator = tokens[i + 1];
    const valueToken = tokens[i + 2];
    if (ident === undefined || comparator === undefined || valueToken === undefined)
      bad(`Invalid filter '${filter.slice(0, 200)}': expected <key> <comparator> <value>.`);
    if (/^not$/i.test(comparator)) bad(`Invalid comparator 'NOT' in filter '${filter.slice(0, 200)}'.`);
    if (/^(i?like)$/i.test(comparator)) comparator = comparator.toUpperCase();
    const isString = /^['"]/.test(valueToken);
    const value = isString ? unquote(valueToken) : valueToken;
    const dot = ident.indexOf('.');
    const entity = dot < 0 ? 'attribute' : ident.slice(0, dot).toLowerCase();
    let key = dot < 0 ? ident : ident.slice(dot + 1);
    if (/^[`"]/.test(key)) key = unquote(key);
    if (['attribute', 'attributes', 'attr'].includes(entity)) {
      if (key === 'name') {
        if (!['=', '!=', 'LIKE', 'ILIKE'].includes(comparator))
          bad(`Invalid comparator '${comparator}' for attribute 'name'. Allowed: =, !=, LIKE, ILIKE.`);
        if (!isString) bad(`Invalid value ${valueToken} for attribute 'name': it must be a quoted string.`);
        clauses.push({ kind: 'name', comparator, value });
      } else if (key === 'creation_time' || key === 'last_update_time') {
        if (!['=', '!=', '<', '<=', '>', '>='].includes(comparator))
          bad(`Invalid comparator '${comparator}' for attribute '${key}'. Allowed: =, !=, <, <=, >, >=.`);
        if (isString || !Number.isFinite(Number(value))) bad(`Invalid value ${valueToken} for attribute '${key}': it must be a number.`);
        clauses.push({ kind: 'time', key: key === 'creation_time' ? 'createdAt' : 'updatedAt', comparator, value: Number(value) });
      } else bad(`Invalid attribute key '${key}' specified. Valid keys are 'name', 'creation_time', 'last_update_time'.`);
    } else if (entity === 'tags' || entity === 'tag') {
      if (!['=', '!=', 'LIKE', 'ILIKE'].includes(comparator))
        bad(`Invalid comparator '${comparator}' for tag '${key}'. Allowed: =, !=, LIKE, ILIKE.`);
      if (!isString) bad(`Invalid value ${valueToken} for tag '${key}': it must be a quoted string.`);
      clauses.push({ kind: 'tag', key, comparator, value });
    } else bad(`Invalid entity type '${entity}'. Valid values are ['attribute', 'tag'].`);
    i += 3;
    if (i < tokens.length) {
      if (!/^and$/i.test(tokens[i])) bad(`Invalid filter '${filter.slice(0, 200)}': clauses must be joined by AND.`);
      i++;
      if (i >= tokens.length) bad(`Invalid filter '${filter.slice(0, 200)}': it ends with AND.`);
    }
  }
  return clauses;
}

function compareString(actual: string | undefined, comparator: string, value: string): boolean {
  if (actual === undefined) return false;
  switch (comparator) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    case 'LIKE':
      return likePatternToRegExp(value, false).test(actual);
    default:
      return likePatternToRegExp(value, true).test(actual);
  }
}

function compareNumber(actual: number, comparator: string, value: number): boolean {
  switch (comparator) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    default:
      return actual >= value;
  }
}

const ORDER_KEYS: Record<string, (e: Experiment) => string | number> = {
  name: (e) => e.name,
  experiment_id: (e) => e.id,
  creation_time: (e) => e.createdAt,
  last_update_time: (e) => e.updatedAt,
};

function parseOrder(orderBy: readonly string[]) {
  return orderBy.map((clause) => {
    const m = /^\s*(?:(?:attributes?|attr)\.)?(\w+)(?:\s+(ASC|DESC))?\s*$/i.exec(clause);
    if (!m || !ORDER_KEYS[m[1]])
      bad(`Invalid order_by clause '${clause}'. Order by name, experiment_id, creation_time or last_update_time, optionally ASC or DESC.`);
    return { get: ORDER_KEYS[m[1]], key: m[1], ascending: (m[2] ?? 'ASC').toUpperCase() === 'ASC' };
  });
}

export interface ExperimentSearch {
  filter?: string;
  orderBy?: readonly string[];
  viewType?: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
  maxResults: number;
  pageToken?: string;
}

/** One page of matching experiments and the token of the next page (when there is one). */
export function searchExperiments(all: Experiment[], q: ExperimentSearch): { experiments: Experiment[]; nextPageToken?: string } {
  const clauses = parseExperimentFilter(q.filter);
  const order = parseOrder(q.orderBy ?? []);
  const offset = parsePageToken(q.pageToken);
  const stage: LifecycleStage | 'all' = q.viewType === 'ALL' ? 'all' : q.viewType === 'DELETED_ONLY' ? 'deleted' : 'active';
  const matching = all.filter(
    (e) =>
      (stage === 'all' || e.lifecycleStage === stage) &&
      clauses.every((c) =>
        c.kind === 'name'
          ? compareString(e.name, c.comparator, c.value)
          : c.kind === 'time'
            ? compareNumber(e[c.key], c.comparator, c.value)
            : compareString(e.tags[c.key], c.comparator, c.value),
      ),
  );
  if (!order.some((o) => o.key === 'creation_time')) order.push({ get: ORDER_KEYS.creation_time, key: 'creation_time', ascending: false });
  if (!order.some((o) => o.key === 'experiment_id')) order.push({ get: ORDER_KEYS.experiment_id, key: 'experiment_id', ascending: true });
  matching.sort((a, b) => {
    for (const o of order) {
      const x = o.get(a);
      const y = o.get(b);
      if (x !== y) return (x < y ? -1 : 1) * (o.ascending ? 1 : -1);
    }
    return 0;
  });
  const page = matching.slice(offset, offset + q.maxResults);
  const more = offset + q.maxResults < matching.length;
  return { experiments: page, ...(more ? { nextPageToken: createPageToken(offset + q.maxResults) } : {}) };
}
