/**
 * MLflow's run search language, parsed once for every surface (renderer search
 * box, CLI, IPC, the MLflow REST layer): a filter string becomes a list of
 * AND-ed clauses, an order_by list becomes sort keys, a page token an offset.
 * Pure TypeScript: no Node or DOM imports (btoa/atob are in both).
 *
 * Follows mlflow/utils/search_utils.py (`SearchUtils`) and the "Search Runs"
 * documentation:
 * - `<entity>.<key> <comparator> <value>` joined by AND (any case); there is no
 *   OR and no parentheses for grouping. Entities and their aliases: metric(s),
 *   param(s)/parameter(s), tag(s), attribute(s)/attr/run, dataset(s); a bare key
 *   is an attribute (`status = 'FAILED'`).
 * - keys with other characters are quoted with backticks or double quotes
 *   (metrics.`f1 score`, params."model-type"); unquoted keys may hold dots
 *   (tags.mlflow.runName).
 * - string values in single or double quotes; metric and numeric-attribute
 *   values are numbers.
 * - attributes: run_id, run_name, status, user_id, artifact_uri (strings) and
 *   start_time, end_time (numbers); aliases created/Created → start_time and
 *   `run name`/`Run name`/`Run Name` → run_name. lifecycle_stage is not
 *   searchable (it is the run view type), as in MLflow.
 * - comparators: metrics and numeric attributes =, !=, >, >=, <, <=; params and
 *   tags =, !=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL; string
 *   attributes and datasets =, !=, LIKE, ILIKE, IN, NOT IN.
 *
 * Where MLflow's code is narrower than its documentation or the issue this
 * serves, the wider reading is taken and nothing MLflow accepts means anything
 * else here: IN / NOT IN work on params, tags and every string attribute
 * (MLflow's code allows lists on run_id only; its docs show run_name IN);
 * IS NULL / IS NOT NULL on params and tags follow MLflow PR #21283 (not on
 * metrics or attributes, as there); `''` inside a single-quoted string (and
 * `""` inside a double-quoted one) stands for one quote, as in SQL (MLflow
 * keeps both characters); dangling ANDs are refused (sqlparse lets them pass).
 */
import { AppError } from './errors';
import {
  RUN_VIEW_TYPES,
  SEARCH_MAX_RESULTS_DEFAULT,
  SEARCH_MAX_RESULTS_THRESHOLD,
  type LatestMetric,
  type RunSummary,
  type RunViewType,
  type SearchRunsOptions,
  type SearchRunsResult,
} from './tracking';

/** The canonical entity types (MLflow's identifiers). */
export type EntityType = 'metric' | 'parameter' | 'tag' | 'attribute' | 'dataset';

export const NUMERIC_COMPARATORS = ['=', '!=', '>', '>=', '<', '<='] as const;
export const STRING_COMPARATORS = ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'] as const;
export const KEY_VALUE_COMPARATORS = [...STRING_COMPARATORS, 'IS NULL', 'IS NOT NULL'] as const;
export type NumericComparator = (typeof NUMERIC_COMPARATORS)[number];
export type Comparator = (typeof KEY_VALUE_COMPARATORS)[number] | NumericComparator;

/** Run attributes one can filter on, by their canonical names. */
export const STRING_ATTRIBUTES = ['artifact_uri', 'run_id', 'run_name', 'status', 'user_id'] as const;
export const NUMERIC_ATTRIBUTES = ['end_time', 'start_time'] as const;
export type RunAttribute = (typeof STRING_ATTRIBUTES)[number] | (typeof NUMERIC_ATTRIBUTES)[number];
export const DATASET_KEYS = ['name', 'digest', 'context'] as const;
export type DatasetKey = (typeof DATASET_KEYS)[number];

const ATTRIBUTE_ALIASES: Record<string, RunAttribute> = {
  created: 'start_time',
  Created: 'start_time',
  'run name': 'run_name',
  'Run name': 'run_name',
  'Run Name': 'run_name',
};
const SEARCH_ATTRIBUTE_KEYS = [...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES, ...Object.keys(ATTRIBUTE_ALIASES)].sort();
const ORDER_BY_ATTRIBUTE_KEYS = [...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES, 'created', 'Created'].sort();

const ENTITY_ALIASES: Record<string, EntityType> = {
  metric: 'metric',
  metrics: 'metric',
  parameter: 'parameter',
  parameters: 'parameter',
  param: 'parameter',
  params: 'parameter',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
};
const IDENTIFIERS: EntityType[] = ['metric', 'parameter', 'tag', 'attribute', 'dataset'];

