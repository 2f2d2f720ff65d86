import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/helpers/test-app';
import { AppError } from '../../../shared/errors';
import { createPageToken, type SearchRunsRequest } from '../../../shared/run-filter';
import { createStore, type Store } from './index';
import { artifactUri } from './run-search';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = makeTempDir();
  store = createStore(dir);
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface RunSpec {
  name: string;
  start?: number;
  end?: number;
  status?: 'RUNNING' | 'FINISHED' | 'FAILED';
  experimentId?: number;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  /** key → value, or key → [[step, value], …] for a series. */
  metrics?: Record<string, number | [number, number][]>;
}

let clock = 1_700_000_000_000;
function run(spec: RunSpec): string {
  const t = store.tracking;
  const info = t.createRun({
    experimentId: spec.experimentId ?? 0,
    name: spec.name,
    userId: 'aiko',
    source: 'cli',
    startTime: spec.start ?? clock++,
  });
  const metrics = Object.entries(spec.metrics ?? {}).flatMap(([key, v]) =>
    typeof v === 'number' ? [{ key, value: v, timestamp: 1, step: 0 }] : v.map(([step, value]) => ({ key, value, timestamp: 1, step })),
  );
  t.logBatch(info.runId, {
    params: Object.entries(spec.params ?? {}).map(([key, value]) => ({ key, value })),
    tags: Object.entries(spec.tags ?? {}).map(([key, value]) => ({ key, value })),
    metrics,
  });
  if (spec.status !== 'RUNNING')
    t.updateRun(info.runId, { status: spec.status ?? 'FINISHED', endTime: spec.end ?? (spec.start ?? clock) + 1000 });
  return info.runId;
}

/** Names of the matching runs, in the search's order. */
const names = (req: SearchRunsRequest | string): string[] =>
  store.tracking.searchRuns(typeof req === 'string' ? { filter: req } : req).runs.map((r) => r.info.name);
/** The same, as a sorted set (for filters, where order is not the point). */
const matched = (filter: string): string[] => names(filter).sort();

function refusal(req: SearchRunsRequest): string {
  try {
    store.tracking.searchRuns(req);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('bad_input');
    return (err as AppError).message;
  }
  throw new Error('expected a bad_input refusal');
}

