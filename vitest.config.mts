import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Core tests run under plain Node; renderer component tests opt into jsdom with
// a `// @vitest-environment jsdom` first line.
export default defineConfig({
  plugins: [react()],
  test: {
    include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
