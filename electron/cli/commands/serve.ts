/**
 * `mlwb serve N[@alias|/stage|/version] --port P`: a local scoring server in
 * the foreground — the app's serving:start (same schema, same server process,
 * same prediction log and audit rows, via "cli") — until Ctrl-C.
 */
import { formatModelReference, parseModelReference } from '../../../shared/registry';
import { startServerSchema, type ServerStatus } from '../../../shared/serving';
import { formatZodIssues } from '../../../shared/zod-issues';
import type { StartServer } from '../../core/serving/serving-manager';
import { type CliCommand, type CliContext, fail } from '../command';
import { callChannel, withInputErrors } from './runs';

/** The flag or word a request field comes from, to name it in an error. */
const FIELD_OF: Record<string, string> = {
  name: 'MODEL',
  selector: 'MODEL',
  'selector.alias': 'MODEL (alias)',
  'selector.version': 'MODEL (version)',
  port: '--port',
  host: '--host',
  'split.alias': '--split (alias)',
  'split.share': '--split (share)',
};

/** A number when the text is one (so the schema says "from 1024 to 65535", not "expected number"). */
const numberOrText = (v: string) => (/^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v);

/** The words and flags of `mlwb serve` → a start request parsed with the app's schema. */
export function parseServeArgs(cli: Pick<CliContext, 'positionals' | 'value' | 'has'>): { request: StartServer } | { error: string } {
  const [modelRef] = cli.positionals;
  const ref = parseModelReference(modelRef ?? '');
  if (!ref) return { error: `MODEL must be NAME, NAME/STAGE, NAME/VERSION or NAME@ALIAS; got "${modelRef ?? ''}".` };
  const port = cli.value('port');
  const host = cli.value('host');
  const split = cli.value('split');
  let splitValue: { alias: string; share: unknown } | undefined;
  if (split !== undefined) {
    const m = /^([^=]+)=(.+)$/.exec(split);
    if (!m) return { error: `--split takes ALIAS=SHARE, e.g. --split challenger=0.1; got "${split}".` };
    splitValue = { alias: m[1], share: numberOrText(m[2]) };
  }
  const parsed = startServerSchema.safeParse({
    name: ref.name,
    selector: ref.selector,
    ...(port !== undefined ? { port: numberOrText(port) } : {}),
    ...(host !== undefined ? { host } : {}),
    ...(splitValue ? { split: splitValue } : {}),
    logPredictions: !cli.has('no-log'),
  });
  return parsed.success ? { request: parsed.data } : { error: formatZodIssues(parsed.error.issues, (p) => FIELD_OF[p] ?? p) };
}

/** Resolves on Ctrl-C (or SIGTERM), or when the server stops some other way (its process died, the app stopped it). */
function untilStopped(cli: CliContext, id: number): Promise<'interrupted' | ServerStatus> {
  const ctx = cli.app();
  return new Promise((resolve) => {
    const onSignal = () => finish('interrupted');
    const unsubscribe = ctx.events.subscribe((name, payload) => {
      if (name !== 'changed' || (payload as { topic: string }).topic !== 'serving') return;
      if (ctx.serving.liveIds().includes(id)) return;
      finish(ctx.store.serving.getServer(id));
    });
    function finish(how: 'interrupted' | ServerStatus) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      unsubscribe();
      resolve(how);
    }
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve a registered model version over HTTP (127.0.0.1) until Ctrl-C',
  usage:
    'mlwb serve NAME[/STAGE|/VERSION|@ALIAS] [--port P] [--host H] [--no-log] [--split ALIAS=SHARE] [--json]   (NAME alone: its Production version; port 5001 by default)',
  options: { port: { type: 'string' }, host: { type: 'string' }, 'no-log': { type: 'boolean' }, split: { type: 'string' } },
  async run(cli) {
    if (cli.positionals.length !== 1) return fail(cli, `Usage: ${this.usage}`);
    return withInputErrors(cli, async () => {
      const parsed = parseServeArgs(cli);
      if ('error' in parsed) return fail(cli, parsed.error);
      const req = parsed.request;
      const status = await callChannel(cli, 'serving:start', req);
      if (cli.json) cli.out(JSON.stringify(status));
      else {
        const ab = status.split
          ? `; ${Math.round(status.split.share * 100)}% of requests to @${status.split.alias} (version ${status.challengerVersion})`
          : '';
        cli.out(`Serving ${req.name} version ${status.version} (${formatModelReference(req.name, req.selector)}${ab}) at ${status.url}`);
        cli.out(`  POST ${status.url}/predict  {"features": [...]} | {"instances": [[...]]} | {"records": [{...}]}`);
        cli.out(`  POST ${status.url}/invocations (MLflow)   GET /health  /ping  /version`);
        cli.out(`Prediction log ${req.logPredictions ? 'on' : 'off'}. Press Ctrl-C to stop.`);
      }
      const how = await untilStopped(cli, status.id);
      const final = how === 'interrupted' ? await cli.app().serving.stop(status.id) : how;
      if (!cli.json) cli.out(`Stopped after ${final.predictionsServed} prediction${final.predictionsServed === 1 ? '' : 's'}.`);
      if (how !== 'interrupted' && final.error) {
        cli.err(`error: ${final.error}`);
        return 1;
      }
      return 0;
    });
  },
};

export const SERVING_COMMANDS: readonly CliCommand[] = [serveCommand];