describe('searchRuns filter semantics', () => {
  it('finds the issue example and nothing else', () => {
    run({ name: 'hit', params: { model: 'rf' }, tags: { author: 'aiko' }, metrics: { accuracy: 0.95 } });
    run({ name: 'low', params: { model: 'rf' }, tags: { author: 'aiko' }, metrics: { accuracy: 0.85 } });
    run({ name: 'other-model', params: { model: 'gbm' }, tags: { author: 'aiko' }, metrics: { accuracy: 0.97 } });
    run({ name: 'other-author', params: { model: 'rf' }, tags: { author: 'Ben' }, metrics: { accuracy: 0.99 } });
    expect(matched(`metrics.accuracy > 0.9 and params.model = 'rf' and tags.author LIKE 'a%'`)).toEqual(['hit']);
  });

  it('never matches a missing key, not even with != or NOT IN; IS NULL does', () => {
    run({ name: 'has-rf', params: { model: 'rf' }, tags: { team: 'x' }, metrics: { acc: 0.5 } });
    run({ name: 'has-gbm', params: { model: 'gbm' }, tags: { team: 'y' }, metrics: { acc: 0.7 } });
    run({ name: 'bare' });
    expect(matched(`params.model != 'rf'`)).toEqual(['has-gbm']);
    expect(matched(`params.model NOT IN ('rf')`)).toEqual(['has-gbm']);
    expect(matched(`tags.team != 'x'`)).toEqual(['has-gbm']);
    expect(matched(`tags.team NOT IN ('x', 'z')`)).toEqual(['has-gbm']);
    expect(matched('metrics.acc != 0.5')).toEqual(['has-gbm']);
    expect(matched(`tags.team IS NULL`)).toEqual(['bare']);
    expect(matched(`params.model IS NULL`)).toEqual(['bare']);
    expect(matched(`tags.team IS NOT NULL`)).toEqual(['has-gbm', 'has-rf']);
  });

  it('compares a metric on its latest value (highest step), not an earlier one', () => {
    run({
      name: 'improved',
      metrics: {
        loss: [
          [0, 0.9],
          [5, 0.1],
          [2, 0.5],
        ],
      },
    });
    run({
      name: 'worsened',
      metrics: {
        loss: [
          [0, 0.1],
          [3, 0.8],
        ],
      },
    });
    expect(matched('metrics.loss < 0.2')).toEqual(['improved']);
    expect(matched('metrics.loss = 0.9')).toEqual([]);
    expect(matched('metrics.loss >= 0.8')).toEqual(['worsened']);
  });

  it('treats a latest NaN as unequal to everything and matching no ordering comparison; ±Infinity compares', () => {
    run({ name: 'nan', metrics: { m: NaN } });
    run({ name: 'inf', metrics: { m: Infinity } });
    run({ name: 'minus-inf', metrics: { m: -Infinity } });
    run({ name: 'zero', metrics: { m: 0 } });
    expect(matched('metrics.m > -1')).toEqual(['inf', 'zero']);
    expect(matched('metrics.m = 0')).toEqual(['zero']);
    expect(matched('metrics.m != 0')).toEqual(['inf', 'minus-inf', 'nan']);
    expect(matched('metrics.m < -1e308')).toEqual(['minus-inf']);
  });

  it('LIKE is case-sensitive, ILIKE is not, also beyond ASCII; % and _ are the only wildcards', () => {
    run({ name: 'upper', tags: { who: 'Aiko' } });
    run({ name: 'lower', tags: { who: 'aiko' } });
    run({ name: 'umlaut-upper', tags: { who: 'ÄRGER' } });
    run({ name: 'umlaut-lower', tags: { who: 'ärger' } });
    run({ name: 'star', tags: { who: 'a*?[x]' } });
    expect(matched(`tags.who LIKE 'a%'`)).toEqual(['lower', 'star']);
    expect(matched(`tags.who LIKE 'A%'`)).toEqual(['upper']);
    expect(matched(`tags.who ILIKE 'a%'`)).toEqual(['lower', 'star', 'upper']);
    expect(matched(`tags.who LIKE 'ä%'`)).toEqual(['umlaut-lower']);
    expect(matched(`tags.who ILIKE 'ä%'`)).toEqual(['umlaut-lower', 'umlaut-upper']);
    expect(matched(`tags.who LIKE '_iko'`)).toEqual(['lower', 'upper']);
    expect(matched(`tags.who LIKE 'a*?[x]'`)).toEqual(['star']);
    expect(matched(`tags.who LIKE 'a*%'`)).toEqual(['star']);
    expect(matched(`tags.who = 'aiko'`)).toEqual(['lower']);
  });

  it('IN takes several values, exactly', () => {
    run({ name: 'rf', params: { model: 'rf' } });
    run({ name: 'gbm', params: { model: 'gbm' } });
    run({ name: 'lr', params: { model: 'lr' } });
    run({ name: 'RF', params: { model: 'RF' } });
    expect(matched(`params.model IN ('rf', 'gbm')`)).toEqual(['gbm', 'rf']);
    expect(matched(`params.model NOT IN ('rf', 'gbm')`)).toEqual(['RF', 'lr']);
  });

  it('compares numeric attributes: start_time, created and end_time (a running run has none)', () => {
    run({ name: 'early', start: 1000, end: 2000 });
    run({ name: 'mid', start: 2000, end: 5000 });
    run({ name: 'late', start: 3000, status: 'RUNNING' });
    expect(matched('attributes.start_time > 1000')).toEqual(['late', 'mid']);
    expect(matched('attributes.start_time >= 1000 and start_time < 3000')).toEqual(['early', 'mid']);
    expect(matched('created = 2000')).toEqual(['mid']);
    expect(matched('attributes.start_time != 2000')).toEqual(['early', 'late']);
    expect(matched('attributes.end_time <= 5000')).toEqual(['early', 'mid']);
    expect(matched('attributes.end_time != 1')).toEqual(['early', 'mid']);
  });

  it('matches run_name, status, user_id, run_id and artifact_uri attributes', () => {
    const a = run({ name: 'alpha-1', status: 'FAILED' });
    run({ name: 'Alpha-2' });
    run({ name: 'beta', status: 'RUNNING' });
    expect(matched(`attributes.run_name LIKE 'alpha%'`)).toEqual(['alpha-1']);
    expect(matched(`attributes.\`Run Name\` ILIKE 'ALPHA%'`)).toEqual(['Alpha-2', 'alpha-1']);
    expect(matched(`run_name IN ('beta', 'alpha-1')`)).toEqual(['alpha-1', 'beta']);
    expect(matched(`attributes.status = 'FAILED'`)).toEqual(['alpha-1']);
    expect(matched(`attributes.status != 'FINISHED'`)).toEqual(['alpha-1', 'beta']);
    expect(matched(`attributes.user_id = 'aiko' and status = 'RUNNING'`)).toEqual(['beta']);
    expect(matched(`attributes.run_id = '${a}'`)).toEqual(['alpha-1']);
    expect(matched(`attributes.run_id IN ('${a}', 'ffffffffffffffffffffffffffffffff')`)).toEqual(['alpha-1']);
    expect(matched(`attributes.artifact_uri = '${artifactUri(0, a)}'`)).toEqual(['alpha-1']);
  });

  it('handles quoted keys with spaces and unicode keys and values', () => {
    run({ name: 'spaced', params: { 'learning rate': '0.1' }, metrics: { 'f1 score': 0.8 } });
    run({ name: 'unicode', params: { größe: 'groß' }, tags: { 模型: '随机森林' } });
    expect(matched('metrics.`f1 score` > 0.5')).toEqual(['spaced']);
    expect(matched(`params."learning rate" = '0.1'`)).toEqual(['spaced']);
    expect(matched(`params.größe = 'groß' and tags."模型" LIKE '随机%'`)).toEqual(['unicode']);
    expect(matched(`tags.模型 ILIKE '%森林'`)).toEqual(['unicode']);
  });

  it('treats SQL-looking strings as values only', () => {
    run({ name: 'evil', params: { note: "'; DROP TABLE runs; --" } });
    run({ name: 'plain', params: { note: 'x' } });
    expect(matched(`params.note = '''; DROP TABLE runs; --'`)).toEqual(['evil']);
    expect(matched(`params.note = "'; DROP TABLE runs; --"`)).toEqual(['evil']);
    expect(matched(`params.note = 'x'' OR ''1''=''1'`)).toEqual([]);
    expect(matched(`params."note' OR 1=1 --" = 'x'`)).toEqual([]);
    expect(names({})).toHaveLength(2);
  });

  it('filters on the dataset a run was trained from (name and digest); context is not recorded so never matches', () => {
    const sha = 'ab'.repeat(32);
    const raw = new Database(store.file);
    raw.prepare(`INSERT INTO datasets (id, name, created_at) VALUES (1, 'churn', 'now')`).run();
    raw
      .prepare(
        `INSERT INTO dataset_versions (id, dataset_id, tag, sha256, size, rows, columns, schema, csv_options, profile, source_path, source_name, created_at)
         VALUES (1, 1, 'v1', ?, 1, 1, 1, '[]', '{}', '{}', 'x.csv', 'x.csv', 'now')`,
      )
      .run(sha);
    raw.close();
    const info = store.tracking.createRun({ experimentId: 0, name: 'trained', userId: 'aiko', source: 'app', datasetVersionId: 1 });
    store.tracking.updateRun(info.runId, { status: 'FINISHED', endTime: Date.now() });
    run({ name: 'no-dataset' });
    expect(matched(`dataset.name = 'churn'`)).toEqual(['trained']);
    expect(matched(`datasets.name LIKE 'ch%'`)).toEqual(['trained']);
    expect(matched(`dataset.name != 'iris'`)).toEqual(['trained']);
    expect(matched(`dataset.digest IN ('${sha}')`)).toEqual(['trained']);
    expect(matched(`dataset.context = 'train'`)).toEqual([]);
  });

  it('refuses each kind of bad filter with its message', () => {
    expect(refusal({ filter: `params.a = 'x' or params.b = 'y'` })).toContain('no OR');
    expect(refusal({ filter: `params.a = 'x' params.b` })).toContain('Invalid clause(s) in filter string');
    expect(refusal({ filter: `foo.a = 'x'` })).toContain("Invalid entity type 'foo'");
    expect(refusal({ filter: `attributes.foo = 'x'` })).toContain("Invalid attribute key 'foo' specified. Valid keys are");
    expect(refusal({ filter: `params.a > 'x'` })).toContain("Invalid comparator '>' not one of '['=', '!=', 'LIKE', 'ILIKE'");
    expect(refusal({ filter: `metrics.a > 'x'` })).toBe("Expected numeric value type for metric. Found 'x'");
    expect(refusal({ filter: `params.a = 'x` })).toContain('never closed');
  });
});

