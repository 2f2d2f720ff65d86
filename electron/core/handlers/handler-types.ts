import type { ChannelName, ParsedRequestOf, ResponseOf } from '../../../shared/ipc';
import type { AppContext } from '../app-context';

/** A handler gets the parsed request; it may answer synchronously or with a promise. */
export type Handler<C extends ChannelName> = (request: ParsedRequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;

/** Handlers for a subset of channels (one capability's file). */
export type HandlersFor<K extends ChannelName> = { [C in K]: Handler<C> };

/** The complete map: TypeScript refuses a contract channel without a handler. */
export type HandlerMap = HandlersFor<ChannelName>;

/** Builds one capability's handlers from the app context. */
export type HandlerFactory<K extends ChannelName> = (ctx: AppContext) => HandlersFor<K>;
