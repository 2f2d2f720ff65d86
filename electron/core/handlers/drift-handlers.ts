import { toSaveReportJson } from '../monitoring/save-report-json';
import { driftCheckJob } from '../monitoring/drift-job';
import { actorOf } from '../registry/actor';
import type { AppContext } from '../app-context';
import type { HandlersFor } from './handler-types';

/** Drift checks (run as jobs, stored after the task succeeds), their history, trend and alerts. */
export function createDriftHandlers(
  ctx: AppContext,
): HandlersFor<
  | 'monitoring:startCheck'
  | 'monitoring:checks'
  | 'monitoring:check'
  | 'monitoring:deleteCheck'
  | 'monitoring:trend'
  | 'monitoring:saveReportJson'
  | 'monitoring:alerts'
  | 'monitoring:acknowledge'
> {
  const changed = () => ctx.events.emit('changed', { topic: 'monitoring' });
  return {
    'monitoring:startCheck': (req) => ctx.jobs.start(driftCheckJob, { ...req, createdBy: actorOf(ctx).actor }),
    'monitoring:checks': (req) => ctx.store.monitoring.listChecks(req),
    'monitoring:check': (req) => ctx.store.monitoring.getCheck(req.id),
    'monitoring:deleteCheck': (req) => {
      ctx.store.monitoring.deleteCheck(req.id);
      changed();
      return { deleted: true as const };
    },
    'monitoring:trend': (req) => ctx.store.monitoring.trend(req),
    'monitoring:saveReportJson': (req) => {
      const checks = ctx.store.monitoring.listFullChecks(req);
      return JSON.stringify(toSaveReportJson(checks.map((c) => ({ at: new Date(c.createdAt).toISOString(), result: c.result }))), null, 2);
    },
    'monitoring:alerts': (req) => ctx.store.monitoring.listAlerts(req),
    'monitoring:acknowledge': (req) => {
      const alert = ctx.store.monitoring.acknowledgeAlert(req.id, actorOf(ctx).actor);
      changed();
      return alert;
    },
  };
}
