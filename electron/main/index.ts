import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, Notification, session } from 'electron';
import { createAppContext, type AppContext } from '../core/app-context';
import { contentSecurityPolicyFor } from '../core/content-security-policy';
import { workspaceFlag } from '../core/command-line';
import { createHandlers } from '../core/handlers';
import { resolveWorkspaceDir } from '../core/workspace';
import { electronNativeBindingPath, rendererUrlFor, resourcesDirFor, type AppLocation } from './app-paths';
import { decideRendererRecovery, describeChildProcessGone } from './crash-recovery';
import { EVENT_CHANNEL, registerIpcHandlers } from './ipc';
import { startMainLog, type MainLog } from './main-log';
import { printPdfWithElectron } from './pdf-printer';
import { electronSecretStore } from './secret-cipher';
import { hardenSession, hardenWebContents, isAppUrl, secureWebPreferences } from './security';
import { createUtilitySpawner } from './utility-spawner';
import type { FromServer, ToServer } from '../core/serving/protocol';

/**
 * The Electron main process: lifecycle, the window, IPC registration and the
 * supervisor's utility processes. Everything else is in electron/core.
 */
let ctx: AppContext | undefined;
let mainWindow: BrowserWindow | undefined;

/** Set by start(): electron-log writing to <workspace>/logs/main.log (and the console). */
let mainLog: MainLog = { info: console.log, warn: console.warn, error: console.error };
let logFile = '';
/** Times of the window's recent renderer losses, for the crash-loop guard. */
let rendererLosses: number[] = [];

/** The better-sqlite3 binary built for Electron's ABI by scripts/ensure-electron-native.mjs. */
function electronNativeBinding(): string | undefined {
  const file = electronNativeBindingPath(appLocation());
  return fs.existsSync(file) ? file : undefined;
}

function appLocation(): AppLocation {
  return { appPath: app.getAppPath(), isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, platform: process.platform };
}

function resourcesDir(): string {
  return resourcesDirFor(appLocation());
}

function rendererUrl(): string {
  return rendererUrlFor({
    mainDir: __dirname,
    isPackaged: app.isPackaged,
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
    platform: process.platform,
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'MLOps Workbench',
    webPreferences: secureWebPreferences(path.join(__dirname, '../preload/index.js')),
  });
  hardenWebContents(win.webContents, rendererUrl);
  recoverFromRendererLoss(win);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(rendererUrl());
  return win;
}

/**
 * A crashed or killed renderer would leave a blank window: reload the page,
 * or — when reloading cannot help or it keeps crashing (decideRendererRecovery)
 * — say so in a dialog that offers to try again or quit.
 */
function recoverFromRendererLoss(win: BrowserWindow): void {
  win.webContents.on('render-process-gone', (_event, details) => {
    const decision = decideRendererRecovery(details, rendererLosses, Date.now(), logFile);
    rendererLosses = decision.recentLosses;
    mainLog.error(`window renderer gone: reason ${details.reason}, exit code ${details.exitCode}; ${decision.action}`);
    if (win.isDestroyed()) return;
    if (decision.action === 'reload') {
      void win.loadURL(rendererUrl());
      return;
    }
    const box = {
      type: 'error' as const,
      title: 'MLOps Workbench',
      message: decision.message,
      detail: decision.detail,
      buttons: ['Try again', 'Quit'],
      defaultId: 0,
      cancelId: 1,
    };
    void (win.isVisible() ? dialog.showMessageBox(win, box) : dialog.showMessageBox(box)).then(({ response }) => {
      if (response === 0 && !win.isDestroyed()) {
        rendererLosses = [];
        void win.loadURL(rendererUrl());
      } else {
        app.quit();
      }
    });
  });
  win.on('unresponsive', () => mainLog.warn('window unresponsive (the page is busy or hung)'));
  win.on('responsive', () => mainLog.info('window responsive again'));
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const workspaceDir = resolveWorkspaceDir(workspaceFlag(process.argv), process.env, path.join(app.getPath('userData'), 'workspace'));
  ({ log: mainLog, file: logFile } = startMainLog(workspaceDir));
  mainLog.info(`MLOps Workbench ${app.getVersion()} starting; workspace ${workspaceDir}`);
  // Utility (job workers), GPU and other helper processes: logged here; the job supervisor fails a job whose worker exits.
  app.on('child-process-gone', (_event, details) => {
    const { level, line } = describeChildProcessGone(details);
    mainLog[level](line);
  });
  app.on('render-process-gone', (_event, contents, details) => {
    if (contents !== mainWindow?.webContents)
      mainLog.warn(`renderer gone (${contents.getURL() || 'no page'}): reason ${details.reason}, exit code ${details.exitCode}`);
  });
  await app.whenReady();
  // The dev server (npm run dev) needs the dev policy; the built app gets the strict one.
  hardenSession(session.defaultSession, contentSecurityPolicyFor(rendererUrl()));
  try {
    ctx = createAppContext({
      workspaceDir,
      resourcesDir: resourcesDir(),
      spawnWorker: createUtilitySpawner(path.join(__dirname, 'job-worker.js'), (line) => mainLog.info(line)),
      // Each scoring server is its own utility process: HTTP never runs on main's event loop.
      spawnScoringServer: createUtilitySpawner<ToServer, FromServer>(
        path.join(__dirname, 'scoring-server.js'),
        (line) => mainLog.info(line),
        'MLOps Workbench scoring server',
      ),
      nativeBinding: electronNativeBinding(),
      appVersion: app.getVersion(),
      shell: 'electron',
      printPdf: printPdfWithElectron,
      scheduler: true,
      secrets: electronSecretStore(app.getPath('userData')),
    });
  } catch (err) {
    mainLog.error(`cannot open the workspace: ${(err as Error).stack ?? err}`);
    dialog.showErrorBox('MLOps Workbench cannot open its workspace', (err as Error).message);
    app.exit(1);
    return;
  }
  const handlers = createHandlers(ctx);
  registerIpcHandlers(handlers, (contents, frameUrl) => contents === mainWindow?.webContents && isAppUrl(frameUrl, rendererUrl()));
  ctx.events.subscribe((name, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(EVENT_CHANNEL, name, payload);
    if (name === 'notification' && Notification.isSupported()) {
      const { title, body } = payload as { title: string; body: string };
      new Notification({ title, body }).show();
    }
  });
  mainWindow = createWindow();
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('before-quit', () => {
  ctx?.close();
  ctx = undefined;
});

void start();
