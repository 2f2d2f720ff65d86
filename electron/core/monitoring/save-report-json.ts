/**
 * The chapter's DataDriftMonitor.save_report JSON: { baseline_stats, drift_history, summary }.
 *  - baseline_stats: per numeric baseline column { mean, std, min, max, median } (std with
 *    ddof 1, as pandas' .std() in _compute_baseline_stats);
 *  - drift_history: one entry per tested column per check, with the chapter's keys
 *    (timestamp, feature, ks_statistic, p_value, drift_detected, baseline_mean, new_mean,
 *    mean_shift_pct, n_baseline, n_new). The chapter only tests numbers with KS; for other
 *    tests `ks_statistic` is null and `test` / `statistic` / `distance` say what was used;
 *  - summary: { total_checks, total_drifts } over the whole history.
 * Python's json.dump writes NaN and Infinity, which are not JSON: undefined values are null here.
 */
import type { DriftResult } from './drift-types';

/** One history entry of the chapter's report. */
export interface SaveReportEntry {
  timestamp: string;
  feature: string;
  test: string;
  ks_statistic: number | null;
  statistic: number | null;
  p_value: number | null;
  distance: number | null;
  drift_detected: boolean;
  baseline_mean: number | null;
  new_mean: number | null;
  mean_shift_pct: number | null;
  n_baseline: number;
  n_new: number;
}

/** The chapter's save_report document. */
export interface SaveReportJson {
  baseline_stats: Record<
    string,
    { mean: number | null; std: number | null; min: number | null; max: number | null; median: number | null }
  >;
  drift_history: SaveReportEntry[];
  summary: { total_checks: number; total_drifts: number };
}

const finiteOrNull = (x: number | null | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/**
 * Builds the report from one or more checks against the same baseline, oldest first
 * (`at` is each check's ISO time). The baseline statistics are the latest check's.
 */
export function toSaveReportJson(checks: readonly { at: string; result: DriftResult }[]): SaveReportJson {
  const baseline_stats: SaveReportJson['baseline_stats'] = {};
  const last = checks[checks.length - 1];
  if (last) {
    const byName = new Map(last.result.columns.map((r) => [r.column, r]));
    // In the data set's column order, as the chapter's dict over baseline_data.columns.
    for (const name of last.result.columnOrder) {
      const row = byName.get(name);
      if (!row || row.type !== 'number' || row.baseline.rows === 0) continue;
      const s = row.baseline;
      baseline_stats[row.column] = {
        mean: finiteOrNull(s.mean),
        std: finiteOrNull(s.std),
        min: finiteOrNull(s.min),
        max: finiteOrNull(s.max),
        median: finiteOrNull(s.median),
      };
    }
  }
  const drift_history: SaveReportEntry[] = [];
  for (const { at, result } of checks) {
    for (const row of result.columns) {
      if (row.status === 'not-tested' || !row.test) continue;
      drift_history.push({
        timestamp: at,
        feature: row.column,
        test: row.test,
        ks_statistic: row.test === 'ks' ? finiteOrNull(row.statistic) : null,
        statistic: finiteOrNull(row.statistic),
        p_value: finiteOrNull(row.pValue),
        distance: finiteOrNull(row.distance),
        drift_detected: row.drifted,
        baseline_mean: finiteOrNull(row.baseline.mean),
        new_mean: finiteOrNull(row.current.mean),
        mean_shift_pct: finiteOrNull(row.meanShiftPct),
        n_baseline: row.baseline.count,
        n_new: row.current.count,
      });
    }
  }
  return {
    baseline_stats,
    drift_history,
    summary: { total_checks: drift_history.length, total_drifts: drift_history.filter((d) => d.drift_detected).length },
  };
}
