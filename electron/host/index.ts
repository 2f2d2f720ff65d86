/**
 * `node out/main/host.js [--workspace DIR] [--port N]`: runs the whole app in a
 * browser — the built renderer and the handler map on 127.0.0.1, with a token.
 * Used by the end-to-end tests and for demos; prints the URL to open.
 */
import path from 'node:path';
import { createHandlers } from '../core/handlers';
import { AppError } from '../../shared/errors';
import { parseCommandLine, WORKSPACE_OPTION } from '../core/command-line';
import { createNodeAppContext, findAppRoot } from './node-app';
import { startHostServer } from './server';

/** `--workspace DIR`, `--port N` (0: any free port). */
const HOST_OPTIONS = { ...WORKSPACE_OPTION, port: { type: 'string' } } as const;

async function main(): Promise<void> {
  const { values } = parseCommandLine(process.argv.slice(2), HOST_OPTIONS);
  const port = Number(values.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new AppError('bad_input', `--port must be a port number from 0 to 65535; got "${String(values.port)}".`);
  const ctx = createNodeAppContext({ workspace: values.workspace as string | undefined, shell: 'browser', scheduler: true });
  const handlers = createHandlers(ctx);
  const host = await startHostServer({
    ctx,
    handlers,
    rendererDir: path.join(findAppRoot(), 'out', 'renderer'),
    port,
    token: process.env.MLWB_HOST_TOKEN || undefined,
  });
  process.stdout.write(`MLOps Workbench host ready: ${host.openUrl}\n`);
  process.stdout.write(`workspace: ${ctx.workspaceDir}\n`);
  const stop = async () => {
    await host.close();
    ctx.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`${err instanceof AppError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
});