/** One condition of a filter. `value` is a number, a string, a list of strings, or null for IS [NOT] NULL. */
export type FilterClause =
  | { type: 'metric'; key: string; comparator: NumericComparator; value: number }
  | { type: 'parameter' | 'tag'; key: string; comparator: '=' | '!=' | 'LIKE' | 'ILIKE'; value: string }
  | { type: 'parameter' | 'tag' | 'attribute' | 'dataset'; key: string; comparator: 'IN' | 'NOT IN'; value: string[] }
  | { type: 'parameter' | 'tag'; key: string; comparator: 'IS NULL' | 'IS NOT NULL'; value: null }
  | { type: 'attribute'; key: (typeof NUMERIC_ATTRIBUTES)[number]; comparator: NumericComparator; value: number }
  | { type: 'attribute'; key: (typeof STRING_ATTRIBUTES)[number]; comparator: '=' | '!=' | 'LIKE' | 'ILIKE'; value: string }
  | { type: 'dataset'; key: DatasetKey; comparator: '=' | '!=' | 'LIKE' | 'ILIKE'; value: string };

/** One sort key of an order_by list. */
export interface OrderByClause {
  type: Exclude<EntityType, 'dataset'>;
  key: string;
  ascending: boolean;
}

/** A runs search as the store takes it (MLflow's SearchRuns request; shared/tracking.ts). */
export type SearchRunsRequest = SearchRunsOptions;

export type { LatestMetric, RunSummary, SearchRunsResult };
export { RUN_VIEW_TYPES, SEARCH_MAX_RESULTS_DEFAULT, SEARCH_MAX_RESULTS_THRESHOLD, type RunViewType };

const bad = (message: string): AppError => new AppError('bad_input', message);
const pyList = (items: readonly string[]): string => `[${items.map((s) => `'${s}'`).join(', ')}]`;

// ---------------------------------------------------------------- tokenizer

type TokKind = 'word' | 'backtick' | 'dquote' | 'squote' | 'number' | 'op' | 'dot' | 'lparen' | 'rparen' | 'comma' | 'other';
interface Tok {
  kind: TokKind;
  /** Source text of the token. */
  text: string;
  /** Unquoted content for quoted tokens, the number text for numbers. */
  value: string;
  start: number;
  end: number;
  /** Whitespace came right before it. */
  spaced: boolean;
}

const WORD = /[\p{L}_][\p{L}\p{N}\p{M}_]*/uy;
const NUMBER = /-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?(?![\p{L}\p{N}_])/uy;
const OP = /!=|<>|<=|>=|==|=|<|>/y;

function tokenize(input: string, what: 'filter' | 'order_by'): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let spaced = false;
  while (i < input.length) {
    const c = input[i];
    if (/\s/u.test(c)) {
      i++;
      spaced = true;
      continue;
    }
    const start = i;
    const push = (kind: TokKind, end: number, value = input.slice(start, end)) => {
      toks.push({ kind, text: input.slice(start, end), value, start, end, spaced });
      i = end;
      spaced = false;
    };
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= input.length) {
          throw bad(
            what === 'filter'
              ? `Invalid filter '${input}'. Could not be parsed: the quote (${c}) at position ${start + 1} is never closed.`
              : `Invalid order_by clause '${input}'. Could not be parsed: the quote (${c}) at position ${start + 1} is never closed.`,
          );
        }
        if (input[j] === c) {
          if (c !== '`' && input[j + 1] === c) {
            value += c;
            j += 2;
            continue;
          }
          break;
        }
        value += input[j];
        j++;
      }
      push(c === "'" ? 'squote' : c === '"' ? 'dquote' : 'backtick', j + 1, value);
      continue;
    }
    for (const [re, kind] of [
      [NUMBER, 'number'],
      [WORD, 'word'],
      [OP, 'op'],
    ] as const) {
      re.lastIndex = i;
      const m = re.exec(input);
      if (m) {
        push(kind, i + m[0].length);
        break;
      }
    }
    if (i !== start) continue;
    if (c === '.') push('dot', i + 1);
    else if (c === '(') push('lparen', i + 1);
    else if (c === ')') push('rparen', i + 1);
    else if (c === ',') push('comma', i + 1);
    else {
      // A run of anything else (e.g. `;`, `-`, `%`) is one invalid token.
      let j = i + 1;
      while (j < input.length && !/[\s'"`().,=<>!\p{L}\p{N}_]/u.test(input[j])) j++;
      push('other', j);
    }
  }
  return toks;
}

const isWord = (t: Tok | undefined, w: string): boolean => t?.kind === 'word' && t.value.toUpperCase() === w;

