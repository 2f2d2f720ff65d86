import type { AppContext } from '../app-context';
import type { RegistryEnv } from './registry-service';

/** The registry operations' environment in this process: store, events, the worker pool, and what the serving manager serves. */
export function registryEnv(ctx: AppContext): RegistryEnv {
  return {
    store: ctx.store,
    events: ctx.events,
    runTask: (name, params) => ctx.pool.runTask(name, params),
    isServing: (name, version) => ctx.serving.isServing(name, version),
  };
}
