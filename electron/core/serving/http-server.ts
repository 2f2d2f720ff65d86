/**
 * The scoring server's HTTP side (node:http, in the server process): routes,
 * body limits, parsing, prediction and the answer. It reads the versions to
 * answer with from `current()` once per request, so a swap between two
 * requests never splits one, and hands each answered row to `log`.
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

type Route = { method: 'GET' | 'POST'; handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void };

/** Creates (does not start) the scoring server. */
export function createScoringHttpServer(options: ScoringHttpOptions): ScoringHttpServer {
  const maxBody = options.maxBodyBytes ?? SERVING_LIMITS.maxBodyBytes;
  let served = 0;

  function answerRows(model: ServedModel, records: InputRecord[], started: number) {
    const predictions = model.predict(records);
    const latencyMs = performance.now() - started;
    const ids = records.map(() => randomUUID());
    served += records.length;
    options.log?.({ model, records, predictions, ids, at: Date.now(), latencyMs });
    return { predictions, ids };
  }

  const routes: Record<string, Route> = {
    '/predict': {
      method: 'POST',
      async handle(req, res) {
        const started = performance.now();
        const body = await readJsonBody(req, maxBody, options.bodyTimeoutMs);
        const model = pickVersion(options.current(), options.random);
        const parsed = parsePredictBody(body, model.inputs);
        const { predictions, ids } = answerRows(model, parsed.records, started);
        const probs = model.model.task === 'regression' ? null : predictions.map((p) => p.probabilities ?? null);
        sendJson(
          res,
          200,
          parsed.many
            ? { prediction: predictions.map((p) => p.prediction), probabilities: probs, model_version: model.version, prediction_id: ids }
            : {
                prediction: predictions[0].prediction,
                probabilities: probs ? probs[0] : null,
                model_version: model.version,
                prediction_id: ids[0],
              },
        );
      },
    },
    '/invocations': {
      method: 'POST',
      async handle(req, res) {
        const started = performance.now();
        const body = await readJsonBody(req, maxBody, options.bodyTimeoutMs);
        const model = pickVersion(options.current(), options.random);
        const records = parseInvocationsBody(body, model.inputs);
        const { predictions } = answerRows(model, records, started);
        sendJson(res, 200, { predictions: predictions.map((p) => p.prediction) });
      },
    },
    '/health': {
      method: 'GET',
      handle(_req, res) {
        const set = options.current();
        sendJson(res, 200, {
          status: 'ok',
          model: options.name,
          version: set.primary.version,
          challenger_version: set.challenger?.version ?? null,
          predictions_served: served,
        });
      },
    },
    '/ping': { method: 'GET', handle: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    '/version': {
      method: 'GET',
      handle(_req, res) {
        const set = options.current();
        sendJson(res, 200, { server: 'mlops-workbench', engine: ENGINE_VERSION, model: options.name, model_version: set.primary.version });
      },
    },
  };

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
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
    const allowed = route.method === 'GET' ? ['GET', 'HEAD'] : ['POST'];
    if (!allowed.includes(req.method ?? '')) {
      res.setHeader('allow', allowed.join(', '));
      sendError(res, new ServingRequestError(405, `${path} takes ${route.method}, not ${req.method}.`, 'METHOD_NOT_ALLOWED'));
      return;
    }
    Promise.resolve()
      .then(() => route.handle(req, res))
      .catch((err: unknown) => {
        if (err instanceof ServingRequestError) sendError(res, err);
        else
          sendError(
            res,
            new ServingRequestError(500, `The model could not answer: ${(err as Error)?.message ?? String(err)}`, 'INTERNAL_ERROR'),
          );
      });
  });
  // Node's own limits stay above ours, so our 408 answers first; headers must come quickly.
  server.headersTimeout = Math.max(options.bodyTimeoutMs, 10_000);
  server.requestTimeout = options.bodyTimeoutMs + 5_000;
  server.maxHeadersCount = 100;
  return { server, served: () => served };
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
  if (err.status === 408 || (err as BodyError).closeConnection) res.setHeader('connection', 'close');
  sendJson(res, err.status, { error_code: err.errorCode, message: err.message });
  if (err.status === 408) res.once('finish', () => res.req.socket.destroy());
}

class BodyError extends ServingRequestError {
  closeConnection = false;
}

/**
 * Reads the whole body as JSON: refuses a declared or streamed size over the
 * limit (413), a body slower than `timeoutMs` (408), and text that is not JSON (400).
 * After a 413 a moderately large body is drained, so the client reads the answer
 * instead of a reset connection; a huge one closes the connection.
 */
function readJsonBody(req: http.IncomingMessage, maxBytes: number, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const tooLarge = () =>
      new BodyError(413, `The body is larger than ${maxBytes} bytes; send fewer rows per request.`, 'REQUEST_TOO_LARGE');
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      const e = tooLarge();
      if (declared > maxBytes * DRAIN_FACTOR) e.closeConnection = true;
      drain(req, maxBytes * DRAIN_FACTOR);
      reject(e);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err: Error | null, value?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.removeListener('data', onData);
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => {
      finish(new BodyError(408, `The body did not arrive within ${timeoutMs} ms.`, 'REQUEST_TIMEOUT'));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        const e = tooLarge();
        finish(e);
        drain(req, maxBytes * DRAIN_FACTOR);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (settled) return;
      const text = Buffer.concat(chunks, size).toString('utf8');
      if (!text.trim()) {
        finish(new ServingRequestError(400, 'The body is empty; send JSON such as {"features": [...]}.'));
        return;
      }
      try {
        finish(null, JSON.parse(text));
      } catch (err) {
        const message = err instanceof RangeError ? 'it is nested too deeply' : (err as Error).message;
        finish(new ServingRequestError(400, `The body is not valid JSON: ${message}.`));
      }
    });
    req.once('error', (err) => finish(err));
    // 'close' also follows a complete request: only an unfinished one is an error (and only then is one built).
    req.once('close', () => {
      if (!settled) finish(new Error('The client closed the connection.'));
    });
  });
}

/** Discards the rest of a refused body; past `limit` bytes the connection is closed. */
function drain(req: http.IncomingMessage, limit: number): void {
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) req.socket.destroy();
  });
  req.resume();
}
