import type { Db } from './database';

/** Drift checks, alerts, monitor settings and actual labels (see migrations/011-monitoring.ts). */
export function createMonitoringRepo(db: Db) {
  void db;
  return {};
}
export type MonitoringRepo = ReturnType<typeof createMonitoringRepo>;
