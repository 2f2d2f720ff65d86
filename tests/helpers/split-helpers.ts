/**
 * Splitter options for tests: helper threads that are surely running before
 * the first job (so they take part), on the real entry or on a test-only one
 * that fails, with the helpers started kept for the test to inspect.
 */
import path from 'node:path';
import {
  helperEntry,
  splitHelperEntry,
  startSplitHelper,
  type HelperEntry,
  type SplitHelper,
  type SplitterOptions,
} from '../../electron/core/training/gradient-split';

const FAILING_ENTRY = path.join(__dirname, 'failing-split-helper.ts');

/** Splitter options whose helpers are ready before the first job; `started` lists them. */
export interface TestHelperOptions extends SplitterOptions {
  started: SplitHelper[];
}

/** Starts helpers on `entry` and waits until each is ready; throws if there is no entry or one does not start. */
function startedOn(entry: HelperEntry | null): TestHelperOptions {
  if (!entry) throw new Error('split-helper entry not found (electron/workers/split-helper.ts)');
  const started: SplitHelper[] = [];
  return {
    started,
    startHelper: (session) => {
      const helper = startSplitHelper(session, entry);
      if (!helper?.waitForStart()) throw new Error(`helper thread on ${entry.file} did not start`);
      started.push(helper);
      return helper;
    },
  };
}

/** The production helper entry, started before the first job. */
export function readyHelper(): TestHelperOptions {
  return startedOn(splitHelperEntry());
}

/** A helper running the real session loop that throws on its chunk number `failAt` (0 = first) of each session. */
export function failingHelper(failAt: number): TestHelperOptions {
  return startedOn(helperEntry(FAILING_ENTRY, [String(failAt)]));
}
