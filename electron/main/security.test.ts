import { describe, expect, it, vi } from 'vitest';

const openExternal = vi.fn(async () => {});
vi.mock('electron', () => ({ shell: { openExternal } }));

const {
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicyFor,
  hardenSession,
  hardenWebContents,
  isAppUrl,
  isSafeExternalUrl,
  secureWebPreferences,
} = await import('./security');
const { DEV_CONTENT_SECURITY_POLICY } = await import('../core/content-security-policy');

type Listener = (event: { preventDefault(): void }, ...args: unknown[]) => void;

/** A fake WebContents that records what hardenWebContents registers. */
function fakeContents() {
  const listeners: Record<string, Listener> = {};
  let windowOpen: (d: { url: string }) => { action: string } = () => ({ action: 'allow' });
  const contents = {
    setWindowOpenHandler: (h: typeof windowOpen) => (windowOpen = h),
    on: (event: string, h: Listener) => (listeners[event] = h),
  };
  /** Fires `event` like Electron does and says whether the handler prevented it. */
  const fire = (event: string, ...args: unknown[]) => {
    const e = { preventDefault: vi.fn() };
    listeners[event](e, ...args);
    return e.preventDefault.mock.calls.length > 0;
  };
  return { contents, fire, open: (url: string) => windowOpen({ url }) };
}

/** A fake Session that records the header and permission handlers hardenSession registers. */
function fakeSession() {
  let onHeaders:
    | ((
        details: { responseHeaders?: Record<string, string[]> },
        callback: (r: { responseHeaders: Record<string, string[]> }) => void,
      ) => void)
    | undefined;
  let onPermission: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  const session = {
    webRequest: { onHeadersReceived: (h: typeof onHeaders) => (onHeaders = h) },
    setPermissionRequestHandler: (h: typeof onPermission) => (onPermission = h),
  };
  return {
    session,
    respond(responseHeaders?: Record<string, string[]>) {
      let out: Record<string, string[]> | undefined;
      onHeaders!({ responseHeaders }, (r) => (out = r.responseHeaders));
      return out!;
    },
    ask(permission: string) {
      let granted: boolean | undefined;
      onPermission!({}, permission, (g) => (granted = g));
      return granted;
    },
  };
}

const APP = 'file:///app/out/renderer/index.html';

describe('security defaults', () => {
  it('isolates and sandboxes every window, with no Node in the renderer', () => {
    const prefs = secureWebPreferences('/app/preload.js');
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/preload.js',
    });
    expect(secureWebPreferences()).not.toHaveProperty('preload');
  });

  it('denies new windows and sends safe links to the system browser', () => {
    const { contents, open } = fakeContents();
    hardenWebContents(contents as never, () => APP);
    expect(open('https://example.org/docs')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://example.org/docs');
    openExternal.mockClear();
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
  });

  it.each(['will-navigate', 'will-redirect'])('%s: stays on the app page, everything else is blocked', (event) => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents as never, () => APP);
    openExternal.mockClear();
    expect(fire(event, 'https://evil.example/')).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://evil.example/');
    openExternal.mockClear();
    expect(fire(event, 'file:///etc/passwd')).toBe(true);
    expect(openExternal).not.toHaveBeenCalled();
    expect(fire(event, `${APP}#/data`)).toBe(false);
  });

  it('refuses to attach a webview', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents as never, () => APP);
    expect(fire('will-attach-webview', {}, { src: 'https://example.org/' })).toBe(true);
  });

  it('adds the CSP header to every response and keeps the other headers', () => {
    const fake = fakeSession();
    hardenSession(fake.session as never);
    const headers = fake.respond({ 'Content-Type': ['text/html'], 'Cache-Control': ['no-cache'] });
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers['Content-Type']).toEqual(['text/html']);
    expect(headers['Cache-Control']).toEqual(['no-cache']);
    // A response without headers, and one with its own (weaker) policy in another case: ours is the only one.
    expect(fake.respond(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    const replaced = fake.respond({ 'content-security-policy': ["script-src 'unsafe-inline'"] });
    expect(replaced).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('sends the dev policy only when the window loads the dev server', () => {
    expect(contentSecurityPolicyFor('http://localhost:5173')).toBe(DEV_CONTENT_SECURITY_POLICY);
    expect(contentSecurityPolicyFor(APP)).toBe(CONTENT_SECURITY_POLICY);
    const fake = fakeSession();
    hardenSession(fake.session as never, contentSecurityPolicyFor('http://localhost:5173'));
    expect(fake.respond({})['Content-Security-Policy']).toEqual([DEV_CONTENT_SECURITY_POLICY]);
  });

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal'])('refuses the %s permission', (permission) => {
    const fake = fakeSession();
    hardenSession(fake.session as never);
    expect(fake.ask(permission)).toBe(false);
  });

  it('classifies URLs', () => {
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeExternalUrl('mailto:a@b.c')).toBe(true);
    expect(isAppUrl('http://localhost:5173/#/x', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });
});
