import { AppError } from '../../../shared/errors';
import {
  PIPELINE_LIMITS,
  PIPELINE_STEPS,
  type PipelineDefinition,
  type PipelineLogLine,
  type PipelineNotification,
  type PipelineNotificationKind,
  type PipelineRun,
  type PipelineRunStatus,
  type PipelineStep,
  type PipelineStepDetail,
  type PipelineStepName,
  type PipelineStepStatus,
  type PipelineTrigger,
  type PipelineVersionRecord,
} from '../../../shared/pipelines';
import type { Db } from './database';

interface PipelineRow {
  id: number;
  name: string;
  enabled: number;
  version: number;
  created_at: number;
  created_by: string;
  updated_at: number;
  schedule_anchor: number | null;
  seen_version_id: number | null;
  seen_drift_check_id: number | null;
  watch_size: number | null;
  watch_mtime: number | null;
  watch_sha256: string | null;
  definition: string;
}

interface RunRow {
  id: number;
  pipeline_id: number;
  pipeline: string;
  pipeline_version: number;
  trigger: PipelineTrigger;
  status: PipelineRunStatus;
  started_at: number;
  finished_at: number | null;
  job_id: number | null;
  owner: string;
  reason: string | null;
  dataset_version_id: number | null;
  model_version: number | null;
}

interface StepRow {
  run_id: number;
  idx: number;
  name: PipelineStepName;
  status: PipelineStepStatus;
  started_at: number | null;
  finished_at: number | null;
  log: string;
  detail: string;
}

/** A stored pipeline: its current definition and what the scheduler remembers of its triggers. */
export interface PipelineRecord {
  id: number;
  name: string;
  enabled: boolean;
  version: number;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  definition: PipelineDefinition;
  triggerState: TriggerState;
}

/** What the scheduler has already acted on (so nothing fires twice). */
export interface TriggerState {
  /** The last schedule time handled (ms); the next due time is computed after it. */
  scheduleAnchor: number | null;
  /** The newest version of the source dataset a run was started for (or that existed when the trigger was enabled). */
  seenVersionId: number | null;
  /** The newest drift check of the model considered. */
  seenDriftCheckId: number | null;
  watchSize: number | null;
  watchMtime: number | null;
  watchSha256: string | null;
}

const TRIGGER_COLUMNS: Record<keyof TriggerState, string> = {
  scheduleAnchor: 'schedule_anchor',
  seenVersionId: 'seen_version_id',
  seenDriftCheckId: 'seen_drift_check_id',
  watchSize: 'watch_size',
  watchMtime: 'watch_mtime',
  watchSha256: 'watch_sha256',
};

const PIPELINE_SELECT = `
  SELECT p.*, v.definition FROM pipelines p
  JOIN pipeline_versions v ON v.pipeline_id = p.id AND v.version = p.version`;
const RUN_SELECT = `SELECT r.*, p.name AS pipeline FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id`;

function toPipeline(row: PipelineRow): PipelineRecord {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled === 1,
    version: row.version,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    definition: JSON.parse(row.definition) as PipelineDefinition,
    triggerState: {
      scheduleAnchor: row.schedule_anchor,
      seenVersionId: row.seen_version_id,
      seenDriftCheckId: row.seen_drift_check_id,
      watchSize: row.watch_size,
      watchMtime: row.watch_mtime,
      watchSha256: row.watch_sha256,
    },
  };
}

function toRun(row: RunRow): Omit<PipelineRun, 'steps'> {
  return {
    id: row.id,
    pipelineId: row.pipeline_id,
    pipeline: row.pipeline,
    pipelineVersion: row.pipeline_version,
    trigger: row.trigger,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    jobId: row.job_id,
    owner: row.owner,
    reason: row.reason,
    datasetVersionId: row.dataset_version_id,
    modelVersion: row.model_version,
  };
}

function toStep(row: StepRow): PipelineStep {
  return {
    name: row.name,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    log: JSON.parse(row.log) as PipelineLogLine[],
    detail: JSON.parse(row.detail) as PipelineStepDetail,
  };
}

/** What a run start needs: the pipeline, how it was triggered, who runs it, and the trigger state it consumes. */
export interface StartRun {
  pipelineId: number;
  trigger: PipelineTrigger;
  owner: string;
  now: number;
  /** Written with the run, in the same transaction (e.g. the schedule anchor moved past the due time). */
  consume?: Partial<TriggerState>;
}

