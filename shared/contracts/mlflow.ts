import { z } from 'zod';
import { defineChannel } from '../contract';
import { mlflowConfigureSchema, type MlflowStatus } from '../mlflow';

export const mlflowChannels = {
  /** The MLflow endpoint: on or off, where, and why it is not running when enabled. */
  'mlflow:status': defineChannel(z.strictObject({}))<MlflowStatus>(),
  /** Turns the endpoint on (at a port) or off; saved in the settings and applied now. */
  'mlflow:configure': defineChannel(mlflowConfigureSchema)<MlflowStatus>(),
};
