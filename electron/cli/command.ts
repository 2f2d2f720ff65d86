import type { OptionSpecs, ParsedCommandLine } from '../core/command-line';
import type { AppContext } from '../core/app-context';

/** What a CLI command gets: its command line, already parsed against its options. */
export interface CliContext {
  /** Positional words after the command's name. */
  positionals: string[];
  /** The value of `--name VALUE` / `--name=VALUE` (the last one when repeated), or undefined. */
  value(name: string): string | undefined;
  /** Every value of a repeatable option (`--param a=1 --param b=2`). */
  values(name: string): string[];
  /** True when the switch `--name` was given. */
  has(name: string): boolean;
  /** True when `--json` was given: print one JSON document on stdout. */
  json: boolean;
  /** The app context, opened on first use (so `--help` needs no workspace). */
  app(): AppContext;
  out(text: string): void;
  err(text: string): void;
}

/**
 * One CLI command. `name` may have several words ("data import"); the longest
 * match wins. `options` are its flags (names without dashes; the global
 * `--workspace`, `--json` and `--help` are added): anything else on its
 * command line is a usage error. `run` returns the process exit code.
 */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options?: OptionSpecs;
  run(cli: CliContext): Promise<number>;
}

/** Prints a usage or input error and returns the exit code (2: the command line was wrong). */
export function fail(cli: Pick<CliContext, 'err'>, message: string, code = 2): number {
  cli.err(message);
  return code;
}

/** The CliContext accessors over a parsed command line. */
export function commandLineAccess(parsed: Pick<ParsedCommandLine, 'values'>): Pick<CliContext, 'value' | 'values' | 'has'> {
  const list = (name: string): Array<string | boolean> => {
    const v = parsed.values[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  return {
    value: (name) =>
      list(name)
        .filter((v): v is string => typeof v === 'string')
        .at(-1),
    values: (name) => list(name).filter((v): v is string => typeof v === 'string'),
    has: (name) => list(name).includes(true),
  };
}
