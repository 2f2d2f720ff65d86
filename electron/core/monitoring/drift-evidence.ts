/**
 * Maturity evidence of monitoring: drift checks run (l1-monitor-drift, and
 * against l0-monitor-none), and alerting in place — alerts raised by checks or
 * models with an accuracy threshold switched on (l1-monitor-basic, and
 * against l0-monitor-no-alerts).
 */
import { localized, plural, type EvidenceProvider } from '../maturity/evidence';

export const driftChecksEvidence: EvidenceProvider = {
  id: 'monitoring.drift-checks',
  itemIds: ['l1-monitor-drift', 'l0-monitor-none'],
  page: 'monitoring',
  collect({ store }) {
    const checks = store.monitoring.countChecks();
    if (checks === 0) return null;
    return {
      summary: localized(`${plural(checks, 'drift check', 'drift checks')} run and stored`, `ドリフトチェック ${checks} 回を実行・保存`),
      facts: { checks },
    };
  },
};

export const monitoringAlertsEvidence: EvidenceProvider = {
  id: 'monitoring.alerts',
  itemIds: ['l0-monitor-no-alerts', 'l1-monitor-basic'],
  page: 'monitoring',
  collect({ store }) {
    const alerts = store.monitoring.countAlerts();
    const monitors = store.monitoring.countEnabledMonitors();
    if (alerts === 0 && monitors === 0) return null;
    return {
      summary: localized(
        `${plural(monitors, 'model', 'models')} monitored with an alert threshold; ${plural(alerts, 'alert', 'alerts')} raised`,
        `しきい値付きで監視中のモデル ${monitors} 個、発生したアラート ${alerts} 件`,
      ),
      facts: { alerts, monitors },
    };
  },
};

export const DRIFT_EVIDENCE: readonly EvidenceProvider[] = [driftChecksEvidence, monitoringAlertsEvidence];
