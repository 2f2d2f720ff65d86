import { createHash } from 'node:crypto';

/**
 * The app page's Content-Security-Policy, in one place: the strict production
 * policy (the built index.html's meta tag, the Electron session header, the
 * browser host's header) and the policy `npm run dev` needs for Vite's dev
 * server. The meta tag is written from here by the renderer's Vite plugin
 * (electron.vite.config.ts), the header by electron/main/security.ts.
 */

type Directives = Readonly<Record<string, readonly string[]>>;

const PRODUCTION_DIRECTIVES: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // plotly and recharts set inline styles on SVG nodes.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** Directives a `<meta http-equiv>` policy may not carry (the browser ignores them there, with a warning). */
const HEADER_ONLY_DIRECTIVES = ['frame-ancestors', 'report-uri', 'sandbox'];

function serialize(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/** The CSP source expression (`'sha256-…'`) that allows one inline script with exactly this text. */
export function cspScriptHash(scriptText: string): string {
  return `'sha256-${createHash('sha256').update(scriptText, 'utf8').digest('base64')}'`;
}

/**
 * The hash of the inline module script @vitejs/plugin-react injects into the
 * dev server's index.html (its fast-refresh preamble, `preambleCode` with base
 * '/'). A test recomputes it from the installed plugin and loads the dev page
 * in Chromium, so an upgrade that changes the preamble fails there first; the
 * renderer's Vite plugin also refuses to serve a page with an inline script
 * this policy does not allow.
 */
export const REACT_REFRESH_PREAMBLE_HASH = "'sha256-Z2/iFzh9VMlVkEOar1f/oSHWwQk3ve1qk/C2WdsC4Xk='";

/** Production: own scripts only (no inline, no eval), no remote anything. */
export const CONTENT_SECURITY_POLICY = serialize(PRODUCTION_DIRECTIVES);

/**
 * `npm run dev` (Vite's dev server on localhost): the production policy plus
 * the refresh preamble's hash in script-src and Vite's HMR websocket on the
 * loopback interface in connect-src. Still no 'unsafe-inline', no eval and
 * nothing remote.
 */
export const DEV_CONTENT_SECURITY_POLICY = serialize({
  ...PRODUCTION_DIRECTIVES,
  'script-src': [...PRODUCTION_DIRECTIVES['script-src'], REACT_REFRESH_PREAMBLE_HASH],
  'connect-src': [...PRODUCTION_DIRECTIVES['connect-src'], 'ws://localhost:*', 'ws://127.0.0.1:*'],
});

/** The same policy without the directives a meta tag cannot carry (frame-ancestors…). */
export function metaContentSecurityPolicy(policy: string): string {
  return policy
    .split('; ')
    .filter((directive) => !HEADER_ONLY_DIRECTIVES.includes(directive.split(' ')[0]))
    .join('; ');
}

/**
 * True when the window loads the renderer from Vite's dev server (http on a
 * loopback host, `ELECTRON_RENDERER_URL` in `npm run dev`); the built app loads
 * a file:// URL.
 */
export function isDevServerUrl(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return (protocol === 'http:' || protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
  } catch {
    return false;
  }
}

/** The policy for a window that loads `rendererUrl`: the dev one for the dev server, else the strict one. */
export function contentSecurityPolicyFor(rendererUrl: string): string {
  return isDevServerUrl(rendererUrl) ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
}