// ---------------------------------------------------------------- identifiers

interface Identifier {
  type: EntityType;
  key: string;
  /** Its source text. */
  text: string;
}

/**
 * Reads `<entity>.<key>` or a bare attribute key at toks[pos]: the entity is a
 * word (or backticked word), the key one quoted token or words joined by dots,
 * with no space inside. Returns null when no identifier starts there.
 */
function readIdentifier(
  toks: Tok[],
  pos: number,
  source: string,
  attributeKeys: readonly string[],
): { id: Identifier; next: number } | null {
  const first = toks[pos];
  if (!first || (first.kind !== 'word' && first.kind !== 'backtick' && first.kind !== 'dquote')) return null;
  let next = pos + 1;
  let entity: string | null = null;
  let key: string;
  if (toks[next]?.kind === 'dot' && !toks[next].spaced && first.kind !== 'dquote') {
    entity = first.value;
    next++;
    const k = toks[next];
    if (!k || k.spaced)
      throw bad(
        `Invalid identifier '${source.slice(first.start, toks[next - 1].end)}'. Columns should be specified as 'attribute.<key>', 'metric.<key>', 'tag.<key>', 'dataset.<key>', or 'param.'.`,
      );
    if (k.kind === 'backtick' || k.kind === 'dquote' || k.kind === 'squote') {
      key = k.value;
      next++;
    } else if (k.kind === 'word') {
      key = k.value;
      next++;
      // Unquoted keys may hold dots: tags.mlflow.runName.
      while (toks[next]?.kind === 'dot' && !toks[next].spaced && toks[next + 1]?.kind === 'word' && !toks[next + 1].spaced) {
        key += '.' + toks[next + 1].value;
        next += 2;
      }
    } else {
      throw bad(
        `Invalid identifier '${source.slice(first.start, k.end)}'. A key that starts with a digit or holds spaces or symbols must be quoted, e.g. metrics.\`f1 score\` or params."2nd-param".`,
      );
    }
  } else {
    key = first.value;
  }
  const text = source.slice(first.start, toks[next - 1].end);
  let type: EntityType = 'attribute';
  if (entity !== null) {
    const found = ENTITY_ALIASES[entity];
    if (!found) throw bad(`Invalid entity type '${entity}'. Valid values are ${pyList(IDENTIFIERS)}`);
    type = found;
  }
  if (type === 'attribute') {
    if (!attributeKeys.includes(key)) throw bad(`Invalid attribute key '${key}' specified. Valid keys are '${pyList(attributeKeys)}'`);
    key = ATTRIBUTE_ALIASES[key] ?? key;
  } else if (type === 'dataset' && !(DATASET_KEYS as readonly string[]).includes(key)) {
    throw bad(`Invalid dataset key '${key}' specified. Valid keys are '${pyList(DATASET_KEYS)}'`);
  }
  return { id: { type, key, text }, next };
}

function comparatorsFor(id: Identifier): readonly Comparator[] {
  switch (id.type) {
    case 'metric':
      return NUMERIC_COMPARATORS;
    case 'parameter':
    case 'tag':
      return KEY_VALUE_COMPARATORS;
    case 'dataset':
      return STRING_COMPARATORS;
    case 'attribute':
      return (NUMERIC_ATTRIBUTES as readonly string[]).includes(id.key) ? NUMERIC_COMPARATORS : STRING_COMPARATORS;
  }
}

const isNumericTarget = (id: Identifier): boolean =>
  id.type === 'metric' || (id.type === 'attribute' && (NUMERIC_ATTRIBUTES as readonly string[]).includes(id.key));

// ---------------------------------------------------------------- filter

/** Text of the tokens from `from` up to the next AND (or the end), for error messages. */
function clauseText(toks: Tok[], from: number, source: string): string {
  let to = from;
  while (to < toks.length && !isWord(toks[to], 'AND')) to++;
  return source.slice(toks[from].start, toks[Math.max(from, to - 1)].end);
}

function invalidClause(toks: Tok[], from: number, source: string): AppError {
  const t = toks[from];
  if (isWord(t, 'OR')) {
    return bad(
      `Invalid clause(s) in filter string: '${t.text}'. The search syntax has no OR: join conditions with AND, or run one search per alternative.`,
    );
  }
  return bad(`Invalid clause(s) in filter string: '${clauseText(toks, from, source)}'`);
}

/**
 * Parses an MLflow filter string into its AND-ed clauses (an empty or blank
 * filter has none). Throws AppError('bad_input') with MLflow's kind of message.
 */
