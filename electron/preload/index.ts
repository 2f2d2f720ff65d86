/**
 * The renderer's only door to main: one named, typed function per contract
 * channel, an event subscription that returns its unsubscribe function, and the
 * file-path lookup for dropped or picked files. ipcRenderer itself is never exposed.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { Envelope } from '../../shared/errors';
import type { EventMap, EventName } from '../../shared/events';
import { channels, type ChannelName } from '../../shared/ipc';
import type { PreloadApi } from '../../shared/preload-api';

const EVENT_CHANNEL = 'mlwb:event';

const invoke = Object.fromEntries(
  (Object.keys(channels) as ChannelName[]).map((name) => [name, (request: unknown) => ipcRenderer.invoke(name, request) as Promise<Envelope<unknown>>]),
) as PreloadApi['invoke'];

const api: PreloadApi = {
  invoke,
  onEvent(listener: <E extends EventName>(name: E, payload: EventMap[E]) => void) {
    const wrapped = (_event: IpcRendererEvent, name: EventName, payload: unknown) => listener(name, payload as EventMap[EventName]);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  },
  pathForFile: (file: File) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('mlwb', api);
