import type { AppContext } from '../app-context';
import type { HandlersFor } from './handler-types';

/** Drift checks, their history, trend and alerts. (Placeholder: filled in by the monitoring capability.) */
export function createDriftHandlers(
  ctx: AppContext,
): HandlersFor<
  | 'monitoring:startCheck'
  | 'monitoring:checks'
  | 'monitoring:check'
  | 'monitoring:deleteCheck'
  | 'monitoring:trend'
  | 'monitoring:saveReportJson'
  | 'monitoring:alerts'
  | 'monitoring:acknowledge'
> {
  void ctx;
  const pending = () => {
    throw new Error('monitoring: not built yet');
  };
  return {
    'monitoring:startCheck': pending,
    'monitoring:checks': pending,
    'monitoring:check': pending,
    'monitoring:deleteCheck': pending,
    'monitoring:trend': pending,
    'monitoring:saveReportJson': pending,
    'monitoring:alerts': pending,
    'monitoring:acknowledge': pending,
  };
}
