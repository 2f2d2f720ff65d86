/**
 * One wording for zod's complaints, used wherever input is parsed with the
 * contract's schemas: the IPC/host dispatcher ("Invalid request to X: …"),
 * the CLI ("--param nEstimators: …") and the training engine. So a value out
 * of range reads the same in the app, on the command line and in a job error.
 */
import type { z } from 'zod';

/** One issue as a path (dot-joined, '' for the whole object) and its message. */
export interface IssueLine {
  path: string;
  message: string;
}

/** The issues of a failed parse as path/message pairs. */
export function zodIssueLines(issues: readonly z.core.$ZodIssue[]): IssueLine[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/**
 * `path: message; path: message` (an issue about the whole object has no
 * path). `label` renames a path for the reader, e.g. `params.nEstimators` →
 * `--param nEstimators` in the CLI.
 */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[], label: (path: string) => string = (p) => p): string {
  return zodIssueLines(issues)
    .map((i) => {
      const where = label(i.path);
      return where ? `${where}: ${i.message}` : i.message;
    })
    .join('; ');
}
