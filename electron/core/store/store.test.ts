import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/helpers/test-app';
import { AppError } from '../../../shared/errors';
import { prepareWorkspaceDir } from '../workspace';
import { applyMigrations, openDatabase } from './database';
import { createStore } from './index';
import { MIGRATIONS } from './migrations';

const dirs: string[] = [];
const tempDir = () => {
  const d = makeTempDir();
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('store', () => {
  it('creates one database with WAL, foreign keys and every migration recorded', () => {
    const dir = tempDir();
    const store = createStore(dir);
    const health = store.health();
    expect(health.journalMode).toBe('wal');
    expect(health.foreignKeys).toBe(true);
    expect(health.integrity).toBe('ok');
    expect(health.schemaVersion).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    store.close();
    expect(fs.existsSync(path.join(dir, 'workbench.sqlite'))).toBe(true);
  });

  it('keeps data across reopen and does not re-apply migrations', () => {
    const dir = tempDir();
    const a = createStore(dir);
    a.settings.updateSettings({ language: 'ja' });
    const job = a.jobs.createJob('noop', 'Noop', { x: 1 });
    a.close();
    const b = createStore(dir);
    expect(b.settings.getSettings().language).toBe('ja');
    expect(b.jobs.getJob(job.id).title).toBe('Noop');
    expect(b.health().schemaVersion).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    b.close();
  });

  it('refuses a corrupt database file with its path, and leaves the bytes untouched', () => {
    const dir = tempDir();
    const file = path.join(dir, 'workbench.sqlite');
    const garbage = Buffer.from('this is not sqlite '.repeat(300));
    fs.writeFileSync(file, garbage);
    let error: unknown;
    try {
      createStore(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('store_corrupt');
    expect((error as AppError).message).toContain(file);
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
  });

  it('refuses a database written by a newer schema', () => {
    const dir = tempDir();
    const file = path.join(dir, 'workbench.sqlite');
    const db = openDatabase(file);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')").run();
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer version/);
  });

  it('applies a migration numbered below one already applied (reserved numbers landing late)', () => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'workbench.sqlite'), {
      migrations: [MIGRATIONS[0], { version: 5, name: 'five', sql: 'CREATE TABLE five (x INTEGER)' }],
    });
    applyMigrations(db, [
      MIGRATIONS[0],
      { version: 3, name: 'three', sql: 'CREATE TABLE three (x INTEGER)' },
      { version: 5, name: 'five', sql: 'CREATE TABLE five (x INTEGER)' },
    ]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'three'").get()).toEqual({ name: 'three' });
    expect(
      (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version),
    ).toEqual([1, 3, 5]);
    db.close();
  });

  it('rolls back a failing migration as a whole', () => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'workbench.sqlite'));
    const bad = [...MIGRATIONS, { version: 1000, name: 'bad', sql: 'CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table;' }];
    expect(() => applyMigrations(db, bad)).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    db.close();
  });

  it('names the path when the workspace is not a usable folder', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'x');
    expect(() => prepareWorkspaceDir(file)).toThrow(file);
    expect(() => prepareWorkspaceDir(path.join(file, 'sub'))).toThrow(/Cannot create the workspace folder/);
  });

  it('hides finished jobs from the tray on clear, keeping their rows and results', () => {
    const store = createStore(tempDir());
    const done = store.jobs.createJob('train', 'Train', {});
    store.jobs.markJobRunning(done.id);
    store.jobs.markJobSucceeded(done.id, { accuracy: 0.9 });
    const running = store.jobs.createJob('dataset-import', 'Import', {});
    store.jobs.markJobRunning(running.id);
    expect(store.jobs.dismissFinishedJobs()).toBe(1);
    expect(store.jobs.listJobs().map((j) => j.id)).toEqual([running.id]);
    expect(store.jobs.listJobs(10, { kind: 'train', includeDismissed: true })).toMatchObject([{ id: done.id, result: { accuracy: 0.9 } }]);
    expect(store.jobs.listJobs(10, { kind: 'train' })).toEqual([]);
    store.close();
  });

  it('marks jobs left running by a crash as failed (interrupted)', () => {
    const dir = tempDir();
    const a = createStore(dir);
    const job = a.jobs.createJob('noop', 'Noop', {});
    a.jobs.markJobRunning(job.id);
    a.close();
    const b = createStore(dir);
    expect(b.jobs.failInterruptedJobs()).toBe(1);
    const after = b.jobs.getJob(job.id);
    expect(after.status).toBe('failed');
    expect(after.error).toMatch(/interrupted/);
    b.close();
  });
});

describe('object store', () => {
  it('stores bytes at their hash once and cleans temp files', () => {
    const dir = tempDir();
    const store = createStore(dir);
    const { objects } = store;
    const hash = 'ab' + 'c'.repeat(62);
    const t1 = objects.createTempPath();
    fs.writeFileSync(t1, 'hello');
    expect(objects.adoptTempFile(t1, hash)).toBe(true);
    expect(fs.readFileSync(objects.objectPath(hash), 'utf8')).toBe('hello');
    expect(objects.objectPath(hash)).toBe(path.join(dir, 'objects', 'ab', 'c'.repeat(62)));
    const t2 = objects.createTempPath();
    fs.writeFileSync(t2, 'hello');
    expect(objects.adoptTempFile(t2, hash)).toBe(false);
    expect(fs.existsSync(t2)).toBe(false);
    fs.writeFileSync(objects.createTempPath(), 'orphan');
    expect(objects.cleanTempFiles()).toBe(1);
    expect(() => objects.objectPath('../../etc/passwd')).toThrow();
    store.close();
  });

  it('streams bytes in under their SHA-256 once, and a stream that fails leaves no temp file', async () => {
    const store = createStore(tempDir());
    const { objects } = store;
    const bytes = Buffer.from('streamed bytes '.repeat(10_000));
    const first = await objects.writeObjectStream(Readable.from([bytes.subarray(0, 70_000), bytes.subarray(70_000)]));
    expect(first).toEqual({ sha256: crypto.createHash('sha256').update(bytes).digest('hex'), size: bytes.length, created: true });
    expect(fs.readFileSync(objects.objectPath(first.sha256)).equals(bytes)).toBe(true);
    expect(await objects.writeObjectStream(Readable.from([bytes]))).toEqual({ ...first, created: false });
    const broken = new Readable({
      read() {
        this.push(Buffer.from('part'));
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(objects.writeObjectStream(broken)).rejects.toThrow(/connection reset/);
    expect(objects.cleanTempFiles()).toBe(0);
    store.close();
  });
});
