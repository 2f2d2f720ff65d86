/**
 * Maturity evidence of pipelines (enabled ones only: a pipeline switched off
 * automates nothing): training run as one scheduled or triggered pipeline
 * (l1-deploy-training-pipeline), validation run by it on each new version
 * (l1-data-auto-quality), gates checked before registration
 * (l2-model-auto-tests), and retraining started by drift (l2-monitor-auto-retrain).
 */
import { localized, plural, type EvidenceProvider } from '../maturity/evidence';

export const scheduledPipelinesEvidence: EvidenceProvider = {
  id: 'pipelines.scheduled',
  itemIds: ['l1-deploy-training-pipeline'],
  page: 'pipelines',
  collect({ store }) {
    const { pipelines, scheduled, runs, succeeded } = store.pipelines.counts();
    if (pipelines === 0) return null;
    return {
      summary: localized(
        `${plural(pipelines, 'enabled pipeline', 'enabled pipelines')} (${scheduled} on a schedule), ${plural(runs, 'run', 'runs')}, ${succeeded} succeeded`,
        `有効なパイプライン ${pipelines} 本（スケジュール ${scheduled} 本）、実行 ${runs} 回（成功 ${succeeded} 回）`,
      ),
      facts: { pipelines, scheduled, runs, succeeded },
    };
  },
};

export const pipelineValidationEvidence: EvidenceProvider = {
  id: 'pipelines.validation',
  itemIds: ['l1-data-auto-quality'],
  page: 'pipelines',
  collect({ store }) {
    const { validated } = store.pipelines.counts();
    if (validated === 0) return null;
    return {
      summary: localized(
        `${plural(validated, 'pipeline validates', 'pipelines validate')} each new data version before training`,
        `${validated} 本のパイプラインが新しいデータ版を訓練前に検証`,
      ),
      facts: { validated },
    };
  },
};

export const pipelineGatesEvidence: EvidenceProvider = {
  id: 'pipelines.gates',
  itemIds: ['l2-model-auto-tests'],
  page: 'pipelines',
  collect({ store }) {
    const { gated } = store.pipelines.counts();
    if (gated === 0) return null;
    return {
      summary: localized(
        `${plural(gated, 'pipeline checks', 'pipelines check')} registration gates automatically`,
        `${gated} 本のパイプラインが登録ゲートを自動で確認`,
      ),
      facts: { gated },
    };
  },
};

export const driftRetrainingEvidence: EvidenceProvider = {
  id: 'pipelines.drift',
  itemIds: ['l2-monitor-auto-retrain'],
  page: 'pipelines',
  collect({ store }) {
    const { driftTriggered } = store.pipelines.counts();
    if (driftTriggered === 0) return null;
    return {
      summary: localized(
        `${plural(driftTriggered, 'pipeline retrains', 'pipelines retrain')} when drift is found`,
        `${driftTriggered} 本のパイプラインがドリフト検知で再訓練`,
      ),
      facts: { driftTriggered },
    };
  },
};

export const PIPELINE_EVIDENCE: readonly EvidenceProvider[] = [
  scheduledPipelinesEvidence,
  pipelineValidationEvidence,
  pipelineGatesEvidence,
  driftRetrainingEvidence,
];
