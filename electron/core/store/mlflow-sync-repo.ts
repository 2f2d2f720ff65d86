/**
 * Team server sync's tables (migrations/015-mlflow-sync.ts): the remotes, and
 * per remote URI the map of local ids to remote ids with each item's state
 * and progress. Tokens are never here (electron/core/secrets/).
 */
import { AppError } from '../../../shared/errors';
import type { SyncItemKind } from '../../../shared/mlflow-sync';
import type { Db } from './database';

export interface RemoteRow {
  name: string;
  uri: string;
  createdAt: number;
  lastPushAt: number | null;
  lastPullAt: number | null;
}

export type MapState = 'creating' | 'partial' | 'done';

export interface SyncMapEntry {
  remoteUri: string;
  kind: SyncItemKind;
  localId: string;
  remoteId: string | null;
  direction: 'push' | 'pull';
  state: MapState;
  progress: Record<string, unknown>;
  updatedAt: number;
}

interface MapRow {
  remote_uri: string;
  kind: SyncItemKind;
  local_id: string;
  remote_id: string | null;
  direction: 'push' | 'pull';
  state: MapState;
  progress: string;
  updated_at: number;
}

const toEntry = (r: MapRow): SyncMapEntry => ({
  remoteUri: r.remote_uri,
  kind: r.kind,
  localId: r.local_id,
  remoteId: r.remote_id,
  direction: r.direction,
  state: r.state,
  progress: JSON.parse(r.progress) as Record<string, unknown>,
  updatedAt: r.updated_at,
});

export function createMlflowSyncRepo(db: Db) {
  const remoteSelect = 'SELECT name, uri, created_at, last_push_at, last_pull_at FROM mlflow_remotes';
  const toRemote = (r: { name: string; uri: string; created_at: number; last_push_at: number | null; last_pull_at: number | null }) => ({
    name: r.name,
    uri: r.uri,
    createdAt: r.created_at,
    lastPushAt: r.last_push_at,
    lastPullAt: r.last_pull_at,
  });
  return {
    listRemotes(): RemoteRow[] {
      return (db.prepare(`${remoteSelect} ORDER BY name COLLATE NOCASE, uri`).all() as never[]).map(toRemote);
    },
    findRemote(uri: string): RemoteRow | undefined {
      const row = db.prepare(`${remoteSelect} WHERE uri = ?`).get(uri) as never;
      return row ? toRemote(row) : undefined;
    },
    /** Adds a remote, or renames the one with this URI. */
    saveRemote(name: string, uri: string): RemoteRow {
      db.prepare(
        'INSERT INTO mlflow_remotes (name, uri, created_at) VALUES (?, ?, ?) ON CONFLICT (uri) DO UPDATE SET name = excluded.name',
      ).run(name, uri, Date.now());
      return this.findRemote(uri)!;
    },
    /** Removes a remote and its id map (a later push to the same URI starts afresh and finds the remote's experiments by name). */
    removeRemote(uri: string): void {
      db.transaction(() => {
        const n = db.prepare('DELETE FROM mlflow_remotes WHERE uri = ?').run(uri).changes;
        if (n === 0) throw new AppError('not_found', `No remote with URI ${uri}.`);
        db.prepare('DELETE FROM mlflow_sync_map WHERE remote_uri = ?').run(uri);
      })();
    },
    /** Records when a push or pull to a remote ended (nothing for an ad hoc URI). */
    touchRemote(uri: string, direction: 'push' | 'pull', at = Date.now()): void {
      db.prepare(`UPDATE mlflow_remotes SET ${direction === 'push' ? 'last_push_at' : 'last_pull_at'} = ? WHERE uri = ?`).run(at, uri);
    },
    byLocal(remoteUri: string, kind: SyncItemKind, localId: string): SyncMapEntry | undefined {
      const row = db
        .prepare('SELECT * FROM mlflow_sync_map WHERE remote_uri = ? AND kind = ? AND local_id = ?')
        .get(remoteUri, kind, localId) as MapRow | undefined;
      return row ? toEntry(row) : undefined;
    },
    byRemote(remoteUri: string, kind: SyncItemKind, remoteId: string): SyncMapEntry | undefined {
      const row = db
        .prepare('SELECT * FROM mlflow_sync_map WHERE remote_uri = ? AND kind = ? AND remote_id = ?')
        .get(remoteUri, kind, remoteId) as MapRow | undefined;
      return row ? toEntry(row) : undefined;
    },
    /** Writes an item's mapping, state and progress (after each call the remote or the local store accepted). */
    setEntry(e: Omit<SyncMapEntry, 'updatedAt'>): void {
      db.prepare(
        `INSERT INTO mlflow_sync_map (remote_uri, kind, local_id, remote_id, direction, state, progress, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (remote_uri, kind, local_id) DO UPDATE SET remote_id = excluded.remote_id, state = excluded.state,
           progress = excluded.progress, updated_at = excluded.updated_at`,
      ).run(e.remoteUri, e.kind, e.localId, e.remoteId, e.direction, e.state, JSON.stringify(e.progress), Date.now());
    },
    deleteEntry(remoteUri: string, kind: SyncItemKind, localId: string): void {
      db.prepare('DELETE FROM mlflow_sync_map WHERE remote_uri = ? AND kind = ? AND local_id = ?').run(remoteUri, kind, localId);
    },
    entries(remoteUri: string): SyncMapEntry[] {
      return (db.prepare('SELECT * FROM mlflow_sync_map WHERE remote_uri = ? ORDER BY kind, local_id').all(remoteUri) as MapRow[]).map(
        toEntry,
      );
    },
    /** Points per metric key of a run (to tell whether a pushed run changed since). */
    metricPointCounts(runId: string): Record<string, number> {
      const rows = db.prepare('SELECT key, COUNT(*) AS n FROM metric_points WHERE run_id = ? GROUP BY key ORDER BY key').all(runId) as {
        key: string;
        n: number;
      }[];
      return Object.fromEntries(rows.map((r) => [r.key, r.n]));
    },
  };
}
export type MlflowSyncRepo = ReturnType<typeof createMlflowSyncRepo>;
