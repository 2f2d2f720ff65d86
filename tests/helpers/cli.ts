import type { CliCommand, CliContext } from '../../electron/cli/command';
import { matchCommand } from '../../electron/cli/index';
import type { TestApp } from './test-app';

/** Runs `mlwb …` in-process on a test app with the given commands (workers through tsx, no build needed). */
export async function runCli(
  app: TestApp,
  words: string[],
  commands: readonly CliCommand[],
): Promise<{ code: number; out: string; err: string }> {
  const match = matchCommand(words, commands);
  if (!match) throw new Error(`no command for ${words.join(' ')}`);
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliContext = {
    args: match.rest.filter((x) => x !== '--json'),
    json: match.rest.includes('--json'),
    app: () => app.ctx,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  };
  const code = await match.command.run(cli);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
