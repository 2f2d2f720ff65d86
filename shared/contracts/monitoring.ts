import { z } from 'zod';
import { defineChannel } from '../contract';
import type { JobRecord } from '../jobs';
import {
  importActualsSchema,
  monitorSettingsSchema,
  predictionWindowsSchema,
  startDriftCheckSchema,
  type DriftCheck,
  type DriftCheckSummary,
  type DriftTrend,
  type ImportActualsResult,
  type MonitoringAlert,
  type MonitorSettings,
  type PredictionMonitor,
} from '../monitoring';
import { modelNameSchema } from '../registry';

const scope = z.strictObject({
  model: modelNameSchema.optional(),
  /** A dataset (by id): checks whose baseline or current set is one of its versions. */
  datasetId: z.number().int().min(1).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});

export const monitoringChannels = {
  /** Runs a drift check in a worker (progress, cancel); the job's result is the stored check's id. */
  'monitoring:startCheck': defineChannel(startDriftCheckSchema)<JobRecord>(),
  'monitoring:checks': defineChannel(scope)<DriftCheckSummary[]>(),
  'monitoring:check': defineChannel(z.strictObject({ id: z.number().int().min(1) }))<DriftCheck>(),
  'monitoring:deleteCheck': defineChannel(z.strictObject({ id: z.number().int().min(1) }))<{ deleted: true }>(),
  'monitoring:trend': defineChannel(scope)<DriftTrend>(),
  /** The chapter's `save_report` JSON of the checks in scope (baseline stats, drift history, summary), as text. */
  'monitoring:saveReportJson': defineChannel(scope)<string>(),
  'monitoring:alerts': defineChannel(z.strictObject({ includeAcknowledged: z.boolean().default(false) }))<MonitoringAlert[]>(),
  'monitoring:acknowledge': defineChannel(z.strictObject({ id: z.number().int().min(1) }))<MonitoringAlert>(),
  'monitoring:settings': defineChannel(z.strictObject({ name: modelNameSchema }))<MonitorSettings>(),
  'monitoring:setSettings': defineChannel(monitorSettingsSchema)<MonitorSettings>(),
  /** Windows over the prediction log, the drift of one version's served predictions from its test split's (a worker scores the split once per version; a drift raises a prediction-drift alert once per window), and the labelled scored files. */
  'monitoring:predictions': defineChannel(predictionWindowsSchema)<PredictionMonitor>(),
  /** Actual labels: a CSV joined on prediction id, or a scored file of batch scoring with its actual label column. */
  'monitoring:importActuals': defineChannel(importActualsSchema)<ImportActualsResult>(),
};