export function parseSearchFilter(filter: string | undefined | null): FilterClause[] {
  if (!filter || filter.trim() === '') return [];
  const toks = tokenize(filter, 'filter');
  const clauses: FilterClause[] = [];
  let pos = 0;
  for (;;) {
    const read = readIdentifier(toks, pos, filter, SEARCH_ATTRIBUTE_KEYS);
    if (!read) throw invalidClause(toks, pos, filter);
    const { id } = read;
    let at = read.next;
    // The comparator.
    let comparator: string;
    const c = toks[at];
    if (!c) throw bad(`Invalid comparison clause '${id.text}'. Expected a comparator and a value after it.`);
    if (c.kind === 'op') {
      comparator = c.value === '<>' ? '!=' : c.value;
      at++;
    } else if (isWord(c, 'LIKE') || isWord(c, 'ILIKE') || isWord(c, 'IN')) {
      comparator = c.value.toUpperCase();
      at++;
    } else if (isWord(c, 'NOT') && isWord(toks[at + 1], 'IN')) {
      comparator = 'NOT IN';
      at += 2;
    } else if (isWord(c, 'IS') && isWord(toks[at + 1], 'NULL')) {
      comparator = 'IS NULL';
      at += 2;
    } else if (isWord(c, 'IS') && isWord(toks[at + 1], 'NOT') && isWord(toks[at + 2], 'NULL')) {
      comparator = 'IS NOT NULL';
      at += 3;
    } else {
      throw bad(
        `Invalid comparison clause '${clauseText(toks, pos, filter)}'. Expected a comparator after '${id.text}', found '${c.text}'.`,
      );
    }
    const allowed = comparatorsFor(id);
    if (!(allowed as readonly string[]).includes(comparator))
      throw bad(`Invalid comparator '${comparator}' not one of '${pyList(allowed)}'`);

    // The value.
    let value: number | string | string[] | null = null;
    if (comparator === 'IN' || comparator === 'NOT IN') {
      value = [];
      if (toks[at]?.kind !== 'lparen')
        throw bad(
          `Invalid comparison clause '${clauseText(toks, pos, filter)}'. ${comparator} takes a parenthesised list of quoted strings, e.g. ${comparator} ('a', 'b').`,
        );
      at++;
      if (toks[at]?.kind === 'rparen')
        throw bad('While parsing a list in the query, expected a non-empty list of string values, but got empty list');
      for (;;) {
        const v = toks[at];
        if (v?.kind !== 'squote') {
          throw bad(
            `While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ${v ? v.text : 'the end of the filter'} (values in a list take single quotes)`,
          );
        }
        value.push(v.value);
        at++;
        if (toks[at]?.kind === 'comma') {
          at++;
          continue;
        }
        if (toks[at]?.kind === 'rparen') {
          at++;
          break;
        }
        throw bad('While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.');
      }
    } else if (comparator !== 'IS NULL' && comparator !== 'IS NOT NULL') {
      const v = toks[at];
      if (!v) throw bad(`Invalid comparison clause '${clauseText(toks, pos, filter)}'. Expected a value after '${comparator}'.`);
      at++;
      if (isNumericTarget(id)) {
        if (v.kind !== 'number') {
          throw bad(
            id.type === 'metric'
              ? `Expected numeric value type for metric. Found ${v.text}`
              : `Expected numeric value type for numeric attribute: ${id.key}. Found ${v.text}`,
          );
        }
        value = Number(v.value);
      } else if (v.kind === 'squote' || v.kind === 'dquote') {
        value = v.value;
      } else if (v.kind === 'backtick' || v.kind === 'word') {
        throw bad(
          `Parameter value is either not quoted or unidentified quote types used for string value ${v.text}. Use either single or double quotes.`,
        );
      } else if (v.kind === 'lparen') {
        throw bad(`A list of values may only follow IN or NOT IN (in '${clauseText(toks, pos, filter)}').`);
      } else {
        const what = id.type === 'attribute' ? 'attributes' : id.type === 'dataset' ? 'dataset attributes' : id.type;
        throw bad(
          id.type === 'parameter' || id.type === 'tag'
            ? `Expected a quoted string value for ${id.type} (e.g. 'my-value'). Got value ${v.text}`
            : `Expected a quoted string value for ${what}. Got value ${v.text}`,
        );
      }
    }
    clauses.push({ type: id.type, key: id.key, comparator, value } as FilterClause);

    // AND, or the end.
    if (at >= toks.length) return clauses;
    if (!isWord(toks[at], 'AND')) throw invalidClause(toks, at, filter);
    at++;
    if (at >= toks.length) throw bad(`Invalid clause(s) in filter string: '${toks[at - 1].text}' (nothing follows it)`);
    pos = at;
  }
}

