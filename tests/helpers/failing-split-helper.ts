/**
 * Test-only helper-thread entry: the real session loop of
 * electron/workers/split-helper.ts, whose chunk runner throws on the chunk
 * numbered process.argv[2] of each session (0 = the first chunk it takes).
 * Not part of the build; tests start it with failingHelper(n) (split-helpers.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runHelperChunk, serveHelperSessions, type HelperSessionData } from '../../electron/core/training/gradient-jobs';

const failAt = Number(process.argv[2]);
serveHelperSessions(workerData as HelperSessionData, parentPort!, (session, c, nth) => {
  if (nth === failAt) throw new Error(`injected failure at chunk ${nth}`);
  runHelperChunk(session, c, nth);
});
