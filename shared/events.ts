import type { JobRecord } from './jobs';

/**
 * Events pushed from main to the renderer. The renderer refetches on `changed`
 * (topic = the capability whose data changed) and animates progress from `job`.
 */
export interface EventMap {
  changed: { topic: ChangeTopic };
  job: JobRecord;
  /** Something the user should hear about even when the page is not open (a pipeline run failed, a model reached Staging); main shows it as a desktop notification. */
  notification: { title: string; body: string; kind: string };
}

export type ChangeTopic =
  'jobs' | 'settings' | 'datasets' | 'validation' | 'recipes' | 'training' | 'maturity' | 'reports' | 'tracking' | 'registry' | 'serving' | 'monitoring' | 'pipelines' | 'mlflow';
export type EventName = keyof EventMap;
export const EVENT_NAMES: readonly EventName[] = ['changed', 'job', 'notification'];
