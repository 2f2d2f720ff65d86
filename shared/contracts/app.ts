import { z } from 'zod';
import { defineChannel } from '../contract';
import { settingsPatchSchema, type Settings } from '../settings';

export interface AppInfo {
  appVersion: string;
  workspace: string;
  workspaceName: string;
  platform: string;
  /** Where the renderer is hosted: the Electron window or the browser host. */
  shell: 'electron' | 'browser';
  versions: Record<string, string>;
  /**
   * The file this process logs to: `<workspace>/logs/main.log` in the desktop
   * app; null for the browser host and the CLI, which log to the terminal
   * that started them.
   */
  logFile: string | null;
}

export interface DoctorReport {
  appVersion: string;
  workspace: string;
  databasePath: string;
  objectsPath: string;
  schemaVersion: number;
  integrity: string;
  journalMode: string;
  foreignKeys: boolean;
  versions: Record<string, string>;
  jobs: Record<string, number>;
}

export const appChannels = {
  'app:info': defineChannel(z.object({}).strict())<AppInfo>(),
  'app:doctor': defineChannel(z.object({}).strict())<DoctorReport>(),
  'settings:get': defineChannel(z.object({}).strict())<Settings>(),
  'settings:update': defineChannel(settingsPatchSchema)<Settings>(),
};
