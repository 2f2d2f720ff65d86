import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { ImportResult } from '../../shared/contracts/datasets';
import type { JobRecord } from '../../shared/jobs';
import { createAppContext, type AppContext, type AppContextOptions } from '../../electron/core/app-context';
import { createHandlers, type HandlerMap } from '../../electron/core/handlers';
import { dispatchRequest } from '../../electron/core/handlers/dispatch';
import { createForkSpawner } from '../../electron/core/jobs/fork-spawner';
import { csvOptionsFromSniff } from '../../electron/core/datasets/sniff-csv';
import type { FromServer, ToServer } from '../../electron/core/serving/protocol';
import type { SniffResult } from '../../shared/datasets';

const ROOT = path.resolve(__dirname, '../..');

/** Spawns workers from the test worker entry (the app's tasks plus `noop`) through tsx, so tests need no build. */
export const testSpawner = () =>
  createForkSpawner({ entry: path.join(ROOT, 'tests/helpers/test-worker.ts'), execArgv: ['--import', 'tsx'], log: () => {} });

/** Spawns scoring servers from the .ts entry through tsx (as the workers), so serving tests need no build. */
export const testServingSpawner = () =>
  createForkSpawner<ToServer, FromServer>({
    entry: path.join(ROOT, 'electron/workers/scoring-server.ts'),
    execArgv: ['--import', 'tsx'],
    log: () => {},
  });

/** A fresh temporary folder, removed by the returned cleanup. */
export function makeTempDir(prefix = 'mlwb-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestApp {
  ctx: AppContext;
  handlers: HandlerMap;
  workspaceDir: string;
  /** Closes the app and deletes its temporary workspace. */
  cleanup(): void;
}

/**
 * An app context on its own temporary workspace, with real worker processes
 * (and real scoring-server processes when a test starts a server).
 * Resources default to the repo's `resources/`.
 */
export function createTestApp(overrides: Partial<AppContextOptions> = {}): TestApp {
  const workspaceDir = overrides.workspaceDir ?? makeTempDir();
  const ctx = createAppContext({
    workspaceDir,
    resourcesDir: path.join(ROOT, 'resources'),
    spawnWorker: testSpawner(),
    spawnScoringServer: testServingSpawner(),
    poolSize: 2,
    appVersion: '0.0.0-test',
    shell: 'cli',
    ...overrides,
  });
  return {
    ctx,
    handlers: createHandlers(ctx),
    workspaceDir,
    cleanup() {
      ctx.close();
      fs.rmSync(workspaceDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitUntil<T>(check: () => T | undefined | null | false, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The bundled sample data set (5000 rows of churn data with a header). */
export const SAMPLE_CSV = path.join(ROOT, 'resources/sample/churn.csv');

/** Writes the sample's header and its first `rows` rows to `file`; returns `file`. */
export function writeSampleHead(file: string, rows: number): string {
  fs.writeFileSync(
    file,
    fs
      .readFileSync(SAMPLE_CSV, 'utf8')
      .split('\n')
      .slice(0, rows + 1)
      .join('\n') + '\n',
  );
  return file;
}

/** Imports the bundled sample through the `datasets:importSample` channel (as the app does); returns the version id. */
export async function importSample(app: TestApp): Promise<number> {
  const started = await dispatchRequest(app.handlers, 'datasets:importSample', {});
  if (!started.ok) throw Object.assign(new Error(started.error.message), started.error);
  const job = await app.ctx.jobs.waitFor((started.value as JobRecord).id);
  expect(job.status, job.error ?? '').toBe('succeeded');
  return (job.result as ImportResult).versionId;
}

/**
 * Imports CSV text as dataset `name@v1` the way the app does (sniff, then
 * import with the sniffed options); returns the version id. The source file
 * is written inside the test's workspace folder, so cleanup removes it.
 */
export async function importCsvText(app: TestApp, name: string, content: string): Promise<number> {
  const dir = path.join(app.workspaceDir, 'test-inputs');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.csv`);
  fs.writeFileSync(file, content);
  const sniffed = await dispatchRequest(app.handlers, 'datasets:sniff', { path: file });
  if (!sniffed.ok) throw Object.assign(new Error(sniffed.error.message), sniffed.error);
  const options = csvOptionsFromSniff(sniffed.value as SniffResult);
  const started = await dispatchRequest(app.handlers, 'datasets:import', { path: file, name, tag: 'v1', options });
  if (!started.ok) throw Object.assign(new Error(started.error.message), started.error);
  const job = await app.ctx.jobs.waitFor((started.value as JobRecord).id);
  expect(job.status, job.error ?? '').toBe('succeeded');
  return (job.result as ImportResult).versionId;
}
