import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronNativeBindingPath } from '../../electron/main/app-paths';

/**
 * A user's checkout in a folder whose name has a space, a `#` and non-ASCII letters: the CLI,
 * the browser host and the native-build script must all work from there (file: URLs and
 * percent-encoding broke exactly this). Runs the built app (`npm test` builds before vitest).
 */
const ROOT = path.resolve(__dirname, '../..');
const ODD = 'My Work #1 データ';

let base: string;
let app: string;
let workspace: string;

beforeAll(() => {
  if (
    !fs.existsSync(path.join(ROOT, 'out/main/cli.js')) ||
    !fs.existsSync(path.join(ROOT, 'out/main/host.js')) ||
    !fs.existsSync(path.join(ROOT, 'out/renderer/index.html'))
  ) {
    throw new Error('The app is not built (out/ is missing): run `npm run build` (or `npx electron-vite build`) first.');
  }
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-odd-'));
  app = path.join(base, ODD, 'mlwb');
  workspace = path.join(base, ODD, 'workspace #2 データ');
  fs.mkdirSync(app, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(app, 'package.json'));
  for (const dir of ['bin', 'out', 'resources', 'scripts']) fs.cpSync(path.join(ROOT, dir), path.join(app, dir), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'), 'junction');
});

afterAll(() => {
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

describe(`a checkout in "${ODD}"`, () => {
  it('the CLI works: doctor opens the workspace and a self-check job runs in the built worker', () => {
    const doctor = spawnSync(process.execPath, [path.join(app, 'bin/mlwb.js'), 'doctor', '--json', '--workspace', workspace], {
      encoding: 'utf8',
    });
    expect(doctor.stderr).toBe('');
    expect(doctor.status).toBe(0);
    const report = JSON.parse(doctor.stdout);
    expect(report.workspace).toBe(workspace);
    expect(report.integrity).toBe('ok');
    expect(fs.existsSync(path.join(workspace, 'workbench.sqlite'))).toBe(true);

    const check = spawnSync(process.execPath, [path.join(app, 'bin/mlwb.js'), 'self-check', '--workspace', workspace], {
      encoding: 'utf8',
    });
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^ok: churn\.csv/);
  });

  it('the browser host serves the page, its assets and a channel (with the token)', async () => {
    const child = spawn(process.execPath, [path.join(app, 'out/main/host.js'), '--workspace', workspace, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const openUrl = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = out.match(/host ready: (\S+)/);
          if (m) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`The host exited (${code}): ${stderr}`)));
      });
      const url = new URL(openUrl);
      const token = url.searchParams.get('token');
      expect(token).toBeTruthy();

      const page = await fetch(openUrl);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<div id="root">');
      const script = html.match(/src="\.?\/(assets\/[^"]+\.js)"/)?.[1];
      expect(script).toBeTruthy();
      const asset = await fetch(`${url.origin}/${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain('javascript');

      const refused = await fetch(`${url.origin}/api/invoke/app:info`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(refused.status).toBe(401);
      const info = await fetch(`${url.origin}/api/invoke/app:info`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-mlwb-token': token! },
        body: '{}',
      });
      expect(info.status).toBe(200);
      const body = await info.json();
      expect(body.ok).toBe(true);
      expect(body.value.workspace).toBe(workspace);
      expect(body.value.shell).toBe('browser');
    } finally {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
  });

  it('the native-build script writes where main looks, and without Electron says so in plain words', () => {
    const script = path.join(app, 'scripts/ensure-electron-native.mjs');
    const where = spawnSync(process.execPath, [script, '--where'], { encoding: 'utf8' });
    expect(where.status, where.stderr).toBe(0);
    const paths = JSON.parse(where.stdout);
    expect(fs.realpathSync(paths.root)).toBe(fs.realpathSync(app));
    expect(paths.outFile).toBe(path.join(app, 'native', 'electron', 'better_sqlite3.node'));
    // main (electron-vite preview runs `electron .` here, so app.getAppPath() is the checkout):
    expect(electronNativeBindingPath({ appPath: app, isPackaged: false, resourcesPath: '', platform: process.platform })).toBe(
      paths.outFile,
    );

    const run = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Electron is not installed');
    expect(run.stderr).toContain(app);
    expect(run.stderr).not.toMatch(/%20|%23|%E3/);
    expect(fs.existsSync(path.join(app, 'native'))).toBe(false);
  });
});
