/**
 * Entry of gradient boosting's helper thread (a worker_threads Worker started
 * by electron/core/training/gradient-split.ts, from the job worker or any
 * process that trains). Built to out/main/split-helper.js next to the job
 * worker. Thin on purpose: the job code lives in core/training/gradient-jobs.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serveHelperSessions, type HelperSessionData } from '../core/training/gradient-jobs';

if (!parentPort) throw new Error('split-helper must be started as a worker thread by the gradient splitter.');
serveHelperSessions(workerData as HelperSessionData, parentPort);
