import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronLaunchArgs } from '../../e2e/fixtures';
import { electronNativeBindingPath, resourcesDirFor } from '../../electron/main/app-paths';

const ROOT = path.resolve(__dirname, '../..');

describe('the e2e fixture launches Electron as `npm start` does', () => {
  it('with the app folder first, whose package.json "main" is the built main', () => {
    const args = electronLaunchArgs(ROOT, '/tmp/ws #1');
    const appPath = args[0];
    expect(fs.statSync(appPath).isDirectory()).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.join(appPath, 'package.json'), 'utf8'));
    expect(path.resolve(appPath, pkg.main)).toBe(path.join(ROOT, 'out', 'main', 'index.js'));
    expect(args.slice(1)).toEqual(['--workspace', '/tmp/ws #1']);
  });

  it('so main, with that folder as its app path, looks for native/ and resources/ in the checkout', () => {
    const loc = { appPath: electronLaunchArgs(ROOT, '/tmp/ws')[0], isPackaged: false, resourcesPath: '', platform: process.platform };
    expect(resourcesDirFor(loc)).toBe(path.join(ROOT, 'resources'));
    expect(fs.existsSync(resourcesDirFor(loc))).toBe(true);
    expect(electronNativeBindingPath(loc)).toBe(path.join(ROOT, 'native', 'electron', 'better_sqlite3.node'));
  });
});
