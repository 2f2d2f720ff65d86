/**
 * The one command-line parser of every entry point (the Electron app, the
 * browser host and `mlwb`): Node's `util.parseArgs`, so `--flag VALUE`,
 * `--flag=VALUE`, repeated flags and `--` follow Node's rules in one place.
 */
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';

/** One option: a string (`--name VALUE`), possibly repeatable, or a boolean switch (`--json`). */
export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** One-letter alias (`-h`). */
  short?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** What a command line holds: option values by name (without the dashes) and the positional words. */
export interface ParsedCommandLine {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
  /** Index in the parsed args of each positional word, in order (for taking command words off). */
  positionalIndexes: number[];
}

/**
 * Parses `args` against `options`. Strict (the default): an unknown option,
 * a missing value or a value given to a switch throws AppError('bad_input')
 * with Node's first sentence ("Unknown option '--foo'"). Lenient: unknown
 * options are kept as switches, as the app must tolerate Electron's and
 * Chromium's own flags.
 */
export function parseCommandLine(
  args: readonly string[],
  options: OptionSpecs,
  { strict = true }: { strict?: boolean } = {},
): ParsedCommandLine {
  try {
    const { values, positionals, tokens } = parseArgs({ args: [...args], options, strict, allowPositionals: true, tokens: true });
    const positionalIndexes = tokens.filter((t) => t.kind === 'positional').map((t) => t.index);
    return { values: values as ParsedCommandLine['values'], positionals, positionalIndexes };
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw err;
    // Node's message goes on to explain `--`; its first sentence is the point.
    const message = (err as Error).message.split(/\.\s|\n/)[0].replace(/\.$/, '');
    throw new AppError('bad_input', `${message}.`);
  }
}

/** `--workspace DIR`: where the workspace lives, for the app, the host and the CLI alike. */
export const WORKSPACE_OPTION = { workspace: { type: 'string' } } as const satisfies OptionSpecs;

/**
 * The `--workspace` value of a command line that also holds other programs'
 * flags (Electron's argv), or undefined. A bare `--workspace` is refused.
 */
export function workspaceFlag(argv: readonly string[]): string | undefined {
  const v = parseCommandLine(argv, WORKSPACE_OPTION, { strict: false }).values.workspace;
  if (v === true) throw new AppError('bad_input', 'Option --workspace needs a folder: --workspace DIR.');
  return typeof v === 'string' ? v : undefined;
}
