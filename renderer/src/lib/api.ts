import { AppError, type Envelope } from '../../../shared/errors';
import type { EventMap, EventName } from '../../../shared/events';
import type { ChannelName, RequestOf, ResponseOf } from '../../../shared/ipc';
import type { PreloadApi } from '../../../shared/preload-api';

type EventListener = <E extends EventName>(name: E, payload: EventMap[E]) => void;

/** The transport under the API: Electron's preload bridge, or the browser host over HTTP + SSE. */
interface Transport {
  shell: 'electron' | 'browser';
  invoke(channel: ChannelName, request: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: EventListener): () => void;
  stageFile(file: File): Promise<string>;
}

declare global {
  interface Window {
    mlwb?: PreloadApi;
  }
}

function preloadTransport(bridge: PreloadApi): Transport {
  return {
    shell: 'electron',
    invoke: (channel, request) => (bridge.invoke[channel] as (r: unknown) => Promise<Envelope<unknown>>)(request),
    onEvent: (listener) => bridge.onEvent(listener),
    stageFile: async (file) => bridge.pathForFile(file),
  };
}

/** Reads the per-start token from `?token=` once, keeps it for reloads, and drops it from the address bar. */
function hostToken(): string {
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem('mlwb-token', fromUrl);
    params.delete('token');
    const query = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`);
    return fromUrl;
  }
  return sessionStorage.getItem('mlwb-token') ?? '';
}

function hostTransport(): Transport {
  const token = hostToken();
  const listeners = new Set<EventListener>();
  let source: EventSource | undefined;
  const connect = () => {
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    for (const name of ['changed', 'job'] as const) {
      source.addEventListener(name, (e) => {
        const payload = JSON.parse((e as MessageEvent).data);
        listeners.forEach((l) => l(name, payload));
      });
    }
  };
  return {
    shell: 'browser',
    async invoke(channel, request) {
      const res = await fetch(`/api/invoke/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-mlwb-token': token },
        body: JSON.stringify(request ?? {}),
      });
      return (await res.json()) as Envelope<unknown>;
    },
    onEvent(listener) {
      listeners.add(listener);
      if (!source) connect();
      return () => {
        listeners.delete(listener);
      };
    },
    async stageFile(file) {
      const res = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', headers: { 'x-mlwb-token': token }, body: file });
      const body = (await res.json()) as Envelope<{ path: string }>;
      if (!body.ok) throw AppError.fromData(body.error);
      return body.value.path;
    },
  };
}

let transport: Transport | undefined;
function getTransport(): Transport {
  return (transport ??= window.mlwb ? preloadTransport(window.mlwb) : hostTransport());
}

/**
 * The renderer's API: typed calls to the contract, events, and file staging.
 * Uses the preload bridge inside Electron, else the browser host.
 */
export const api = {
  get shell() {
    return getTransport().shell;
  },
  /** Calls a channel; throws AppError (with its code) when main answers with an error. */
  async call<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    let envelope: Envelope<unknown>;
    try {
      envelope = await getTransport().invoke(channel, request);
    } catch (err) {
      throw new AppError('internal', `The app did not answer (${(err as Error).message}).`);
    }
    if (!envelope.ok) throw AppError.fromData(envelope.error);
    return envelope.value as ResponseOf<C>;
  },
  onEvent(listener: EventListener): () => void {
    return getTransport().onEvent(listener);
  },
  /** Makes a picked or dropped file readable by main: its path in Electron, an upload in the browser host. */
  stageFile(file: File): Promise<string> {
    return getTransport().stageFile(file);
  },
};

/** Saves bytes or text as a download (a save dialog in Electron, a download in the browser). */
export function downloadFile(name: string, content: BlobPart, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
