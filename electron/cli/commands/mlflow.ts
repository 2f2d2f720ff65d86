/**
 * `mlwb mlflow serve [--port 5000] [--host H] [--token T]`: the MLflow REST API
 * 2.0 on this workspace's store, in the foreground until Ctrl-C — so
 * `MLFLOW_TRACKING_URI=http://127.0.0.1:5000 python train.py` logs into the
 * workspace. The same server the app's Settings → "MLflow endpoint" runs.
 */
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { MLFLOW_LIMITS, mlflowTokenSchema } from '../../../shared/mlflow';
import { LOOPBACK_HOST, portSchema } from '../../../shared/serving';
import { formatZodIssues } from '../../../shared/zod-issues';
import { isLoopbackHost } from '../../core/serving/serving-manager';
import { type CliCommand, type CliContext, fail } from '../command';
import { withInputErrors } from './runs';

const serveArgsSchema = z.strictObject({
  port: portSchema,
  host: z.string().min(1).max(255),
  token: mlflowTokenSchema,
});

const FIELD_OF: Record<string, string> = { port: '--port', host: '--host', token: '--token (or MLWB_MLFLOW_TOKEN)' };

/** The flags of `mlwb mlflow serve` → a start request, or the refusal to print. */
export function parseMlflowServeArgs(
  cli: Pick<CliContext, 'value'>,
  env: NodeJS.ProcessEnv = process.env,
): { request: z.output<typeof serveArgsSchema> } | { error: string } {
  const port = cli.value('port');
  const parsed = serveArgsSchema.safeParse({
    port: port === undefined ? MLFLOW_LIMITS.defaultPort : /^\s*\d+\s*$/.test(port) ? Number(port) : port,
    host: cli.value('host') ?? LOOPBACK_HOST,
    token: cli.value('token') ?? env.MLWB_MLFLOW_TOKEN ?? '',
  });
  return parsed.success ? { request: parsed.data } : { error: formatZodIssues(parsed.error.issues, (p) => FIELD_OF[p] ?? p) };
}

export const mlflowServeCommand: CliCommand = {
  name: 'mlflow serve',
  summary: "Serve the MLflow tracking REST API (2.0) on this workspace's store until Ctrl-C",
  usage: 'mlwb mlflow serve [--port 5000] [--host 127.0.0.1] [--token T] [--json]   (then MLFLOW_TRACKING_URI=http://127.0.0.1:5000)',
  options: { port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' } },
  async run(cli) {
    if (cli.positionals.length) return fail(cli, `Usage: ${this.usage}`);
    return withInputErrors(cli, async () => {
      const parsed = parseMlflowServeArgs(cli);
      if ('error' in parsed) return fail(cli, parsed.error);
      const { port, host, token } = parsed.request;
      const ctx = cli.app();
      if (!isLoopbackHost(host))
        cli.err(
          `warning: serving on ${host}: anyone who can reach this address can read and log runs${token ? ' with the token' : ' (no token set: --token)'}.`,
        );
      let status;
      try {
        status = await ctx.mlflow.start({ port, host, token });
      } catch (err) {
        if (err instanceof AppError && err.code === 'forbidden') return fail(cli, `error: ${err.message}`, 1);
        throw err;
      }
      if (cli.json) cli.out(JSON.stringify(status));
      else {
        cli.out(`MLflow tracking API at ${status.url} (workspace ${ctx.workspaceDir})${token ? ', bearer token required' : ''}.`);
        cli.out(`  export MLFLOW_TRACKING_URI=${status.url}${token ? '  MLFLOW_TRACKING_TOKEN=…' : ''}`);
        cli.out('Press Ctrl-C to stop.');
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        // Or when the server stops some other way.
        void ctx.mlflow.stopped().then(stop);
      });
      await ctx.mlflow.stop();
      if (!cli.json) cli.out('Stopped.');
      return 0;
    });
  },
};

export const MLFLOW_COMMANDS: readonly CliCommand[] = [mlflowServeCommand];
