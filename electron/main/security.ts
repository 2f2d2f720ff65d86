import { shell, type Session, type WebContents, type WebPreferences } from 'electron';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicyFor } from '../core/content-security-policy';

/**
 * All of the app's Electron security settings, in one place (with a test).
 * The renderer is untrusted: it only reaches main through the typed preload API.
 */

export { CONTENT_SECURITY_POLICY, contentSecurityPolicyFor };

/** webPreferences for every window we open. */
export function secureWebPreferences(preload?: string): WebPreferences {
  return {
    ...(preload ? { preload } : {}),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** Only http(s) and mailto links leave the app, and only through the system browser. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' || protocol === 'mailto:';
  } catch {
    return false;
  }
}

/** True if `url` is the app's own page (same origin as the loaded renderer). */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(appUrl);
    if (a.protocol === 'file:' && b.protocol === 'file:') return a.pathname === b.pathname;
    return a.origin === b.origin;
  } catch {
    return false;
  }
}

/** Denies new windows (opening safe links externally) and any navigation away from the app. */
export function hardenWebContents(contents: WebContents, appUrl: () => string): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const block = (event: { preventDefault(): void }, url: string) => {
    if (isAppUrl(url, appUrl())) return;
    event.preventDefault();
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
  };
  contents.on('will-navigate', block);
  contents.on('will-redirect', block);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Sends the CSP header on every response and refuses permission requests
 * (camera, geolocation, notifications…). `policy` is the strict production one
 * unless main loads Vite's dev server (contentSecurityPolicyFor(rendererUrl)):
 * a header and a meta tag both apply, so the header must allow what dev needs.
 */
export function hardenSession(session: Session, policy: string = CONTENT_SECURITY_POLICY): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    // Drop any CSP header the response already has (its name may be in any case): ours replaces it.
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [policy] } });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}
