import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { chromium } from 'playwright-core';
import { createServer, type InlineConfig, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY, metaContentSecurityPolicy } from '../electron/core/content-security-policy';
import { skipWithoutChromium } from '../tests/helpers/needs-chromium';
import { CHROMIUM_ARGS, findChromium } from './fixtures';

const ROOT = path.resolve(__dirname, '..');

/** A free TCP port on localhost (Vite's HMR client needs the real port, not 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, 'localhost', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** The CSP meta tags of an HTML document, decoded, and its inline scripts. */
function read(html: string): { policies: string[]; inlineScripts: string[] } {
  const doc = new JSDOM(html).window.document;
  return {
    policies: [...doc.querySelectorAll('meta[http-equiv="Content-Security-Policy"]')].map((m) => m.getAttribute('content') ?? ''),
    inlineScripts: [...doc.querySelectorAll('script:not([src])')].map((s) => s.textContent ?? ''),
  };
}

describe('the built page', () => {
  it('carries exactly the strict policy and no inline script', () => {
    const file = path.join(ROOT, 'out/renderer/index.html');
    if (!fs.existsSync(file)) throw new Error('The renderer is not built: run `npm run build` (or `npx electron-vite build`) first.');
    const { policies, inlineScripts } = read(fs.readFileSync(file, 'utf8'));
    expect(policies).toEqual([metaContentSecurityPolicy(CONTENT_SECURITY_POLICY)]);
    expect(inlineScripts).toEqual([]);
  });
});

describe('npm run dev: the renderer from Vite’s dev server under the dev policy', () => {
  let server: ViteDevServer;
  beforeEach(skipWithoutChromium);
  beforeAll(async () => {
    // The renderer part of electron.vite.config.ts, served as `electron-vite dev` serves it.
    const config = (await import('../electron.vite.config')).default as { renderer: InlineConfig };
    // The header too, as Electron's session adds it (hardenSession): both policies then apply.
    const headers = { 'Content-Security-Policy': DEV_CONTENT_SECURITY_POLICY };
    server = await createServer({
      ...config.renderer,
      configFile: false,
      logLevel: 'silent',
      server: { host: 'localhost', port: await freePort(), strictPort: true, headers },
    });
    await server.listen();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('writes the dev policy and allows every inline script the page has', async () => {
    const url = server.resolvedUrls!.local[0];
    const { policies, inlineScripts } = read(await (await fetch(url)).text());
    expect(policies).toEqual([metaContentSecurityPolicy(DEV_CONTENT_SECURITY_POLICY)]);
    expect(inlineScripts.length).toBeGreaterThan(0); // plugin-react's refresh preamble
  });

  it('runs the refresh preamble and connects the HMR websocket with no CSP violation', async () => {
    const url = server.resolvedUrls!.local[0];
    const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const console: string[] = [];
      page.on('console', (m) => console.push(m.text()));
      await page.addInitScript(() => {
        (window as unknown as { cspViolations: string[] }).cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          (window as unknown as { cspViolations: string[] }).cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
      });
      await page.goto(url);
      await page.waitForFunction(() => typeof (window as unknown as { $RefreshSig$?: unknown }).$RefreshSig$ === 'function');
      await expect.poll(() => console.some((line) => line.includes('[vite] connected')), { timeout: 30_000 }).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
      expect(console.filter((line) => /Content Security Policy/i.test(line))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
