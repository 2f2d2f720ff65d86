/**
 * Evidence from the workbench itself, shown beside the human answers.
 *
 * One registry: each capability adds ONE provider to `EVIDENCE_PROVIDERS`
 * (the items it speaks to and how to read the counts it needs from the
 * store). The store implements `EvidenceReader`; every method is optional so
 * a capability that has not landed simply yields no evidence, never an error.
 *
 * Evidence only ever says "this practice exists here" — an empty workspace
 * is not evidence that a team lacks a practice (they may use DVC or MLflow
 * elsewhere), so providers return null when their counts are zero.
 */
import type { AnswerMap, AnswerValue, Evidence, EvidenceDisagreement, LocalizedText, WorkbenchPage } from '../../../shared/maturity';
import { findMaturityItem } from '../../../shared/maturity-content';

type MaybePromise<T> = T | Promise<T>;

/** Time window for "recent" activity, in the reader's clock (epoch ms). */
export interface SinceFilter {
  sinceMs?: number;
}

/**
 * Read-only counts the evidence needs. Implemented by electron/core/store;
 * in tests by a plain object. Every method is optional (capability may be absent).
 */
export interface EvidenceReader {
  countDatasets?(): MaybePromise<number>;
  countDatasetVersions?(filter?: SinceFilter): MaybePromise<number>;
  countValidationSuites?(): MaybePromise<number>;
  countValidationRuns?(filter?: SinceFilter): MaybePromise<number>;
  /** Runs; `withParamsAndMetrics` restricts to runs that logged both. */
  countRuns?(filter?: SinceFilter & { withParamsAndMetrics?: boolean; withDatasetVersion?: boolean }): MaybePromise<number>;
  countRegisteredModels?(): MaybePromise<number>;
  countModelVersions?(): MaybePromise<number>;
  countStageTransitions?(filter?: SinceFilter & { toStage?: 'Staging' | 'Production' | 'Archived' | 'None' }): MaybePromise<number>;
  /** Whether a local serving endpoint is enabled now. */
  isServingEnabled?(): MaybePromise<boolean>;
  countPredictions?(filter?: SinceFilter): MaybePromise<number>;
  countDriftChecks?(filter?: SinceFilter & { withAccuracy?: boolean }): MaybePromise<number>;
  countPipelines?(filter?: { scheduled?: boolean; driftTriggered?: boolean }): MaybePromise<number>;
  countPipelineRuns?(filter?: SinceFilter & { trigger?: 'schedule' | 'drift' | 'manual' }): MaybePromise<number>;
}

/** What a provider receives: the reader plus the clock, so "last 30 days" is testable. */
export interface EvidenceContext {
  reader: EvidenceReader;
  nowMs: number;
}

/** One source of evidence; add one per capability. */
export interface EvidenceProvider {
  id: string;
  itemIds: string[];
  page: WorkbenchPage;
  collect(context: EvidenceContext): Promise<Omit<Evidence, 'providerId' | 'itemIds' | 'page'> | null>;
}

/** "Recent" = the last 30 days, as in "12 runs tracked in the last 30 days". */
export const RECENT_DAYS = 30;
const DAY_MS = 86_400_000;

