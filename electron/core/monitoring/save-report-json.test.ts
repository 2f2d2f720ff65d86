import { describe, expect, it } from 'vitest';
import { driftColumns } from './column-drift';
import type { DriftColumnSet } from './drift-types';
import { toSaveReportJson } from './save-report-json';

const set = (cols: Record<string, number[] | string[]>): DriftColumnSet => {
  const columns = Object.entries(cols).map(([name, v]) =>
    typeof v[0] === 'string'
      ? { name, kind: 'category' as const, values: v as string[] }
      : { name, kind: 'number' as const, values: Float64Array.from(v as number[]) },
  );
  return { rows: columns[0].values.length, columns };
};

describe("the chapter's save_report JSON", () => {
  const baseline = set({ b: [1, 2, 3, 4, 5, 6], a: [0, 0, 0, 1, 1, 1], c: ['x', 'y', 'x', 'y', 'x', 'y'], gone: [1, 2, 3, 4, 5, 6] });
  const r1 = driftColumns(baseline, set({ b: [1, 2, 3, 4, 5, 7], a: [0, 0, 1, 1, 1, 1], c: ['x', 'y', 'y', 'y', 'y', 'y'] }));
  const r2 = driftColumns(baseline, set({ b: [10, 11, 12, 13, 14, 15], a: [0, 1, 1, 1, 1, 1], c: ['x', 'x', 'x', 'y', 'x', 'x'] }));
  const json = toSaveReportJson([
    { at: '2025-10-21T10:30:45.000Z', result: r1 },
    { at: '2025-10-22T10:30:45.000Z', result: r2 },
  ]);

  it('has baseline_stats for numeric baseline columns in the data set’s order', () => {
    expect(Object.keys(json.baseline_stats)).toEqual(['b', 'a', 'gone']);
    expect(json.baseline_stats.b).toEqual({ mean: 3.5, std: Math.sqrt(3.5), min: 1, max: 6, median: 3.5 });
  });

  it('has one history entry per tested column per check, with the chapter’s keys', () => {
    // 'gone' is missing from the current sets: not tested, so not in the history (the chapter skips it too).
    expect(json.drift_history).toHaveLength(6);
    const e = json.drift_history.find((d) => d.timestamp.startsWith('2025-10-22') && d.feature === 'b')!;
    expect(e).toMatchObject({ test: 'ks', drift_detected: true, baseline_mean: 3.5, new_mean: 12.5, n_baseline: 6, n_new: 6 });
    expect(e.ks_statistic).toBe(1);
    expect(e.mean_shift_pct).toBeCloseTo(((12.5 - 3.5) / 3.5) * 100, 12);
    const c = json.drift_history.find((d) => d.feature === 'c')!;
    expect(c).toMatchObject({ test: 'chi-square', ks_statistic: null, baseline_mean: null, mean_shift_pct: null });
    expect(typeof c.p_value).toBe('number');
  });

  it('sums checks and drifts, and is valid JSON (no NaN or Infinity)', () => {
    expect(json.summary.total_checks).toBe(6);
    expect(json.summary.total_drifts).toBe(json.drift_history.filter((d) => d.drift_detected).length);
    expect(json.summary.total_drifts).toBeGreaterThan(0);
    const text = JSON.stringify(json);
    expect(JSON.parse(text)).toEqual(json);
    // A zero baseline mean gives null, where Python's json.dump would write Infinity.
    const zero = toSaveReportJson([{ at: 't', result: driftColumns(set({ z: [0, 0, 0] }), set({ z: [1, 1, 1] })) }]);
    expect(zero.drift_history[0].mean_shift_pct).toBeNull();
    expect(toSaveReportJson([])).toEqual({ baseline_stats: {}, drift_history: [], summary: { total_checks: 0, total_drifts: 0 } });
  });
});
