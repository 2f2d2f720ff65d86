/**
 * The scoring server's HTTP side (node:http, in the server process): routes,
 * body limits, parsing, prediction and the answer. It reads the versions to
 * answer with from `current()` once per request, so a swap between two
 * requests never splits one, and hands each answered request to `log`.
 *
 * The request path is plain callbacks, and slow bodies are found by one
 * sweep timer rather than a timer per request: at a few thousand requests a
 * second on two cores, every per-request allocation shows in the figures.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { SERVING_LIMITS } from '../../../shared/serving';
import { ENGINE_VERSION } from '../training/model';
import type { AnsweredRequest } from './prediction-log-buffer';
import { parseInvocationsBody, parsePredictBody, ServingRequestError, type InputRecord } from './request-parsing';
import { pickVersion, type ServedModel, type ServingSet } from './served-model';

export interface ScoringHttpOptions {
  /** The registered model's name (for /health and /version). */
  name: string;
  /** Versions answering now; read once per request. */
  current(): ServingSet;
  /** A body not received whole after this long is answered 408 and its connection closed. */
  bodyTimeoutMs: number;
  maxBodyBytes?: number;
  /** Called with every answered request when prediction logging is on; must not block. */
  log?: (answered: AnsweredRequest) => void;
  random?: () => number;
}

export interface ScoringHttpServer {
  server: http.Server;
  /** Rows predicted since start. */
  served(): number;
}

/** Bodies larger than this many times the limit are not drained after a 413: the connection is closed instead. */
const DRAIN_FACTOR = 8;

/** A GET answers at once; a POST answers its parsed JSON body (throwing ServingRequestError to refuse). */
type Route = { method: 'GET'; answer: () => unknown } | { method: 'POST'; answer: (body: unknown, started: number) => unknown };

/** Creates (does not start) the scoring server. */
export function createScoringHttpServer(options: ScoringHttpOptions): ScoringHttpServer {
  const maxBody = options.maxBodyBytes ?? SERVING_LIMITS.maxBodyBytes;
  const bodies = createBodyReader(maxBody, options.bodyTimeoutMs);
  let served = 0;

  function answerRows(model: ServedModel, records: InputRecord[], started: number) {
    const predictions = model.predict(records);
    const latencyMs = performance.now() - started;
    const ids = records.length === 1 ? [randomUUID()] : records.map(() => randomUUID());
    served += records.length;
    options.log?.({ model, records, predictions, ids, at: Date.now(), latencyMs });
    return { predictions, ids };
  }

  const routes: Record<string, Route> = {
    '/predict': {
      method: 'POST',
      answer(body, started) {
        const model = pickVersion(options.current(), options.random);
        const parsed = parsePredictBody(body, model.inputs);
        const { predictions, ids } = answerRows(model, parsed.records, started);
        const classification = model.model.task !== 'regression';
        if (!parsed.many)
          return {
            prediction: predictions[0].prediction,
            probabilities: classification ? (predictions[0].probabilities ?? null) : null,
            model_version: model.version,
            prediction_id: ids[0],
          };
        return {
          prediction: predictions.map((p) => p.prediction),
          probabilities: classification ? predictions.map((p) => p.probabilities ?? null) : null,
          model_version: model.version,
          prediction_id: ids,
        };
      },
    },
    '/invocations': {
      method: 'POST',
      answer(body, started) {
        const model = pickVersion(options.current(), options.random);
        const records = parseInvocationsBody(body, model.inputs);
        const { predictions } = answerRows(model, records, started);
        return { predictions: predictions.map((p) => p.prediction) };
      },
    },
    '/health': {
      method: 'GET',
      answer() {
        const set = options.current();
        return {
          status: 'ok',
          model: options.name,
          version: set.primary.version,
          challenger_version: set.challenger?.version ?? null,
          predictions_served: served,
        };
      },
    },
    '/ping': { method: 'GET', answer: () => ({ status: 'ok' }) },
    '/version': {
      method: 'GET',
      answer: () => ({
        server: 'mlops-workbench',
        engine: ENGINE_VERSION,
        model: options.name,
        model_version: options.current().primary.version,
      }),
    },
  };

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!route) {
      sendError(
        res,
        new ServingRequestError(
          404,
          `No endpoint ${clipPath(path)}. Try POST /predict, POST /invocations, GET /health, GET /ping or GET /version.`,
        ),
      );
      return;
    }
    if (route.method === 'GET') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuseMethod(res, path, route.method, req.method, 'GET, HEAD');
      return respond(res, route.answer);
    }
    if (req.method !== 'POST') return refuseMethod(res, path, route.method, req.method, 'POST');
    const started = performance.now();
    bodies.read(req, (err, body) => {
      if (err) sendError(res, err);
      else respond(res, () => route.answer(body, started));
    });
  });
  // Node's own limits stay above ours, so our 408 answers first; headers must come quickly.
  server.headersTimeout = Math.max(options.bodyTimeoutMs, 10_000);
  server.requestTimeout = options.bodyTimeoutMs + 5_000;
  server.maxHeadersCount = 100;
  server.once('close', () => bodies.close());
  return { server, served: () => served };
}

