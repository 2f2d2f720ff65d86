/**
 * The browser host and a system Chromium, for the end-to-end tests and the
 * benchmarks alike (no test-runner import, so benchmarks run it under tsx).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** Finds a system Chromium for the browser-host runs, or fails with an install hint. */
export function findChromium(): string {
  const found = [process.env.MLWB_CHROMIUM, ...CHROMIUM_CANDIDATES].find((p): p is string => !!p && fs.existsSync(p));
  if (!found) {
    throw new Error(
      'No Chromium found for the end-to-end tests. Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set MLWB_CHROMIUM to its path.',
    );
  }
  return found;
}

/** Flags that keep headless Chromium quiet and offline on a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Starts `node out/main/host.js` on a workspace and waits for the URL it prints. */
export async function startHostProcess(
  workspaceDir: string,
  env: Record<string, string> = {},
): Promise<{ openUrl: string; process: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'out/main/host.js'), '--workspace', workspaceDir], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const openUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/host ready: (\S+)/);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`The host exited (${code}): ${stderr}`)));
  });
  return {
    openUrl,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