export function createPipelinesRepo(db: Db) {
  const immediate = <T>(fn: () => T): T => db.transaction(fn).immediate();

  const get = (name: string): PipelineRecord => {
    const row = db.prepare(`${PIPELINE_SELECT} WHERE p.name = ? COLLATE NOCASE`).get(name) as PipelineRow | undefined;
    if (!row) throw new AppError('not_found', `No pipeline named "${name}".`);
    return toPipeline(row);
  };
  const getById = (id: number): PipelineRecord => {
    const row = db.prepare(`${PIPELINE_SELECT} WHERE p.id = ?`).get(id) as PipelineRow | undefined;
    if (!row) throw new AppError('not_found', `No pipeline with id ${id}.`);
    return toPipeline(row);
  };
  const runRow = (id: number): Omit<PipelineRun, 'steps'> => {
    const row = db.prepare(`${RUN_SELECT} WHERE r.id = ?`).get(id) as RunRow | undefined;
    if (!row) throw new AppError('not_found', `No pipeline run ${id}.`);
    return toRun(row);
  };
  const steps = (runId: number): PipelineStep[] =>
    (db.prepare('SELECT * FROM pipeline_steps WHERE run_id = ? ORDER BY idx').all(runId) as StepRow[]).map(toStep);
  const getRun = (id: number): PipelineRun => ({ ...runRow(id), steps: steps(id) });
  const stepIndex = (name: PipelineStepName) => PIPELINE_STEPS.indexOf(name);

  const repo = {
    immediate,
    get,
    getById,
    find: (name: string): PipelineRecord | null => {
      const row = db.prepare(`${PIPELINE_SELECT} WHERE p.name = ? COLLATE NOCASE`).get(name) as PipelineRow | undefined;
      return row ? toPipeline(row) : null;
    },
    list: (options: { enabledOnly?: boolean } = {}): PipelineRecord[] =>
      (
        db
          .prepare(`${PIPELINE_SELECT}${options.enabledOnly ? ' WHERE p.enabled = 1' : ''} ORDER BY p.name COLLATE NOCASE`)
          .all() as PipelineRow[]
      ).map(toPipeline),
    /** Creates the pipeline (version 1) or appends a version to the one of the same name. */
    save(definition: PipelineDefinition, by: string, now: number): PipelineRecord {
      return immediate(() => {
        const existing = db.prepare('SELECT id, version FROM pipelines WHERE name = ? COLLATE NOCASE').get(definition.name) as
          { id: number; version: number } | undefined;
        let id: number;
        let version: number;
        if (existing) {
          id = existing.id;
          version = existing.version + 1;
          db.prepare('UPDATE pipelines SET version = ?, name = ?, updated_at = ? WHERE id = ?').run(version, definition.name, now, id);
        } else {
          version = 1;
          id = Number(
            db
              .prepare('INSERT INTO pipelines (name, enabled, version, created_at, created_by, updated_at) VALUES (?, 0, 1, ?, ?, ?)')
              .run(definition.name, now, by, now).lastInsertRowid,
          );
        }
        db.prepare('INSERT INTO pipeline_versions (pipeline_id, version, definition, created_at, created_by) VALUES (?, ?, ?, ?, ?)').run(
          id,
          version,
          JSON.stringify(definition),
          now,
          by,
        );
        return getById(id);
      });
    },
    versions: (pipelineId: number): PipelineVersionRecord[] =>
      (
        db
          .prepare('SELECT version, definition, created_at, created_by FROM pipeline_versions WHERE pipeline_id = ? ORDER BY version DESC')
          .all(pipelineId) as { version: number; definition: string; created_at: number; created_by: string }[]
      ).map((r) => ({ version: r.version, createdAt: r.created_at, createdBy: r.created_by, definition: JSON.parse(r.definition) })),
    definitionOf(pipelineId: number, version: number): PipelineDefinition {
      const row = db.prepare('SELECT definition FROM pipeline_versions WHERE pipeline_id = ? AND version = ?').get(pipelineId, version) as
        { definition: string } | undefined;
      if (!row) throw new AppError('not_found', `Pipeline ${pipelineId} has no version ${version}.`);
      return JSON.parse(row.definition) as PipelineDefinition;
    },
    setEnabled(name: string, enabled: boolean, now: number, state: Partial<TriggerState> = {}): PipelineRecord {
      const p = get(name);
      immediate(() => {
        db.prepare('UPDATE pipelines SET enabled = ?, updated_at = ? WHERE id = ?').run(enabled ? 1 : 0, now, p.id);
        repo.setTriggerState(p.id, state);
      });
      return getById(p.id);
    },
    setTriggerState(pipelineId: number, state: Partial<TriggerState>): void {
      const keys = Object.keys(state) as (keyof TriggerState)[];
      if (!keys.length) return;
      db.prepare(`UPDATE pipelines SET ${keys.map((k) => `${TRIGGER_COLUMNS[k]} = @${k}`).join(', ')} WHERE id = @id`).run({
        ...state,
        id: pipelineId,
      });
    },
    delete(name: string): void {
      const p = get(name);
      immediate(() => {
        if (db.prepare('SELECT 1 FROM pipeline_locks WHERE pipeline_id = ?').get(p.id))
          throw new AppError('conflict', `Pipeline "${p.name}" is running; cancel its run before deleting it.`);
        db.prepare('DELETE FROM pipelines WHERE id = ?').run(p.id);
      });
    },

    /**
     * Takes the pipeline's lock and records a new run with its pending steps,
     * in one immediate transaction; null when another run holds the lock (the
     * app and a headless scheduler alike), in which case nothing is written.
     */
    startRun(req: StartRun): PipelineRun | null {
      const id = immediate(() => {
        if (db.prepare('SELECT 1 FROM pipeline_locks WHERE pipeline_id = ?').get(req.pipelineId)) return null;
        const p = getById(req.pipelineId);
        const runId = Number(
          db
            .prepare(
              "INSERT INTO pipeline_runs (pipeline_id, pipeline_version, trigger, status, started_at, owner) VALUES (?, ?, ?, 'running', ?, ?)",
            )
            .run(p.id, p.version, req.trigger, req.now, req.owner).lastInsertRowid,
        );
        const insert = db.prepare("INSERT INTO pipeline_steps (run_id, idx, name, status) VALUES (?, ?, ?, 'pending')");
        PIPELINE_STEPS.forEach((s, i) => insert.run(runId, i, s));
        db.prepare('INSERT INTO pipeline_locks (pipeline_id, run_id, owner, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)').run(
          p.id,
          runId,
          req.owner,
          req.now,
          req.now,
        );
        if (req.consume) repo.setTriggerState(p.id, req.consume);
        return runId;
      });
      return id === null ? null : getRun(id);
    },
    /** Re-opens a failed/interrupted run for a retry (takes the lock again); null when the pipeline is locked. */
    reopenRun(runId: number, owner: string, now: number): PipelineRun | null {
      const ok = immediate(() => {
        const run = runRow(runId);
        if (!['failed', 'interrupted', 'cancelled'].includes(run.status))
          throw new AppError('conflict', `Run ${runId} is ${run.status}; only a failed, cancelled or interrupted run can be retried.`);
        if (db.prepare('SELECT 1 FROM pipeline_locks WHERE pipeline_id = ?').get(run.pipelineId)) return false;
        db.prepare("UPDATE pipeline_runs SET status = 'running', finished_at = NULL, reason = NULL, owner = ? WHERE id = ?").run(
          owner,
          runId,
        );
        // From the first step that did not finish on: the steps after it were skipped because of it.
        db.prepare(
          `UPDATE pipeline_steps SET status = 'pending', started_at = NULL, finished_at = NULL WHERE run_id = ? AND idx >= (
             SELECT COALESCE(MIN(idx), 0) FROM pipeline_steps WHERE run_id = ? AND status IN ('failed', 'cancelled', 'running', 'pending'))`,
        ).run(runId, runId);
        db.prepare('INSERT INTO pipeline_locks (pipeline_id, run_id, owner, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)').run(
          run.pipelineId,
          runId,
          owner,
          now,
          now,
        );
        return true;
      });
      return ok ? getRun(runId) : null;
    },
    setRunJob(runId: number, jobId: number): void {
      db.prepare('UPDATE pipeline_runs SET job_id = ? WHERE id = ?').run(jobId, runId);
    },
    setRunLinks(runId: number, links: { datasetVersionId?: number; modelVersion?: number }): void {
      if (links.datasetVersionId !== undefined)
        db.prepare('UPDATE pipeline_runs SET dataset_version_id = ? WHERE id = ?').run(links.datasetVersionId, runId);
      if (links.modelVersion !== undefined)
        db.prepare('UPDATE pipeline_runs SET model_version = ? WHERE id = ?').run(links.modelVersion, runId);
    },
    /** Ends a run and releases its lock (one transaction); steps still pending or running become `skipped` / `cancelled`. */
    finishRun(runId: number, status: Exclude<PipelineRunStatus, 'running'>, reason: string | null, now: number): PipelineRun {
      immediate(() => {
        db.prepare('UPDATE pipeline_runs SET status = ?, reason = ?, finished_at = ? WHERE id = ?').run(status, reason, now, runId);
        db.prepare(
          `UPDATE pipeline_steps SET status = ?, finished_at = COALESCE(finished_at, ?) WHERE run_id = ? AND status = 'running'`,
        ).run(status === 'cancelled' ? 'cancelled' : 'failed', now, runId);
        db.prepare("UPDATE pipeline_steps SET status = 'skipped' WHERE run_id = ? AND status = 'pending'").run(runId);
        db.prepare('DELETE FROM pipeline_locks WHERE run_id = ?').run(runId);
      });
      return getRun(runId);
    },
    getRun,
    listRuns(q: { pipelineId?: number; limit?: number; status?: PipelineRunStatus } = {}): Omit<PipelineRun, 'steps'>[] {
      const where: string[] = [];
      const args: unknown[] = [];
      if (q.pipelineId !== undefined) {
        where.push('r.pipeline_id = ?');
        args.push(q.pipelineId);
      }
      if (q.status !== undefined) {
        where.push('r.status = ?');
        args.push(q.status);
      }
      return (
        db
          .prepare(`${RUN_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY r.id DESC LIMIT ?`)
          .all(...args, q.limit ?? 100) as RunRow[]
      ).map(toRun);
    },
    lastRun(pipelineId: number): Omit<PipelineRun, 'steps'> | null {
      const row = db.prepare(`${RUN_SELECT} WHERE r.pipeline_id = ? ORDER BY r.id DESC LIMIT 1`).get(pipelineId) as RunRow | undefined;
      return row ? toRun(row) : null;
    },
    isLocked: (pipelineId: number): boolean => !!db.prepare('SELECT 1 FROM pipeline_locks WHERE pipeline_id = ?').get(pipelineId),
    heartbeat(runId: number, now: number): void {
      db.prepare('UPDATE pipeline_locks SET heartbeat_at = ? WHERE run_id = ?').run(now, runId);
    },
    /** Updates one step's status/times and merges its detail. */
    updateStep(
      runId: number,
      name: PipelineStepName,
      patch: { status?: PipelineStepStatus; startedAt?: number | null; finishedAt?: number | null; detail?: PipelineStepDetail },
    ): void {
      const idx = stepIndex(name);
      const row = db.prepare('SELECT detail FROM pipeline_steps WHERE run_id = ? AND idx = ?').get(runId, idx) as
        { detail: string } | undefined;
      if (!row) throw new AppError('not_found', `Run ${runId} has no step ${name}.`);
      const detail = patch.detail ? JSON.stringify({ ...JSON.parse(row.detail), ...patch.detail }) : row.detail;
      db.prepare(
        `UPDATE pipeline_steps SET status = COALESCE(@status, status),
           started_at = CASE WHEN @setStart THEN @startedAt ELSE started_at END,
           finished_at = CASE WHEN @setFinish THEN @finishedAt ELSE finished_at END,
           detail = @detail WHERE run_id = @runId AND idx = @idx`,
      ).run({
        status: patch.status ?? null,
        setStart: patch.startedAt !== undefined ? 1 : 0,
        startedAt: patch.startedAt ?? null,
        setFinish: patch.finishedAt !== undefined ? 1 : 0,
        finishedAt: patch.finishedAt ?? null,
        detail,
        runId,
        idx,
      });
    },
    /** Appends a log line to a step, keeping the newest {@link PIPELINE_LIMITS.maxLogLines}. */
    appendLog(runId: number, name: PipelineStepName, line: PipelineLogLine): void {
      const idx = stepIndex(name);
      const row = db.prepare('SELECT log FROM pipeline_steps WHERE run_id = ? AND idx = ?').get(runId, idx) as { log: string } | undefined;
      if (!row) return;
      const log = [...(JSON.parse(row.log) as PipelineLogLine[]), line].slice(-PIPELINE_LIMITS.maxLogLines);
      db.prepare('UPDATE pipeline_steps SET log = ? WHERE run_id = ? AND idx = ?').run(JSON.stringify(log), runId, idx);
    },
    /**
     * Marks `running` runs whose lock holder is gone as interrupted and frees
     * their locks: the holder is this host's process that no longer exists, or
     * its heartbeat is older than {@link PIPELINE_LIMITS.lockStaleMs}.
     */
    recoverInterrupted(now: number, isGone: (owner: string) => boolean): PipelineRun[] {
      const stale = immediate(() => {
        const locks = db.prepare('SELECT run_id, owner, heartbeat_at FROM pipeline_locks').all() as {
          run_id: number;
          owner: string;
          heartbeat_at: number;
        }[];
        const dead = locks.filter((l) => isGone(l.owner) || now - l.heartbeat_at > PIPELINE_LIMITS.lockStaleMs).map((l) => l.run_id);
        // A running run without a lock (a crash between writes) is interrupted as well.
        const orphans = (
          db.prepare("SELECT id FROM pipeline_runs WHERE status = 'running' AND id NOT IN (SELECT run_id FROM pipeline_locks)").all() as {
            id: number;
          }[]
        ).map((r) => r.id);
        return [...new Set([...dead, ...orphans])];
      });
      return stale.map((id) => repo.finishRun(id, 'interrupted', 'The app or scheduler running it stopped before it finished.', now));
    },

    notify(n: {
      pipeline: string;
      runId: number | null;
      kind: PipelineNotificationKind;
      message: string;
      at: number;
    }): PipelineNotification {
      const id = Number(
        db
          .prepare('INSERT INTO pipeline_notifications (at, pipeline, run_id, kind, message) VALUES (?, ?, ?, ?, ?)')
          .run(n.at, n.pipeline, n.runId, n.kind, n.message).lastInsertRowid,
      );
      return { id, ...n, read: false };
    },
    notifications(includeRead: boolean, limit = 200): PipelineNotification[] {
      return (
        db.prepare(`SELECT * FROM pipeline_notifications${includeRead ? '' : ' WHERE read = 0'} ORDER BY id DESC LIMIT ?`).all(limit) as {
          id: number;
          at: number;
          pipeline: string;
          run_id: number | null;
          kind: PipelineNotificationKind;
          message: string;
          read: number;
        }[]
      ).map((r) => ({ id: r.id, at: r.at, pipeline: r.pipeline, runId: r.run_id, kind: r.kind, message: r.message, read: r.read === 1 }));
    },
    markRead(id?: number): number {
      return id === undefined
        ? db.prepare('UPDATE pipeline_notifications SET read = 1 WHERE read = 0').run().changes
        : db.prepare('UPDATE pipeline_notifications SET read = 1 WHERE id = ?').run(id).changes;
    },

    /** Maturity evidence: pipelines with a schedule, with a validation suite, with gates, with the drift trigger. */
    counts(): {
      pipelines: number;
      scheduled: number;
      validated: number;
      gated: number;
      driftTriggered: number;
      runs: number;
      succeeded: number;
    } {
      const all = repo.list({ enabledOnly: true });
      const runs = db.prepare("SELECT COUNT(*) AS n, SUM(status = 'succeeded') AS ok FROM pipeline_runs").get() as {
        n: number;
        ok: number | null;
      };
      const gated = (d: PipelineDefinition) => !!(d.gates.metric || d.gates.maxCvGap || d.gates.beatProduction);
      return {
        pipelines: all.length,
        scheduled: all.filter((p) => p.definition.triggers.schedule).length,
        validated: all.filter((p) => p.definition.validationSuite).length,
        gated: all.filter((p) => gated(p.definition)).length,
        driftTriggered: all.filter((p) => p.definition.triggers.onDrift).length,
        runs: runs.n,
        succeeded: runs.ok ?? 0,
      };
    },
  };
  return repo;
}

export type PipelinesRepo = ReturnType<typeof createPipelinesRepo>;
