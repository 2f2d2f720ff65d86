/**
 * Maturity evidence of experiment tracking, read from the runs in the store:
 * runs tracked (l1-model-tracking, against "recorded by hand"), params and
 * metrics logged by the runs themselves (l1-model-auto-logging), runs that
 * record the data version they trained on (l1-data-lineage), and
 * reproductions made (against "training lives in notebooks").
 */
import { SYSTEM_TAGS } from '../../../shared/tracking';
import { RECENT_DAYS, localized, plural, recentSince, type EvidenceProvider } from '../maturity/evidence';

export const trackedRunsEvidence: EvidenceProvider = {
  id: 'tracking.runs',
  itemIds: ['l1-model-tracking', 'l0-model-manual-records'],
  page: 'experiments',
  collect(context) {
    const { tracking } = context.store;
    const total = tracking.countRuns();
    if (total === 0) return null;
    const recent = tracking.countRuns({ sinceMs: recentSince(context).getTime() });
    const experiments = tracking.listExperiments().filter((e) => e.runCount > 0).length;
    return {
      summary: localized(
        `${plural(total, 'run', 'runs')} tracked in ${plural(experiments, 'experiment', 'experiments')}, ${recent} in the last ${RECENT_DAYS} days`,
        `${experiments} 件の実験で ${total} 件の実行を記録（過去${RECENT_DAYS}日間に ${recent} 件）`,
      ),
      facts: { runs: total, recentRuns: recent, experiments },
    };
  },
};

export const autoLoggingEvidence: EvidenceProvider = {
  id: 'tracking.auto-logging',
  itemIds: ['l1-model-auto-logging'],
  page: 'experiments',
  collect({ store }) {
    const logged = store.tracking.countRuns({ withParamsAndMetrics: true });
    if (logged === 0) return null;
    return {
      summary: localized(
        `${plural(logged, 'run', 'runs')} logged their params, metrics, seed and versions automatically`,
        `${logged} 件の実行がパラメータ・メトリクス・シード・バージョンを自動で記録`,
      ),
      facts: { runsWithParamsAndMetrics: logged },
    };
  },
};

export const lineageEvidence: EvidenceProvider = {
  id: 'tracking.lineage',
  itemIds: ['l1-data-lineage'],
  page: 'experiments',
  collect({ store }) {
    const runs = store.tracking.countRuns({ withDatasetVersion: true });
    if (runs === 0) return null;
    return {
      summary: localized(
        `${plural(runs, 'run records', 'runs record')} the dataset version and hash it trained on`,
        `${runs} 件の実行が学習データのバージョンとハッシュを記録`,
      ),
      facts: { runsWithDatasetVersion: runs },
    };
  },
};

export const reproductionEvidence: EvidenceProvider = {
  id: 'tracking.reproductions',
  itemIds: ['l0-model-notebooks', 'l1-model-auto-logging'],
  page: 'experiments',
  collect({ store }) {
    const made = store.tracking.countRunsWithTag(SYSTEM_TAGS.reproducedFrom);
    if (made === 0) return null;
    const identical = store.tracking.countRunsWithTag('mlwb.reproduction.identical', 'true');
    return {
      summary: localized(
        `${plural(made, 'reproduction', 'reproductions')} of runs from their recorded inputs, ${identical} identical`,
        `記録された入力からの再実行 ${made} 件（うち同一 ${identical} 件）`,
      ),
      facts: { reproductions: made, identical },
    };
  },
};

/** The tracking capability's providers, in display order. */
export const TRACKING_EVIDENCE: readonly EvidenceProvider[] = [
  trackedRunsEvidence,
  autoLoggingEvidence,
  lineageEvidence,
  reproductionEvidence,
];
