import { AppError } from '../../../shared/errors';
import type { VersionSelector } from '../../../shared/registry';
import type { PredictionLogEntry, PredictionLogStats, ServerState, ServerStatus } from '../../../shared/serving';
import type { Db } from './database';

/** A new server's row (state 'starting'). */
export interface NewServer {
  name: string;
  selector: VersionSelector;
  host: string;
  port: number;
  logPredictions: boolean;
  split: { alias: string; share: number } | null;
  /** The process that starts it (see migrations/009-serving.ts). */
  ownerPid: number;
  startedAt: number;
}

/** What may change on a server's row. */
export type ServerPatch = Partial<
  Pick<ServerStatus, 'state' | 'pid' | 'version' | 'challengerVersion' | 'stoppedAt' | 'error' | 'predictionsServed'>
>;

/** A logged prediction as stored (with its row id, the log's order). */
export interface PredictionLogRow extends PredictionLogEntry {
  id: number;
}

/** A prediction_log row with its JSON columns already written out (what the serving manager inserts). */
export interface EncodedPrediction {
  predictionId: string;
  serverId: number | null;
  model: string;
  version: number;
  at: number;
  latencyMs: number;
  inputsJson: string;
  predictionJson: string;
  probabilitiesJson: string | null;
  source: 'server' | 'batch';
}

/** Which logged predictions to read: a model, optionally one version and a time window (epoch ms, inclusive). */
export interface PredictionLogQuery {
  model: string;
  version?: number;
  from?: number;
  to?: number;
  /** Rows after this id (paging forward); default from the start of the window. */
  afterId?: number;
  limit?: number;
}

interface ServerRow {
  id: number;
  name: string;
  selector: string;
  host: string;
  port: number;
  state: ServerState;
  pid: number | null;
  owner_pid: number;
  started_at: number;
  stopped_at: number | null;
  version: number | null;
  challenger_version: number | null;
  split: string | null;
  log_predictions: number;
  predictions_served: number;
  error: string | null;
}

interface LogRow {
  id: number;
  prediction_id: string;
  server_id: number | null;
  model: string;
  version: number;
  at: number;
  latency_ms: number;
  inputs: string;
  prediction: string;
  probabilities: string | null;
  source: 'server' | 'batch';
}

/** The URL a client uses; IPv6 literals go in brackets. */
export function serverUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function toStatus(r: ServerRow): ServerStatus {
  return {
    id: r.id,
    name: r.name,
    selector: JSON.parse(r.selector),
    host: r.host,
    port: r.port,
    url: serverUrl(r.host, r.port),
    state: r.state,
    pid: r.pid,
    startedAt: r.started_at,
    stoppedAt: r.stopped_at,
    version: r.version,
    challengerVersion: r.challenger_version,
    split: r.split ? JSON.parse(r.split) : null,
    logPredictions: r.log_predictions === 1,
    predictionsServed: r.predictions_served,
    error: r.error,
  };
}

function toEntry(r: LogRow): PredictionLogRow {
  return {
    id: r.id,
    predictionId: r.prediction_id,
    serverId: r.server_id,
    model: r.model,
    version: r.version,
    at: r.at,
    latencyMs: r.latency_ms,
    inputs: JSON.parse(r.inputs),
    prediction: JSON.parse(r.prediction),
    probabilities: r.probabilities === null ? null : JSON.parse(r.probabilities),
    source: r.source,
  };
}

const PATCH_COLUMNS: Record<keyof ServerPatch, string> = {
  state: 'state',
  pid: 'pid',
  version: 'version',
  challengerVersion: 'challenger_version',
  stoppedAt: 'stopped_at',
  error: 'error',
  predictionsServed: 'predictions_served',
};

/** Rows per INSERT statement when writing a log batch (10 parameters each, well under SQLite's limit). */
const LOG_ROWS_PER_INSERT = 50;

function pushLogParams(params: unknown[], r: EncodedPrediction): unknown[] {
  params.push(
    r.predictionId,
    r.serverId,
    r.model,
    r.version,
    r.at,
    r.latencyMs,
    r.inputsJson,
    r.predictionJson,
    r.probabilitiesJson,
    r.source,
  );
  return params;
}

/** Stopped servers kept in the list beside the running ones. */
const RECENT_STOPPED = 50;

