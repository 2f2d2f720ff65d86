import type { AppContext } from '../app-context';
import { createAppHandlers } from './app-handlers';
import { createDatasetHandlers } from './datasets-handlers';
import type { HandlerMap } from './handler-types';
import { createJobHandlers } from './job-handlers';
import { createMaturityHandlers } from './maturity-handlers';
import { createReportHandlers } from './report-handlers';
import { createTrainingHandlers } from './training-handlers';
import { createTrackingHandlers } from './tracking-handlers';
import { createRegistryHandlers } from './registry-handlers';
import { createServingHandlers } from './serving-handlers';
import { createScoringHandlers } from './scoring-handlers';
import { createDriftHandlers } from './drift-handlers';
import { createPredictionMonitoringHandlers } from './prediction-monitoring-handlers';
import { createMlflowHandlers } from './mlflow-handlers';
import { createMlflowFilesHandlers } from './mlflow-files-handlers';
import { createMlflowSyncHandlers } from './mlflow-sync-handlers';
import { createPipelineHandlers } from './pipelines-handlers';

/**
 * The handler map for the whole contract, shared by Electron's IPC and the
 * browser host. A capability adds its factory here.
 */
export function createHandlers(ctx: AppContext): HandlerMap {
  return {
    ...createAppHandlers(ctx),
    ...createJobHandlers(ctx),
    ...createDatasetHandlers(ctx),
    ...createMaturityHandlers(ctx),
    ...createReportHandlers(ctx),
    ...createTrainingHandlers(ctx),
    ...createTrackingHandlers(ctx),
    ...createRegistryHandlers(ctx),
    ...createServingHandlers(ctx),
    ...createScoringHandlers(ctx),
    ...createDriftHandlers(ctx),
    ...createPredictionMonitoringHandlers(ctx),
    ...createMlflowHandlers(ctx),
    ...createMlflowFilesHandlers(ctx),
    ...createMlflowSyncHandlers(ctx),
    ...createPipelineHandlers(ctx),
  };
}
export type { HandlerMap } from './handler-types';
