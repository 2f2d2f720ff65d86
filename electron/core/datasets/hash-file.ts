import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Size of the single reused read buffer: large enough to amortise syscalls, small enough to stay in L2/L3. */
export const READ_CHUNK_BYTES = 1 << 20;

/** Anything with an `aborted` flag: an AbortSignal or a plain object a worker flips on a cancel message. */
export interface CancelCheck {
  readonly aborted: boolean;
}

/** Thrown when a cancel check fires mid-operation. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

/** Thrown when the file's size or mtime differ before and after reading it. */
export class FileChangedError extends Error {
  constructor(path: string) {
    super(`The file changed while it was being read: ${path}. Nothing was imported; try again once it is no longer being written.`);
    this.name = 'FileChangedError';
  }
}

/** Progress of a streamed read. */
export interface ByteProgress {
  bytesDone: number;
  bytesTotal: number;
}

/** Options of {@link hashFile}. */
export interface HashFileOptions {
  /** Also compute MD5 (DVC's hash). Off by default: it roughly halves throughput. */
  md5?: boolean;
  onProgress?: (p: ByteProgress) => void;
  signal?: CancelCheck;
  /** Minimum bytes between progress callbacks (default 16 MiB). */
  progressEveryBytes?: number;
}

/** Hashes of a file plus the stat it was taken against. */
export interface FileHashes {
  sha256: string;
  md5?: string;
  size: number;
  mtimeMs: number;
}

/**
 * Streams a file through SHA-256 (and optionally MD5) with `readSync` into one
 * reused 1 MiB buffer. Synchronous reads are deliberate: in a worker there is
 * nothing else to interleave, and they avoid the per-chunk allocation and
 * event-loop hops that make `createReadStream` the bottleneck. Memory is
 * constant (one buffer). Throws FileChangedError if size/mtime moved while reading.
 */
export function hashFile(path: string, options: HashFileOptions = {}): FileHashes {
  const fd = openSync(path, 'r');
  try {
    const before = fstatSync(fd);
    const sha = createHash('sha256');
    const md5 = options.md5 ? createHash('md5') : null;
    const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    const every = options.progressEveryBytes ?? 16 * READ_CHUNK_BYTES;
    let done = 0;
    let nextReport = every;
    for (;;) {
      if (options.signal?.aborted) throw new CancelledError();
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      // subarray shares memory: update() consumes it synchronously before the next read.
      const view = n === buf.length ? buf : buf.subarray(0, n);
      sha.update(view);
      md5?.update(view);
      done += n;
      if (options.onProgress && done >= nextReport) {
        options.onProgress({ bytesDone: done, bytesTotal: before.size });
        nextReport = done + every;
      }
    }
    const after = fstatSync(fd);
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || done !== before.size) {
      throw new FileChangedError(path);
    }
    options.onProgress?.({ bytesDone: done, bytesTotal: before.size });
    const out: FileHashes = { sha256: sha.digest('hex'), size: done, mtimeMs: before.mtimeMs };
    if (md5) out.md5 = md5.digest('hex');
    return out;
  } finally {
    closeSync(fd);
  }
}
