import type { AppContext } from '../core/app-context';

/** What a CLI command gets. */
export interface CliContext {
  /** Arguments after the command words, global flags removed. */
  args: string[];
  /** True when `--json` was given: print one JSON document on stdout. */
  json: boolean;
  /** The app context, opened on first use (so `--help` needs no workspace). */
  app(): AppContext;
  out(text: string): void;
  err(text: string): void;
}

/**
 * One CLI command. `name` may have several words ("data import"); the longest
 * match wins. `run` returns the process exit code.
 */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(cli: CliContext): Promise<number>;
}

/** Prints a usage or input error and returns the exit code (2: the command line was wrong). */
export function fail(cli: Pick<CliContext, 'err'>, message: string, code = 2): number {
  cli.err(message);
  return code;
}

/** `--flag VALUE` / `--flag=VALUE`, or undefined. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

/** Every value of a repeatable flag (`--param a=1 --param b=2`). */
export function flagValues(args: readonly string[], flag: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if (a === flag && args[i + 1] !== undefined) out.push(args[i + 1]);
    else if (a.startsWith(`${flag}=`)) out.push(a.slice(flag.length + 1));
  });
  return out;
}

/** Positional arguments: those that are neither flags nor flag values. `valueFlags` lists flags that take a value. */
export function positionals(args: readonly string[], valueFlags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      if (valueFlags.includes(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}
