import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');

describe('packaging config', () => {
  it("electron-builder.yml passes electron-builder's own schema and declares every target", async () => {
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

  it('playwright-core is not packaged: not a production dependency, and excluded from the app`s files', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const yaml = require('js-yaml') as { load(s: string): Record<string, any> };
    const config = yaml.load(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8'));
    // electron-builder copies the production dependencies' node_modules into the app.
    expect(Object.keys(pkg.dependencies)).not.toContain('playwright-core');
    expect(pkg.devDependencies['playwright-core']).toBeTruthy();
    expect(config.files).toContain('!node_modules/playwright-core{,/**}');
    // Nothing the packaged app runs needs it: main, its workers and every chunk they load (all of
    // out/main's entries but the CLI's and the browser host's, which print through Chromium).
    const mainDir = path.join(ROOT, 'out/main');
    if (!fs.existsSync(path.join(mainDir, 'index.js')))
      throw new Error('The app is not built (out/main/index.js is missing): run `npm run build` first.');
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = fs.readFileSync(file, 'utf8');
      expect(code, path.relative(ROOT, file)).not.toContain('playwright-core');
      for (const m of code.matchAll(/require\((["'])(\.{1,2}\/[^"']+)\1\)/g)) visit(path.resolve(path.dirname(file), m[2]));
    };
    const entries = fs.readdirSync(mainDir).filter((f) => f.endsWith('.js') && f !== 'cli.js' && f !== 'host.js');
    expect(entries).toEqual(expect.arrayContaining(['index.js', 'job-worker.js']));
    for (const entry of entries) visit(path.join(mainDir, entry));
    expect(seen.size).toBeGreaterThan(entries.length);
  });

  it('the package points Electron at the built main and exposes the mlwb bin', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('out/main/index.js');
    expect(pkg.bin.mlwb).toBe('bin/mlwb.js');
    expect(pkg.dependencies['better-sqlite3']).toMatch(/^~?12\./);
  });
});
