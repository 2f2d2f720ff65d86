import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors';

/**
 * Where the workspace lives: the `--workspace DIR` value (parsed by the entry
 * point's command line), else `MLWB_WORKSPACE`, else the given default
 * (Electron's userData in the app, ~/.mlops-workbench elsewhere).
 */
export function resolveWorkspaceDir(fromFlag: string | undefined, env: NodeJS.ProcessEnv, fallback?: string): string {
  const dir = fromFlag || env.MLWB_WORKSPACE || fallback || path.join(os.homedir(), '.mlops-workbench');
  return path.resolve(dir);
}

/**
 * Makes sure the workspace folder exists and is writable, with a message that
 * names the path when it is not (a read-only folder, a file in the way).
 */
export function prepareWorkspaceDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new AppError('workspace_unavailable', `Cannot create the workspace folder ${dir}: ${(err as Error).message}`);
  }
  if (!fs.statSync(dir).isDirectory()) {
    throw new AppError('workspace_unavailable', `The workspace path ${dir} is not a folder.`);
  }
  // access(W_OK) says yes to root on a read-only mount, so probe with a real write.
  const probe = path.join(dir, `.write-probe-${process.pid}`);
  try {
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (err) {
    throw new AppError('workspace_unavailable', `The workspace folder ${dir} is not writable: ${(err as Error).message}`);
  }
}
