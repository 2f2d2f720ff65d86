import { z } from 'zod';
import { DEFAULT_MLFLOW_SETTINGS, mlflowSettingsPatchShape, type MlflowSettings } from './mlflow';
import type { RegistrySettings } from './registry';
import { SERVING_LIMITS, type ServingSettings } from './serving';

/** Languages the UI ships in. */
export const LANGUAGES = ['en', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

/** User settings stored in the workspace. */
export interface Settings extends RegistrySettings, ServingSettings, MlflowSettings {
  language: Language;
}

export const DEFAULT_SETTINGS: Settings = {
  language: 'en',
  allowSelfApproval: false,
  predictionLogCap: SERVING_LIMITS.defaultPredictionLogCap,
  allowNonLoopback: false,
  ...DEFAULT_MLFLOW_SETTINGS,
};

/** A settings change: every field optional, each with its limits. */
export const settingsPatchSchema = z.strictObject({
  language: z.enum(LANGUAGES).optional(),
  allowSelfApproval: z.boolean().optional(),
  predictionLogCap: z
    .number()
    .int()
    .min(SERVING_LIMITS.minPredictionLogCap, `Keep at least ${SERVING_LIMITS.minPredictionLogCap} predictions.`)
    .max(SERVING_LIMITS.maxPredictionLogCap, `Keep at most ${SERVING_LIMITS.maxPredictionLogCap} predictions.`)
    .optional(),
  allowNonLoopback: z.boolean().optional(),
  ...mlflowSettingsPatchShape,
});
