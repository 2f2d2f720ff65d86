import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../app-context';
import { createAppHandlers } from './app-handlers';

/** Only what app:info reads: the version, the workspace and the shell. */
function infoFor(shell: AppContext['shell'], workspaceDir: string) {
  const ctx = { appVersion: '1.2.3', workspaceDir, shell } as Pick<AppContext, 'appVersion' | 'workspaceDir' | 'shell'>;
  return createAppHandlers(ctx as AppContext)['app:info']({});
}

describe('app:info', () => {
  it('names the log file of the desktop app, in the workspace', async () => {
    const info = await infoFor('electron', '/home/Jane Doe/my workspace');
    expect(info.logFile).toBe(path.join('/home/Jane Doe/my workspace', 'logs', 'main.log'));
    expect(info.shell).toBe('electron');
  });

  it('has no log file for the browser host and the CLI, which log to their terminal', async () => {
    expect((await infoFor('browser', '/w')).logFile).toBeNull();
    expect((await infoFor('cli', '/w')).logFile).toBeNull();
  });
});
