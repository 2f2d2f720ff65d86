import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');

describe('packaging config', () => {
  it('electron-builder.yml passes electron-builder\'s own schema and declares every target', async () => {
    const yaml = require('js-yaml') as { load(s: string): Record<string, any> };
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config');
    const { DebugLogger } = require('builder-util');
    const config = yaml.load(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8'));
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
    // The Electron build of the native module must sit outside the asar to load.
    expect(config.asarUnpack).toContain('native/**');
    expect(config.files).toContain('out/**');
  });

  it('the package points Electron at the built main and exposes the mlwb bin', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('out/main/index.js');
    expect(pkg.bin.mlwb).toBe('bin/mlwb.js');
    expect(pkg.dependencies['better-sqlite3']).toMatch(/^~?12\./);
  });
});