// ---------------------------------------------------------------- order_by

/** Parses one order_by clause: `<identifier> [ASC|DESC]`. */
export function parseOrderByClause(clause: string): OrderByClause {
  const cannot = () => bad(`Invalid order_by clause '${clause}'. Could not be parsed.`);
  if (typeof clause !== 'string' || clause.trim() === '') throw cannot();
  const toks = tokenize(clause, 'order_by');
  const read = readIdentifier(toks, 0, clause, ORDER_BY_ATTRIBUTE_KEYS);
  if (!read) throw cannot();
  let ascending = true;
  if (read.next < toks.length) {
    const dir = toks[read.next];
    if (read.next + 1 < toks.length || dir.kind !== 'word') throw cannot();
    const d = dir.value.toLowerCase();
    if (d !== 'asc' && d !== 'desc') throw bad(`Invalid ordering key in order_by clause '${clause}'.`);
    ascending = d === 'asc';
  }
  if (read.id.type === 'dataset')
    throw bad(`Invalid order_by entity type 'dataset' in '${clause}': runs sort by metrics, params, tags or attributes.`);
  return { type: read.id.type, key: read.id.key, ascending };
}

/** Parses an order_by list; the same field twice is refused, as MLflow does. */
export function parseOrderBy(list: readonly string[] | undefined | null): OrderByClause[] {
  const out: OrderByClause[] = [];
  const seen = new Set<string>();
  for (const clause of list ?? []) {
    const parsed = parseOrderByClause(clause);
    const id = `${parsed.type}\u0000${parsed.key}`;
    if (seen.has(id)) throw bad(`\`order_by\` contains duplicate fields: ${pyList(list ?? [])}`);
    seen.add(id);
    out.push(parsed);
  }
  return out;
}

// ---------------------------------------------------------------- paging

function utf8ToBase64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/** MLflow's page token: base64 of `{"offset": n}` (opaque to callers). */
export function createPageToken(offset: number): string {
  return utf8ToBase64(JSON.stringify({ offset }));
}

/** The offset a page token stands for (0 for none); a token this did not make is bad_input. */
export function parsePageToken(token: string | undefined | null): number {
  if (!token) return 0;
  let decoded: string;
  try {
    decoded = atob(token);
  } catch {
    throw bad('Invalid page token, could not base64-decode');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded);
  } catch {
    throw bad(`Invalid page token, decoded value=${JSON.stringify(decoded.slice(0, 100))}`);
  }
  const offset = parsed && typeof parsed === 'object' ? (parsed as { offset?: unknown }).offset : undefined;
  if (!offset) throw bad(`Invalid page token, parsed value=${JSON.stringify(parsed).slice(0, 100)}`);
  const n = Number(offset);
  if (!Number.isSafeInteger(n) || n < 0) throw bad(`Invalid page token, not stringable ${JSON.stringify(offset).slice(0, 100)}`);
  return n;
}

/** maxResults as MLflow checks it: a positive integer, at most 50,000; 1,000 when left out. */
export function checkMaxResults(maxResults: number | undefined | null): number {
  if (maxResults === undefined || maxResults === null) return SEARCH_MAX_RESULTS_DEFAULT;
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    throw bad(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer.`);
  }
  if (maxResults > SEARCH_MAX_RESULTS_THRESHOLD) {
    throw bad(
      `Invalid value for request parameter max_results. It must be at most ${SEARCH_MAX_RESULTS_THRESHOLD}, but got value ${maxResults}`,
    );
  }
  return maxResults;
}

// ---------------------------------------------------------------- LIKE

/**
 * A LIKE/ILIKE pattern as a JavaScript regular expression: `%` any run of
 * characters, `_` exactly one (a code point), everything else literal; no
 * escape character (MLflow defines none). ILIKE folds case for every script.
 */
export function likePatternToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let src = '';
  for (const ch of pattern) {
    if (ch === '%') src += '[\\s\\S]*';
    else if (ch === '_') src += '[\\s\\S]';
    // '-' is literal outside a class (escaping it is a syntax error under the u flag).
    else src += ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, caseInsensitive ? 'iu' : 'u');
}

/** A LIKE pattern as an SQLite GLOB (case-sensitive): GLOB's own metacharacters are bracketed. */
export function likePatternToGlob(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '%') out += '*';
    else if (ch === '_') out += '?';
    else if (ch === '*' || ch === '?' || ch === '[') out += `[${ch}]`;
    else out += ch;
  }
  return out;
}
