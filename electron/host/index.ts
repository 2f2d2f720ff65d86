/**
 * `node out/main/host.js [--workspace DIR] [--port N]`: runs the whole app in a
 * browser — the built renderer and the handler map on 127.0.0.1, with a token.
 * Used by the end-to-end tests and for demos; prints the URL to open.
 */
import path from 'node:path';
import { createHandlers } from '../core/handlers';
import { AppError } from '../../shared/errors';
import { argValue, createNodeAppContext, findAppRoot } from './node-app';
import { startHostServer } from './server';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const ctx = createNodeAppContext({ argv, shell: 'browser' });
  const handlers = createHandlers(ctx);
  const port = Number(argValue(argv, '--port') ?? 0);
  const host = await startHostServer({ ctx, handlers, rendererDir: path.join(findAppRoot(), 'out', 'renderer'), port, token: process.env.MLWB_HOST_TOKEN || undefined });
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
