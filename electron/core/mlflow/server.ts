/**
 * The MLflow REST API 2.0 over HTTP (node:http; no Electron): the tracking
 * routes (tracking-api.ts) and the registry routes (registry-api.ts) under
 * /api/2.0/mlflow/ (and the UI's /ajax-api/2.0/mlflow/ alias), the artifacts
 * proxy under /api/2.0/mlflow-artifacts/artifacts, all on the workspace's one
 * store. Every answer is JSON; every refusal MLflow's {"error_code", "message"}
 * with MLflow's HTTP status, unknown endpoints included (404 ENDPOINT_NOT_FOUND).
 *
 * Guards: a JSON body over MLFLOW_LIMITS.maxBodyBytes is refused (413) without
 * being kept; an optional bearer token (401 without it); a loopback server
 * answers only requests addressed to a loopback name (Host header: no DNS
 * rebinding) and refuses browser requests from other origins (403), so a web
 * page cannot write to it.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MLFLOW_LIMITS, MLFLOW_QUERY_LIST_FIELDS } from '../../../shared/mlflow';
import { downloadArtifact, listProxyArtifacts, listRunArtifacts, parseArtifactPath, uploadArtifact } from './artifacts';
import { TRACKING_ROUTES, type MlflowDeps, type MlflowRoute } from './tracking-api';
import { MlflowApiError, toMlflowError, zodToMlflowError } from './wire';
import { mlflowRequests } from '../../../shared/mlflow';
import type { Actor } from '../registry/actor';
import type { RegistryEnv } from '../registry/registry-service';
import { REGISTRY_ROUTES } from './registry-api';

export interface MlflowServerOptions extends MlflowDeps {
  /** Required `Authorization: Bearer <token>` when set. */
  token?: string;
  maxBodyBytes?: number;
  /** A JSON body not received whole within this long is answered 408. */
  bodyTimeoutMs?: number;
  /** The registry's environment: the model registry endpoints are served when given. */
  registry?: RegistryEnv;
  /** Who the registry's audit log names for API calls. */
  actor?: () => Actor;
}

export interface MlflowHttpServer {
  server: http.Server;
  /** Starts listening; resolves with the bound address. */
  listen(port: number, host: string): Promise<{ host: string; port: number }>;
  close(): Promise<void>;
}

const API_PREFIXES = ['/api/2.0/mlflow/', '/ajax-api/2.0/mlflow/'];
const ARTIFACT_PREFIXES = ['/api/2.0/mlflow-artifacts/artifacts', '/ajax-api/2.0/mlflow-artifacts/artifacts'];
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const ARTIFACTS_LIST: MlflowRoute = {
  methods: ['GET', 'POST'],
  schema: mlflowRequests.listArtifacts,
  handle: (r, { store }) => {
    const q = r as { run_id: string; path?: string };
    return listRunArtifacts(store, q.run_id, q.path);
  },
};

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: http.ServerResponse, err: MlflowApiError, close = false): void {
  if (close && !res.headersSent) res.setHeader('connection', 'close');
  sendJson(res, err.status, err.toJSON());
}

