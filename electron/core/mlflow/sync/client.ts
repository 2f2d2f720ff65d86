/**
 * A plain MLflow REST 2.0 client for team server sync: the tracking and
 * registry endpoints under /api/2.0/mlflow/ and the artifacts proxy under
 * /api/2.0/mlflow-artifacts/artifacts/ (a server run with --serve-artifacts),
 * as a real MLflow server serves them — nothing workbench-only. The token goes
 * as MLflow's clients send MLFLOW_TRACKING_TOKEN (`Authorization: Bearer …`).
 * `fetch` is injectable so tests can break the network mid-way.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { AppError } from '../../../../shared/errors';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * A refusal or failure of the remote. `fatal`: the server cannot be talked to
 * at all (unreachable, token refused), so the sync stops rather than failing
 * every remaining item the same way.
 */
export class RemoteError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly errorCode: string | null,
    readonly fatal: boolean,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

const JSON_TIMEOUT_MS = 60_000;

export interface MlflowClientOptions {
  uri: string;
  token?: string | null;
  fetch?: FetchLike;
  signal?: AbortSignal;
}

function networkMessage(uri: string, err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code;
  let host = uri;
  try {
    host = new URL(uri).host;
  } catch {
    // keep the URI
  }
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Could not reach ${uri}: the host "${host}" was not found (check the URI).`;
    case 'ECONNREFUSED':
      return `Could not reach ${uri}: the connection was refused (is the MLflow server running at ${host}?).`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `The connection to ${uri} was cut (${code}).`;
    default:
      if (cause?.message === 'bad port')
        return `Could not reach ${uri}: the port of ${host} is one that HTTP clients refuse to use (a reserved port).`;
      return `Could not reach ${uri}: ${cause?.message ?? (err as Error)?.message ?? String(err)}.`;
  }
}

export function createMlflowClient(options: MlflowClientOptions) {
  const base = options.uri.replace(/\/+$/, '');
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const auth: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const cancelled = () => options.signal?.aborted === true;

  async function send(url: string, init: RequestInit, timeoutMs: number | null): Promise<Response> {
    if (cancelled()) throw new AppError('job_cancelled', 'Cancelled.');
    const signals = [options.signal, timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined].filter((s): s is AbortSignal => !!s);
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal: signals.length ? AbortSignal.any(signals) : undefined });
    } catch (err) {
      if (cancelled()) throw new AppError('job_cancelled', 'Cancelled.');
      if ((err as Error)?.name === 'TimeoutError')
        throw new RemoteError(`${base} did not answer within ${timeoutMs! / 1000} s.`, null, null, true);
      throw new RemoteError(networkMessage(base, err), null, null, true);
    }
    if (res.status === 401)
      throw new RemoteError(
        `${base} refused the token (401 UNAUTHENTICATED): ${options.token ? 'the token is wrong or expired' : 'it needs a token'}; set the remote's token.`,
        401,
        'UNAUTHENTICATED',
        true,
      );
    return res;
  }

  async function errorOf(res: Response, what: string): Promise<RemoteError> {
    const text = await res.text().catch(() => '');
    let code: string | null = null;
    let message = text.slice(0, 300);
    try {
      const body = JSON.parse(text) as { error_code?: string; message?: string };
      code = body.error_code ?? null;
      message = body.message ?? message;
    } catch {
      // not JSON: the text as is
    }
    return new RemoteError(
      `${what}: HTTP ${res.status}${code ? ` ${code}` : ''}${message ? ` — ${message}` : ''}`,
      res.status,
      code,
      res.status === 403 && code !== 'PERMISSION_DENIED',
    );
  }

  /** A JSON endpoint under /api/2.0/mlflow/ (GET with a query string, or POST/PATCH/DELETE with a JSON body). */
  async function call<T = any>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    endpoint: string,
    body: Record<string, unknown> = {},
  ): Promise<T> {
    let url = `${base}/api/2.0/mlflow/${endpoint}`;
    const init: RequestInit = { method, headers: { ...auth } };
    if (method === 'GET') {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(body)) {
        if (v === undefined) continue;
        for (const item of Array.isArray(v) ? v : [v]) q.append(k, String(item));
      }
      const qs = q.toString();
      if (qs) url += `?${qs}`;
    } else {
      init.headers = { ...auth, 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const res = await send(url, init, JSON_TIMEOUT_MS);
    if (!res.ok) throw await errorOf(res, `${method} ${endpoint}`);
    const text = await res.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new RemoteError(
        `${base} answered ${endpoint} with something that is not MLflow's JSON (${res.headers.get('content-type') ?? 'no content type'}): is this the tracking URI?`,
        res.status,
        null,
        true,
      );
    }
  }

  const proxyUrl = (proxyPath: string) =>
    `${base}/api/2.0/mlflow-artifacts/artifacts/${proxyPath
      .split('/')
      .filter(Boolean)
      .map((s) => encodeURIComponent(s))
      .join('/')}`;

  return {
    uri: base,
    call,
    /** The first call of a sync: is this an MLflow tracking server, and does it take the token? */
    async preflight(): Promise<void> {
      try {
        await call('GET', 'experiments/search', { max_results: 1 });
      } catch (err) {
        if (err instanceof RemoteError && err.status === 404)
          throw new RemoteError(`${base} is not an MLflow tracking server (no /api/2.0/mlflow/experiments/search).`, 404, null, true);
        throw err;
      }
    },
    /** PUT a file to the artifacts proxy, streamed. */
    async putArtifact(proxyPath: string, file: string, size: number): Promise<void> {
      const body = Readable.toWeb(fs.createReadStream(file)) as unknown as BodyInit;
      const res = await send(
        proxyUrl(proxyPath),
        {
          method: 'PUT',
          headers: { ...auth, 'content-type': 'application/octet-stream', 'content-length': String(size) },
          body,
          duplex: 'half',
        } as RequestInit,
        null,
      );
      if (!res.ok) throw await errorOf(res, `upload of ${proxyPath}`);
      await res.arrayBuffer();
    },
    /** GET a file from the artifacts proxy: the response, its body still to read. */
    async getArtifact(proxyPath: string): Promise<Response> {
      const res = await send(proxyUrl(proxyPath), { method: 'GET', headers: { ...auth } }, null);
      if (!res.ok) throw await errorOf(res, `download of ${proxyPath}`);
      return res;
    },
  };
}
export type MlflowClient = ReturnType<typeof createMlflowClient>;

/**
 * Where a remote run's artifacts go: the proxy path of a `mlflow-artifacts:`
 * URI (`mlflow-artifacts:/1/<run>/artifacts`, or with a host
 * `mlflow-artifacts://h:p/1/<run>/artifacts`), or null for a store the
 * workbench cannot write through the server (s3://, file:…).
 */
export function proxyPathOf(artifactUri: string): string | null {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.*)$/.exec(artifactUri);
  return m ? m[1].replace(/\/+$/, '') : null;
}

export const noProxyMessage = (artifactUri: string) =>
  `The server keeps this run's artifacts at ${artifactUri.slice(0, 200)}, which it does not proxy: the server must run with --serve-artifacts (artifact URIs mlflow-artifacts:/…).`;
