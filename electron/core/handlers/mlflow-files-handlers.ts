import type { AppContext } from '../app-context';
import type { HandlersFor } from './handler-types';
import type { mlflowFilesChannels } from '../../../shared/contracts/mlflow-files';
import { checkImportFolder, mlrunsImportJob } from '../mlflow/mlruns/import-job';
import { checkExportFolder, mlrunsExportJob } from '../mlflow/mlruns/export-job';

/** The MLflow page's "Import from MLflow" and "Export to an mlruns folder": the folder is checked here (a clear refusal at once), then a job runs. */
export function createMlflowFilesHandlers(ctx: AppContext): HandlersFor<keyof typeof mlflowFilesChannels> {
  return {
    'mlflow:import': async (req) => {
      await checkImportFolder(req.dir);
      return ctx.jobs.start(mlrunsImportJob, req);
    },
    'mlflow:export': (req) => {
      checkExportFolder(req.dir);
      return ctx.jobs.start(mlrunsExportJob, req);
    },
  };
}
