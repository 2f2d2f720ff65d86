import { describe, expect, it, vi } from 'vitest';

const openExternal = vi.fn(async () => {});
vi.mock('electron', () => ({ shell: { openExternal } }));

const { CONTENT_SECURITY_POLICY, hardenWebContents, isAppUrl, isSafeExternalUrl, secureWebPreferences } = await import('./security');

describe('security defaults', () => {
  it('isolates and sandboxes every window, with no Node in the renderer', () => {
    const prefs = secureWebPreferences('/app/preload.js');
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, preload: '/app/preload.js' });
  });

  it('has a strict CSP: own scripts only, no eval, no objects', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d]));
    expect(directives['script-src']).toBe("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(directives['object-src']).toBe("object-src 'none'");
    expect(directives['default-src']).toBe("default-src 'self'");
  });

  it('denies new windows and sends safe links to the system browser', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    let windowOpen: (d: { url: string }) => { action: string } = () => ({ action: 'allow' });
    const contents = {
      setWindowOpenHandler: (h: typeof windowOpen) => (windowOpen = h),
      on: (event: string, h: (...args: never[]) => unknown) => (handlers[event] = h),
    };
    hardenWebContents(contents as never, () => 'file:///app/out/renderer/index.html');
    expect(windowOpen({ url: 'https://example.org/docs' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://example.org/docs');
    openExternal.mockClear();
    expect(windowOpen({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();

    const nav = (url: string) => {
      const event = { preventDefault: vi.fn() };
      (handlers['will-navigate'] as (e: typeof event, url: string) => void)(event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(nav('https://evil.example/')).toBe(true);
    expect(nav('file:///app/out/renderer/index.html#/data')).toBe(false);
    expect(nav('file:///etc/passwd')).toBe(true);
    expect(handlers['will-attach-webview']).toBeDefined();
  });

  it('classifies URLs', () => {
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeExternalUrl('mailto:a@b.c')).toBe(true);
    expect(isAppUrl('http://localhost:5173/#/x', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });
});
