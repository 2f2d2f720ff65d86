/**
 * Maturity evidence of serving: registered versions served through the local
 * endpoint rather than by hand (l1-deploy-packaging, against
 * l0-deploy-manual), and A/B splits between two versions (l2-deploy-canary).
 */
import { localized, plural, type EvidenceProvider } from '../maturity/evidence';

export const servingEvidence: EvidenceProvider = {
  id: 'serving.servers',
  itemIds: ['l1-deploy-packaging', 'l0-deploy-manual'],
  page: 'registry',
  collect({ store }) {
    const { servers, models, predictions } = store.serving.servingCounts();
    if (servers === 0) return null;
    return {
      summary: localized(
        `${plural(models, 'model', 'models')} served from the registry (${plural(servers, 'server start', 'server starts')}, ${plural(predictions, 'prediction', 'predictions')} logged)`,
        `レジストリから ${models} 個のモデルを提供（サーバー起動 ${servers} 回、記録された予測 ${predictions} 件）`,
      ),
      facts: { servers, models, predictions },
    };
  },
};

export const abSplitEvidence: EvidenceProvider = {
  id: 'serving.ab-split',
  itemIds: ['l2-deploy-canary'],
  page: 'registry',
  collect({ store }) {
    const { splitServers } = store.serving.servingCounts();
    if (splitServers === 0) return null;
    return {
      summary: localized(
        `${plural(splitServers, 'server', 'servers')} split traffic between two versions (A/B)`,
        `${splitServers} 台のサーバーが 2 つのバージョンにトラフィックを分割（A/B）`,
      ),
      facts: { splitServers },
    };
  },
};

export const SERVING_EVIDENCE: readonly EvidenceProvider[] = [servingEvidence, abSplitEvidence];
