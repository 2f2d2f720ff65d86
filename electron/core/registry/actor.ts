import type { AppContext } from '../app-context';
import { currentUser } from '../tracking/record-run';

/** Who does something and through what: the OS user, and the app or the CLI (audit log columns). */
export interface Actor {
  actor: string;
  via: string;
}

/** The actor of a request handled in this process. */
export function actorOf(ctx: Pick<AppContext, 'shell'>): Actor {
  return { actor: currentUser() || 'unknown', via: ctx.shell === 'cli' ? 'cli' : 'app' };
}
