import type { z } from 'zod';

/**
 * One channel of the contract: the zod schema that main uses to parse the request
 * (from `unknown`), and the response type carried as a phantom.
 */
export interface Channel<Req extends z.ZodType, Res> {
  request: Req;
  /** Never set at run time; carries the response type. */
  readonly _response?: Res;
}

/** Declares a channel: `defineChannel(schema)<ResponseType>()`. */
export function defineChannel<Req extends z.ZodType>(request: Req) {
  return <Res>(): Channel<Req, Res> => ({ request });
}
