import { importActuals, predictionWindows, settingsOf } from '../monitoring/prediction-monitor';
import type { AppContext } from '../app-context';
import type { HandlersFor } from './handler-types';

/** Prediction monitoring of served models: settings, windows over the prediction log, and actual labels imported later. */
export function createPredictionMonitoringHandlers(
  ctx: AppContext,
): HandlersFor<'monitoring:settings' | 'monitoring:setSettings' | 'monitoring:predictions' | 'monitoring:importActuals'> {
  const changed = () => ctx.events.emit('changed', { topic: 'monitoring' });
  return {
    'monitoring:settings': (req) => settingsOf(ctx.store, req.name),
    'monitoring:setSettings': (req) => {
      settingsOf(ctx.store, req.name); // an unknown model is refused before anything is written
      const saved = ctx.store.monitoring.setSettings(req);
      changed();
      return saved;
    },
    'monitoring:predictions': (req) => predictionWindows(ctx.store, req),
    'monitoring:importActuals': (req) => {
      const result = importActuals(ctx.store, req);
      if (result.matched > 0) changed();
      return result;
    },
  };
}
