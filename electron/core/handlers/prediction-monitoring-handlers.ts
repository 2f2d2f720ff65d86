import type { AppContext } from '../app-context';
import type { HandlersFor } from './handler-types';

/** Prediction monitoring of served models. (Placeholder: filled in by the monitoring capability.) */
export function createPredictionMonitoringHandlers(
  ctx: AppContext,
): HandlersFor<'monitoring:settings' | 'monitoring:setSettings' | 'monitoring:predictions' | 'monitoring:importActuals'> {
  void ctx;
  const pending = () => {
    throw new Error('monitoring: not built yet');
  };
  return {
    'monitoring:settings': pending,
    'monitoring:setSettings': pending,
    'monitoring:predictions': pending,
    'monitoring:importActuals': pending,
  };
}
