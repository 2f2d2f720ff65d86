import { describe, expect, it } from 'vitest';
import type { ColumnDriftResult } from '../../../../shared/drift';
import { formatShift, formatStat, histogramSteps, newCheckHref, orderColumns, overlayPoints, parsePreset } from './monitoring-format';

const col = (column: string, status: ColumnDriftResult['status'], pValue: number | null, distance: number | null = null) =>
  ({ column, status, pValue, distance }) as ColumnDriftResult;

describe('monitoring format', () => {
  it('shows tiny p-values in exponent form and never prints NaN', () => {
    expect(formatStat(1.2e-12)).toBe('1.20e-12');
    expect(formatStat(0.04567)).toBe('0.04567');
    expect(formatStat(Number.NaN)).toBe('—');
    expect(formatStat(null)).toBe('—');
    expect(formatStat(Infinity)).toBe('∞');
    expect(formatShift(12.345)).toBe('+12.3%');
    expect(formatShift(-3)).toBe('-3.0%');
    expect(formatShift(null)).toBe('—');
  });

  it('orders drifting columns first, strongest evidence first, not tested last', () => {
    const rows = orderColumns([col('a', 'no-drift', 0.5), col('b', 'not-tested', null), col('c', 'drift', 0.01), col('d', 'drift', 1e-9)]);
    expect(rows.map((r) => r.column)).toEqual(['d', 'c', 'a', 'b']);
    const distances = orderColumns([col('x', 'drift', null, 0.2), col('y', 'drift', null, 0.5)]);
    expect(distances.map((r) => r.column)).toEqual(['y', 'x']);
  });

  it('turns bar charts into share points with the rest as "other"', () => {
    const points = overlayPoints(
      {
        kind: 'bars',
        categories: ['a', 'b'],
        baselineCounts: [6, 2],
        currentCounts: [1, 1],
        baselineShares: [0.6, 0.2],
        currentShares: [0.25, 0.25],
        otherBaseline: 2,
        otherCurrent: 2,
      },
      'other',
    );
    expect(points).toEqual([
      { label: 'a', baseline: 0.6, current: 0.25 },
      { label: 'b', baseline: 0.2, current: 0.25 },
      { label: 'other', baseline: 0.2, current: 0.5 },
    ]);
  });

  it('repeats the last bin at the last edge so the step chart closes it', () => {
    const steps = histogramSteps({
      kind: 'histogram',
      edges: [0, 1, 2],
      baselineCounts: [3, 1],
      currentCounts: [0, 4],
      baselineShares: [0.75, 0.25],
      currentShares: [0, 1],
    });
    expect(steps).toEqual([
      { x: 0, baseline: 0.75, current: 0 },
      { x: 1, baseline: 0.25, current: 1 },
      { x: 2, baseline: 0.25, current: 1 },
    ]);
  });

  it('reads the New check link back, ignoring malformed values', () => {
    expect(parsePreset(newCheckHref({ model: 'churn model', version: 3 }))).toEqual({
      baseline: { kind: 'model', name: 'churn model', version: 3 },
    });
    expect(parsePreset(newCheckHref({ datasetVersion: 7 }))).toEqual({ baseline: { kind: 'dataset', versionId: 7 } });
    expect(parsePreset('#/monitoring/new?datasetVersion=0&version=x')).toEqual({});
    expect(parsePreset('#/monitoring/new')).toEqual({});
  });
});
