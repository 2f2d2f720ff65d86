import fs from 'node:fs';
import path from 'node:path';
import { createAppContext, type AppContext } from '../core/app-context';
import { createForkSpawner } from '../core/jobs/fork-spawner';
import type { FromServer, ToServer } from '../core/serving/protocol';
import type { PdfPrinter } from '../core/reports/print-pdf';
import { createChromiumPrinter, findChromiumExecutable } from '../core/reports/chromium-printer';
import { resolveWorkspaceDir } from '../core/workspace';

/**
 * The folder holding package.json: found by walking up, since bundling may
 * place this code in out/main or out/main/chunks.
 */
export function findAppRoot(start = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${start}`);
  }
}

/**
 * Builds the app context for the runtimes without Electron (CLI and browser
 * host), which run the built out/main/job-worker.js as their worker and
 * out/main/scoring-server.js for each scoring server.
 */
export function createNodeAppContext(options: {
  /** The `--workspace` value, if given (else MLWB_WORKSPACE, else ~/.mlops-workbench). */
  workspace?: string;
  shell: 'browser' | 'cli';
  printPdf?: PdfPrinter;
  poolSize?: number;
  /** Runs the pipeline scheduler in this process (the browser host). */
  scheduler?: boolean;
}): AppContext {
  const root = findAppRoot();
  // Without Electron, reports print through a local Chromium, launched on first print.
  const chromium = options.printPdf || !findChromiumExecutable() ? undefined : createChromiumPrinter();
  const ctx = createAppContext({
    workspaceDir: resolveWorkspaceDir(options.workspace, process.env),
    resourcesDir: path.join(root, 'resources'),
    spawnWorker: createForkSpawner({ entry: path.join(root, 'out', 'main', 'job-worker.js') }),
    spawnScoringServer: createForkSpawner<ToServer, FromServer>({
      entry: path.join(root, 'out', 'main', 'scoring-server.js'),
      label: 'scoring server',
    }),
    appVersion: readAppVersion(root),
    shell: options.shell,
    printPdf: options.printPdf ?? chromium?.printPdf,
    poolSize: options.poolSize,
    scheduler: options.scheduler,
  });
  if (chromium) {
    const closeApp = ctx.close;
    ctx.close = () => {
      closeApp();
      void chromium.close();
    };
  }
  return ctx;
}

function readAppVersion(root: string): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}
