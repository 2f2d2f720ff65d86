import type { AppContext } from '../app-context';
import type { HandlersFor } from './handler-types';

/** The serving channels. (Placeholder: filled in by the serving capability.) */
export function createServingHandlers(
  ctx: AppContext,
): HandlersFor<'serving:list' | 'serving:start' | 'serving:stop' | 'serving:logStats'> {
  void ctx;
  const pending = () => {
    throw new Error('serving: not built yet');
  };
  return {
    'serving:list': pending,
    'serving:start': pending,
    'serving:stop': pending,
    'serving:logStats': pending,
  };
}
