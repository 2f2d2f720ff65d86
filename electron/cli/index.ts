/**
 * `mlwb`: the workbench's core without a window. Global flags: `--workspace DIR`
 * (or MLWB_WORKSPACE), `--json`, `--help`.
 */
import { AppError } from '../../shared/errors';
import type { AppContext } from '../core/app-context';
import { createNodeAppContext } from '../host/node-app';
import { parseCommandLine, WORKSPACE_OPTION, type OptionSpecs, type ParsedCommandLine } from '../core/command-line';
import { commandLineAccess, type CliCommand, type CliContext } from './command';
import { COMMANDS } from './commands';

/** Finds the command whose words start argv, preferring the longest name. */
export function matchCommand(
  words: readonly string[],
  commands: readonly CliCommand[] = COMMANDS,
): { command: CliCommand; rest: string[] } | undefined {
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
    "  --help            this text, or a command's usage: mlwb <command> --help",
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

/** `--workspace DIR`, `--json`, `--help`/`-h`: accepted by every command. */
export const GLOBAL_OPTIONS = {
  ...WORKSPACE_OPTION,
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

/** An argv split into its command and that command's parsed options. */
export interface CommandLine {
  /** The matched command, or undefined (no words, `help`, or an unknown command). */
  command?: CliCommand;
  /** The positional words: after the command's name when matched, all of them otherwise. */
  positionals: string[];
  values: ParsedCommandLine['values'];
  help: boolean;
  json: boolean;
  workspace?: string;
}

/**
 * Finds the command (its words may follow global flags) and parses the rest of
 * argv strictly against the command's options plus the global ones, so an
 * unknown flag or a missing value is refused (AppError 'bad_input').
 */
export function parseCliArgs(argv: readonly string[], commands: readonly CliCommand[] = COMMANDS): CommandLine {
  // First pass, lenient: only to find the command words among the flags.
  const loose = parseCommandLine(argv, GLOBAL_OPTIONS, { strict: false });
  const help = loose.values.help === true;
  const match = matchCommand(loose.positionals, commands);
  if (!match) return { positionals: loose.positionals, values: loose.values, help, json: loose.values.json === true };
  const words = new Set(loose.positionalIndexes.slice(0, match.command.name.split(' ').length));
  const rest = argv.filter((_, i) => !words.has(i));
  const parsed = parseCommandLine(rest, { ...match.command.options, ...GLOBAL_OPTIONS });
  const workspace = parsed.values.workspace;
  return {
    command: match.command,
    positionals: parsed.positionals,
    values: parsed.values,
    help: parsed.values.help === true,
    json: parsed.values.json === true,
    workspace: typeof workspace === 'string' ? workspace : undefined,
  };
}

/** The context a matched command runs with. */
export function createCliContext(line: CommandLine, io: CliIo, app: () => AppContext): CliContext {
  return { positionals: line.positionals, ...commandLineAccess(line), json: line.json, app, out: io.out, err: io.err };
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = STDIO): Promise<number> {
  let line: CommandLine;
  try {
    line = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // The command was found (else the lenient pass would not throw): show its usage.
    const match = matchCommand(parseCommandLine(argv, GLOBAL_OPTIONS, { strict: false }).positionals);
    io.err(`${err.message}${match ? `\n\nUsage: ${match.command.usage}` : ''}`);
    return 2;
  }
  const { command } = line;
  if (!command) {
    if (line.positionals.length === 0 || line.help || line.positionals[0] === 'help') {
      io.out(helpText());
      return 0;
    }
    io.err(`Unknown command: ${line.positionals.join(' ')}\n\n${helpText()}`);
    return 2;
  }
  if (line.help) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  let app: AppContext | undefined;
  const cli = createCliContext(line, io, () => (app ??= createNodeAppContext({ workspace: line.workspace, shell: 'cli' })));
  try {
    return await command.run(cli);
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
