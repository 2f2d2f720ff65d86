import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Content-addressed storage for large files, beside the database, laid out as
 * DVC's cache: `objects/ab/cdef…` where `abcdef…` is the SHA-256 of the bytes.
 * Writers fill a file under `objects/tmp/` and adopt it once its hash is known,
 * so a crash mid-write leaves at worst a temp file, which start-up removes.
 */
export interface ObjectStore {
  root: string;
  objectPath(hash: string): string;
  hasObject(hash: string): boolean;
  /** A fresh path under objects/tmp for a writer to fill. */
  createTempPath(suffix?: string): string;
  /** Moves a finished temp file to its content address; returns false (and deletes the temp) if the object already existed. */
  adoptTempFile(tempPath: string, hash: string): boolean;
  /** Stores bytes under their SHA-256 (once: identical bytes share one file); returns the hash and size. */
  writeObject(bytes: Buffer | string): { sha256: string; size: number };
  /**
   * Streams bytes into objects/ (hashed on the way, through a temp file);
   * `created` is false when the object already existed. On failure (or abort)
   * the temp file is removed and the error rethrown.
   */
  writeObjectStream(source: Readable, options?: { signal?: AbortSignal }): Promise<{ sha256: string; size: number; created: boolean }>;
  removeObject(hash: string): void;
  /** Deletes temp files left by crashed or cancelled writers; returns how many. */
  cleanTempFiles(): number;
}

const HASH_RE = /^[0-9a-f]{64}$/;

export function createObjectStore(root: string): ObjectStore {
  const tmpDir = path.join(root, 'tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  const objectPath = (hash: string) => {
    if (!HASH_RE.test(hash)) throw new Error(`Not a SHA-256 content hash: ${hash}`);
    return path.join(root, hash.slice(0, 2), hash.slice(2));
  };
  return {
    root,
    objectPath,
    hasObject: (hash) => fs.existsSync(objectPath(hash)),
    createTempPath(suffix = '') {
      return path.join(tmpDir, `${Date.now()}-${process.pid}-${crypto.randomBytes(6).toString('hex')}${suffix}`);
    },
    adoptTempFile(tempPath, hash) {
      const target = objectPath(hash);
      if (fs.existsSync(target)) {
        fs.rmSync(tempPath, { force: true });
        return false;
      }
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(tempPath, target);
      // Objects are immutable: a version's bytes must never change under it.
      fs.chmodSync(target, 0o444);
      return true;
    },
    writeObject(bytes) {
      const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
      const sha256 = crypto.createHash('sha256').update(buf).digest('hex');
      if (!fs.existsSync(objectPath(sha256))) {
        const temp = this.createTempPath();
        try {
          fs.writeFileSync(temp, buf);
          this.adoptTempFile(temp, sha256);
        } catch (err) {
          fs.rmSync(temp, { force: true });
          throw err;
        }
      }
      return { sha256, size: buf.length };
    },
    async writeObjectStream(source, options = {}) {
      const temp = this.createTempPath();
      const hash = crypto.createHash('sha256');
      let size = 0;
      const count = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          size += chunk.length;
          cb(null, chunk);
        },
      });
      try {
        await pipeline(source, count, fs.createWriteStream(temp, { flags: 'wx' }), { signal: options.signal });
      } catch (err) {
        fs.rmSync(temp, { force: true });
        throw err;
      }
      const sha256 = hash.digest('hex');
      return { sha256, size, created: this.adoptTempFile(temp, sha256) };
    },
    removeObject(hash) {
      fs.rmSync(objectPath(hash), { force: true });
    },
    cleanTempFiles() {
      let n = 0;
      for (const name of fs.readdirSync(tmpDir)) {
        fs.rmSync(path.join(tmpDir, name), { force: true, recursive: true });
        n++;
      }
      return n;
    },
  };
}