/** Scoring servers and the prediction log (see migrations/009-serving.ts). */
export function createServingRepo(db: Db) {
  const insertSql =
    'INSERT INTO prediction_log (prediction_id, server_id, model, version, at, latency_ms, inputs, prediction, probabilities, source) VALUES ';
  const oneRow = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
  const insertLog = db.prepare(insertSql + oneRow);
  const insertLogMany = db.prepare(insertSql + Array.from({ length: LOG_ROWS_PER_INSERT }, () => oneRow).join(', '));
  const pruneLog = db.prepare('DELETE FROM prediction_log WHERE id <= (SELECT MAX(id) FROM prediction_log) - ?');

  const repo = {
    insertServer(s: NewServer): ServerStatus {
      const id = Number(
        db
          .prepare(
            `INSERT INTO scoring_servers (name, selector, host, port, state, owner_pid, started_at, split, log_predictions)
             VALUES (?, ?, ?, ?, 'starting', ?, ?, ?, ?)`,
          )
          .run(
            s.name,
            JSON.stringify(s.selector),
            s.host,
            s.port,
            s.ownerPid,
            s.startedAt,
            s.split ? JSON.stringify(s.split) : null,
            s.logPredictions ? 1 : 0,
          ).lastInsertRowid,
      );
      return repo.getServer(id);
    },

    updateServer(id: number, patch: ServerPatch): ServerStatus {
      const keys = (Object.keys(patch) as (keyof ServerPatch)[]).filter((k) => patch[k] !== undefined);
      if (keys.length) {
        db.prepare(`UPDATE scoring_servers SET ${keys.map((k) => `${PATCH_COLUMNS[k]} = ?`).join(', ')} WHERE id = ?`).run(
          ...keys.map((k) => patch[k]),
          id,
        );
      }
      return repo.getServer(id);
    },

    getServer(id: number): ServerStatus {
      const row = db.prepare('SELECT * FROM scoring_servers WHERE id = ?').get(id) as ServerRow | undefined;
      if (!row) throw new AppError('not_found', `No scoring server ${id}.`);
      return toStatus(row);
    },

    /** Running and starting servers first (newest first), then the most recent stopped or failed ones. */
    listServers(filter: { name?: string } = {}): ServerStatus[] {
      const where = filter.name === undefined ? '' : 'AND name = ?';
      const params = filter.name === undefined ? [] : [filter.name];
      const live = db
        .prepare(`SELECT * FROM scoring_servers WHERE state IN ('starting','running') ${where} ORDER BY started_at DESC, id DESC`)
        .all(...params) as ServerRow[];
      const ended = db
        .prepare(
          `SELECT * FROM scoring_servers WHERE state IN ('stopped','failed') ${where} ORDER BY started_at DESC, id DESC LIMIT ${RECENT_STOPPED}`,
        )
        .all(...params) as ServerRow[];
      return [...live, ...ended].map(toStatus);
    },

    /**
     * At start-up: servers whose owning process is gone (a crash, a killed
     * CLI) are marked stopped. Servers of a live owner (another app or
     * `mlwb serve` on this workspace) are left alone.
     */
    stopOrphanedServers(isAlive: (pid: number) => boolean, nowMs: number): number {
      const rows = db.prepare(`SELECT id, owner_pid FROM scoring_servers WHERE state IN ('starting','running')`).all() as {
        id: number;
        owner_pid: number;
      }[];
      const stop = db.prepare(
        `UPDATE scoring_servers SET state = 'stopped', stopped_at = ?, pid = NULL, error = 'The app that started this server closed while it was running.' WHERE id = ?`,
      );
      let n = 0;
      for (const r of rows) if (!isAlive(r.owner_pid)) n += stop.run(nowMs, r.id).changes;
      return n;
    },

    /**
     * Appends a batch of logged predictions and prunes the oldest rows beyond
     * `cap`, in one transaction (one write per batch, however many rows).
     */
    appendPredictions(entries: readonly PredictionLogEntry[], cap: number): void {
      repo.appendEncodedPredictions(
        entries.map((e) => ({
          predictionId: e.predictionId,
          serverId: e.serverId,
          model: e.model,
          version: e.version,
          at: e.at,
          latencyMs: e.latencyMs,
          inputsJson: JSON.stringify(e.inputs),
          predictionJson: JSON.stringify(e.prediction),
          probabilitiesJson: e.probabilities === null ? null : JSON.stringify(e.probabilities),
          source: e.source,
        })),
        cap,
      );
    },

    /** {@link appendPredictions} for rows whose JSON is written already (the scoring servers' batches). */
    appendEncodedPredictions(rows: readonly EncodedPrediction[], cap: number): void {
      if (!rows.length) return;
      db.transaction(() => {
        // Many rows per statement: one call into SQLite per LOG_ROWS_PER_INSERT rows instead of per row.
        let i = 0;
        const params: unknown[] = [];
        for (; i + LOG_ROWS_PER_INSERT <= rows.length; i += LOG_ROWS_PER_INSERT) {
          params.length = 0;
          for (let j = i; j < i + LOG_ROWS_PER_INSERT; j++) pushLogParams(params, rows[j]);
          insertLogMany.run(params);
        }
        for (; i < rows.length; i++) insertLog.run(pushLogParams([], rows[i]));
        pruneLog.run(cap);
      })();
    },

    /** Prunes the log to `cap` rows (after the cap is lowered in settings). */
    prunePredictions(cap: number): number {
      return pruneLog.run(cap).changes;
    },

    /** Counts for maturity evidence: servers ever started, those with an A/B split, distinct models served, predictions logged. */
    servingCounts(): { servers: number; splitServers: number; models: number; predictions: number } {
      return db
        .prepare(
          `SELECT (SELECT COUNT(*) FROM scoring_servers) AS servers,
                  (SELECT COUNT(*) FROM scoring_servers WHERE split IS NOT NULL) AS splitServers,
                  (SELECT COUNT(DISTINCT name) FROM scoring_servers) AS models,
                  (SELECT COUNT(*) FROM prediction_log) AS predictions`,
        )
        .get() as { servers: number; splitServers: number; models: number; predictions: number };
    },
    logStats(cap: number): PredictionLogStats {
      const r = db.prepare('SELECT COUNT(*) AS rows, MIN(at) AS oldest, MAX(at) AS newest FROM prediction_log').get() as {
        rows: number;
        oldest: number | null;
        newest: number | null;
      };
      return { rows: r.rows, cap, oldestAt: r.oldest, newestAt: r.newest };
    },

    /** Logged predictions of a model (a version, a time window), oldest first. */
    listPredictions(q: PredictionLogQuery): PredictionLogRow[] {
      const { sql, params } = logWhere(q);
      const limit = Math.min(Math.max(q.limit ?? 1000, 1), 100_000);
      return (db.prepare(`SELECT * FROM prediction_log WHERE ${sql} ORDER BY id LIMIT ${limit}`).all(params) as LogRow[]).map(toEntry);
    },

    /** How many predictions a model (a version, a time window) has in the log. */
    countPredictions(q: Omit<PredictionLogQuery, 'afterId' | 'limit'>): number {
      const { sql, params } = logWhere(q);
      return (db.prepare(`SELECT COUNT(*) AS n FROM prediction_log WHERE ${sql}`).get(params) as { n: number }).n;
    },

    /** Versions of a model with logged predictions, and their counts and time span. */
    loggedVersions(model: string): { version: number; rows: number; firstAt: number; lastAt: number }[] {
      return db
        .prepare(
          'SELECT version, COUNT(*) AS rows, MIN(at) AS firstAt, MAX(at) AS lastAt FROM prediction_log WHERE model = ? GROUP BY version ORDER BY version',
        )
        .all(model) as { version: number; rows: number; firstAt: number; lastAt: number }[];
    },
  };
  return repo;
}

function logWhere(q: Omit<PredictionLogQuery, 'limit'>): { sql: string; params: Record<string, unknown> } {
  const parts = ['model = @model'];
  const params: Record<string, unknown> = { model: q.model };
  if (q.version !== undefined) {
    parts.push('version = @version');
    params.version = q.version;
  }
  if (q.from !== undefined) {
    parts.push('at >= @from');
    params.from = q.from;
  }
  if (q.to !== undefined) {
    parts.push('at <= @to');
    params.to = q.to;
  }
  if (q.afterId !== undefined) {
    parts.push('id > @afterId');
    params.afterId = q.afterId;
  }
  return { sql: parts.join(' AND '), params };
}
export type ServingRepo = ReturnType<typeof createServingRepo>;
