import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// electron-log's Node build has the same file transport as its Electron main build, without needing Electron.
vi.mock('electron-log/main', async () => await import('electron-log/node'));

const { startMainLog } = await import('./main-log');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb log #1 ワーク '));

afterAll(async () => {
  const log = (await import('electron-log/node')).default;
  log.errorHandler.stopCatching();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('main process log', () => {
  it('writes to <workspace>/logs/main.log, creating the folder, in a path with spaces, # and non-ASCII', () => {
    const workspace = path.join(dir, 'my workspace');
    const { log, file } = startMainLog(workspace);
    expect(file).toBe(path.join(workspace, 'logs', 'main.log'));
    log.info('[worker 42] hashing pass 1');
    log.error('window renderer gone: reason crashed');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/\[info\]\s+\[worker 42\] hashing pass 1/);
    expect(text).toMatch(/\[error\]\s+window renderer gone: reason crashed/);
  });
});