/** A query string as a request object: repeated keys (and MLflow's list fields) become lists. */
export function queryToObject(search: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(search.keys())) {
    const all = search.getAll(key);
    out[key] = all.length > 1 || MLFLOW_QUERY_LIST_FIELDS.has(key) ? all : all[0];
  }
  return out;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1].trim());
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function hostName(hostHeader: string | undefined): string {
  const h = (hostHeader ?? '').toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/** Creates (does not start) the MLflow API server over the given store. */
export function createMlflowHttpServer(options: MlflowServerOptions): MlflowHttpServer {
  const maxBody = options.maxBodyBytes ?? MLFLOW_LIMITS.maxBodyBytes;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 60_000;
  const actor = options.actor ?? (() => ({ actor: 'unknown', via: 'mlflow-api' }));
  const routes: Record<string, MlflowRoute> = {
    ...TRACKING_ROUTES,
    'artifacts/list': ARTIFACTS_LIST,
    ...REGISTRY_ROUTES(options.registry ?? null, actor),
  };
  const deps: MlflowDeps = { store: options.store, changed: options.changed };
  let loopbackOnly = true;
  let boundPort = 0;

  function readJson(req: http.IncomingMessage, done: (err: MlflowApiError | null, body?: unknown) => void): void {
    const declared = Number(req.headers['content-length']);
    const tooLarge = () =>
      new MlflowApiError('REQUEST_LIMIT_EXCEEDED', `The request body is larger than ${maxBody} bytes (the MLflow endpoint's limit).`);
    let finished = false;
    const finish = (err: MlflowApiError | null, body?: unknown) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      done(err, body);
    };
    const timer = setTimeout(() => {
      finish(new MlflowApiError('BAD_REQUEST', `The body did not arrive within ${bodyTimeoutMs} ms.`, 408));
      req.socket.destroy();
    }, bodyTimeoutMs);
    timer.unref();
    const discard = () => {
      // Drain a moderate excess so the client reads the answer; a huge one closes the connection.
      let seen = 0;
      req.removeAllListeners('data');
      req.on('data', (c: Buffer) => {
        seen += c.length;
        if (seen > maxBody) req.socket.destroy();
      });
      req.resume();
    };
    if (declared > maxBody) {
      finish(tooLarge());
      discard();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (finished) return;
      size += chunk.length;
      if (size > maxBody) {
        finish(tooLarge());
        discard();
        return;
      }
      chunks.push(chunk);
    });
    req.once('error', () => finish(new MlflowApiError('BAD_REQUEST', 'The request was interrupted.')));
    req.once('end', () => {
      if (finished) return;
      const text = Buffer.concat(chunks, size).toString('utf8');
      if (!text.trim()) return finish(null, {});
      try {
        const body: unknown = JSON.parse(text);
        if (body === null || typeof body !== 'object' || Array.isArray(body))
          return finish(new MlflowApiError('BAD_REQUEST', 'The request body must be a JSON object.'));
        finish(null, body);
      } catch (err) {
        finish(
          new MlflowApiError(
            'BAD_REQUEST',
            `Malformed JSON in the request body: ${err instanceof RangeError ? 'it is nested too deeply' : (err as Error).message}`,
          ),
        );
      }
    });
  }

  function answer(res: http.ServerResponse, route: MlflowRoute, input: unknown): void {
    try {
      const parsed = route.schema.safeParse(input);
      if (!parsed.success) throw zodToMlflowError(parsed.error, input);
      const value = route.handle(parsed.data, deps);
      if (value instanceof Promise)
        value.then(
          (v) => sendJson(res, 200, v),
          (err) => sendError(res, toMlflowError(err)),
        );
      else sendJson(res, 200, value);
    } catch (err) {
      sendError(res, toMlflowError(err));
    }
  }

  function handleApi(req: http.IncomingMessage, res: http.ServerResponse, endpoint: string, url: URL): void {
    const method = req.method ?? 'GET';
    const allowedMethod = method === 'HEAD' ? 'GET' : method;
    // A path served by several methods with different messages (registered-models/alias) keys each as "METHOD path".
    const keyed = `${allowedMethod} ${endpoint}`;
    const route = Object.hasOwn(routes, keyed)
      ? routes[keyed]
      : Object.hasOwn(routes, endpoint)
        ? routes[endpoint]
        : Object.keys(routes).some((k) => k.endsWith(` ${endpoint}`))
          ? {
              methods: Object.keys(routes)
                .filter((k) => k.endsWith(` ${endpoint}`))
                .map((k) => k.split(' ')[0]),
              schema: null as never,
              handle: () => ({}),
            }
          : undefined;
    if (!route)
      return sendError(
        res,
        new MlflowApiError('ENDPOINT_NOT_FOUND', `No API endpoint found for '${url.pathname.slice(0, 200)}' with method ${method}.`),
      );
    if (!route.methods.includes(allowedMethod)) {
      res.setHeader('allow', route.methods.join(', '));
      return sendError(
        res,
        new MlflowApiError(
          'ENDPOINT_NOT_FOUND',
          `The endpoint '${url.pathname.slice(0, 200)}' takes ${route.methods.join(' or ')}, not ${method}.`,
          405,
        ),
      );
    }
    if (method === 'GET' || method === 'HEAD') return answer(res, route, queryToObject(url.searchParams));
    readJson(req, (err, body) =>
      err ? sendError(res, err, err.status === 413) : answer(res, route, { ...queryToObject(url.searchParams), ...(body as object) }),
    );
  }

  function handleArtifacts(req: http.IncomingMessage, res: http.ServerResponse, rest: string, url: URL): void {
    const method = req.method ?? 'GET';
    if (rest === '' || rest === '/') {
      if (method !== 'GET')
        return sendError(res, new MlflowApiError('ENDPOINT_NOT_FOUND', `List artifacts takes GET, not ${method}.`, 405));
      const parsed = mlflowRequests.listProxyArtifacts.safeParse(queryToObject(url.searchParams));
      if (!parsed.success) return sendError(res, zodToMlflowError(parsed.error, queryToObject(url.searchParams)));
      try {
        return sendJson(res, 200, listProxyArtifacts(options.store, parsed.data.path));
      } catch (err) {
        return sendError(res, toMlflowError(err));
      }
    }
    let decoded: string;
    try {
      decoded = rest
        .slice(1)
        .split('/')
        .map((s) => decodeURIComponent(s))
        .join('/');
    } catch {
      return sendError(res, new MlflowApiError('INVALID_PARAMETER_VALUE', 'Invalid path: it is not valid URL encoding.'));
    }
    try {
      const target = parseArtifactPath(decoded)!;
      if (method === 'GET' || method === 'HEAD') return downloadArtifact(options.store, target, res);
      if (method === 'PUT')
        return uploadArtifact(deps, target, req, (err) => {
          if (err) sendError(res, err, true);
          else sendJson(res, 200, {});
        });
      sendError(res, new MlflowApiError('ENDPOINT_NOT_FOUND', `Artifacts take GET (download) or PUT (upload), not ${method}.`, 405));
    } catch (err) {
      // Refused before the body was read: answer, and close rather than read an upload we will not keep.
      sendError(res, toMlflowError(err), method === 'PUT');
    }
  }

  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://mlflow.local');
    } catch {
      return sendError(res, new MlflowApiError('BAD_REQUEST', 'The request URL is not valid.'));
    }
    if (loopbackOnly && !LOOPBACK_NAMES.has(hostName(req.headers.host)))
      return sendError(
        res,
        new MlflowApiError('PERMISSION_DENIED', 'This MLflow endpoint answers only requests to 127.0.0.1 or localhost.'),
      );
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let ok = false;
      try {
        const o = new URL(origin);
        ok = LOOPBACK_NAMES.has(o.hostname.toLowerCase()) && Number(o.port || 80) === boundPort;
      } catch {
        ok = false;
      }
      if (!ok)
        return sendError(res, new MlflowApiError('PERMISSION_DENIED', `Requests from the web origin ${origin.slice(0, 100)} are refused.`));
    }
    if (options.token && !tokenMatches(req.headers.authorization, options.token)) {
      res.setHeader('www-authenticate', 'Bearer');
      return sendError(res, new MlflowApiError('UNAUTHENTICATED', 'This MLflow endpoint needs a bearer token (MLFLOW_TRACKING_TOKEN).'));
    }
    const p = url.pathname;
    if (p === '/health') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('OK');
    }
    if (p === '/version') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('2.0');
    }
    for (const prefix of API_PREFIXES) if (p.startsWith(prefix)) return handleApi(req, res, p.slice(prefix.length), url);
    for (const prefix of ARTIFACT_PREFIXES)
      if (p === prefix || p.startsWith(`${prefix}/`)) return handleArtifacts(req, res, p.slice(prefix.length), url);
    sendError(res, new MlflowApiError('ENDPOINT_NOT_FOUND', `No API endpoint found for '${p.slice(0, 200)}' with method ${req.method}.`));
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 0;
  server.maxHeadersCount = 100;
  server.keepAliveTimeout = 5_000;

  return {
    server,
    listen(port, host) {
      loopbackOnly = LOOPBACK_NAMES.has(host) || host.startsWith('127.');
      return new Promise((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          const addr = server.address() as AddressInfo;
          boundPort = addr.port;
          resolve({ host, port: addr.port });
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
