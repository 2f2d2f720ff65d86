import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, chromium, type Browser, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeEach, type TestContext } from 'vitest';
import type { JobRecord } from '../shared/jobs';
import { skipWithoutChromium } from '../tests/helpers/needs-chromium';
import { CHROMIUM_ARGS, findChromium, startHostProcess } from './host-process';

export { CHROMIUM_ARGS, findChromium, startHostProcess };

const ROOT = path.resolve(__dirname, '..');
/** The Electron binary, when it is installed (on a developer's machine; never in CI here). */
function electronBinary(): string | undefined {
  try {
    const p = require('electron') as unknown as string;
    return typeof p === 'string' && fs.existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

let nativeReady = false;
/** The Electron app needs better-sqlite3 built for its ABI (as `npm start` does). */
function ensureElectronNative(): void {
  if (nativeReady) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/ensure-electron-native.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('Could not build better-sqlite3 for Electron (see the output above).');
  nativeReady = true;
}

/**
 * Electron's command line for the e2e run: the app FOLDER first, as `npm start` (electron-vite
 * preview, i.e. `electron .`) passes it, so app.getAppPath() is the folder with package.json
 * (whose "main" is out/main/index.js) and main finds native/ and resources/ there. Passing the
 * file out/main/index.js would make out/main the app path.
 */
export function electronLaunchArgs(appRoot: string, workspaceDir: string): string[] {
  return [appRoot, '--workspace', workspaceDir];
}

export interface LaunchedApp {
  page: Page;
  workspaceDir: string;
  mode: 'electron' | 'browser';
  /** Where the host is (browser mode), for direct HTTP checks. */
  hostUrl?: string;
  hostToken?: string;
  close(): Promise<void>;
}

let sharedBrowser: Browser | undefined;

/**
 * Pass to `beforeEach` in every e2e file (e2eScope does): a test that would run
 * the app in Chromium skips without one on a developer's machine, with the
 * reason, and fails under CI. Runs in the Electron app need no Chromium.
 */
export function skipWithoutBrowser(ctx: TestContext): void {
  if (process.env.MLWB_E2E_BROWSER || !electronBinary()) skipWithoutChromium(ctx);
}

/**
 * Starts the real app on its own temporary workspace: the Electron app when its
 * binary is installed, else the browser host in Chromium. The built app (`npm
 * run build`) is what runs.
 */
export async function launchApp(
  options: { workspaceDir?: string; keepWorkspace?: boolean; env?: Record<string, string> } = {},
): Promise<LaunchedApp> {
  if (!fs.existsSync(path.join(ROOT, 'out/main/host.js'))) throw new Error('The app is not built: run `npm run build` first.');
  const workspaceDir = options.workspaceDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-e2e-'));
  const removeWorkspace = () => {
    if (!options.keepWorkspace && !options.workspaceDir) fs.rmSync(workspaceDir, { recursive: true, force: true });
  };
  const electronPath = process.env.MLWB_E2E_BROWSER ? undefined : electronBinary();
  if (electronPath) {
    ensureElectronNative();
    const app: ElectronApplication = await _electron.launch({
      executablePath: electronPath,
      args: electronLaunchArgs(ROOT, workspaceDir),
      env: { ...process.env, ...options.env } as Record<string, string>,
    });
    const page = await app.firstWindow();
    await page.waitForSelector('nav');
    return { page, workspaceDir, mode: 'electron', close: async () => (await app.close(), removeWorkspace()) };
  }
  const host = await startHostProcess(workspaceDir, options.env);
  sharedBrowser ??= await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const context = await sharedBrowser.newContext({ viewport: { width: 1280, height: 820 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(host.openUrl);
  await page.waitForSelector('nav');
  return {
    page,
    workspaceDir,
    mode: 'browser',
    hostUrl: host.openUrl.split('/?')[0],
    hostToken: new URL(host.openUrl).searchParams.get('token') ?? undefined,
    close: async () => {
      await context.close();
      await host.stop();
      removeWorkspace();
    },
  };
}

/** Closes the shared browser (call from afterAll). */
export async function closeBrowser(): Promise<void> {
  await sharedBrowser?.close();
  sharedBrowser = undefined;
}

/** Saves a screenshot under test-results/ for a human to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(ROOT, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * The set-up every e2e file shares (call once, at its top level): `launch()` starts the app and
 * `dir()` is the test's temporary folder (made on first use, `mlwb-e2e-<name>-…`). After each test
 * the app is closed and the folder removed; after the file the shared browser is closed.
 */
export function e2eScope(name: string): { launch(): Promise<LaunchedApp>; dir(): string } {
  let app: LaunchedApp | undefined;
  let dir: string | undefined;
  beforeEach(skipWithoutBrowser);
  afterEach(async () => {
    await app?.close();
    app = undefined;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  afterAll(closeBrowser);
  return {
    launch: async () => (app = await launchApp()),
    dir: () => (dir ??= fs.mkdtempSync(path.join(os.tmpdir(), `mlwb-e2e-${name}-`))),
  };
}

/** Clicks something that downloads a file and saves the file in `dir` under its suggested name. */
export async function download(page: Page, dir: string, click: () => Promise<void>): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = path.join(dir, dl.suggestedFilename());
  await dl.saveAs(file);
  return file;
}

/** Calls a channel of the browser host from the page, as the renderer does (token from the session). */
export async function invoke<T>(page: Page, channel: string, request: unknown): Promise<T> {
  const envelope = await page.evaluate(
    async ([ch, req]) => {
      const res = await fetch(`/api/invoke/${encodeURIComponent(ch as string)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-mlwb-token': sessionStorage.getItem('mlwb-token') ?? '' },
        body: JSON.stringify(req),
      });
      return res.json();
    },
    [channel, request] as const,
  );
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.message}`);
  return envelope.value as T;
}

/** Polls a job through the host until it has ended. */
export async function waitForJob(page: Page, id: number): Promise<JobRecord> {
  for (;;) {
    const job = await invoke<JobRecord>(page, 'jobs:get', { id });
    if (!['queued', 'running'].includes(job.status)) return job;
    await page.waitForTimeout(200);
  }
}
