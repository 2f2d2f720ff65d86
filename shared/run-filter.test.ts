import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import {
  checkMaxResults,
  createPageToken,
  likePatternToGlob,
  likePatternToRegExp,
  parseOrderBy,
  parseOrderByClause,
  parsePageToken,
  parseSearchFilter,
} from './run-filter';

/** The bad_input message a call throws. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('bad_input');
    return (err as AppError).message;
  }
  throw new Error('expected a bad_input refusal');
}

describe('parseSearchFilter', () => {
  it('parses the issue example into three AND-ed clauses, keywords in any case', () => {
    expect(parseSearchFilter(`metrics.accuracy > 0.9 and params.model = 'rf' AND tags.author LIKE 'a%'`)).toEqual([
      { type: 'metric', key: 'accuracy', comparator: '>', value: 0.9 },
      { type: 'parameter', key: 'model', comparator: '=', value: 'rf' },
      { type: 'tag', key: 'author', comparator: 'LIKE', value: 'a%' },
    ]);
    expect(parseSearchFilter(`tags.a ilike 'x' and params.b not in ('1') and tags.c is not null`).map((c) => c.comparator)).toEqual([
      'ILIKE',
      'NOT IN',
      'IS NOT NULL',
    ]);
  });

  it('has no clauses for an empty or blank filter', () => {
    expect(parseSearchFilter('')).toEqual([]);
    expect(parseSearchFilter('   ')).toEqual([]);
    expect(parseSearchFilter(undefined)).toEqual([]);
  });

  it('accepts every entity alias MLflow accepts', () => {
    const types = [
      'metric',
      'metrics',
      'param',
      'params',
      'parameter',
      'parameters',
      'tag',
      'tags',
      'attribute',
      'attributes',
      'attr',
      'run',
    ].map(
      (e) =>
        parseSearchFilter(
          e.startsWith('m') ? `${e}.x > 1` : e.startsWith('a') || e === 'run' ? `${e}.status = 'FAILED'` : `${e}.x = 'y'`,
        )[0].type,
    );
    expect(types).toEqual([
      'metric',
      'metric',
      'parameter',
      'parameter',
      'parameter',
      'parameter',
      'tag',
      'tag',
      'attribute',
      'attribute',
      'attribute',
      'attribute',
    ]);
    expect(parseSearchFilter(`datasets.name = 'churn'`)[0]).toEqual({ type: 'dataset', key: 'name', comparator: '=', value: 'churn' });
    expect(parseSearchFilter('`metrics`.x > 1')[0].type).toBe('metric');
  });

  it('reads bare attributes and the created / run name aliases', () => {
    expect(parseSearchFilter(`status = 'FAILED'`)[0]).toMatchObject({ type: 'attribute', key: 'status' });
    expect(parseSearchFilter('attributes.created > 5')[0]).toMatchObject({ key: 'start_time', value: 5 });
    expect(parseSearchFilter('Created >= 5')[0]).toMatchObject({ key: 'start_time' });
    expect(parseSearchFilter("attributes.`Run Name` ILIKE '%alpha%'")[0]).toMatchObject({ key: 'run_name', comparator: 'ILIKE' });
    expect(parseSearchFilter(`attributes."run name" = 'a'`)[0]).toMatchObject({ key: 'run_name' });
  });

  it('reads quoted keys with spaces, dotted keys, unicode keys and values', () => {
    expect(parseSearchFilter('metrics.`my metric` >= 1')[0]).toMatchObject({ key: 'my metric' });
    expect(parseSearchFilter(`params."a b" = 'c'`)[0]).toMatchObject({ key: 'a b', value: 'c' });
    expect(parseSearchFilter(`metrics."2019-04-02 error rate" < 1`)[0]).toMatchObject({ key: '2019-04-02 error rate' });
    expect(parseSearchFilter(`tags.mlflow.runName = 'x'`)[0]).toMatchObject({ type: 'tag', key: 'mlflow.runName' });
    expect(parseSearchFilter(`params.größe = 'groß' and tags."模型" = "随机森林"`)).toEqual([
      { type: 'parameter', key: 'größe', comparator: '=', value: 'groß' },
      { type: 'tag', key: '模型', comparator: '=', value: '随机森林' },
    ]);
  });

  it('reads single- and double-quoted strings, doubled quotes as one, and numbers of every form', () => {
    expect(parseSearchFilter(`params.a = "rf"`)[0]).toMatchObject({ value: 'rf' });
    expect(parseSearchFilter(`params.a = 'it''s'`)[0]).toMatchObject({ value: "it's" });
    expect(parseSearchFilter(`params.a = '; DROP TABLE runs; --'`)[0]).toMatchObject({ value: '; DROP TABLE runs; --' });
    expect(parseSearchFilter('metrics.a > -1.5e-3')[0]).toMatchObject({ value: -0.0015 });
    expect(parseSearchFilter('metrics.a>.5')[0]).toMatchObject({ value: 0.5 });
    expect(parseSearchFilter('metrics.a <> 2')[0]).toMatchObject({ comparator: '!=' });
  });

  it('reads IN lists of single-quoted strings', () => {
    expect(parseSearchFilter(`params.model IN ('rf', 'gbm','lr')`)[0]).toEqual({
      type: 'parameter',
      key: 'model',
      comparator: 'IN',
      value: ['rf', 'gbm', 'lr'],
    });
    expect(parseSearchFilter(`attributes.run_id NOT IN ('a')`)[0]).toMatchObject({ comparator: 'NOT IN', value: ['a'] });
  });

  it('refuses OR, saying the syntax has none', () => {
    const msg = refusal(() => parseSearchFilter(`params.a = 'x' or params.b = 'y'`));
    expect(msg).toContain("Invalid clause(s) in filter string: 'or'");
    expect(msg).toContain('no OR');
  });

  it('refuses bad syntax with an Invalid clause message', () => {
    expect(refusal(() => parseSearchFilter(`(params.a = 'x')`))).toContain('Invalid clause(s) in filter string');
    expect(refusal(() => parseSearchFilter(`params.a = 'x' params.b = 'y'`))).toContain(
      "Invalid clause(s) in filter string: 'params.b = 'y''",
    );
    expect(refusal(() => parseSearchFilter(`params.a = 'x' and`))).toContain('Invalid clause(s) in filter string');
    expect(refusal(() => parseSearchFilter(`params.a 'x'`))).toContain('Invalid comparison clause');
    expect(refusal(() => parseSearchFilter(`params.a =`))).toContain('Expected a value');
  });

  it('refuses an unknown entity type, attribute or dataset key with the valid ones listed', () => {
    expect(refusal(() => parseSearchFilter(`foo.a = 'x'`))).toBe(
      "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
    );
    const attr = refusal(() => parseSearchFilter(`attributes.foo = 'x'`));
    expect(attr).toMatch(/^Invalid attribute key 'foo' specified\. Valid keys are '\[.*'run_id'.*'start_time'.*\]'$/);
    expect(refusal(() => parseSearchFilter(`attributes.lifecycle_stage = 'deleted'`))).toContain("Invalid attribute key 'lifecycle_stage'");
    expect(refusal(() => parseSearchFilter(`dataset.size = 'x'`))).toContain("Invalid dataset key 'size' specified");
  });

  it('refuses a comparator the type does not take, listing those it does', () => {
    expect(refusal(() => parseSearchFilter(`params.a > 'x'`))).toBe(
      "Invalid comparator '>' not one of '['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN', 'IS NULL', 'IS NOT NULL']'",
    );
    expect(refusal(() => parseSearchFilter(`metrics.a LIKE 1`))).toBe(
      "Invalid comparator 'LIKE' not one of '['=', '!=', '>', '>=', '<', '<=']'",
    );
    expect(refusal(() => parseSearchFilter(`attributes.status > 'x'`))).toBe(
      "Invalid comparator '>' not one of '['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN']'",
    );
    expect(refusal(() => parseSearchFilter(`attributes.start_time LIKE '1%'`))).toContain("Invalid comparator 'LIKE'");
    expect(refusal(() => parseSearchFilter(`metrics.a IS NULL`))).toContain("Invalid comparator 'IS NULL'");
    expect(refusal(() => parseSearchFilter(`metrics.a == 1`))).toContain("Invalid comparator '=='");
  });

  it('refuses a string where a number is needed and a number or bare word where a string is', () => {
    expect(refusal(() => parseSearchFilter(`metrics.a > '0.9'`))).toBe("Expected numeric value type for metric. Found '0.9'");
    expect(refusal(() => parseSearchFilter(`attributes.start_time > 'x'`))).toBe(
      "Expected numeric value type for numeric attribute: start_time. Found 'x'",
    );
    expect(refusal(() => parseSearchFilter(`params.a = 5`))).toBe(
      "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 5",
    );
    expect(refusal(() => parseSearchFilter(`params.a = rf`))).toContain(
      'Parameter value is either not quoted or unidentified quote types used for string value rf',
    );
    expect(refusal(() => parseSearchFilter('params.a = `rf`'))).toContain('unidentified quote types');
  });

  it('refuses an unterminated quote, naming where it opens', () => {
    expect(refusal(() => parseSearchFilter(`params.a = 'rf`))).toContain("the quote (') at position 12 is never closed");
    expect(refusal(() => parseSearchFilter('metrics.`a > 1'))).toContain('never closed');
  });

  it('refuses ill-formed IN lists as MLflow does', () => {
    expect(refusal(() => parseSearchFilter(`params.a IN ()`))).toContain('expected a non-empty list of string values, but got empty list');
    expect(refusal(() => parseSearchFilter(`params.a IN ("x")`))).toContain('got different type in list');
    expect(refusal(() => parseSearchFilter(`params.a IN ('x' 'y')`))).toContain('ill-formed list');
    expect(refusal(() => parseSearchFilter(`params.a IN 'x'`))).toContain('parenthesised list');
    expect(refusal(() => parseSearchFilter(`params.a = ('x')`))).toContain('only follow IN or NOT IN');
  });
});

describe('parseOrderBy', () => {
  it('parses keys with and without a direction, any case, quoted keys too', () => {
    expect(
      parseOrderBy(['metrics.accuracy DESC', 'params.model', 'attributes.start_time asc', 'metrics.`my metric` desc', 'tags."a b" DESC']),
    ).toEqual([
      { type: 'metric', key: 'accuracy', ascending: false },
      { type: 'parameter', key: 'model', ascending: true },
      { type: 'attribute', key: 'start_time', ascending: true },
      { type: 'metric', key: 'my metric', ascending: false },
      { type: 'tag', key: 'a b', ascending: false },
    ]);
    expect(parseOrderByClause('created DESC')).toEqual({ type: 'attribute', key: 'start_time', ascending: false });
    expect(parseOrderByClause('run_name')).toEqual({ type: 'attribute', key: 'run_name', ascending: true });
  });

  it('refuses what MLflow refuses', () => {
    expect(refusal(() => parseOrderByClause('metrics.a sideways'))).toBe("Invalid ordering key in order_by clause 'metrics.a sideways'.");
    expect(refusal(() => parseOrderByClause('metrics.a DESC extra'))).toBe(
      "Invalid order_by clause 'metrics.a DESC extra'. Could not be parsed.",
    );
    expect(refusal(() => parseOrderByClause(''))).toContain('Could not be parsed');
    expect(refusal(() => parseOrderByClause('attributes.foo'))).toContain("Invalid attribute key 'foo'");
    expect(refusal(() => parseOrderByClause('`Run Name`'))).toContain("Invalid attribute key 'Run Name'");
    expect(refusal(() => parseOrderByClause('dataset.name'))).toContain("Invalid order_by entity type 'dataset'");
    expect(refusal(() => parseOrderBy(['metrics.a', 'metric.a DESC']))).toContain('`order_by` contains duplicate fields');
  });
});

describe('page tokens and sizes', () => {
  it('round-trips an offset and refuses tokens it did not make', () => {
    expect(parsePageToken(createPageToken(2000))).toBe(2000);
    expect(parsePageToken(undefined)).toBe(0);
    expect(refusal(() => parsePageToken('%%%'))).toBe('Invalid page token, could not base64-decode');
    expect(refusal(() => parsePageToken(btoa('not json')))).toContain('Invalid page token, decoded value=');
    expect(refusal(() => parsePageToken(btoa('{"x":1}')))).toContain('Invalid page token, parsed value=');
    expect(refusal(() => parsePageToken(btoa('{"offset":-3}')))).toContain('Invalid page token');
  });

  it('defaults maxResults to 1,000 and refuses 0 or more than 50,000', () => {
    expect(checkMaxResults(undefined)).toBe(1000);
    expect(checkMaxResults(50_000)).toBe(50_000);
    expect(refusal(() => checkMaxResults(50_001))).toBe(
      'Invalid value for request parameter max_results. It must be at most 50000, but got value 50001',
    );
    expect(refusal(() => checkMaxResults(0))).toContain('positive integer');
    expect(refusal(() => checkMaxResults(1.5))).toContain('positive integer');
  });
});

describe('LIKE patterns', () => {
  it('turns % and _ into wildcards and keeps GLOB and regex metacharacters literal', () => {
    expect(likePatternToGlob('a%b_c*d?e[f]')).toBe('a*b?c[*]d[?]e[[]f]');
    const re = likePatternToRegExp('a.%(x)_', false);
    expect(re.test('a.zz(x)!')).toBe(true);
    expect(re.test('abzz(x)!')).toBe(false);
    expect(re.test('A.zz(x)!')).toBe(false);
    expect(likePatternToRegExp('ä%', true).test('ÄRGER')).toBe(true);
    expect(likePatternToRegExp('_', false).test('😀')).toBe(true);
  });
});
