import { describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../../../../shared/datasets';
import {
  choiceToSelector,
  curlExample,
  exampleRecord,
  formatMetric,
  gateSpecFromForm,
  keyMetrics,
  neighbourStage,
  otherStages,
  relativeAge,
  safeFileStem,
  countKey,
  selectorToChoice,
  type GateForm,
} from './registry-format';

const form = (patch: Partial<GateForm> = {}): GateForm => ({
  metricOn: false,
  metric: 'accuracy',
  op: '>=',
  threshold: '',
  cvGap: false,
  beatProduction: false,
  ...patch,
});

describe('registry format', () => {
  it('picks the headline metrics of the task first, then the rest by name, without CV or timing keys', () => {
    const metrics = { training_duration_s: 3, cv_accuracy_mean: 0.8, zeta: 1, roc_auc: 0.9, accuracy: 0.85, alpha: 2 };
    expect(keyMetrics({ task: 'classification', metrics }).map((m) => m.key)).toEqual(['accuracy', 'roc_auc', 'alpha']);
    expect(keyMetrics({ task: 'regression', metrics: { mae: 1, r2: 0.5, rmse: 2, beta: 3 } }, 2).map((m) => m.key)).toEqual(['r2', 'rmse']);
    // A value that did not survive the wire (null) shows as missing, not as 0.
    expect(keyMetrics({ task: 'regression', metrics: { r2: null as unknown as number } })).toEqual([{ key: 'r2', value: null }]);
  });

  it('formats metrics like the run page: four decimals, integers whole, non-finite values by name', () => {
    expect(formatMetric(0.123456)).toBe('0.1235');
    expect(formatMetric(42)).toBe('42');
    expect(formatMetric(Number.NaN)).toBe('NaN');
    expect(formatMetric(-Infinity)).toBe('−∞');
    expect(formatMetric(0.00001234)).toBe('1.234e-5');
    expect(formatMetric(null)).toBe('—');
  });

  it('says how long ago in the largest unit that fits, in both languages', () => {
    const now = Date.UTC(2025, 0, 10, 12);
    expect(relativeAge(now - 30_000, now, 'en')).toBe('now');
    expect(relativeAge(now - 5 * 60_000, now, 'en')).toBe('5 minutes ago');
    expect(relativeAge(now - 3 * 3600_000, now, 'en')).toBe('3 hours ago');
    expect(relativeAge(now - 86400_000, now, 'en')).toBe('yesterday');
    expect(relativeAge(now - 3 * 3600_000, now, 'ja')).toBe('3 時間前');
  });

  it('moves between board columns in order and stops at either end', () => {
    expect(neighbourStage('None', 1)).toBe('Staging');
    expect(neighbourStage('Staging', 1)).toBe('Production');
    expect(neighbourStage('Archived', 1)).toBeNull();
    expect(neighbourStage('None', -1)).toBeNull();
    expect(otherStages('Production')).toEqual(['None', 'Staging', 'Archived']);
  });

  it('round-trips version selectors through the form value and refuses bad ones', () => {
    for (const s of [
      { kind: 'stage', stage: 'Staging' },
      { kind: 'version', version: 12 },
      { kind: 'alias', alias: 'champion' },
    ] as const)
      expect(choiceToSelector(selectorToChoice(s))).toEqual(s);
    expect(choiceToSelector('stage:Prod')).toBeNull();
    expect(choiceToSelector('version:0')).toBeNull();
    expect(choiceToSelector('version:1.5')).toBeNull();
    expect(choiceToSelector('alias:latest')).toBeNull();
    expect(choiceToSelector('alias:9lives')).toBeNull();
    expect(choiceToSelector('nonsense')).toBeNull();
  });

  it('builds the gate spec from the form, naming the field that is wrong', () => {
    expect(gateSpecFromForm(form())).toEqual({ spec: {} });
    expect(gateSpecFromForm(form({ metricOn: true, threshold: '0.8', op: '>', cvGap: true, beatProduction: true }))).toEqual({
      spec: { metric: { key: 'accuracy', op: '>', threshold: 0.8 }, maxCvGap: 0.1, beatProduction: true },
    });
    expect(gateSpecFromForm(form({ metricOn: true, threshold: '' }))).toEqual({ error: 'threshold' });
    expect(gateSpecFromForm(form({ metricOn: true, threshold: 'abc' }))).toEqual({ error: 'threshold' });
    expect(gateSpecFromForm(form({ metricOn: true, threshold: 'Infinity' }))).toEqual({ error: 'threshold' });
    expect(gateSpecFromForm(form({ metricOn: true, metric: ' ', threshold: '1' }))).toEqual({ error: 'metric' });
    // A threshold typed while the metric gate is off is not sent.
    expect(gateSpecFromForm(form({ threshold: 'abc' }))).toEqual({ spec: {} });
  });

  it('builds an example row from the training profile: medians, top values, no target, only the run’s features', () => {
    const col = (name: string, type: ColumnProfile['type'], extra: Partial<ColumnProfile> = {}): ColumnProfile =>
      ({
        name,
        type,
        count: 10,
        missing: 0,
        missingShare: 0,
        invalid: 0,
        invalidExamples: [],
        distinct: 5,
        distinctCapped: false,
        ...extra,
      }) as ColumnProfile;
    const columns = [
      col('age', 'integer', { median: 41.6 }),
      col('spend', 'number', { median: 123.456789 }),
      col('plan', 'category', { topValues: [{ value: 'pro', count: 7 }] }),
      col('churned', 'boolean', { topValues: [{ value: 'no', count: 8 }] }),
      col('notes', 'text'),
    ];
    expect(exampleRecord(columns, 'churned')).toEqual({ age: 42, spend: 123.5, plan: 'pro', notes: '' });
    expect(exampleRecord(columns, 'churned', ['age', 'plan'])).toEqual({ age: 42, plan: 'pro' });
  });

  it('quotes the curl body for a POSIX shell, even with a quote in a value', () => {
    const cmd = curlExample('http://127.0.0.1:5001', { name: "O'Brien", n: 1 });
    expect(cmd).toBe(
      `curl -s -X POST http://127.0.0.1:5001/predict -H 'content-type: application/json' -d '{"records":[{"name":"O'\\''Brien","n":1}]}'`,
    );
  });

  it('uses the singular key for exactly one', () => {
    expect(countKey('reg.versions', 1)).toBe('reg.versions.one');
    expect(countKey('reg.versions', 0)).toBe('reg.versions');
    expect(countKey('reg.versions', 2)).toBe('reg.versions');
  });

  it('makes safe file names', () => {
    expect(safeFileStem('a/b:c*d')).toBe('a_b_c_d');
    expect(safeFileStem('')).toBe('model');
  });
});
