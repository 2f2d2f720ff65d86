import type { CliCommand } from '../command';
import { DATA_COMMANDS } from './data';
import { doctorCommand } from './doctor';
import { DRIFT_COMMANDS } from './drift';
import { MATURITY_COMMANDS } from './maturity';
import { MLFLOW_COMMANDS } from './mlflow';
import { MLFLOW_SYNC_COMMANDS } from './mlflow-sync';
import { MLFLOW_FILES_COMMANDS } from './mlflow-files';
import { MODELS_COMMANDS } from './models';
import { monitorCommand } from './monitor';
import { PIPELINES_COMMANDS } from './pipelines';
import { reportCommand, reportListCommand } from './report';
import { selfCheckCommand } from './self-check';
import { TRACKING_COMMANDS } from './runs';
import { runsCompareCommand } from './runs-compare';
import { SCORING_COMMANDS } from './score';
import { SERVING_COMMANDS } from './serve';
import { trainCommand } from './train';

/** Every CLI command. A capability adds its commands here. */
export const COMMANDS: readonly CliCommand[] = [
  doctorCommand,
  selfCheckCommand,
  ...DATA_COMMANDS,
  ...MATURITY_COMMANDS,
  reportListCommand,
  reportCommand,
  trainCommand,
  ...TRACKING_COMMANDS,
  runsCompareCommand,
  ...MODELS_COMMANDS,
  ...SCORING_COMMANDS,
  ...SERVING_COMMANDS,
  ...DRIFT_COMMANDS,
  monitorCommand,
  ...MLFLOW_COMMANDS,
  ...MLFLOW_SYNC_COMMANDS,
  ...MLFLOW_FILES_COMMANDS,
  ...PIPELINES_COMMANDS,
];
