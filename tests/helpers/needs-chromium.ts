import type { TestContext } from 'vitest';
import { findChromiumExecutable } from '../../electron/core/reports/chromium-printer';

/** Why a test that needs Chromium cannot run, with what to install. */
export const NO_CHROMIUM = 'no Chromium found (Debian/Ubuntu: `sudo apt-get install -y chromium`, or set MLWB_CHROMIUM to its path)';

const warned = new Set<string>();

/**
 * Skips the current test for `reason` on a developer's machine — the reason is
 * printed once per file and shown by `--reporter=verbose` — but fails it under
 * CI (`CI=true`), where a skipped test would hide a missing dependency and a
 * green run would claim what was never checked.
 */
export function skipOutsideCi(ctx: TestContext, reason: string): void {
  if (process.env.CI === 'true') throw new Error(`Cannot run under CI: ${reason}. A test skipped in CI counts as a failure.`);
  if (!warned.has(reason)) {
    warned.add(reason);
    console.warn(`Skipping tests: ${reason}.`);
  }
  ctx.skip(reason);
}

/**
 * For every test that prints PDFs or drives a browser: call first in the test,
 * or pass to `beforeEach` for a whole `describe`. Does nothing when a Chromium
 * is installed; otherwise {@link skipOutsideCi}.
 */
export function skipWithoutChromium(ctx: TestContext): void {
  if (!findChromiumExecutable()) skipOutsideCi(ctx, NO_CHROMIUM);
}
