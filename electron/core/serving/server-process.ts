/**
 * The body of a scoring-server process (entry: electron/workers/scoring-server.ts).
 * Main sends `start` with the model files' JSON; this process loads them, binds
 * host:port and answers HTTP on its own event loop, swaps versions when main
 * says so, and sends the prediction log to main in batches.
 */
import { SERVING_LIMITS } from '../../../shared/serving';
import { createScoringHttpServer, type ScoringHttpServer } from './http-server';
import { connectToParent, type ParentChannel } from './parent-channel';
import { createPredictionLogBuffer, type PredictionLogBuffer } from './prediction-log-buffer';
import type { FromServer, ServerConfig, ToServer } from './protocol';
import { loadServingSet, type ServingSet } from './served-model';

/** How often the served count reaches main when nothing is logged. */
const STATS_EVERY_MS = 1000;
/** In-flight requests get this long to finish on stop. */
const STOP_GRACE_MS = 2000;

/** The sentence a failed bind reports (main shows it as is). */
export function describeListenError(err: NodeJS.ErrnoException, host: string, port: number): string {
  if (err.code === 'EADDRINUSE') return `Port ${port} on ${host} is already in use by another program; choose another port.`;
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN')
    return `Cannot listen on ${host}: that address does not belong to this machine.`;
  if (err.code === 'EACCES') return `Not allowed to listen on ${host}:${port}.`;
  return `Cannot listen on ${host}:${port}: ${err.message}`;
}

/** Runs the server process over `parent` (the channel to whoever started it), or exits when nothing started it. */
export function runScoringServerProcess(parent: ParentChannel<FromServer, ToServer> | null = connectToParent()): void {
  if (!parent) {
    process.stderr.write('A scoring server must be started by the app (serving:start) or `mlwb serve`.\n');
    process.exit(2);
  }
  const channel = parent;
  const post = (m: FromServer) => channel.postMessage(m);
  let set: ServingSet | null = null;
  let http: ScoringHttpServer | null = null;
  let log: PredictionLogBuffer | null = null;
  let statsTimer: NodeJS.Timeout | null = null;
  let lastServed = 0;
  let stopping = false;

  /** Says why and exits once the message has left. */
  const fail = (message: string) => channel.postLast({ type: 'failed', message }, () => process.exit(1));

  function start(config: ServerConfig): void {
    try {
      set = loadServingSet(config.models);
    } catch (err) {
      fail(`The model file of ${config.name} cannot be served: ${(err as Error).message}`);
      return;
    }
    if (config.logPredictions) {
      log = createPredictionLogBuffer({
        flushMs: config.logFlushMs,
        batchRows: config.logBatchRows,
        send: (batches, dropped) => {
          lastServed = http?.served() ?? lastServed;
          post({ type: 'log', served: lastServed, batches, dropped });
        },
      });
    }
    http = createScoringHttpServer({
      name: config.name,
      current: () => set!,
      bodyTimeoutMs: config.bodyTimeoutMs,
      maxBodyBytes: SERVING_LIMITS.maxBodyBytes,
      log: log ? (answered) => log!.add(answered) : undefined,
    });
    const server = http.server;
    server.once('error', (err: NodeJS.ErrnoException) => {
      fail(describeListenError(err, config.host, config.port));
    });
    server.listen({ host: config.host, port: config.port }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      post({
        type: 'listening',
        host: config.host,
        port,
        pid: process.pid,
        version: set!.primary.version,
        challengerVersion: set!.challenger?.version ?? null,
      });
      statsTimer = setInterval(() => {
        const served = http!.served();
        if (served !== lastServed && (!log || log.pendingRows === 0)) {
          lastServed = served;
          post({ type: 'log', served, batches: [], dropped: 0 });
        }
      }, STATS_EVERY_MS);
      statsTimer.unref();
    });
  }

  function stop(): void {
    if (stopping) return;
    stopping = true;
    if (statsTimer) clearInterval(statsTimer);
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      log?.flush();
      post({ type: 'log', served: http?.served() ?? 0, batches: [], dropped: 0 });
      channel.postLast({ type: 'stopped' }, () => process.exit(0));
    };
    if (!http) return done();
    const server = http.server;
    server.close(() => done());
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      done();
    }, STOP_GRACE_MS).unref();
  }

  channel.onMessage((msg) => {
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'start' && !http) start(msg.config);
    else if (msg.type === 'swap') {
      try {
        // Loaded first, then one assignment: a request in flight keeps the set it read.
        const next = loadServingSet(msg.models);
        set = next;
        post({ type: 'swapped', version: next.primary.version, challengerVersion: next.challenger?.version ?? null });
      } catch (err) {
        post({ type: 'swap-failed', message: (err as Error).message });
      }
    } else if (msg.type === 'stop') stop();
  });
  // Main went away (fork): nobody to serve for or to log to.
  channel.onDisconnect(() => process.exit(0));
  // Ctrl-C in a terminal reaches the whole process group: `mlwb serve` decides when this server stops (and logs its last batch).
  process.on('SIGINT', () => undefined);
  post({ type: 'ready' });
}
