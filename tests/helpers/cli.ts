import type { CliCommand } from '../../electron/cli/command';
import { createCliContext, parseCliArgs } from '../../electron/cli/index';
import type { TestApp } from './test-app';

/**
 * Runs `mlwb …` in-process on a test app with the given commands (workers
 * through tsx, no build needed): the same parsing as the bin, so an unknown
 * flag is refused here too (exit code 2).
 */
export async function runCli(
  app: TestApp,
  words: string[],
  commands: readonly CliCommand[],
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
  let code: number;
  try {
    const line = parseCliArgs(words, commands);
    if (!line.command) throw new Error(`no command for ${words.join(' ')}`);
    code = await line.command.run(createCliContext(line, io, () => app.ctx));
  } catch (e) {
    if ((e as { code?: string }).code !== 'bad_input') throw e;
    io.err((e as Error).message);
    code = 2;
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}
