import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /**
   * Path to a better-sqlite3 binary built for this runtime. Electron and Node have
   * different native ABIs; main passes the Electron build here, Node uses the default.
   */
  nativeBinding?: string;
  migrations?: readonly Migration[];
}

/**
 * Opens (or creates) the workspace database: WAL, foreign keys, busy timeout,
 * then applies pending migrations. A file that is not a SQLite database, or one
 * that fails its quick check, is reported with its path and never overwritten.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  const existed = fs.existsSync(file);
  let db: Db;
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (err) {
    throw new AppError('workspace_unavailable', `Cannot open the workspace database ${file}: ${(err as Error).message}`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    if (existed) {
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(String(check));
    }
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
  } catch (err) {
    db.close();
    const message = (err as Error).message;
    if (/not a database|malformed|corrupt|quick_check|disk image/i.test(message) || existed) {
      throw new AppError(
        'store_corrupt',
        `The workspace database ${file} is damaged or is not a MLOps Workbench database (${message}). It was left untouched; move it aside or choose another workspace.`,
      );
    }
    throw new AppError('workspace_unavailable', `Cannot use the workspace database ${file}: ${message}`);
  }
  try {
    applyMigrations(db, options.migrations ?? MIGRATIONS);
  } catch (err) {
    db.close();
    if (err instanceof AppError) throw err;
    throw new AppError('workspace_unavailable', `Cannot update the workspace database ${file}: ${(err as Error).message}`);
  }
  return db;
}

/**
 * Applies every migration not yet recorded, in order, each in its own
 * transaction. Tracking the set (not just the highest number) lets numbers
 * reserved by one capability land after a later one without being skipped.
 */
export function applyMigrations(db: Db, migrations: readonly Migration[]): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const known = new Set(migrations.map((m) => m.version));
  const unknown = [...applied].filter((v) => !known.has(v));
  if (unknown.length) {
    throw new AppError(
      'workspace_unavailable',
      `This workspace was written by a newer version of MLOps Workbench (schema ${Math.max(...unknown)}, this app knows up to ${Math.max(0, ...known)}). Update the app to open it.`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
  }
  return currentSchemaVersion(db);
}

/** The highest applied migration number (0 for a new database). */
export function currentSchemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** Default file name of the database inside a workspace folder. */
export const DATABASE_FILE = 'workbench.sqlite';

/** Path of the database inside a workspace. */
export function databasePath(workspaceDir: string): string {
  return path.join(workspaceDir, DATABASE_FILE);
}