describe('searchRuns scope, order and paging', () => {
  it('searches the given experiments and the run view type MLflow names', () => {
    const other = store.tracking.createExperiment({ name: 'other' });
    run({ name: 'default-live' });
    const gone = run({ name: 'default-deleted' });
    store.tracking.deleteRun(gone);
    run({ name: 'other-live', experimentId: other.id });
    expect(names({ experimentIds: [0] }).sort()).toEqual(['default-live']);
    expect(names({ experimentIds: [0], runViewType: 'DELETED_ONLY' })).toEqual(['default-deleted']);
    expect(names({ experimentIds: [0], runViewType: 'ALL' }).sort()).toEqual(['default-deleted', 'default-live']);
    expect(names({}).sort()).toEqual(['default-live', 'other-live']);
    expect(names({ experimentIds: [0, other.id] }).sort()).toEqual(['default-live', 'other-live']);
    expect(names({ experimentIds: [] })).toEqual([]);
    expect(refusal({ runViewType: 'SOME' as never })).toContain('Invalid run view type');
  });

  it('orders by start_time DESC then run id by default', () => {
    const a = run({ name: 'a', start: 10 });
    const b = run({ name: 'b', start: 10 });
    run({ name: 'c', start: 20 });
    const tied = [a, b].sort();
    expect(store.tracking.searchRuns({}).runs.map((r) => r.info.runId)).toEqual([expect.any(String), ...tied]);
    expect(names({})[0]).toBe('c');
  });

  it('orders by a metric DESC or ASC with missing values last either way, NaN just before them', () => {
    run({ name: 'mid', metrics: { acc: 0.5 } });
    run({ name: 'none' });
    run({ name: 'high', metrics: { acc: 0.9 } });
    run({ name: 'nan', metrics: { acc: NaN } });
    run({ name: 'low', metrics: { acc: 0.1 } });
    expect(names({ orderBy: ['metrics.acc DESC'] })).toEqual(['high', 'mid', 'low', 'nan', 'none']);
    expect(names({ orderBy: ['metrics.acc ASC'] })).toEqual(['low', 'mid', 'high', 'nan', 'none']);
  });

  it('orders by params and tags as strings, missing last, then by the next key', () => {
    run({ name: 'b1', params: { model: 'b' }, start: 1 });
    run({ name: 'a', params: { model: 'a' }, start: 2 });
    run({ name: 'none', start: 3 });
    run({ name: 'b2', params: { model: 'b' }, start: 4 });
    expect(names({ orderBy: ['params.model'] })).toEqual(['a', 'b2', 'b1', 'none']);
    expect(names({ orderBy: ['params.model DESC', 'attributes.start_time ASC'] })).toEqual(['b1', 'b2', 'a', 'none']);
    expect(names({ orderBy: ['tags.x DESC'] })).toEqual(['b2', 'none', 'a', 'b1']);
    expect(names({ orderBy: ['attributes.run_name DESC'] })).toEqual(['none', 'b2', 'b1', 'a']);
  });

  it('orders by end_time with running runs (no end) last', () => {
    run({ name: 'running', start: 1, status: 'RUNNING' });
    run({ name: 'early', start: 2, end: 10 });
    run({ name: 'late', start: 3, end: 20 });
    expect(names({ orderBy: ['attributes.end_time DESC'] })).toEqual(['late', 'early', 'running']);
    expect(names({ orderBy: ['attributes.end_time ASC'] })).toEqual(['early', 'late', 'running']);
  });

  it('pages through every run exactly once, with an opaque token, and none after the last page', () => {
    for (let i = 0; i < 23; i++) run({ name: `r${i}`, start: 100 + (i % 4), metrics: i % 3 ? { acc: i % 5 } : {} });
    const all = names({ orderBy: ['metrics.acc DESC'] });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = store.tracking.searchRuns({ orderBy: ['metrics.acc DESC'], maxResults: 5, pageToken: token });
      seen.push(...page.runs.map((r) => r.info.name));
      token = page.nextPageToken;
      pages++;
    } while (token && pages < 10);
    expect(pages).toBe(5);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(23);
    const exact = store.tracking.searchRuns({ maxResults: 23 });
    expect(exact.runs).toHaveLength(23);
    expect(exact.nextPageToken).toBeUndefined();
    expect(store.tracking.searchRuns({ pageToken: createPageToken(20), maxResults: 5 }).runs).toHaveLength(3);
  });

  it('refuses a bad page token, a bad size and a bad order_by', () => {
    expect(refusal({ pageToken: 'not a token!' })).toContain('Invalid page token');
    expect(refusal({ maxResults: 50_001 })).toContain('at most 50000');
    expect(refusal({ orderBy: ['metrics.a sideways'] })).toContain('Invalid ordering key');
  });

  it('returns each run with its latest metrics, params and tags', () => {
    const id = run({
      name: 'full',
      params: { model: 'rf', trees: '100' },
      tags: { team: 'a' },
      metrics: {
        acc: [
          [0, 0.1],
          [1, 0.8],
        ],
        nan: NaN,
        big: Infinity,
      },
    });
    run({ name: 'other', params: { model: 'lr' } });
    const [summary] = store.tracking.searchRuns({ filter: `params.model = 'rf'` }).runs;
    expect(summary.info).toMatchObject({ runId: id, name: 'full', status: 'FINISHED', userId: 'aiko' });
    expect(summary.params).toEqual({ model: 'rf', trees: '100' });
    expect(summary.tags).toMatchObject({ team: 'a' });
    expect(summary.metrics).toEqual({ acc: 0.8, nan: 'NaN', big: 'Infinity' });

    // The table asks only for its columns' keys; a kind left out keeps all of its keys.
    const [narrow] = store.tracking.searchRuns({
      filter: `params.model = 'rf'`,
      keys: { metrics: ['acc', 'missing'], params: ['trees'] },
    }).runs;
    expect(narrow.metrics).toEqual({ acc: 0.8 });
    expect(narrow.params).toEqual({ trees: '100' });
    expect(narrow.tags).toMatchObject({ team: 'a' });
    const [none] = store.tracking.searchRuns({ filter: `params.model = 'rf'`, keys: { metrics: [], params: [], tags: [] } }).runs;
    expect(none).toMatchObject({ info: { runId: id }, metrics: {}, params: {}, tags: {} });
  });
});
