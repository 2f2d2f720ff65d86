// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { parseOrderByClause } from '../../../../../shared/run-filter';
import type { RunSummary } from '../../../../../shared/tracking';
import { formatNumber } from '../../../i18n';
import {
  columnKeys,
  cellValue,
  defaultColumns,
  formatDuration,
  formatMetric,
  fromOrderBy,
  isSortable,
  nextSort,
  parseColumnId,
  quoteKey,
  statusWord,
  toOrderBy,
} from './columns';

const en = (v: number, o?: Intl.NumberFormatOptions) => formatNumber('en', v, o);
const ja = (v: number, o?: Intl.NumberFormatOptions) => formatNumber('ja', v, o);

function run(over: Partial<RunSummary['info']> = {}, data: Partial<Omit<RunSummary, 'info'>> = {}): RunSummary {
  return {
    info: {
      runId: 'a'.repeat(32),
      experimentId: 0,
      name: 'run',
      status: 'FINISHED',
      startTime: 1_000,
      endTime: 13_300,
      userId: 'ana',
      lifecycleStage: 'active',
      error: null,
      source: 'app',
      jobId: 1,
      datasetVersionId: 1,
      ...over,
    },
    metrics: {},
    params: {},
    tags: {},
    ...data,
  };
}

describe('column ids and order_by', () => {
  it('reads a column id at its first dot, so keys keep their dots', () => {
    expect(parseColumnId('tags.mlflow.runName')).toEqual({ kind: 'tags', key: 'mlflow.runName' });
    expect(parseColumnId('metrics.cv_accuracy_mean')).toEqual({ kind: 'metrics', key: 'cv_accuracy_mean' });
    expect(parseColumnId('attributes.status')).toEqual({ kind: 'attributes', key: 'status' });
    expect(parseColumnId('attributes.nope')).toBeNull();
    expect(parseColumnId('foo.bar')).toBeNull();
    expect(parseColumnId('metrics.')).toBeNull();
  });

  it('writes MLflow order_by clauses, quoting keys the parser would not read bare', () => {
    expect(toOrderBy('metrics.accuracy', false)).toBe('metrics.accuracy DESC');
    expect(toOrderBy('params.model', true)).toBe('params.model ASC');
    expect(toOrderBy('attributes.start_time', false)).toBe('attributes.start_time DESC');
    expect(toOrderBy('tags.mlwb.model_type', true)).toBe('tags.mlwb.model_type ASC');
    expect(toOrderBy('metrics.f1 score', true)).toBe('metrics.`f1 score` ASC');
    expect(quoteKey('2nd')).toBe('`2nd`');
    expect(quoteKey('精度')).toBe('`精度`');
    // Duration is computed here; MLflow cannot sort by it.
    expect(isSortable('attributes.duration')).toBe(false);
    expect(toOrderBy('attributes.duration', true)).toBeNull();
  });

  it('round-trips every kind of key through the shared order_by parser', () => {
    const ids = [
      'metrics.accuracy',
      'metrics.f1 score',
      'metrics.loss/val:1',
      'params.model-type',
      'params.精度',
      'tags.mlflow.runName',
      'attributes.run_name',
      'attributes.status',
    ];
    for (const id of ids) {
      for (const ascending of [true, false]) {
        const clause = toOrderBy(id, ascending)!;
        const parsed = parseOrderByClause(clause);
        expect(parsed.ascending).toBe(ascending);
        expect(fromOrderBy(clause)).toEqual({ id, ascending });
      }
    }
    expect(fromOrderBy('created DESC')).toEqual({ id: 'attributes.start_time', ascending: false });
    expect(fromOrderBy('metrics.accuracy >> 1')).toBeNull();
  });

  it('flips the direction on the sorted column and starts a new one by its kind', () => {
    expect(nextSort(null, 'metrics.accuracy')).toEqual({ id: 'metrics.accuracy', ascending: false });
    expect(nextSort(null, 'params.model')).toEqual({ id: 'params.model', ascending: true });
    expect(nextSort({ id: 'params.model', ascending: true }, 'params.model')).toEqual({ id: 'params.model', ascending: false });
    expect(nextSort({ id: 'metrics.accuracy', ascending: false }, 'attributes.start_time')).toEqual({
      id: 'attributes.start_time',
      ascending: false,
    });
  });

  it('shows the headline metrics that some run logged, and the experiment when several are shown', () => {
    expect(defaultColumns(['accuracy', 'cv_accuracy_mean', 'f1_macro'])).toEqual([
      'attributes.run_name',
      'attributes.status',
      'metrics.accuracy',
      'metrics.cv_accuracy_mean',
      'tags.mlwb.model_type',
      'tags.mlwb.dataset',
      'attributes.start_time',
      'attributes.duration',
    ]);
    expect(defaultColumns(['r2'], true)).toContain('attributes.experiment');
    expect(defaultColumns([])).not.toContain('metrics.accuracy');
  });
});

