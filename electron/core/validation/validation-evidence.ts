import { RECENT_DAYS, localized, plural, recentSince, type EvidenceProvider } from '../maturity/evidence';

/** Maturity evidence of automated data quality checks: saved suites and recent validation runs. */
export const validationRunsEvidence: EvidenceProvider = {
  id: 'validation.runs',
  itemIds: ['l1-data-auto-quality', 'l0-data-manual-quality', 'l2-data-quality-monitoring'],
  page: 'data',
  collect(context) {
    const { datasets } = context.store;
    const suites = datasets.countSuites();
    const runs = datasets.countValidationResults(recentSince(context));
    if (suites === 0 && runs === 0) return null;
    return {
      summary: localized(
        `${plural(suites, 'saved validation suite', 'saved validation suites')}, ${plural(runs, 'run', 'runs')} in the last ${RECENT_DAYS} days`,
        `保存済み検証スイート ${suites} 件、過去${RECENT_DAYS}日間の実行 ${runs} 回`,
      ),
      facts: { suites, runs },
    };
  },
};
