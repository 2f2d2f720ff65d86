import type { AppErrorData } from '../../shared/errors';
import type { ChannelName, RequestOf, ResponseOf } from '../../shared/ipc';
import { dispatchRequest } from '../../electron/core/handlers/dispatch';
import type { HandlerMap } from '../../electron/core/handlers/handler-types';

/**
 * Calls a channel through the dispatcher, as Electron's IPC and the browser host
 * do: the request is parsed by the channel's zod schema first, so a renamed
 * channel or a payload the contract refuses fails the test instead of being
 * cast past it. Throws the channel's error (with its `code`) when it answers one.
 */
export async function call<C extends ChannelName>(
  app: { handlers: HandlerMap },
  channel: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  const env = await dispatchRequest(app.handlers, channel, request);
  if (!env.ok) throw Object.assign(new Error(env.error.message), env.error);
  return env.value as ResponseOf<C>;
}

/** The error a channel answers with (throws if the call succeeds). */
export async function callError(app: { handlers: HandlerMap }, channel: ChannelName, request: unknown): Promise<AppErrorData> {
  const env = await dispatchRequest(app.handlers, channel, request);
  if (env.ok) throw new Error(`${channel} succeeded unexpectedly`);
  return env.error;
}
