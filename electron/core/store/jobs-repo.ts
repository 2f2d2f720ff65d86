import type { JobRecord, JobStatus } from '../../../shared/jobs';
import { AppError } from '../../../shared/errors';
import type { Db } from './database';

interface JobRow {
  id: number;
  kind: string;
  title: string;
  params: string;
  status: JobStatus;
  progress_done: number;
  progress_total: number;
  progress_message: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  result: string | null;
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    status: row.status,
    progressDone: row.progress_done,
    progressTotal: row.progress_total,
    progressMessage: row.progress_message,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
    result: row.result === null ? null : JSON.parse(row.result),
  };
}

const now = () => new Date().toISOString();

/** Typed access to the jobs table. */
export function createJobsRepo(db: Db) {
  const byId = db.prepare('SELECT * FROM jobs WHERE id = ?');
  const finish = db.prepare(
    `UPDATE jobs SET status = @status, finished_at = @at, error = @error, result = @result WHERE id = @id AND status IN ('queued','running')`,
  );
  return {
    /** Records a new queued job and returns it. */
    createJob(kind: string, title: string, params: unknown): JobRecord {
      const info = db
        .prepare(`INSERT INTO jobs (kind, title, params, status, created_at) VALUES (?, ?, ?, 'queued', ?)`)
        .run(kind, title, JSON.stringify(params ?? {}), now());
      return this.getJob(Number(info.lastInsertRowid));
    },
    getJob(id: number): JobRecord {
      const row = byId.get(id) as JobRow | undefined;
      if (!row) throw new AppError('not_found', `No job with id ${id}.`);
      return toRecord(row);
    },
    getJobParams(id: number): unknown {
      const row = byId.get(id) as JobRow | undefined;
      return row ? JSON.parse(row.params) : undefined;
    },
    /** Newest first. The tray's view leaves out dismissed jobs; a page listing one kind's history includes them. */
    listJobs(limit = 50, options: { kind?: string; includeDismissed?: boolean } = {}): JobRecord[] {
      const where = [options.includeDismissed ? null : 'dismissed = 0', options.kind === undefined ? null : 'kind = @kind'].filter(Boolean);
      const sql = `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`;
      return (db.prepare(sql).all({ limit, kind: options.kind }) as JobRow[]).map(toRecord);
    },
    markJobRunning(id: number): void {
      db.prepare(`UPDATE jobs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'`).run(now(), id);
    },
    updateJobProgress(id: number, done: number, total: number, message: string | null): void {
      db.prepare(
        `UPDATE jobs SET progress_done = ?, progress_total = ?, progress_message = ? WHERE id = ? AND status = 'running'`,
      ).run(done, total, message, id);
    },
    markJobSucceeded(id: number, result: unknown): void {
      finish.run({ id, status: 'succeeded', at: now(), error: null, result: JSON.stringify(result ?? null) });
    },
    markJobFailed(id: number, error: string): void {
      finish.run({ id, status: 'failed', at: now(), error, result: null });
    },
    markJobCancelled(id: number): void {
      finish.run({ id, status: 'cancelled', at: now(), error: null, result: null });
    },
    /** At start-up: jobs a previous process left queued or running can never finish; mark them failed. */
    failInterruptedJobs(): number {
      return db
        .prepare(
          `UPDATE jobs SET status = 'failed', finished_at = ?, error = 'interrupted: the app stopped while this job was running' WHERE status IN ('queued','running')`,
        )
        .run(now()).changes;
    },
    /** Hides finished jobs from the tray; their rows (and results) stay. */
    dismissFinishedJobs(): number {
      return db.prepare(`UPDATE jobs SET dismissed = 1 WHERE dismissed = 0 AND status IN ('succeeded','failed','cancelled')`).run().changes;
    },
    countJobsByStatus(): Record<string, number> {
      const rows = db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as { status: string; n: number }[];
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
  };
}
export type JobsRepo = ReturnType<typeof createJobsRepo>;
