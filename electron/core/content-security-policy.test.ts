import react from '@vitejs/plugin-react';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicyFor,
  cspScriptHash,
  DEV_CONTENT_SECURITY_POLICY,
  isDevServerUrl,
  metaContentSecurityPolicy,
  REACT_REFRESH_PREAMBLE_HASH,
} from './content-security-policy';

/** directive name → its sources */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
}

/** A source that reaches nothing off this machine: keywords, local schemes, hashes, loopback websockets. */
function isLocalSource(source: string): boolean {
  return (
    /^'(self|none|unsafe-inline|sha256-[A-Za-z0-9+/=]+)'$/.test(source) ||
    ['data:', 'blob:'].includes(source) ||
    /^ws:\/\/(localhost|127\.0\.0\.1):\*$/.test(source)
  );
}

describe('content security policy', () => {
  it('production: own scripts only, no inline script, no eval, no objects, no remote anything', () => {
    const d = directives(CONTENT_SECURITY_POLICY);
    expect(d['script-src']).toEqual(["'self'"]);
    expect(d['default-src']).toEqual(["'self'"]);
    expect(d['object-src']).toEqual(["'none'"]);
    expect(d['connect-src']).toEqual(["'self'"]);
    expect(d['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(Object.values(d).flat().every(isLocalSource)).toBe(true);
  });

  it("dev: allows plugin-react's refresh preamble and the HMR websocket, and nothing remote", () => {
    // The preamble exactly as @vitejs/plugin-react injects it on the dev server (base '/').
    const preamble = react.preambleCode.replace('__BASE__', '/');
    expect(cspScriptHash(preamble)).toBe(REACT_REFRESH_PREAMBLE_HASH);
    const d = directives(DEV_CONTENT_SECURITY_POLICY);
    expect(d['script-src']).toEqual(["'self'", REACT_REFRESH_PREAMBLE_HASH]);
    expect(d['connect-src']).toContain('ws://localhost:*');
    expect(DEV_CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(d['script-src']).not.toContain("'unsafe-inline'");
    expect(Object.values(d).flat().every(isLocalSource)).toBe(true);
    // Everything else is the production policy.
    const prod = directives(CONTENT_SECURITY_POLICY);
    for (const name of Object.keys(prod).filter((n) => n !== 'script-src' && n !== 'connect-src')) expect(d[name]).toEqual(prod[name]);
  });

  it('hashes a script the way CSP does (SHA-256 of its UTF-8 text, base64)', () => {
    // From the CSP Level 3 spec's example: sha256 of "alert('Hello, world.');"
    expect(cspScriptHash("alert('Hello, world.');")).toBe("'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='");
  });

  it('meta tag version: drops what a meta policy cannot carry, keeps the rest', () => {
    const meta = metaContentSecurityPolicy(CONTENT_SECURITY_POLICY);
    expect(meta).not.toContain('frame-ancestors');
    expect(directives(meta)).toEqual(
      Object.fromEntries(Object.entries(directives(CONTENT_SECURITY_POLICY)).filter(([n]) => n !== 'frame-ancestors')),
    );
  });

  it('picks the dev policy only for the local dev server', () => {
    expect(isDevServerUrl('http://localhost:5173')).toBe(true);
    expect(isDevServerUrl('http://127.0.0.1:5173/')).toBe(true);
    expect(isDevServerUrl('file:///C:/Program%20Files/MLOps%20Workbench/resources/app.asar/out/renderer/index.html')).toBe(false);
    expect(isDevServerUrl('https://example.org/')).toBe(false);
    expect(isDevServerUrl('not a url')).toBe(false);
    expect(contentSecurityPolicyFor('file:///home/a%20b/out/renderer/index.html')).toBe(CONTENT_SECURITY_POLICY);
    expect(contentSecurityPolicyFor('http://localhost:5173')).toBe(DEV_CONTENT_SECURITY_POLICY);
  });
});