describe('cell values and formatting', () => {
  it('reads metrics from their wire form, params and tags as text, missing as undefined', () => {
    const r = run(
      {},
      {
        metrics: { a: 0.5, n: 'NaN', p: 'Infinity', m: '-Infinity' },
        params: { model: 'rf', empty: '' },
        tags: { 'mlwb.dataset': 'churn@v1' },
      },
    );
    expect(cellValue(r, 'metrics.a')).toBe(0.5);
    expect(cellValue(r, 'metrics.n')).toBeNaN();
    expect(cellValue(r, 'metrics.p')).toBe(Infinity);
    expect(cellValue(r, 'metrics.m')).toBe(-Infinity);
    expect(cellValue(r, 'metrics.missing')).toBeUndefined();
    expect(cellValue(r, 'params.model')).toBe('rf');
    expect(cellValue(r, 'params.empty')).toBe('');
    expect(cellValue(r, 'params.missing')).toBeUndefined();
    expect(cellValue(r, 'tags.mlwb.dataset')).toBe('churn@v1');
  });

  it('measures a running run up to now and a finished one to its end', () => {
    expect(cellValue(run(), 'attributes.duration')).toBe(12_300);
    expect(cellValue(run({ status: 'RUNNING', endTime: null }), 'attributes.duration', 6_000)).toBe(5_000);
    expect(cellValue(run({ status: 'FAILED', endTime: null }), 'attributes.duration')).toBeUndefined();
  });

  it('names every status as the table shows it; KILLED is cancelled', () => {
    expect(statusWord('KILLED')).toBe('cancelled');
    expect(statusWord('RUNNING')).toBe('running');
    expect(statusWord('FAILED')).toBe('failed');
    expect(statusWord('FINISHED')).toBe('finished');
    expect(statusWord('SCHEDULED')).toBe('scheduled');
  });

  it('formats metrics to 4 significant decimals and names NaN and the infinities, never "null"', () => {
    expect(formatMetric(0.912345, en)).toBe('0.9123');
    expect(formatMetric(0.000123456, en)).toBe('0.0001235');
    expect(formatMetric(1234.567891, en)).toBe('1,234.5679');
    expect(formatMetric(0, en)).toBe('0');
    expect(formatMetric(-0.5, en)).toBe('-0.5');
    expect(formatMetric(NaN, en)).toBe('NaN');
    expect(formatMetric(Infinity, en)).toBe('∞');
    expect(formatMetric(-Infinity, en)).toBe('−∞');
    expect(formatMetric(1e21, en)).not.toMatch(/null|undefined/);
    expect(formatMetric(1234.5, ja)).toBe('1,234.5');
  });

  it('formats durations by their size', () => {
    expect(formatDuration(850, en)).toBe('850 ms');
    expect(formatDuration(12_340, en)).toBe('12.3 s');
    expect(formatDuration(245_000, en)).toBe('4 min 05 s');
    expect(formatDuration(7_620_000, en)).toBe('2 h 07 min');
    expect(formatDuration(NaN, en)).toBe('—');
  });

  it('asks the search only for the keys the columns show', () => {
    expect(
      columnKeys(['attributes.run_name', 'metrics.accuracy', 'tags.mlwb.model_type', 'params.a b', 'params.model', 'metrics.r2']),
    ).toEqual({
      metrics: ['accuracy', 'r2'],
      params: ['a b', 'model'],
      tags: ['mlwb.model_type'],
    });
    expect(columnKeys(['attributes.status'])).toEqual({ metrics: [], params: [], tags: [] });
  });
});
