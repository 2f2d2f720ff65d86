import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { SelfCheckParams, SelfCheckResult } from '../../../shared/jobs';
import type { JobKind } from './job-kind';
import type { WorkerTask } from './worker-task';

const CHUNK = 1 << 20;

/** Streams a file through SHA-256 with one reused buffer; calls `onChunk` with bytes read so far. */
export function hashFileSha256(file: string, onChunk?: (bytesRead: number) => void): string {
  const hash = crypto.createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  const fd = fs.openSync(file, 'r');
  try {
    let total = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      hash.update(n === CHUNK ? buf : buf.subarray(0, n));
      total += n;
      onChunk?.(total);
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Worker side of the self-check: hashes the bundled sample `passes` times and
 * checks every pass gives the same digest (disk, worker and hashing all work).
 */
export const selfCheckTask: WorkerTask<{ file: string; passes: number }, SelfCheckResult> = {
  name: 'self-check',
  run({ file, passes }, ctx) {
    const bytes = fs.statSync(file).size;
    const started = process.hrtime.bigint();
    let first = '';
    let consistent = true;
    for (let i = 0; i < passes; i++) {
      const digest = hashFileSha256(file);
      if (i === 0) first = digest;
      else if (digest !== first) consistent = false;
      ctx.progress(i + 1, passes, `${i + 1} / ${passes}`);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      file: path.basename(file),
      bytes,
      sha256: first,
      passes,
      consistent,
      mbPerSecond: (bytes * passes) / 1e6 / Math.max(seconds, 1e-9),
    };
  },
};

/** Main side: finds the bundled sample and runs the worker task. */
export const selfCheckJob: JobKind<SelfCheckParams, SelfCheckResult> = {
  kind: 'self-check',
  title: () => 'Self-check',
  async execute(ctx, params) {
    const file = selfCheckSamplePath(ctx.app.resourcesDir);
    const result = await ctx.runTask<SelfCheckResult>('self-check', { file, passes: params.passes });
    if (!result.consistent) throw new AppError('job_failed', `Hashing ${result.file} gave different digests across passes.`);
    return result;
  },
};

/** The file the self-check hashes: the bundled sample data set. */
export function selfCheckSamplePath(resourcesDir: string): string {
  const file = path.join(resourcesDir, 'sample', 'churn.csv');
  if (!fs.existsSync(file)) throw new AppError('not_found', `The bundled sample data set is missing: ${file}`);
  return file;
}

/** The foundation's own worker tasks, for the worker's task list (electron/workers/worker-tasks.ts). */
export const SELF_CHECK_TASKS: readonly WorkerTask[] = [selfCheckTask];
