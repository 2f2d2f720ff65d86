/**
 * The serving manager (ctx.serving), in main: starts and stops scoring
 * servers — each in its own process, never on main's event loop — resolves
 * which registry version each answers with and hands the process the model
 * file, re-resolves when the registry changes (the process swaps without
 * dropping a request), writes the prediction log the processes send in
 * batches, and keeps `scoring_servers` and the audit log in step with what
 * really runs (a killed process is marked stopped).
 */
import fs from 'node:fs';
import net from 'node:net';
import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { formatModelReference, type ModelVersion } from '../../../shared/registry';
import type { PredictionLogStats, ServerStatus, startServerSchema } from '../../../shared/serving';
import type { EventBus } from '../events';
import type { Actor } from '../registry/actor';
import type { Store } from '../store';
import { encodeLogBatch } from './prediction-log-rows';
import type { FromServer, ServedModels, ServerHandle, SpawnScoringServer } from './protocol';

export type StartServer = z.output<typeof startServerSchema>;

export interface ServingManagerOptions {
  store: Store;
  events: EventBus;
  /** Starts a scoring-server process; absent where this runtime cannot (then serving:start refuses). */
  spawn?: SpawnScoringServer;
  /** Who acts, for the audit log (actorOf(ctx)). */
  actor: () => Actor;
  /** The process owning the servers it starts (default: this one). */
  ownerPid?: number;
  /** Tunables; tests shorten them. */
  bodyTimeoutMs?: number;
  logFlushMs?: number;
  logBatchRows?: number;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

/** The defaults of the tunables. */
export const SERVING_DEFAULTS: Readonly<
  Record<'bodyTimeoutMs' | 'logFlushMs' | 'logBatchRows' | 'startTimeoutMs' | 'stopTimeoutMs', number>
> = {
  bodyTimeoutMs: 10_000,
  logFlushMs: 100,
  logBatchRows: 500,
  startTimeoutMs: 30_000,
  stopTimeoutMs: 4_000,
};

/** How often the served count of a busy server is written to its row (and the UI told). */
const STATUS_EVERY_MS = 2000;

/** 127.0.0.0/8, ::1 and localhost: this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

/** True when a process with this id exists (signal 0 only checks). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface LiveServer {
  id: number;
  name: string;
  request: StartServer;
  handle: ServerHandle;
  state: 'starting' | 'running';
  /** The versions last sent to the process (what it answers with once swapped). */
  sent: { version: number; challengerVersion: number | null };
  served: number;
  stopRequested: boolean;
  lastStatusWrite: number;
  unlogged: number;
  exited: Promise<void>;
}

