import path from 'node:path';
import type { appChannels } from '../../../shared/contracts/app';
import type { AppContext } from '../app-context';
import { mainLogFile } from '../log-file';
import type { HandlersFor } from './handler-types';

/** Versions worth showing in `doctor` and the About box. */
export function runtimeVersions(): Record<string, string> {
  const v = process.versions as Record<string, string | undefined>;
  const out: Record<string, string> = { node: v.node ?? '?', v8: v.v8 ?? '?', modules: v.modules ?? '?' };
  if (v.electron) out.electron = v.electron;
  if (v.chrome) out.chrome = v.chrome;
  return out;
}

export function createAppHandlers(ctx: AppContext): HandlersFor<keyof typeof appChannels> {
  return {
    'app:info': () => ({
      appVersion: ctx.appVersion,
      workspace: ctx.workspaceDir,
      workspaceName: path.basename(ctx.workspaceDir),
      platform: process.platform,
      shell: ctx.shell === 'electron' ? 'electron' : 'browser',
      versions: runtimeVersions(),
      // Electron's main process writes this file (electron/main/main-log.ts); the host and CLI write none.
      logFile: ctx.shell === 'electron' ? mainLogFile(ctx.workspaceDir) : null,
    }),
    'app:doctor': () => {
      const health = ctx.store.health();
      return {
        appVersion: ctx.appVersion,
        workspace: ctx.workspaceDir,
        databasePath: ctx.store.file,
        objectsPath: ctx.store.objects.root,
        schemaVersion: health.schemaVersion,
        integrity: health.integrity,
        journalMode: health.journalMode,
        foreignKeys: health.foreignKeys,
        versions: { ...runtimeVersions(), sqlite: health.sqliteVersion },
        jobs: ctx.store.jobs.countJobsByStatus(),
      };
    },
    'settings:get': () => ctx.store.settings.getSettings(),
    'settings:update': (patch) => {
      const settings = ctx.store.settings.updateSettings(patch);
      ctx.events.emit('changed', { topic: 'settings' });
      return settings;
    },
  };
}
