/**
 * `mlwb`: the workbench's core without a window. Global flags: `--workspace DIR`
 * (or MLWB_WORKSPACE), `--json`, `--help`.
 */
import { AppError } from '../../shared/errors';
import type { AppContext } from '../core/app-context';
import { createNodeAppContext } from '../host/node-app';
import type { CliCommand, CliContext } from './command';
import { COMMANDS } from './commands';

/** Finds the command whose words start argv, preferring the longest name. */
export function matchCommand(words: readonly string[], commands: readonly CliCommand[] = COMMANDS): { command: CliCommand; rest: string[] } | undefined {
  const sorted = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const command of sorted) {
    const parts = command.name.split(' ');
    if (parts.every((p, i) => words[i] === p)) return { command, rest: words.slice(parts.length) };
  }
  return undefined;
}

/** The text of `mlwb --help`. */
export function helpText(commands: readonly CliCommand[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'MLOps Workbench command line',
    '',
    'Usage: mlwb <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Global options:',
    '  --workspace DIR   workspace folder (default: $MLWB_WORKSPACE or ~/.mlops-workbench)',
    '  --json            machine-readable output',
    '  --help            this text, or a command\'s usage: mlwb <command> --help',
  ].join('\n');
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const STDIO: CliIo = {
  out: (t) => void process.stdout.write(`${t}\n`),
  err: (t) => void process.stderr.write(`${t}\n`),
};

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = STDIO): Promise<number> {
  // --workspace is read by the app context itself; drop it from the command words.
  const words = argv.filter((a, i) => a !== '--workspace' && argv[i - 1] !== '--workspace' && !a.startsWith('--workspace='));
  const wantsHelp = words.includes('--help') || words.includes('-h');
  const match = matchCommand(words.filter((w) => w !== '--help' && w !== '-h'));
  if (!match) {
    if (words.length === 0 || wantsHelp || words[0] === 'help') {
      io.out(helpText());
      return 0;
    }
    io.err(`Unknown command: ${words.join(' ')}\n\n${helpText()}`);
    return 2;
  }
  if (wantsHelp) {
    io.out(`${match.command.summary}\n\nUsage: ${match.command.usage}`);
    return 0;
  }
  let app: AppContext | undefined;
  const cli: CliContext = {
    args: match.rest.filter((a) => a !== '--json'),
    json: match.rest.includes('--json'),
    app: () => (app ??= createNodeAppContext({ argv, shell: 'cli' })),
    out: io.out,
    err: io.err,
  };
  try {
    return await match.command.run(cli);
  } catch (err) {
    io.err(err instanceof AppError ? `error: ${err.message}` : `error: ${(err as Error).stack ?? err}`);
    return 1;
  } finally {
    app?.close();
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
