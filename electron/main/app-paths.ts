import { pathToFileURL } from 'node:url';
import { NATIVE_BINDING_SEGMENTS, pathFor } from '../../scripts/electron-native.mjs';

/**
 * Where main finds its files, as pure functions of what Electron reports (app.getAppPath(),
 * app.isPackaged, process.resourcesPath, process.platform), so they can be tested for Windows
 * and POSIX paths without Electron. The native binding's place comes from the same definition
 * that scripts/ensure-electron-native.mjs writes to.
 */
export interface AppLocation {
  /** app.getAppPath(): the folder with package.json in development, `…/resources/app.asar` when packaged. */
  appPath: string;
  isPackaged: boolean;
  /** process.resourcesPath (only meaningful when packaged). */
  resourcesPath: string;
  platform: NodeJS.Platform | string;
}

/**
 * A path inside `app.asar` as electron-builder unpacks it (`asarUnpack`): native modules cannot
 * be loaded from inside the archive, so they sit in `app.asar.unpacked` at the same place.
 */
export function unpackedFromAsar(file: string, platform: string): string {
  const p = pathFor(platform);
  return file
    .split(p.sep)
    .map((part) => (part === 'app.asar' ? 'app.asar.unpacked' : part))
    .join(p.sep);
}

/** Where the better-sqlite3 binary built for Electron's ABI is (whether or not it exists). */
export function electronNativeBindingPath(loc: AppLocation): string {
  const file = pathFor(loc.platform).join(loc.appPath, ...NATIVE_BINDING_SEGMENTS);
  return loc.isPackaged ? unpackedFromAsar(file, loc.platform) : file;
}

/** The bundled resources folder: electron-builder's extraResources when packaged, else the checkout's. */
export function resourcesDirFor(loc: AppLocation): string {
  const p = pathFor(loc.platform);
  return loc.isPackaged ? p.join(loc.resourcesPath, 'resources') : p.join(loc.appPath, 'resources');
}

/**
 * The renderer's URL: Vite's dev server in development when electron-vite set one, else the
 * built index.html as a file: URL. pathToFileURL percent-encodes spaces, `#`, `?` and non-ASCII
 * letters, so an install folder such as `My Work #1` cannot cut the URL short.
 */
export function rendererUrlFor(input: { mainDir: string; isPackaged: boolean; devServerUrl?: string; platform: string }): string {
  if (!input.isPackaged && input.devServerUrl) return input.devServerUrl;
  const file = pathFor(input.platform).join(input.mainDir, '..', 'renderer', 'index.html');
  return pathToFileURL(file, { windows: input.platform === 'win32' }).href;
}
