import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, FileChangedError, hashFile, READ_CHUNK_BYTES } from './hash-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlwb-hash-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function randomBytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    b[i] = s >>> 24;
  }
  return b;
}

describe('hashFile', () => {
  it('matches in-memory SHA-256 and MD5 across chunk boundaries', () => {
    for (const size of [0, 1, READ_CHUNK_BYTES - 1, READ_CHUNK_BYTES, READ_CHUNK_BYTES * 2 + 17]) {
      const data = randomBytes(size, size + 1);
      const p = join(dir, `f${size}`);
      writeFileSync(p, data);
      const h = hashFile(p, { md5: true });
      expect(h.sha256).toBe(createHash('sha256').update(data).digest('hex'));
      expect(h.md5).toBe(createHash('md5').update(data).digest('hex'));
      expect(h.size).toBe(size);
    }
  });

  it('computes MD5 only on request', () => {
    const p = join(dir, 'a');
    writeFileSync(p, 'abc');
    expect(hashFile(p).md5).toBeUndefined();
  });

  it('reports monotonic progress ending at the file size', () => {
    const p = join(dir, 'big');
    writeFileSync(p, randomBytes(READ_CHUNK_BYTES * 5 + 3, 9));
    const seen: number[] = [];
    hashFile(p, { onProgress: (q) => seen.push(q.bytesDone), progressEveryBytes: READ_CHUNK_BYTES });
    expect(seen.length).toBeGreaterThan(3);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(seen.at(-1)).toBe(READ_CHUNK_BYTES * 5 + 3);
  });

  it('stops with CancelledError when the cancel check fires', () => {
    const p = join(dir, 'big');
    writeFileSync(p, randomBytes(READ_CHUNK_BYTES * 4, 3));
    const signal = { aborted: false };
    expect(() =>
      hashFile(p, {
        signal,
        progressEveryBytes: READ_CHUNK_BYTES,
        onProgress: () => {
          signal.aborted = true;
        },
      }),
    ).toThrow(CancelledError);
  });

  it('fails with FileChangedError when the file grows while being hashed', () => {
    const p = join(dir, 'grow');
    writeFileSync(p, randomBytes(READ_CHUNK_BYTES * 3, 4));
    let appended = false;
    expect(() =>
      hashFile(p, {
        progressEveryBytes: READ_CHUNK_BYTES,
        onProgress: () => {
          if (!appended) appendFileSync(p, 'more');
          appended = true;
        },
      }),
    ).toThrow(FileChangedError);
    // the same bytes hash fine once the writer is done
    expect(hashFile(p).sha256).toBe(createHash('sha256').update(readFileSync(p)).digest('hex'));
  });
});
