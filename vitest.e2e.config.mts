import { defineConfig } from 'vitest/config';

// End-to-end tests: the built app in Chromium (or Electron when installed), one file at a time.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
