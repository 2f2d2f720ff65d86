import { describe, expect, it } from 'vitest';
import type { LatestMetric, RunDetail } from '../../../../../shared/tracking';
import {
  artifactBytes,
  reproduceBlockedReason,
  exactMetricValue,
  foldTable,
  formatMetricValue,
  groupMetrics,
  groupSeries,
  seriesPoints,
  splitTags,
} from './run-format';

const m = (key: string, value: LatestMetric['value'], step = 0): LatestMetric => ({ key, value, step, timestamp: 1000 });

describe('run page formatting', () => {
  it('writes NaN and infinities by name, never "null", and keeps the exact value for hover', () => {
    expect(formatMetricValue('NaN')).toBe('NaN');
    expect(formatMetricValue('Infinity')).toBe('∞');
    expect(formatMetricValue('-Infinity')).toBe('−∞');
    expect(formatMetricValue(null)).toBe('—');
    expect(formatMetricValue(0.912345678)).toBe('0.9123');
    expect(formatMetricValue(42)).toBe('42');
    expect(formatMetricValue(1234.5678)).toBe('1234.57');
    expect(formatMetricValue(0.0000123)).toBe('1.230e-5');
    expect(formatMetricValue(-3.5e12 - 0.5)).toBe('-3.500e+12');
    expect(formatMetricValue(-3.5e12)).toBe('-3500000000000');
    expect(exactMetricValue(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(exactMetricValue('-Infinity')).toBe('-Infinity');
  });

  it('puts CV mean ± std beside the test value, lists folds apart, orders the usual metrics first', () => {
    const g = groupMetrics(
      [
        m('cv_accuracy_mean', 0.8),
        m('cv_accuracy_std', 0.02),
        m('cv_fold_accuracy', 0.81, 5),
        m('cv_log_loss_mean', 'Infinity'),
        m('cv_log_loss_std', 'NaN'),
        m('accuracy', 0.85),
        m('training_duration_s', 1.2),
        m('zeta', 1),
        m('train_loss', 0.3, 99),
        m('cv_lonely_std', 0.1),
        m('f1_macro', 0.7),
      ],
      ['train_loss', 'cv_fold_accuracy'],
    );
    expect(g.rows.map((r) => r.key)).toEqual([
      'accuracy',
      'f1_macro',
      'log_loss',
      'cv_lonely_std',
      'train_loss',
      'zeta',
      'training_duration_s',
    ]);
    expect(g.rows[0]).toEqual({ key: 'accuracy', value: 0.85, step: 0, cvMean: 0.8, cvStd: 0.02, series: false });
    expect(g.rows[2]).toMatchObject({ key: 'log_loss', value: null, cvMean: 'Infinity', cvStd: 'NaN' });
    expect(g.rows.find((r) => r.key === 'train_loss')).toMatchObject({ value: 0.3, step: 99, series: true });
    expect(g.foldKeys).toEqual(['cv_fold_accuracy']);
  });

  it('separates system tags (mlwb.*, mlflow.*) from free ones and leaves the note out', () => {
    const { system, free } = splitTags(
      { 'mlflow.note.content': '# n', 'mlwb.seed': '7', team: 'a', 'mlflow.user': 'u', データ: 'ü' },
      'mlflow.note.content',
    );
    expect(system).toEqual([
      ['mlflow.user', 'u'],
      ['mlwb.seed', '7'],
    ]);
    expect(free).toEqual([
      ['team', 'a'],
      ['データ', 'ü'],
    ]);
  });

  it('charts series that measure the same thing together', () => {
    expect(groupSeries(['oob_error', 'train_loss', 'validation_loss', 'lr'])).toEqual([
      { title: 'oob_error', keys: ['oob_error'] },
      { title: 'loss', keys: ['train_loss', 'validation_loss'] },
      { title: 'lr', keys: ['lr'] },
    ]);
  });

  it('gives points by step or by seconds since the first point, leaving out what a line cannot draw', () => {
    const history = [
      { step: 1, timestamp: 5000, value: 0.5 },
      { step: 2, timestamp: 6500, value: 'NaN' as const },
      { step: 3, timestamp: 8000, value: 0.25 },
    ];
    expect(seriesPoints(history, 'step')).toEqual({
      points: [
        { x: 1, y: 0.5 },
        { x: 3, y: 0.25 },
      ],
      skipped: 1,
    });
    expect(seriesPoints(history, 'time').points).toEqual([
      { x: 0, y: 0.5 },
      { x: 3, y: 0.25 },
    ]);
    expect(seriesPoints(history, 'time', 4000).points[0]).toEqual({ x: 1, y: 0.5 });
  });

  it('lays per-fold values out by fold, with a gap where a fold is missing', () => {
    const t = foldTable(
      {
        cv_fold_accuracy: [
          { step: 1, timestamp: 1, value: 0.8 },
          { step: 2, timestamp: 1, value: 0.9 },
          { step: 3, timestamp: 1, value: 'NaN' },
        ],
        cv_fold_r2: [{ step: 2, timestamp: 1, value: 0.1 }],
      },
      ['cv_fold_accuracy', 'cv_fold_r2'],
    );
    expect(t.folds).toEqual([1, 2, 3]);
    expect(t.rows).toEqual([
      { key: 'accuracy', values: [0.8, 0.9, 'NaN'] },
      { key: 'r2', values: [null, 0.1, null] },
    ]);
  });

  it('says in advance why a run cannot be reproduced when the run tells, and leaves the rest to the server', () => {
    const t = (key: string, params?: Record<string, string>) => `${key}${params ? JSON.stringify(params) : ''}`;
    const info = { source: 'app', datasetVersionId: null } as unknown as RunDetail['info'];
    const gone = { reproducible: false, info, tags: { 'mlwb.dataset': 'churn@v1' } };
    expect(reproduceBlockedReason(gone, t)).toBe('run.blocked.datasetGone{"dataset":"churn@v1"}');
    expect(reproduceBlockedReason({ ...gone, reproducible: true }, t)).toBeNull();
    expect(reproduceBlockedReason({ ...gone, info: { ...info, source: 'mlflow-client' } }, t)).toBe('run.blocked.outside');
    expect(reproduceBlockedReason({ ...gone, info: { ...info, datasetVersionId: 4 } }, t)).toBeNull();
  });

  it('turns artifact content into the stored bytes (UTF-8 text or base64)', () => {
    expect([...artifactBytes({ text: 'é' })]).toEqual([0xc3, 0xa9]);
    expect([...artifactBytes({ base64: 'AAH/' })]).toEqual([0, 1, 255]);
  });
});