function recent(context: EvidenceContext): SinceFilter {
  return { sinceMs: context.nowMs - RECENT_DAYS * DAY_MS };
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function text(en: string, ja: string): LocalizedText {
  return { en, ja };
}

/** The providers, one per capability. Order = display order. */
export const EVIDENCE_PROVIDERS: readonly EvidenceProvider[] = [
  {
    id: 'datasets.versions',
    itemIds: ['l1-data-versioning', 'l0-data-no-versioning', 'l0-data-local-files'],
    page: 'data',
    async collect({ reader }) {
      if (!reader.countDatasets || !reader.countDatasetVersions) return null;
      const datasets = await reader.countDatasets();
      const versions = await reader.countDatasetVersions();
      if (versions === 0) return null;
      return {
        summary: text(
          `${plural(versions, 'version', 'versions')} of ${plural(datasets, 'data set', 'data sets')} in the versioned store`,
          `バージョン管理ストアに ${datasets} データセット・${versions} バージョン`,
        ),
        facts: { datasets, versions },
      };
    },
  },
  {
    id: 'validation.runs',
    itemIds: ['l1-data-auto-quality', 'l0-data-manual-quality', 'l2-data-quality-monitoring'],
    page: 'data',
    async collect(context) {
      const { reader } = context;
      if (!reader.countValidationRuns || !reader.countValidationSuites) return null;
      const suites = await reader.countValidationSuites();
      const runs = await reader.countValidationRuns(recent(context));
      if (suites === 0 && runs === 0) return null;
      return {
        summary: text(
          `${plural(suites, 'saved validation suite', 'saved validation suites')}, ${plural(runs, 'run', 'runs')} in the last ${RECENT_DAYS} days`,
          `保存済み検証スイート ${suites} 件、過去${RECENT_DAYS}日間の実行 ${runs} 回`,
        ),
        facts: { suites, runs },
      };
    },
  },
  {
    id: 'tracking.runs',
    itemIds: ['l1-model-tracking', 'l1-model-auto-logging', 'l0-model-manual-records'],
    page: 'experiments',
    async collect(context) {
      const { reader } = context;
      if (!reader.countRuns) return null;
      const runs = await reader.countRuns({ ...recent(context), withParamsAndMetrics: true });
      const total = await reader.countRuns({ withParamsAndMetrics: true });
      if (total === 0) return null;
      return {
        summary: text(
          `${plural(runs, 'run', 'runs')} tracked with params and metrics in the last ${RECENT_DAYS} days (${total} in total)`,
          `過去${RECENT_DAYS}日間にパラメータとメトリクス付きで記録された実行 ${runs} 件（合計 ${total} 件）`,
        ),
        facts: { recentRuns: runs, runs: total },
      };
    },
  },
  {
    id: 'tracking.lineage',
    itemIds: ['l1-data-lineage'],
    page: 'experiments',
    async collect({ reader }) {
      if (!reader.countRuns) return null;
      const runs = await reader.countRuns({ withDatasetVersion: true });
      if (runs === 0) return null;
      return {
        summary: text(runs === 1 ? '1 run records the data version hash it trained on' : `${runs} runs record the data version hash they trained on`, `${runs} 件の実行が学習データのバージョンハッシュを記録`),
        facts: { runsWithDatasetVersion: runs },
      };
    },
  },
  {
    id: 'registry.models',
    itemIds: ['l1-model-registry', 'l1-deploy-packaging'],
    page: 'registry',
    async collect({ reader }) {
      if (!reader.countRegisteredModels || !reader.countModelVersions) return null;
      const models = await reader.countRegisteredModels();
      const versions = await reader.countModelVersions();
      if (versions === 0) return null;
      return {
        summary: text(
          `${plural(models, 'registered model', 'registered models')} with ${plural(versions, 'version', 'versions')}`,
          `登録モデル ${models} 件（バージョン ${versions} 件）`,
        ),
        facts: { models, versions },
      };
    },
  },
  {
    id: 'registry.staging',
    itemIds: ['l1-deploy-staging', 'l0-deploy-no-parity'],
    page: 'registry',
    async collect({ reader }) {
      if (!reader.countStageTransitions) return null;
      const staging = await reader.countStageTransitions({ toStage: 'Staging' });
      if (staging === 0) return null;
      return {
        summary: text(`Staging stage used (${plural(staging, 'promotion', 'promotions')} to Staging)`, `Stagingステージを使用（Stagingへの昇格 ${staging} 回）`),
        facts: { stagingTransitions: staging },
      };
    },
  },
  {
    id: 'serving.endpoint',
    itemIds: ['l1-deploy-packaging', 'l0-deploy-manual'],
    page: 'registry',
    async collect(context) {
      const { reader } = context;
      if (!reader.isServingEnabled) return null;
      const enabled = await reader.isServingEnabled();
      const predictions = reader.countPredictions ? await reader.countPredictions(recent(context)) : 0;
      if (!enabled && predictions === 0) return null;
      return {
        summary: text(
          `${enabled ? 'Serving enabled' : 'Serving used'}; ${plural(predictions, 'prediction', 'predictions')} logged in the last ${RECENT_DAYS} days`,
          `${enabled ? 'サービング有効' : 'サービング利用あり'}、過去${RECENT_DAYS}日間の予測記録 ${predictions} 件`,
        ),
        facts: { servingEnabled: enabled ? 1 : 0, predictions },
      };
    },
  },
  {
    id: 'monitoring.drift',
    itemIds: ['l1-monitor-drift', 'l0-monitor-none', 'l2-monitor-observability'],
    page: 'monitoring',
    async collect(context) {
      const { reader } = context;
      if (!reader.countDriftChecks) return null;
      const total = await reader.countDriftChecks();
      if (total === 0) return null;
      const recentChecks = await reader.countDriftChecks(recent(context));
      return {
        summary: text(
          `${plural(total, 'drift check', 'drift checks')} stored (${recentChecks} in the last ${RECENT_DAYS} days)`,
          `ドリフトチェック ${total} 件を保存（過去${RECENT_DAYS}日間 ${recentChecks} 件）`,
        ),
        facts: { driftChecks: total, recentDriftChecks: recentChecks },
      };
    },
  },
  {
    id: 'monitoring.accuracy',
    itemIds: ['l1-monitor-basic'],
    page: 'monitoring',
    async collect({ reader }) {
      if (!reader.countDriftChecks) return null;
      const withAccuracy = await reader.countDriftChecks({ withAccuracy: true });
      if (withAccuracy === 0) return null;
      return {
        summary: text(`${plural(withAccuracy, 'check measures', 'checks measure')} accuracy on labelled data`, `ラベル付きデータで精度を測定したチェック ${withAccuracy} 件`),
        facts: { accuracyChecks: withAccuracy },
      };
    },
  },
  {
    id: 'pipelines.retraining',
    itemIds: ['l1-deploy-training-pipeline', 'l1-monitor-manual-retrain'],
    page: 'pipelines',
    async collect({ reader }) {
      if (!reader.countPipelines) return null;
      const scheduled = await reader.countPipelines({ scheduled: true });
      const all = await reader.countPipelines();
      if (all === 0) return null;
      return {
        summary: text(
          `${plural(all, 'retraining pipeline', 'retraining pipelines')} (${scheduled} scheduled)`,
          `再訓練パイプライン ${all} 件（うちスケジュール実行 ${scheduled} 件）`,
        ),
        facts: { pipelines: all, scheduledPipelines: scheduled },
      };
    },
  },
  {
    id: 'pipelines.drift-trigger',
    itemIds: ['l2-monitor-auto-retrain'],
    page: 'pipelines',
    async collect({ reader }) {
      if (!reader.countPipelines) return null;
      const driftTriggered = await reader.countPipelines({ driftTriggered: true });
      if (driftTriggered === 0) return null;
      return {
        summary: text(`${plural(driftTriggered, 'pipeline retrains', 'pipelines retrain')} when a drift check fires`, `ドリフト検出時に再訓練するパイプライン ${driftTriggered} 件`),
        facts: { driftTriggeredPipelines: driftTriggered },
      };
    },
  },
];

/**
 * Runs every provider against the reader. A provider that throws is skipped
 * (evidence is advisory; a broken count must not break the result page);
 * its error is reported through `onError`.
 */
export async function collectEvidence(
  reader: EvidenceReader,
  options: { nowMs?: number; providers?: readonly EvidenceProvider[]; onError?: (providerId: string, error: unknown) => void } = {},
): Promise<Evidence[]> {
  const context: EvidenceContext = { reader, nowMs: options.nowMs ?? Date.now() };
  const evidence: Evidence[] = [];
  for (const provider of options.providers ?? EVIDENCE_PROVIDERS) {
    try {
      const found = await provider.collect(context);
      if (found) evidence.push({ ...found, providerId: provider.id, itemIds: provider.itemIds, page: provider.page });
    } catch (error) {
      options.onError?.(provider.id, error);
    }
  }
  return evidence;
}

/** Evidence grouped by item id. */
export function groupEvidenceByItem(evidence: readonly Evidence[]): Map<string, Evidence[]> {
  const byItem = new Map<string, Evidence[]>();
  for (const entry of evidence) {
    for (const itemId of entry.itemIds) byItem.set(itemId, [...(byItem.get(itemId) ?? []), entry]);
  }
  return byItem;
}

/**
 * Where answers and evidence point different ways. Evidence means "the
 * practice exists here", so it suggests "yes" for a level-1/2 practice and
 * "no" for a level-0 manual trait. `partly` is never a contradiction (the
 * practice may exist only for some models).
 */
export function findDisagreements(answers: AnswerMap, evidence: readonly Evidence[]): EvidenceDisagreement[] {
  const result: EvidenceDisagreement[] = [];
  for (const [itemId, entries] of groupEvidenceByItem(evidence)) {
    const item = findMaturityItem(itemId);
    if (!item) continue;
    const answer: AnswerValue | null = answers[itemId]?.value ?? null;
    const suggested: AnswerValue = item.polarity === 'absence' ? 'no' : 'yes';
    const opposite: AnswerValue = suggested === 'yes' ? 'no' : 'yes';
    if (answer === opposite) result.push({ itemId, answer, suggested, evidence: entries, kind: 'contradicts' });
    else if (answer === null || answer === 'unsure') result.push({ itemId, answer, suggested, evidence: entries, kind: 'unanswered' });
  }
  return result;
}
