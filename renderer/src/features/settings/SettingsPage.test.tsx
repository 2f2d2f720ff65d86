// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppInfo, DoctorReport } from '../../../../shared/contracts/app';

let logFile: string | null = null;
const info = (): AppInfo => ({
  appVersion: '0.1.0',
  workspace: '/home/Jane Doe/ws',
  workspaceName: 'ws',
  platform: 'linux',
  shell: 'electron',
  versions: {},
  logFile,
});
const doctor: DoctorReport = {
  appVersion: '0.1.0',
  workspace: '/home/Jane Doe/ws',
  databasePath: '/home/Jane Doe/ws/workbench.db',
  objectsPath: '/home/Jane Doe/ws/objects',
  schemaVersion: 7,
  integrity: 'ok',
  journalMode: 'wal',
  foreignKeys: true,
  versions: { node: '20' },
  jobs: {},
};

vi.mock('../../lib/api', () => ({
  api: {
    call: vi.fn(async (channel: string) => {
      if (channel === 'app:info') return info();
      if (channel === 'app:doctor') return doctor;
      if (channel === 'jobs:list') return [];
      throw new Error(`unexpected ${channel}`);
    }),
    onEvent: () => () => {},
  },
}));

const { default: SettingsPage } = await import('./SettingsPage');

afterEach(cleanup);

/** The value shown next to a label in the workspace facts. */
async function fact(label: string): Promise<string | null> {
  const dt = await screen.findByText(label, { selector: 'dt' });
  return dt.nextElementSibling?.textContent ?? null;
}

describe('Settings', () => {
  it("shows the desktop app's log file", async () => {
    logFile = '/home/Jane Doe/ws/logs/main.log';
    render(<SettingsPage />);
    expect(await fact('Log file')).toBe('/home/Jane Doe/ws/logs/main.log');
  });

  it('says there is no log file when the host or CLI serves the app', async () => {
    logFile = null;
    render(<SettingsPage />);
    expect(await fact('Log file')).toMatch(/^None: .*terminal/);
  });
});
