/**
 * The MLflow endpoint of a running app (Settings → "MLflow endpoint") or of
 * `mlwb mlflow serve`: one server in this process, on the process's one store
 * (writes go through the same SQLite connection as the app's own; the server
 * is I/O between short synchronous store calls). It tells the app about
 * writes by `changed` events, coalesced so a client logging thousands of
 * metrics a second costs the pages one refetch per interval, not one per call.
 */
import { LOOPBACK_HOST } from '../../../shared/serving';
import type { MlflowStatus } from '../../../shared/mlflow';
import type { EventBus } from '../events';
import type { Store } from '../store';
import { isLoopbackHost } from '../serving/serving-manager';
import { createMlflowHttpServer, type MlflowHttpServer } from './server';
import type { MlflowDeps } from './tracking-api';
import { AppError } from '../../../shared/errors';
import type { Actor } from '../registry/actor';
import type { RegistryEnv } from '../registry/registry-service';
import type { SecretStore } from '../secrets/secret-store';

export interface MlflowManagerOptions {
  store: Store;
  events: EventBus;
  /** Who the registry's audit log names for API calls (via "mlflow-api"). */
  actor: () => Actor;
  /** The registry operations' environment (gates run on the worker pool); without it the registry endpoints are not served. */
  registry?: RegistryEnv;
  /** Where the endpoint's token is kept (under `secretKey`), never in the settings table. */
  secrets: SecretStore;
  /** The token's key in `secrets`: one per workspace. */
  secretKey: string;
  /** Delay before a burst of writes is announced (ms). */
  changedDelayMs?: number;
  /**
   * Runs the endpoint as the settings say, now and after every settings change
   * (the app and the browser host); off for the CLI, which serves only in
   * `mlwb mlflow serve`.
   */
  followSettings?: boolean;
}

export interface StartMlflow {
  port: number;
  host?: string;
  token?: string;
}

/** Coalesces `changed` events per topic: the first write of a burst schedules one event. */
function changedNotifier(events: EventBus, delayMs: number): MlflowDeps['changed'] & { flush(): void } {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const fire = (topic: 'tracking' | 'registry') => {
    pending.delete(topic);
    events.emit('changed', { topic });
  };
  const notify = (topic: 'tracking' | 'registry') => {
    if (pending.has(topic)) return;
    const t = setTimeout(() => fire(topic), delayMs);
    t.unref?.();
    pending.set(topic, t);
  };
  notify.flush = () => {
    for (const [topic, t] of pending) {
      clearTimeout(t);
      fire(topic as 'tracking' | 'registry');
    }
  };
  return notify;
}

export function createMlflowManager(options: MlflowManagerOptions) {
  const { store, events } = options;
  const changed = changedNotifier(events, options.changedDelayMs ?? 200);
  let current: { http: MlflowHttpServer; host: string; port: number; token: string } | null = null;
  let lastError: string | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  /** Starts and stops one at a time. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => {});
    return next;
  };

  function status(): MlflowStatus {
    const s = store.settings.getSettings();
    return {
      enabled: s.mlflowEnabled,
      running: current !== null,
      host: current?.host ?? LOOPBACK_HOST,
      port: current?.port ?? s.mlflowPort,
      url: current ? `http://${current.host.includes(':') ? `[${current.host}]` : current.host}:${current.port}` : null,
      tokenRequired: Boolean(current?.token),
      tokenSet: s.mlflowTokenSet,
      tokenProtection: options.secrets.protection,
      error: lastError,
    };
  }

  async function stopNow(): Promise<void> {
    if (!current) return;
    const c = current;
    current = null;
    changed.flush();
    await c.http.close();
  }

  async function startNow(req: StartMlflow): Promise<void> {
    const host = req.host ?? LOOPBACK_HOST;
    if (!isLoopbackHost(host) && !store.settings.getSettings().allowNonLoopback)
      throw new AppError(
        'forbidden',
        `The MLflow endpoint binds to ${host} only when Settings allows non-loopback addresses (anyone on the network could then log runs${req.token ? '' : ' — set a token'}).`,
      );
    const token = req.token ?? '';
    if (current && current.host === host && current.port === req.port && current.token === token) return;
    await stopNow();
    const http = createMlflowHttpServer({
      store,
      changed,
      token: token || undefined,
      registry: options.registry,
      actor: options.actor,
    });
    try {
      const bound = await http.listen(req.port, host);
      current = { http, host, port: bound.port, token };
      lastError = null;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      lastError =
        e.code === 'EADDRINUSE'
          ? `Port ${req.port} is already in use; choose another port.`
          : e.code === 'EACCES'
            ? `Port ${req.port} cannot be used (permission denied).`
            : `The MLflow endpoint could not start: ${e.message}`;
      throw new AppError('conflict', lastError);
    }
  }

  const manager = {
    status,
    /** Starts (or moves) the server. */
    start: (req: StartMlflow) => serial(async () => (await startNow(req), status())),
    stop: () => serial(async () => (await stopNow(), status())),
    /** Starts or stops the server as the settings say (app start-up, Settings card). */
    applySettings: () =>
      serial(async () => {
        const s = store.settings.getSettings();
        if (!s.mlflowEnabled) {
          lastError = null;
          await stopNow();
        } else {
          try {
            const token = s.mlflowTokenSet ? await options.secrets.get(options.secretKey) : '';
            // Never open without the token the user set: a session-only store forgets it when the host restarts.
            if (token === null) {
              await stopNow();
              lastError = 'Its token is no longer available (it was kept for that session only); set the token again.';
              return status();
            }
            await startNow({ port: s.mlflowPort, token });
          } catch {
            // lastError says why; the status shows it.
          }
        }
        return status();
      }),
    /** Saves the token clients must send ('' for none) in the secret store, not the settings. */
    async setToken(token: string): Promise<void> {
      if (token) await options.secrets.set(options.secretKey, token);
      else await options.secrets.delete(options.secretKey);
      store.settings.updateSettings({ mlflowTokenSet: token !== '' });
    },
    /** Resolves when the running server stops (at once when none runs). */
    stopped(): Promise<void> {
      const c = current;
      if (!c) return Promise.resolve();
      return new Promise((resolve) => {
        if (!c.http.server.listening) resolve();
        else c.http.server.once('close', () => resolve());
      });
    },
    shutdown(): void {
      unsubscribe?.();
      changed.flush();
      const c = current;
      current = null;
      if (c) void c.http.close();
    },
  };
  let unsubscribe: (() => void) | undefined;
  if (options.followSettings) {
    const differs = () => {
      const s = store.settings.getSettings();
      if (!s.mlflowEnabled) return current !== null;
      // A token change comes through setToken and configure, which apply the settings themselves.
      return !current || current.port !== s.mlflowPort;
    };
    unsubscribe = events.subscribe((name, payload) => {
      if (name === 'changed' && (payload as { topic: string }).topic === 'settings' && differs()) void manager.applySettings();
    });
    if (store.settings.getSettings().mlflowEnabled) void manager.applySettings();
  }
  return manager;
}
export type MlflowManager = ReturnType<typeof createMlflowManager>;
