import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  abiCheckResult,
  buildFailureMessage,
  electronMissingMessage,
  makeStamp,
  stampIsCurrent,
  type NativeTarget,
} from '../../scripts/electron-native.mjs';

const ROOT = path.resolve(__dirname, '../..');
const target: NativeTarget = { electronVersion: '41.7.1', abi: '145', betterSqlite3Version: '12.11.1', platform: 'linux', arch: 'x64' };

describe('is the earlier Electron build still good?', () => {
  it('only when the binary exists and the stamp names the same Electron, ABI, package and machine', () => {
    const stampText = makeStamp(target);
    expect(stampIsCurrent({ binaryExists: true, stampText, target })).toBe(true);
    expect(stampIsCurrent({ binaryExists: false, stampText, target })).toBe(false);
    for (const change of [
      { electronVersion: '41.8.0' },
      { abi: '146' },
      { betterSqlite3Version: '12.12.0' },
      { platform: 'darwin' },
      { arch: 'arm64' },
    ]) {
      expect(stampIsCurrent({ binaryExists: true, stampText, target: { ...target, ...change } }), JSON.stringify(change)).toBe(false);
    }
  });

  it('not with a missing, garbled or old-format stamp (the old one held only the Electron version)', () => {
    expect(stampIsCurrent({ binaryExists: true, stampText: undefined, target })).toBe(false);
    expect(stampIsCurrent({ binaryExists: true, stampText: '{not json', target })).toBe(false);
    expect(stampIsCurrent({ binaryExists: true, stampText: '41.7.1', target })).toBe(false);
    expect(stampIsCurrent({ binaryExists: true, stampText: 'null', target })).toBe(false);
  });

  it('an ABI reported as a number matches the same ABI as text', () => {
    expect(stampIsCurrent({ binaryExists: true, stampText: makeStamp({ ...target, abi: 145 }), target })).toBe(true);
  });
});

describe('the ABI check trusts the binary, not the build tool', () => {
  it('passes only when the binary loads in Electron and reports Electron`s ABI', () => {
    expect(abiCheckResult({ status: 0, stdout: '145\n', stderr: '', expectedAbi: '145' })).toEqual({
      ok: true,
      message: 'better-sqlite3 ready for Electron (ABI 145).',
    });
    expect(abiCheckResult({ status: 0, stdout: '115\n', stderr: '', expectedAbi: '145' }).ok).toBe(false);
    const failed = abiCheckResult({
      status: 1,
      stdout: '',
      stderr: 'was compiled against a different Node.js version using NODE_MODULE_VERSION 115',
      expectedAbi: '145',
    });
    expect(failed.ok).toBe(false);
    expect(failed.message).toContain('NODE_MODULE_VERSION 115');
  });
});

describe('when the build cannot be made, one message says what to install', () => {
  it.each([
    ['linux', 'build-essential python3'],
    ['darwin', 'xcode-select --install'],
    ['win32', 'Desktop development with C++'],
  ])('on %s', (platform, hint) => {
    const message = buildFailureMessage({
      platform,
      electronVersion: '41.7.1',
      detail: "gyp info spawn make\nnode-gyp failed to rebuild '/tmp/mlwb-native-x/node_modules/better-sqlite3'\n",
    });
    expect(message).toContain(hint);
    expect(message).toContain('internet access');
    expect(message).toContain("node-gyp failed to rebuild '/tmp/mlwb-native-x/node_modules/better-sqlite3'");
    expect(message).toContain('Node build in node_modules is untouched');
    expect(message.split('\n')).toHaveLength(3);
  });

  it('the missing-Electron message names the folder in plain, decoded form', () => {
    expect(electronMissingMessage('C:\\Users\\John Smith\\mlwb', 'win32')).toContain('C:\\Users\\John Smith\\mlwb\\node_modules\\electron');
  });
});

describe('scripts/ensure-electron-native.mjs here (no Electron binary)', () => {
  it('fails fast with "Electron is not installed" and leaves node_modules` better-sqlite3 alone', () => {
    const nodeBuild = path.join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    const before = fs.statSync(nodeBuild).mtimeMs;
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/ensure-electron-native.mjs')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Electron is not installed');
    expect(r.stderr).toContain(path.join(ROOT, 'node_modules', 'electron'));
    expect(r.stdout).toBe('');
    expect(fs.statSync(nodeBuild).mtimeMs).toBe(before);
    // …and the Node build still loads under Node.
    const load = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(load.stderr).toBe('');
    expect(load.status).toBe(0);
  });
});
