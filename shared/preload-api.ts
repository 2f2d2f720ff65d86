import type { Envelope } from './errors';
import type { EventMap, EventName } from './events';
import type { ChannelName, RequestOf, ResponseOf } from './ipc';

/** What preload exposes as `window.mlwb` (and what the browser-host client imitates). */
export interface PreloadApi {
  invoke: { [C in ChannelName]: (request: RequestOf<C>) => Promise<Envelope<ResponseOf<C>>> };
  /** Subscribes to main's events; returns the unsubscribe function. */
  onEvent(listener: <E extends EventName>(name: E, payload: EventMap[E]) => void): () => void;
  /** The real path of a picked or dropped file (Electron only). */
  pathForFile(file: File): string;
}
