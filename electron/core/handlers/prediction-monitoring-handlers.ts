import { importActuals, predictionMonitor, settingsOf } from '../monitoring/prediction-monitor';
import type { AppContext } from '../app-context';
import type { HandlersFor } from './handler-types';

/** Prediction monitoring of served models: settings, windows over the prediction log, prediction drift against the test split, and actual labels imported later. */
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
    'monitoring:predictions': async (req) => {
      const before = ctx.store.monitoring.countAlerts('prediction-drift');
      const m = await predictionMonitor({ store: ctx.store, runTask: (name, params) => ctx.pool.runTask(name, params) }, req);
      // A prediction-drift alert was raised (once per window): pages listing alerts refetch.
      if (ctx.store.monitoring.countAlerts('prediction-drift') !== before) changed();
      return m;
    },
    'monitoring:importActuals': (req) => {
      const result = importActuals(ctx.store, req);
      if (result.matched > 0) changed();
      return result;
    },
  };
}
