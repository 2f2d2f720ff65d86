import type { MessageCatalog } from './index';
import { shellMessages } from '../app/messages';
import { dataMessages } from '../features/data/messages';
import { compareMessages } from '../features/experiments/compare/messages-compare';
import { experimentsMessages } from '../features/experiments/messages';
import { runPageMessages } from '../features/experiments/run-page/messages-run';
import { runsMessages } from '../features/experiments/runs-table/messages-runs';
import { wizardMessages } from '../features/experiments/wizard/messages-wizard';
import { maturityMessages } from '../features/maturity/messages';
import { mlflowPageMessages } from '../features/mlflow/messages';
import { mlflowFilesMessages } from '../features/mlflow/messages-files';
import { mlflowSyncMessages } from '../features/mlflow/messages-sync';
import { monitoringMessages } from '../features/monitoring/messages';
import { pipelinesMessages } from '../features/pipelines/messages';
import { registryMessages } from '../features/registry/messages';
import { reportsMessages } from '../features/reports/messages';
import { settingsMessages } from '../features/settings/messages';
import { mlflowSettingsMessages } from '../features/settings/messages-mlflow';

/** Every feature's message catalog. A feature adds its catalog here. */
export const CATALOGS: readonly MessageCatalog[] = [
  shellMessages,
  settingsMessages,
  mlflowSettingsMessages,
  dataMessages,
  experimentsMessages,
  runsMessages,
  runPageMessages,
  wizardMessages,
  compareMessages,
  maturityMessages,
  registryMessages,
  monitoringMessages,
  pipelinesMessages,
  mlflowPageMessages,
  mlflowFilesMessages,
  mlflowSyncMessages,
  reportsMessages,
];
