/**
 * Maturity evidence of the model registry: models kept as numbered versions
 * (l1-model-registry), versions that went through Staging before Production
 * (l1-deploy-staging), and rollbacks recorded (l2-deploy-rollback; the
 * summary says how many a pipeline made, since the item asks for automatic ones).
 */
import { localized, plural, type EvidenceProvider } from '../maturity/evidence';

export const registryModelsEvidence: EvidenceProvider = {
  id: 'registry.models',
  itemIds: ['l1-model-registry'],
  page: 'registry',
  collect({ store }) {
    const { models, versions } = store.registry.counts();
    if (models === 0) return null;
    return {
      summary: localized(
        `${plural(models, 'model', 'models')} in the registry with ${plural(versions, 'version', 'versions')}`,
        `レジストリに ${models} 個のモデル、${versions} 個のバージョン`,
      ),
      facts: { models, versions },
    };
  },
};

export const registryStagingEvidence: EvidenceProvider = {
  id: 'registry.staging',
  itemIds: ['l1-deploy-staging'],
  page: 'registry',
  collect({ store }) {
    const { stagedBeforeProduction } = store.registry.counts();
    if (stagedBeforeProduction === 0) return null;
    return {
      summary: localized(
        `${plural(stagedBeforeProduction, 'version', 'versions')} went through Staging before Production`,
        `${stagedBeforeProduction} 個のバージョンが Staging を経て Production へ`,
      ),
      facts: { stagedBeforeProduction },
    };
  },
};

export const registryRollbackEvidence: EvidenceProvider = {
  id: 'registry.rollbacks',
  itemIds: ['l2-deploy-rollback'],
  page: 'registry',
  collect({ store }) {
    const { rollbacks, automaticRollbacks } = store.registry.counts();
    if (rollbacks === 0) return null;
    return {
      summary: localized(
        `${plural(rollbacks, 'rollback', 'rollbacks')} recorded, ${automaticRollbacks} of them automatic (by a pipeline)`,
        `ロールバック ${rollbacks} 回（うちパイプラインによる自動 ${automaticRollbacks} 回）`,
      ),
      facts: { rollbacks, automaticRollbacks },
    };
  },
};

export const REGISTRY_EVIDENCE: readonly EvidenceProvider[] = [registryModelsEvidence, registryStagingEvidence, registryRollbackEvidence];
