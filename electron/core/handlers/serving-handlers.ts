import type { AppContext } from '../app-context';
import type { HandlersFor } from './handler-types';

/** The serving channels: the scoring servers of ctx.serving and the prediction log's size (requests already parsed by the contract). */
export function createServingHandlers(
  ctx: AppContext,
): HandlersFor<'serving:list' | 'serving:start' | 'serving:stop' | 'serving:logStats'> {
  return {
    'serving:list': (req) => ctx.serving.list(req),
    'serving:start': (req) => ctx.serving.start(req),
    'serving:stop': (req) => ctx.serving.stop(req.id),
    'serving:logStats': () => ctx.serving.logStats(),
  };
}
