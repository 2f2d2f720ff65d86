import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import {
  CONTENT_SECURITY_POLICY,
  cspScriptHash,
  DEV_CONTENT_SECURITY_POLICY,
  metaContentSecurityPolicy,
} from './electron/core/content-security-policy';

/**
 * Writes the page's CSP meta tag from electron/core/content-security-policy.ts:
 * the strict policy into the built index.html, the dev policy (refresh
 * preamble hash, HMR websocket) when Vite serves it. In dev it also refuses a
 * page with an inline script the dev policy does not allow, so a plugin
 * upgrade that changes its preamble fails loudly instead of a blank window.
 */
function contentSecurityPolicy(): Plugin {
  let serving = false;
  return {
    name: 'mlwb-content-security-policy',
    configResolved(config) {
      serving = config.command === 'serve';
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const policy = serving ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
        if (serving) {
          for (const [, text] of html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
            if (!policy.includes(cspScriptHash(text))) {
              throw new Error(
                `An inline dev script is not allowed by DEV_CONTENT_SECURITY_POLICY (${cspScriptHash(text)}); update REACT_REFRESH_PREAMBLE_HASH in electron/core/content-security-policy.ts.`,
              );
            }
          }
        }
        return [
          {
            tag: 'meta',
            attrs: { 'http-equiv': 'Content-Security-Policy', content: metaContentSecurityPolicy(policy) },
            injectTo: 'head-prepend',
          },
        ];
      },
    },
  };
}

/**
 * main: the Electron main process plus the runtimes that share its code —
 * the utility-process worker, the CLI and the browser host (all plain Node
 * except index.ts). preload: bundled whole, as a sandboxed preload must be.
 * renderer: React, minified; heavy chart libraries split into lazy chunks.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          'job-worker': resolve(__dirname, 'electron/workers/job-worker.ts'),
          // One process per running scoring server (electron/core/serving/serving-manager.ts).
          'scoring-server': resolve(__dirname, 'electron/workers/scoring-server.ts'),
          // The boosting helper thread, found next to the job worker (gradient-split.ts: splitHelperEntry).
          'split-helper': resolve(__dirname, 'electron/workers/split-helper.ts'),
          cli: resolve(__dirname, 'electron/cli/index.ts'),
          host: resolve(__dirname, 'electron/host/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        external: ['electron'],
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react(), contentSecurityPolicy()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'renderer/index.html') },
      },
    },
  },
});
