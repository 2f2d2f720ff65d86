import log from 'electron-log/main';
import { mainLogFile } from '../core/log-file';

/** The main process's logger (electron-log), writing to the workspace's logs/main.log once `startMainLog` has run. */
export type MainLog = Pick<typeof log, 'info' | 'warn' | 'error'>;

/**
 * Points electron-log's file transport at `<workspace>/logs/main.log` (the
 * folder is created on the first write; the file rotates to main.old.log at
 * 5 MB) and logs uncaught errors and unhandled rejections there. We do not call
 * `log.initialize()`: that injects a preload into the renderer's session, and
 * the sandboxed renderer logs nothing of its own.
 *
 * @returns the logger and the file it writes
 */
export function startMainLog(workspaceDir: string): { log: MainLog; file: string } {
  const file = mainLogFile(workspaceDir);
  log.transports.file.resolvePathFn = () => file;
  log.transports.file.level = 'info';
  log.transports.file.maxSize = 5 * 1024 * 1024;
  log.transports.console.level = 'info';
  // Logged, not shown: start() shows its own dialog for the failures a user can act on.
  log.errorHandler.startCatching({ showDialog: false });
  return { log, file };
}
