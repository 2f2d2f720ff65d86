import { defineChannel } from '../contract';
import type { JobRecord } from '../jobs';
import { mlflowExportSchema, mlflowImportSchema } from '../mlflow-files';

/** Import of an mlruns folder and export to one; both are jobs whose result is a MlflowFilesReport. */
export const mlflowFilesChannels = {
  /** Imports experiments, runs and model versions from an MLflow file store; refused at once when the folder is not one. */
  'mlflow:import': defineChannel(mlflowImportSchema)<JobRecord>(),
  /** Exports experiments (and the registry) into a new or empty folder in MLflow's file-store layout. */
  'mlflow:export': defineChannel(mlflowExportSchema)<JobRecord>(),
};
