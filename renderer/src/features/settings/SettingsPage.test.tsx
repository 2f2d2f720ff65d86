// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppInfo, DoctorReport } from '../../../../shared/contracts/app';
import { DEFAULT_SETTINGS, settingsPatchSchema, type Settings } from '../../../../shared/settings';

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

let settings: Settings = { ...DEFAULT_SETTINGS };
const updates: unknown[] = [];
const listeners = new Set<(name: string, payload: unknown) => void>();

vi.mock('../../lib/api', () => ({
  api: {
    call: vi.fn(async (channel: string, request: Partial<Settings>) => {
      if (channel === 'app:info') return info();
      if (channel === 'app:doctor') return doctor;
      if (channel === 'jobs:list') return [];
      if (channel === 'settings:get') return settings;
      if (channel === 'serving:logStats') return { rows: 1234, cap: settings.predictionLogCap, oldestAt: null, newestAt: null };
      if (channel === 'settings:update') {
        updates.push(request);
        // The real handler parses with settingsPatchSchema; so does the mock, so a bad cap is refused the same way.
        const parsed = settingsPatchSchema.safeParse(request);
        if (!parsed.success) throw new Error(parsed.error.issues[0]?.message);
        settings = { ...settings, ...parsed.data };
        listeners.forEach((l) => l('changed', { topic: 'settings' }));
        return settings;
      }
      throw new Error(`unexpected ${channel}`);
    }),
    onEvent: (l: (name: string, payload: unknown) => void) => (listeners.add(l), () => listeners.delete(l)),
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

  it('changes the registry and serving settings, shows the prediction log, warns about non-loopback binds, refuses a bad cap', async () => {
    settings = { ...DEFAULT_SETTINGS };
    updates.length = 0;
    render(<SettingsPage />);
    expect((await screen.findByTestId('prediction-log-stats')).textContent).toBe(
      'The log holds 1,234 of 100,000 predictions; the oldest are pruned beyond the cap.',
    );
    fireEvent.click(screen.getByLabelText('Allow a requester to approve their own Production request'));
    await waitFor(() => expect(settings.allowSelfApproval).toBe(true));

    expect(screen.queryByText(/^Warning: a server bound/)).toBeNull();
    fireEvent.click(screen.getByLabelText('Allow scoring servers on addresses other than 127.0.0.1'));
    expect((await screen.findByText(/^Warning: a server bound/)).getAttribute('role')).toBe('alert');

    const cap = screen.getByLabelText('Prediction log cap (rows)');
    fireEvent.change(cap, { target: { value: '10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByText('Keep at least 1000 predictions.')).getAttribute('role')).toBe('alert');
    expect(settings.predictionLogCap).toBe(100_000);

    fireEvent.change(cap, { target: { value: '5000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(settings.predictionLogCap).toBe(5000));
    await waitFor(() => expect(screen.queryByText('Keep at least 1000 predictions.')).toBeNull());
    expect(updates).toEqual([
      { allowSelfApproval: true },
      { allowNonLoopback: true },
      { predictionLogCap: 10 },
      { predictionLogCap: 5000 },
    ]);
  });
});
