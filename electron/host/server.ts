import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError, type Envelope } from '../../shared/errors';
import { MAX_REQUEST_BYTES } from '../../shared/ipc';
import type { AppContext } from '../core/app-context';
import { dispatchRequest } from '../core/handlers/dispatch';
import type { HandlerMap } from '../core/handlers';
import { CONTENT_SECURITY_POLICY } from '../core/content-security-policy';

export interface HostOptions {
  ctx: AppContext;
  handlers: HandlerMap;
  /** Built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  /** Fixed token for tests; random per start otherwise. */
  token?: string;
}

export interface HostServer {
  url: string;
  /** URL with the token, as printed for the user to open. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The browser host: the built renderer and the same handler map as Electron's
 * IPC, over HTTP + server-sent events, on 127.0.0.1 only. API calls need the
 * per-start token (header `x-mlwb-token`, or `?token=` for EventSource), come
 * from a loopback address, and must name our own host (no DNS rebinding).
 */
export async function startHostServer(options: HostOptions): Promise<HostServer> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-uploads-'));
  const sseClients = new Set<http.ServerResponse>();
  let port = 0;

  const tokenOk = (given: string | null | undefined) => {
    if (!given) return false;
    const buf = Buffer.from(given);
    return buf.length === tokenBuf.length && crypto.timingSafeEqual(buf, tokenBuf);
  };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err) => sendJson(res, 500, { ok: false, error: { code: 'internal', message: (err as Error).message } }));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!isLoopback(req.socket.remoteAddress)) return refuse(res, 403, 'Only loopback clients are served.');
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return refuse(res, 403, `Unexpected Host header "${host}".`);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);

    if (url.pathname.startsWith('/api/')) {
      const origin = req.headers.origin;
      if (origin && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) return refuse(res, 403, 'Cross-origin requests are refused.');
      const given = (req.headers['x-mlwb-token'] as string | undefined) ?? url.searchParams.get('token');
      if (!tokenOk(given)) return refuse(res, 401, 'Missing or wrong token: open the URL the host printed.');
      if (url.pathname === '/api/events' && req.method === 'GET') return openEventStream(res);
      if (url.pathname.startsWith('/api/invoke/') && req.method === 'POST') {
        const channel = decodeURIComponent(url.pathname.slice('/api/invoke/'.length));
        const body = await readBody(req, MAX_REQUEST_BYTES);
        if (body === null) return sendJson(res, 413, envelopeError('invalid_payload', `Request body over ${MAX_REQUEST_BYTES} bytes.`));
        let payload: unknown;
        try {
          payload = body.length ? JSON.parse(body.toString('utf8')) : {};
        } catch {
          return sendJson(res, 400, envelopeError('invalid_payload', 'The request body is not valid JSON.'));
        }
        const result = await dispatchRequest(options.handlers, channel, payload);
        return sendJson(res, result.ok ? 200 : statusFor(result.error.code), result);
      }
      if (url.pathname === '/api/upload' && req.method === 'POST') {
        // The browser cannot hand us a path, so a picked file is streamed to a temp file first.
        const name = path.basename(url.searchParams.get('name') || 'upload').replace(/[^\w.\- ]/g, '_') || 'upload';
        const dir = fs.mkdtempSync(path.join(uploadDir, 'u-'));
        const file = path.join(dir, name);
        await pipeline(req, fs.createWriteStream(file));
        return sendJson(res, 200, { ok: true, value: { path: file } });
      }
      return sendJson(res, 404, envelopeError('unknown_channel', `No API route ${req.method} ${url.pathname}.`));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
    return serveStatic(url.pathname, res);
  }

  function openEventStream(res: http.ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    sseClients.add(res);
    res.on('close', () => sseClients.delete(res));
  }

  const unsubscribe = options.ctx.events.subscribe((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const client of sseClients) client.write(frame);
  });
  const keepAlive = setInterval(() => sseClients.forEach((c) => c.write(': ping\n\n')), 15_000);
  keepAlive.unref();

  function serveStatic(pathname: string, res: http.ServerResponse): void {
    const root = path.resolve(options.rendererDir);
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return refuse(res, 404, 'Not found.');
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': 'no-cache',
    });
    fs.createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openUrl: `${url}/?token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        clearInterval(keepAlive);
        for (const c of sseClients) c.end();
        server.close(() => resolve());
        server.closeAllConnections();
        fs.rmSync(uploadDir, { recursive: true, force: true });
      }),
  };
}

/** True for loopback peers only (IPv4 127/8, IPv6 ::1, IPv4-mapped). */
export function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

function envelopeError(code: 'invalid_payload' | 'unknown_channel', message: string): Envelope<never> {
  return { ok: false, error: new AppError(code, message).toData() };
}

function statusFor(code: string): number {
  switch (code) {
    case 'invalid_payload':
    case 'bad_input':
      return 400;
    case 'forbidden':
      return 403;
    case 'not_found':
    case 'unknown_channel':
      return 404;
    case 'conflict':
      return 409;
    default:
      return 500;
  }
}

function refuse(res: http.ServerResponse, status: number, message: string): void {
  sendJson(res, status, { ok: false, error: { code: status === 401 || status === 403 ? 'forbidden' : 'not_found', message } });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