export function createServingManager(options: ServingManagerOptions) {
  const { store, events } = options;
  const tun = { ...SERVING_DEFAULTS, ...stripUndefined(options) };
  const ownerPid = options.ownerPid ?? process.pid;
  const live = new Map<number, LiveServer>();
  let refreshQueued = false;
  /** Set by shutdown: the store closes right after, so deferred work must not touch it. */
  let closed = false;

  const changed = () => events.emit('changed', { topic: 'serving' });

  function modelJson(v: ModelVersion): string {
    const file = store.objects.objectPath(v.modelSha256);
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new AppError(
        'not_found',
        `The model file of "${v.name}" version ${v.version} is missing from the workspace (${file}): ${(err as Error).message}`,
      );
    }
  }

  /** The versions a request names now, with their model files. */
  function resolveModels(req: StartServer): ServedModels {
    const primary = store.registry.resolveVersion(req.name, req.selector);
    const challenger = req.split ? store.registry.resolveVersion(req.name, { kind: 'alias', alias: req.split.alias }) : null;
    return {
      primary: { version: primary.version, modelJson: modelJson(primary) },
      challenger:
        challenger && req.split ? { version: challenger.version, modelJson: modelJson(challenger), share: req.split.share } : null,
    };
  }

  function audit(server: LiveServer | ServerStatus, action: 'serve-start' | 'serve-stop', comment: string): void {
    const status = store.serving.getServer(server.id);
    try {
      store.registry.appendAudit({
        ...options.actor(),
        action,
        model: status.name,
        version: status.version,
        comment,
        detail: {
          serverId: status.id,
          url: status.url,
          selector: formatModelReference(status.name, status.selector),
          challengerVersion: status.challengerVersion,
          split: status.split,
          logPredictions: status.logPredictions,
          predictionsServed: status.predictionsServed,
        },
      });
    } catch {
      // The model may be gone (deleted or renamed while served); the server's own row still tells the story.
    }
  }

  function writeLog(server: LiveServer, msg: Extract<FromServer, { type: 'log' }>): void {
    server.served = msg.served;
    server.unlogged += msg.dropped;
    const rows = msg.batches.flatMap((b) => encodeLogBatch(b, server.name, server.id));
    if (rows.length) store.serving.appendEncodedPredictions(rows, store.settings.getSettings().predictionLogCap);
    const now = Date.now();
    if (now - server.lastStatusWrite >= STATUS_EVERY_MS) {
      server.lastStatusWrite = now;
      store.serving.updateServer(server.id, {
        predictionsServed: server.served,
        ...(server.unlogged ? { error: `${server.unlogged} predictions were answered but not logged (the log fell behind).` } : {}),
      });
      changed();
    }
  }

  function onMessage(server: LiveServer, msg: FromServer): void {
    try {
      if (msg.type === 'log') writeLog(server, msg);
      else if (msg.type === 'swapped') {
        store.serving.updateServer(server.id, { version: msg.version, challengerVersion: msg.challengerVersion, error: null });
        changed();
      } else if (msg.type === 'swap-failed') {
        store.serving.updateServer(server.id, {
          error: `The new version could not be loaded; still serving the previous one: ${msg.message}`,
        });
        changed();
      }
    } catch (err) {
      // A store error must not take main down; the server keeps answering.
      process.stderr.write(`[serving] server ${server.id}: ${(err as Error).message}\n`);
    }
  }

  function onExit(server: LiveServer, reason: string): void {
    // Shut down already (app quit): its row was written then, and the store may be closed now.
    if (!live.delete(server.id)) return;
    const wasRunning = server.state === 'running';
    const unexpected = !server.stopRequested;
    const status = store.serving.updateServer(server.id, {
      state: wasRunning || !unexpected ? 'stopped' : 'failed',
      stoppedAt: Date.now(),
      pid: null,
      predictionsServed: server.served,
      ...(unexpected ? { error: `The server process ended unexpectedly (${reason}).` } : {}),
    });
    if (wasRunning) audit(status, 'serve-stop', unexpected ? `The server process ended unexpectedly (${reason}).` : 'Stopped.');
    changed();
  }

  function refresh(): void {
    refreshQueued = false;
    if (closed) return;
    for (const server of live.values()) {
      if (server.state !== 'running' || server.stopRequested) continue;
      let models: ServedModels;
      try {
        const primary = store.registry.resolveVersion(server.name, server.request.selector);
        const challenger = server.request.split
          ? store.registry.resolveVersion(server.name, { kind: 'alias', alias: server.request.split.alias })
          : null;
        if (primary.version === server.sent.version && (challenger?.version ?? null) === server.sent.challengerVersion) continue;
        models = resolveModels(server.request);
      } catch (err) {
        const ref = formatModelReference(server.name, server.request.selector);
        store.serving.updateServer(server.id, {
          error: `${ref} no longer names a version (${(err as Error).message}); still serving version ${server.sent.version}.`,
        });
        changed();
        continue;
      }
      server.sent = { version: models.primary.version, challengerVersion: models.challenger?.version ?? null };
      server.handle.postMessage({ type: 'swap', models });
    }
  }

  const unsubscribe = events.subscribe((name, payload) => {
    if (name !== 'changed') return;
    const topic = (payload as { topic: string }).topic;
    if (topic === 'settings') {
      // A lowered cap applies now, not at the next logged batch.
      setImmediate(() => closed || store.serving.prunePredictions(store.settings.getSettings().predictionLogCap));
      return;
    }
    if (topic !== 'registry' || refreshQueued || live.size === 0) return;
    refreshQueued = true;
    // After the registry's write and its other listeners: the model file reads stay out of the handler.
    setImmediate(refresh);
  });

  const manager = {
    /**
     * Starts a server for `req` and resolves once it listens; refuses a
     * non-loopback host (unless allowed in settings), a port one of ours
     * uses, a selector that names no version, and a port in use (the process
     * says so). A refused start leaves a 'failed' row explaining why.
     */
    async start(req: StartServer): Promise<ServerStatus> {
      if (!options.spawn) throw new AppError('internal', 'This runtime cannot start scoring servers.');
      const host = req.host.trim();
      if (!isLoopbackHost(host) && !store.settings.getSettings().allowNonLoopback)
        throw new AppError(
          'forbidden',
          `Refusing to listen on ${host}: only this machine (127.0.0.1) may call the server. To serve other machines, allow non-loopback addresses in Settings — anyone who can reach ${host} can then call the model.`,
        );
      for (const s of live.values()) {
        if (s.request.port === req.port)
          throw new AppError(
            'conflict',
            `Scoring server ${s.id} (${s.name}) already listens on port ${req.port}; stop it or choose another port.`,
          );
      }
      const models = resolveModels(req);
      const row = store.serving.insertServer({
        name: req.name,
        selector: req.selector,
        host,
        port: req.port,
        logPredictions: req.logPredictions,
        split: req.split ?? null,
        ownerPid,
        startedAt: Date.now(),
      });
      store.serving.updateServer(row.id, { version: models.primary.version, challengerVersion: models.challenger?.version ?? null });
      const handle = options.spawn();
      let exitedResolve!: () => void;
      const server: LiveServer = {
        id: row.id,
        name: req.name,
        request: { ...req, host },
        handle,
        state: 'starting',
        sent: { version: models.primary.version, challengerVersion: models.challenger?.version ?? null },
        served: 0,
        stopRequested: false,
        lastStatusWrite: 0,
        unlogged: 0,
        exited: new Promise<void>((r) => (exitedResolve = r)),
      };
      live.set(row.id, server);
      changed();

      const outcome = await new Promise<
        { ok: true; pid: number } | { ok: false; message: string; code: 'conflict' | 'bad_input' | 'internal' }
      >((resolve) => {
        const timer = setTimeout(() => {
          resolve({
            ok: false,
            code: 'internal',
            message: `The scoring server did not start listening within ${tun.startTimeoutMs / 1000} s.`,
          });
          handle.kill();
        }, tun.startTimeoutMs);
        handle.onMessage((msg) => {
          if (msg.type === 'ready' && server.state === 'starting') {
            handle.postMessage({
              type: 'start',
              config: {
                serverId: row.id,
                name: req.name,
                host,
                port: req.port,
                logPredictions: req.logPredictions,
                bodyTimeoutMs: tun.bodyTimeoutMs,
                logFlushMs: tun.logFlushMs,
                logBatchRows: tun.logBatchRows,
                models,
              },
            });
          } else if (msg.type === 'listening') {
            clearTimeout(timer);
            resolve({ ok: true, pid: msg.pid });
          } else if (msg.type === 'failed') {
            clearTimeout(timer);
            resolve({ ok: false, code: /in use/.test(msg.message) ? 'conflict' : 'bad_input', message: msg.message });
          } else onMessage(server, msg);
        });
        handle.onExit((reason) => {
          clearTimeout(timer);
          resolve({ ok: false, code: 'internal', message: `The scoring server process ended before it listened (${reason}).` });
          if (server.state === 'starting') {
            live.delete(row.id);
            exitedResolve();
          } else {
            onExit(server, reason);
            exitedResolve();
          }
        });
      });

      if (!outcome.ok) {
        const stoppedWhileStarting = server.stopRequested;
        server.stopRequested = true;
        handle.kill();
        live.delete(row.id);
        store.serving.updateServer(
          row.id,
          stoppedWhileStarting
            ? { state: 'stopped', stoppedAt: Date.now(), pid: null, error: 'Stopped before it started listening.' }
            : { state: 'failed', stoppedAt: Date.now(), pid: null, error: outcome.message },
        );
        changed();
        throw new AppError(outcome.code, outcome.message);
      }
      server.state = 'running';
      const status = store.serving.updateServer(row.id, { state: 'running', pid: outcome.pid });
      audit(status, 'serve-start', `Serving ${formatModelReference(req.name, req.selector)} at ${status.url}.`);
      changed();
      return status;
    },

    /** Stops a server: it finishes in-flight requests and sends its last log batch; killed if it takes too long. */
    async stop(id: number): Promise<ServerStatus> {
      const server = live.get(id);
      if (!server) {
        const status = store.serving.getServer(id);
        if ((status.state === 'running' || status.state === 'starting') && status.pid !== null)
          throw new AppError('conflict', `Scoring server ${id} was started by another process; stop it there (or close that process).`);
        return status;
      }
      server.stopRequested = true;
      server.handle.postMessage({ type: 'stop' });
      const timer = setTimeout(() => server.handle.kill(), tun.stopTimeoutMs);
      await server.exited;
      clearTimeout(timer);
      return store.serving.getServer(id);
    },

    /** Running servers first, then the recent stopped ones (served counts as of now). */
    list(filter: { name?: string } = {}): ServerStatus[] {
      return store.serving.listServers(filter).map((s) => {
        const l = live.get(s.id);
        return l ? { ...s, predictionsServed: l.served } : s;
      });
    },

    /** True when a running (or starting) server answers with this version, as primary or challenger. */
    isServing(name: string, version: number): boolean {
      for (const s of live.values()) {
        if (s.name !== name) continue;
        if (s.sent.version === version || s.sent.challengerVersion === version) return true;
        const row = store.serving.getServer(s.id);
        if (row.version === version || row.challengerVersion === version) return true;
      }
      return false;
    },

    logStats(): PredictionLogStats {
      return store.serving.logStats(store.settings.getSettings().predictionLogCap);
    },

    /** Ids of the servers this process runs. */
    liveIds(): number[] {
      return [...live.keys()];
    },

    /** App quit: every server process is ended now and its row marked stopped. */
    shutdown(): void {
      closed = true;
      unsubscribe();
      for (const server of [...live.values()]) {
        server.stopRequested = true;
        server.handle.kill();
        live.delete(server.id);
        const status = store.serving.updateServer(server.id, {
          state: 'stopped',
          stoppedAt: Date.now(),
          pid: null,
          predictionsServed: server.served,
        });
        if (server.state === 'running') audit(status, 'serve-stop', 'The app closed.');
      }
    },
  };
  return manager;
}
export type ServingManager = ReturnType<typeof createServingManager>;

function stripUndefined(o: ServingManagerOptions): Partial<typeof SERVING_DEFAULTS> {
  const out: Partial<Record<keyof typeof SERVING_DEFAULTS, number>> = {};
  for (const k of Object.keys(SERVING_DEFAULTS) as (keyof typeof SERVING_DEFAULTS)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
