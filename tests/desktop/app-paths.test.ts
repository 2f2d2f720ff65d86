import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { electronNativeBindingPath, rendererUrlFor, resourcesDirFor, unpackedFromAsar } from '../../electron/main/app-paths';
import { nativePaths, rootFromScriptUrl } from '../../scripts/electron-native.mjs';

// A Windows user folder with a space, a `#` and non-ASCII letters, and its POSIX twin.
const WIN_ROOT = 'C:\\Users\\John Smith\\My #1 App データ\\mlwb';
const POSIX_ROOT = '/home/John Smith/My #1 App データ/mlwb';

describe('the native binding: where the build script writes it is where main looks', () => {
  it.each([
    ['win32', WIN_ROOT, path.win32],
    ['linux', POSIX_ROOT, path.posix],
  ] as const)('in a development checkout (%s)', (platform, root, p) => {
    // The script finds the checkout from its own file: URL, exactly as Node hands it over.
    const scriptUrl = pathToFileURL(p.join(root, 'scripts', 'ensure-electron-native.mjs'), { windows: platform === 'win32' }).href;
    expect(scriptUrl).toContain('%20');
    const scriptRoot = rootFromScriptUrl(scriptUrl, platform);
    expect(scriptRoot).toBe(root);
    const written = nativePaths(scriptRoot, platform).outFile;
    expect(written).toBe(p.join(root, 'native', 'electron', 'better_sqlite3.node'));
    // electron-vite preview runs `electron .` in the checkout, so app.getAppPath() is the root.
    expect(electronNativeBindingPath({ appPath: root, isPackaged: false, resourcesPath: '', platform })).toBe(written);
  });

  it('the old code`s decoding put the binary where main never looks', () => {
    const url = pathToFileURL('/home/John Smith/mlwb/scripts/ensure-electron-native.mjs').href;
    expect(path.posix.resolve(path.posix.dirname(new URL(url).pathname), '..')).toBe('/home/John%20Smith/mlwb');
    expect(rootFromScriptUrl(url, 'linux')).toBe('/home/John Smith/mlwb');
  });

  it.each([
    ['win32', 'C:\\Program Files\\MLOps Workbench\\resources', path.win32],
    ['linux', '/opt/MLOps Workbench/resources', path.posix],
    ['darwin', '/Applications/MLOps Workbench.app/Contents/Resources', path.posix],
  ] as const)('in a packaged app it is the unpacked copy electron-builder made of native/** (%s)', (platform, resourcesPath, p) => {
    const appPath = p.join(resourcesPath, 'app.asar');
    // What electron-builder's `asarUnpack: native/**` does with <app>/native/electron/better_sqlite3.node:
    const unpacked = p.join(resourcesPath, 'app.asar.unpacked', 'native', 'electron', 'better_sqlite3.node');
    expect(electronNativeBindingPath({ appPath, isPackaged: true, resourcesPath, platform })).toBe(unpacked);
  });

  it('only the app.asar segment is renamed', () => {
    expect(unpackedFromAsar('/opt/my app.asar.d/app.asar/native/x.node', 'linux')).toBe(
      '/opt/my app.asar.d/app.asar.unpacked/native/x.node',
    );
    expect(unpackedFromAsar('C:\\a\\app.asar\\native\\x.node', 'win32')).toBe('C:\\a\\app.asar.unpacked\\native\\x.node');
  });
});

describe('resources folder', () => {
  it('is extraResources when packaged and the checkout`s resources/ otherwise', () => {
    expect(
      resourcesDirFor({
        appPath: 'C:\\Apps\\MLOps Workbench\\resources\\app.asar',
        isPackaged: true,
        resourcesPath: 'C:\\Apps\\MLOps Workbench\\resources',
        platform: 'win32',
      }),
    ).toBe('C:\\Apps\\MLOps Workbench\\resources\\resources');
    expect(
      resourcesDirFor({ appPath: POSIX_ROOT, isPackaged: false, resourcesPath: '/usr/lib/electron/resources', platform: 'linux' }),
    ).toBe(`${POSIX_ROOT}/resources`);
  });
});

describe('renderer URL', () => {
  it.each([
    ['win32', `${WIN_ROOT}\\out\\main`, `${WIN_ROOT}\\out\\renderer\\index.html`],
    ['linux', `${POSIX_ROOT}/out/main`, `${POSIX_ROOT}/out/renderer/index.html`],
  ] as const)('is a file: URL that decodes back to the built page, # and spaces included (%s)', (platform, mainDir, page) => {
    const url = rendererUrlFor({ mainDir, isPackaged: true, devServerUrl: 'http://localhost:5173', platform });
    const parsed = new URL(url);
    expect(parsed.protocol).toBe('file:');
    expect(parsed.hash).toBe('');
    expect(fileURLToPath(url, { windows: platform === 'win32' })).toBe(page);
  });

  it('is the dev server only in development', () => {
    expect(rendererUrlFor({ mainDir: '/x/out/main', isPackaged: false, devServerUrl: 'http://localhost:5173', platform: 'linux' })).toBe(
      'http://localhost:5173',
    );
    expect(rendererUrlFor({ mainDir: '/x/out/main', isPackaged: false, platform: 'linux' })).toBe('file:///x/out/renderer/index.html');
  });
});
