import type { JobRecord } from './jobs';

/**
 * Events pushed from main to the renderer. The renderer refetches on `changed`
 * (topic = the capability whose data changed) and animates progress from `job`.
 */
export interface EventMap {
  changed: { topic: ChangeTopic };
  job: JobRecord;
}

export type ChangeTopic =
  'jobs' | 'settings' | 'datasets' | 'validation' | 'recipes' | 'training' | 'maturity' | 'reports' | 'tracking' | 'registry' | 'serving' | 'monitoring';
export type EventName = keyof EventMap;
export const EVENT_NAMES: readonly EventName[] = ['changed', 'job'];
