import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, session } from 'electron';
import { createAppContext, type AppContext } from '../core/app-context';
import { createHandlers } from '../core/handlers';
import { resolveWorkspaceDir } from '../core/workspace';
import { electronNativeBindingPath, rendererUrlFor, resourcesDirFor, type AppLocation } from './app-paths';
import { EVENT_CHANNEL, registerIpcHandlers } from './ipc';
import { printPdfWithElectron } from './pdf-printer';
import { hardenSession, hardenWebContents, isAppUrl, secureWebPreferences } from './security';
import { createUtilitySpawner } from './utility-spawner';

/**
 * The Electron main process: lifecycle, the window, IPC registration and the
 * supervisor's utility processes. Everything else is in electron/core.
 */
let ctx: AppContext | undefined;
let mainWindow: BrowserWindow | undefined;

const log = (line: string) => process.stdout.write(`${line}\n`);

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
  return rendererUrlFor({ mainDir: __dirname, isPackaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL, platform: process.platform });
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
  win.once('ready-to-show', () => win.show());
  void win.loadURL(rendererUrl());
  return win;
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  hardenSession(session.defaultSession);
  const workspaceDir = resolveWorkspaceDir(process.argv, process.env, path.join(app.getPath('userData'), 'workspace'));
  try {
    ctx = createAppContext({
      workspaceDir,
      resourcesDir: resourcesDir(),
      spawnWorker: createUtilitySpawner(path.join(__dirname, 'job-worker.js'), log),
      nativeBinding: electronNativeBinding(),
      appVersion: app.getVersion(),
      shell: 'electron',
      printPdf: printPdfWithElectron,
    });
  } catch (err) {
    dialog.showErrorBox('MLOps Workbench cannot open its workspace', (err as Error).message);
    app.exit(1);
    return;
  }
  const handlers = createHandlers(ctx);
  registerIpcHandlers(handlers, (contents, frameUrl) => contents === mainWindow?.webContents && isAppUrl(frameUrl, rendererUrl()));
  ctx.events.subscribe((name, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(EVENT_CHANNEL, name, payload);
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
