import { migration001Foundation } from './001-foundation';
import { migration002Datasets } from './002-datasets';
import { migration004Maturity } from './004-maturity';
import { migration005Reports } from './005-reports';
import { migration006JobDismissal } from './006-job-dismissal';
import { migration007Tracking } from './007-tracking';
import { migration008Registry } from './008-registry';
import { migration009Serving } from './009-serving';
import { migration010Scoring } from './010-scoring';
import { migration011Monitoring } from './011-monitoring';
import { migration012Pipelines } from './012-pipelines';
import { migration013MonitoringAlertWindow } from './013-monitoring-alert-window';
import { migration014Mlflow } from './014-mlflow';
import { migration015MlflowSync } from './015-mlflow-sync';

/** A numbered schema change; applied once, in order, inside a transaction, and recorded in `schema_migrations`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Every migration the app knows, in order. A capability appends its own file
 * here with the next free number; a number once released is never edited.
 */
export const MIGRATIONS: readonly Migration[] = [
  migration001Foundation,
  migration002Datasets,
  migration004Maturity,
  migration005Reports,
  migration006JobDismissal,
  migration007Tracking,
  migration008Registry,
  migration009Serving,
  migration010Scoring,
  migration011Monitoring,
  migration012Pipelines,
  migration013MonitoringAlertWindow,
  migration014Mlflow,
  migration015MlflowSync,
];
