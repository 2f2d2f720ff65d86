import type { AppContext } from '../app-context';
import type { HandlersFor } from './handler-types';
import type { mlflowChannels } from '../../../shared/contracts/mlflow';

/** The Settings card's MLflow endpoint: status, and on/off/port (saved, then applied). */
export function createMlflowHandlers(ctx: AppContext): HandlersFor<keyof typeof mlflowChannels> {
  return {
    'mlflow:status': () => ctx.mlflow.status(),
    'mlflow:configure': async ({ enabled, port, token }) => {
      if (token !== undefined) await ctx.mlflow.setToken(token);
      ctx.store.settings.updateSettings({ mlflowEnabled: enabled, ...(port !== undefined ? { mlflowPort: port } : {}) });
      const status = await ctx.mlflow.applySettings();
      ctx.events.emit('changed', { topic: 'settings' });
      return status;
    },
  };
}