/** Runs a route's answer and sends it, or the refusal it threw. */
function respond(res: http.ServerResponse, answer: () => unknown): void {
  let value: unknown;
  try {
    value = answer();
  } catch (err) {
    sendError(
      res,
      err instanceof ServingRequestError
        ? err
        : new ServingRequestError(500, `The model could not answer: ${(err as Error)?.message ?? String(err)}`, 'INTERNAL_ERROR'),
    );
    return;
  }
  sendJson(res, 200, value);
}

function refuseMethod(res: http.ServerResponse, path: string, method: string, got: string | undefined, allow: string): void {
  res.setHeader('allow', allow);
  sendError(res, new ServingRequestError(405, `${path} takes ${method}, not ${got}.`, 'METHOD_NOT_ALLOWED'));
}

function clipPath(p: string): string {
  return p.length > 80 ? `${p.slice(0, 80)}…` : p;
}

/** Writes a JSON answer with its length (keep-alive friendly). */
function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** MLflow's error shape: {"error_code", "message"}. */
function sendError(res: http.ServerResponse, err: ServingRequestError): void {
  const close = err.status === 408 || (err instanceof BodyError && err.closeConnection);
  if (close && !res.headersSent) res.setHeader('connection', 'close');
  sendJson(res, err.status, { error_code: err.errorCode, message: err.message });
  if (err.status === 408) res.once('finish', () => res.req.socket.destroy());
}

class BodyError extends ServingRequestError {
  closeConnection = false;
}

interface PendingBody {
  req: http.IncomingMessage;
  deadline: number;
  done: (err: ServingRequestError | null, body?: unknown) => void;
}

/**
 * Reads whole bodies as JSON: refuses a declared or streamed size over the
 * limit (413), a body slower than `timeoutMs` (408, found by a sweep over the
 * bodies still arriving) and text that is not JSON (400). After a 413 a
 * moderately large body is drained, so the client reads the answer instead of
 * a reset connection; a huge one closes the connection.
 */
function createBodyReader(maxBytes: number, timeoutMs: number) {
  const pending = new Set<PendingBody>();
  const timedOut = (p: PendingBody) => {
    if (pending.has(p)) p.done(new BodyError(408, `The body did not arrive within ${timeoutMs} ms.`, 'REQUEST_TIMEOUT'));
  };
  const sweep = setInterval(
    () => {
      const now = Date.now();
      // Judged after this turn's I/O (setImmediate runs after the poll phase): a process the OS
      // paused wakes with its timers first, and a body that arrived meanwhile must not count as late.
      for (const p of pending) if (p.deadline <= now) setImmediate(timedOut, p);
    },
    Math.max(10, Math.min(250, timeoutMs / 4)),
  );
  sweep.unref();
  const tooLarge = () => new BodyError(413, `The body is larger than ${maxBytes} bytes; send fewer rows per request.`, 'REQUEST_TOO_LARGE');

  return {
    read(req: http.IncomingMessage, callback: (err: ServingRequestError | null, body?: unknown) => void): void {
      const declared = Number(req.headers['content-length']);
      if (declared > maxBytes) {
        const e = tooLarge();
        e.closeConnection = declared > maxBytes * DRAIN_FACTOR;
        if (e.closeConnection) {
          drain(req, maxBytes * DRAIN_FACTOR);
          callback(e);
        } else drain(req, maxBytes * DRAIN_FACTOR, () => callback(e));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const entry: PendingBody = {
        req,
        deadline: Date.now() + timeoutMs,
        done(err, body) {
          if (!pending.delete(entry)) return;
          req.removeListener('data', onData);
          callback(err, body);
        },
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          // Answered once the rest is drained (or the connection closed past the drain limit).
          if (!pending.delete(entry)) return;
          req.removeListener('data', onData);
          drain(req, maxBytes * DRAIN_FACTOR, () => callback(tooLarge()));
          return;
        }
        chunks.push(chunk);
      };
      pending.add(entry);
      req.on('data', onData);
      req.once('end', () => {
        if (!pending.has(entry)) return;
        const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (err) {
          const message = !text.trim()
            ? 'The body is empty; send JSON such as {"features": [...]}.'
            : `The body is not valid JSON: ${err instanceof RangeError ? 'it is nested too deeply' : (err as Error).message}.`;
          entry.done(new ServingRequestError(400, message));
          return;
        }
        entry.done(null, body);
      });
      // A client that resets mid-body: nothing to answer; forget the body (the sweep would, later).
      req.once('error', () => {
        if (pending.delete(entry)) req.removeListener('data', onData);
      });
    },
    close(): void {
      clearInterval(sweep);
      pending.clear();
    },
  };
}

/**
 * Discards the rest of a refused body; past `limit` bytes the connection is
 * closed. `drained` runs once the body has ended: answering only then means a
 * client that asked for `Connection: close` is not cut off while it still
 * writes (it would see EPIPE instead of the 413).
 */
function drain(req: http.IncomingMessage, limit: number, drained?: () => void): void {
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) req.socket.destroy();
  });
  if (drained) req.once('end', drained);
  req.resume();
}
