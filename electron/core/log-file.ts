import path from 'node:path';

/**
 * Where the desktop app's main process writes its log: `<workspace>/logs/main.log`,
 * next to the data it describes, so "send us the workspace's logs folder" is
 * one instruction. The browser host and the CLI write no log file: they log
 * to the terminal that started them.
 */
export function mainLogFile(workspaceDir: string, paths: Pick<path.PlatformPath, 'join'> = path): string {
  return paths.join(workspaceDir, 'logs', 'main.log');
}
