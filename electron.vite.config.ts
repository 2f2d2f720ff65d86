import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

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
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'renderer/index.html') },
      },
    },
  },
});
