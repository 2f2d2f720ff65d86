/**
 * What main does when a process of the app goes away: the pure decisions,
 * kept free of `electron` so they are unit-tested (index.ts wires them to
 * `render-process-gone`, `child-process-gone` and `unresponsive`).
 */

/** Why a process went away (Electron's RenderProcessGoneDetails / child-process-gone `reason`). */
export type ProcessGoneReason =
  'clean-exit' | 'abnormal-exit' | 'killed' | 'crashed' | 'oom' | 'launch-failed' | 'integrity-failure' | 'memory-eviction';

/** How many renderer losses in how long mean "stop reloading": the page itself is what crashes. */
export interface CrashLoopGuard {
  maxLosses: number;
  withinMs: number;
}

/** Three losses within a minute: a fourth reload would only crash again. */
export const DEFAULT_CRASH_LOOP_GUARD: CrashLoopGuard = { maxLosses: 3, withinMs: 60_000 };

/** Reasons a reload cannot fix: the process never started, or the OS refused its code. */
const NOT_RELOADABLE: readonly ProcessGoneReason[] = ['launch-failed', 'integrity-failure'];

/** The decision for one renderer loss, with the loss times to remember for the next one. */
export type RendererRecovery =
  { action: 'reload'; recentLosses: number[] } | { action: 'show-error'; recentLosses: number[]; message: string; detail: string };

/**
 * Decides what to do when the window's renderer is gone: reload it, unless a
 * reload cannot help (launch or integrity failure) or it has been lost
 * `maxLosses` times within `withinMs` (a crash loop) — then show an error
 * naming the reason and where the log is, instead of a blank window.
 *
 * @param recentLosses times (ms) of earlier losses, as returned by the previous call
 * @param now the time of this loss (ms)
 */
export function decideRendererRecovery(
  details: { reason: ProcessGoneReason; exitCode: number },
  recentLosses: readonly number[],
  now: number,
  logFile: string,
  guard: CrashLoopGuard = DEFAULT_CRASH_LOOP_GUARD,
): RendererRecovery {
  const losses = [...recentLosses.filter((t) => now - t < guard.withinMs), now];
  const detail = `Reason: ${details.reason} (exit code ${details.exitCode}). The log is in ${logFile}.`;
  if (NOT_RELOADABLE.includes(details.reason)) {
    return { action: 'show-error', recentLosses: losses, message: 'The MLOps Workbench window could not start its page.', detail };
  }
  if (losses.length >= guard.maxLosses) {
    const seconds = Math.round(guard.withinMs / 1000);
    return {
      action: 'show-error',
      recentLosses: losses,
      message: `The MLOps Workbench window stopped ${losses.length} times in ${seconds} seconds, so it was not reloaded again.`,
      detail,
    };
  }
  return { action: 'reload', recentLosses: losses };
}

/** A log line for a child process (utility worker, GPU…) that went away, and how loud it should be. */
export function describeChildProcessGone(details: {
  type: string;
  reason: ProcessGoneReason;
  exitCode: number;
  serviceName?: string;
  name?: string;
}): {
  level: 'info' | 'warn' | 'error';
  line: string;
} {
  const who = [details.type, details.name ?? details.serviceName].filter(Boolean).join(' ');
  const line = `child process gone: ${who}, reason ${details.reason}, exit code ${details.exitCode}`;
  if (details.reason === 'clean-exit') return { level: 'info', line };
  // A GPU process is restarted by Chromium; a lost worker's job is failed by the job supervisor.
  return { level: details.reason === 'killed' ? 'warn' : 'error', line };
}
