import crypto from 'node:crypto';
import { AppError } from '../../../shared/errors';
import {
  DEFAULT_EXPERIMENT_ID,
  toWireNumber,
  type ArtifactEntry,
  type Experiment,
  type LatestMetric,
  type LifecycleStage,
  type MetricHistoryPoint,
  type Run,
  type RunInfo,
  type RunSource,
  type RunStatus,
  type SavedView,
} from '../../../shared/tracking';
import type { Db } from './database';
import { createRunSearch } from './run-search';

interface ExperimentRow {
  id: number;
  name: string;
  description: string;
  lifecycle_stage: LifecycleStage;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  run_count: number;
  running_count: number;
}

interface RunRow {
  id: string;
  experiment_id: number;
  name: string;
  status: RunStatus;
  start_time: number;
  end_time: number | null;
  user_id: string;
  lifecycle_stage: LifecycleStage;
  error: string | null;
  source: RunSource;
  job_id: number | null;
  dataset_version_id: number | null;
  spec: string | null;
}

interface ViewRow {
  id: number;
  experiment_id: number | null;
  name: string;
  filter: string;
  order_by: string;
  columns: string;
  created_at: number;
}

function toView(row: ViewRow): SavedView {
  return {
    id: row.id,
    experimentId: row.experiment_id,
    name: row.name,
    filter: row.filter,
    orderBy: JSON.parse(row.order_by),
    columns: JSON.parse(row.columns),
    createdAt: row.created_at,
  };
}

/** A metric point as the store takes it (numbers may be NaN or ±Infinity). */
export interface MetricPointInput {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface KeyValue {
  key: string;
  value: string;
}

/** A dataset a run used, as MLflow's DatasetInput (log-inputs). */
export interface RunDatasetInput {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema?: string | null;
  profile?: string | null;
  /** The input's tags, e.g. mlflow.data.context = training. */
  tags: KeyValue[];
}

export interface CreateRunInput {
  experimentId: number;
  name: string;
  userId: string;
  source: RunSource;
  status?: RunStatus;
  startTime?: number;
  jobId?: number | null;
  datasetVersionId?: number | null;
  /** The resolved training spec, for reproduction (JSON). */
  spec?: unknown;
  tags?: KeyValue[];
  /** Keep this id (a run imported or pulled from MLflow keeps its run_uuid); a new one otherwise. Refused when taken. */
  id?: string;
  endTime?: number | null;
  lifecycleStage?: LifecycleStage;
}

const EXPERIMENT_SELECT = `
  SELECT e.*,
    (SELECT COUNT(*) FROM runs r WHERE r.experiment_id = e.id AND r.lifecycle_stage = 'active') AS run_count,
    (SELECT COUNT(*) FROM runs r WHERE r.experiment_id = e.id AND r.status IN ('RUNNING','SCHEDULED')) AS running_count
  FROM experiments e`;

function toRunInfo(row: RunRow): RunInfo {
  return {
    runId: row.id,
    experimentId: row.experiment_id,
    name: row.name,
    status: row.status,
    startTime: row.start_time,
    endTime: row.end_time,
    userId: row.user_id,
    lifecycleStage: row.lifecycle_stage,
    error: row.error,
    source: row.source,
    jobId: row.job_id,
    datasetVersionId: row.dataset_version_id,
  };
}

/** NaN cannot be stored in SQLite (it reads back as NULL): it is kept as is_nan = 1. */
function metricColumns(value: number): { value: number | null; is_nan: 0 | 1 } {
  return Number.isNaN(value) ? { value: null, is_nan: 1 } : { value, is_nan: 0 };
}

function readMetric(value: number | null, isNan: number): number {
  return isNan ? NaN : (value as number);
}

/** MLflow's order of metric values for "latest": higher step, then later timestamp, then a larger value (a number beats NaN). */
export function isLater(a: MetricPointInput, b: MetricPointInput): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  if (Number.isNaN(a.value)) return false;
  return Number.isNaN(b.value) || a.value > b.value;
}

/** A new run id: 32 hex characters, as MLflow's uuid4().hex. */
export function newRunId(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

/**
 * Typed access to experiments and runs. Every write of a run's data goes
 * through `logBatch` (one transaction); the one-call helpers wrap it.
 */
export function createTrackingRepo(db: Db) {
  const experimentById = db.prepare(`${EXPERIMENT_SELECT} WHERE e.id = ?`);
  const experimentByName = db.prepare(`${EXPERIMENT_SELECT} WHERE e.name = ?`);
  const experimentTags = db.prepare('SELECT key, value FROM experiment_tags WHERE experiment_id = ?');
  const runById = db.prepare('SELECT * FROM runs WHERE id = ?');
  const insertParam = db.prepare('INSERT INTO params (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO NOTHING');
  const paramValue = db.prepare('SELECT value FROM params WHERE run_id = ? AND key = ?');
  const upsertTag = db.prepare(
    'INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value',
  );
  const insertPoint = db.prepare('INSERT INTO metric_points (run_id, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)');
  // MLflow's "latest": the highest step, then the latest timestamp, then the largest value.
  const upsertLatest = db.prepare(`
    INSERT INTO latest_metrics (run_id, key, value, is_nan, timestamp, step) VALUES (@run, @key, @value, @is_nan, @timestamp, @step)
    ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan, timestamp = excluded.timestamp, step = excluded.step
    WHERE excluded.step > latest_metrics.step
       OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
       OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp
           AND (excluded.is_nan = 0 AND (latest_metrics.is_nan = 1 OR excluded.value > latest_metrics.value)))`);

  function toExperiment(row: ExperimentRow): Experiment {
    const tags = Object.fromEntries((experimentTags.all(row.id) as KeyValue[]).map((t) => [t.key, t.value]));
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      lifecycleStage: row.lifecycle_stage,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      deletedAt: row.deleted_at,
      tags,
      runCount: row.run_count,
      runningCount: row.running_count,
    };
  }

  function runRow(runId: string): RunRow {
    const row = runById.get(runId) as RunRow | undefined;
    if (!row) throw new AppError('not_found', `No run with id ${runId}.`);
    return row;
  }

  /** Runs still being written to: anything but deleted. */
  function activeRun(runId: string): RunRow {
    const row = runRow(runId);
    if (row.lifecycle_stage === 'deleted') throw new AppError('conflict', `Run ${runId} is in the trash; restore it before logging to it.`);
    return row;
  }

  function nameTaken(name: string, exceptId?: number): void {
    const other = experimentByName.get(name) as ExperimentRow | undefined;
    if (other && other.id !== exceptId) {
      throw new AppError(
        'conflict',
        other.lifecycle_stage === 'deleted'
          ? `An experiment named "${name}" is in the trash. Restore it, delete it permanently, or choose another name.`
          : `An experiment named "${name}" already exists.`,
      );
    }
  }

  const runSearch = createRunSearch(db, toRunInfo);

  const repo = {
    /** MLflow's search_runs: filter, order_by, run view type and paging (see run-search.ts). */
    searchRuns: runSearch,
    /** A new experiment; `createdAt` keeps an imported experiment's creation time. */
    createExperiment(input: { name: string; description?: string; tags?: KeyValue[]; createdAt?: number }): Experiment {
      return db.transaction(() => {
        nameTaken(input.name);
        const now = Date.now();
        const info = db
          .prepare(
            'INSERT INTO experiments (id, name, description, created_at, updated_at) VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM experiments), ?, ?, ?, ?)',
          )
          .run(input.name, input.description ?? '', input.createdAt ?? now, now);
        const id = Number(info.lastInsertRowid);
        for (const t of input.tags ?? []) repo.setExperimentTag(id, t.key, t.value);
        return repo.getExperiment(id);
      })();
    },
    getExperiment(id: number): Experiment {
      const row = experimentById.get(id) as ExperimentRow | undefined;
      if (!row) throw new AppError('not_found', `No experiment with id ${id}.`);
      return toExperiment(row);
    },
    findExperimentByName(name: string): Experiment | undefined {
      const row = experimentByName.get(name) as ExperimentRow | undefined;
      return row ? toExperiment(row) : undefined;
    },
    /** Active experiments (or the trash), by name. */
    listExperiments(stage: LifecycleStage | 'all' = 'active'): Experiment[] {
      const where = stage === 'all' ? '' : 'WHERE e.lifecycle_stage = ?';
      const rows = db
        .prepare(`${EXPERIMENT_SELECT} ${where} ORDER BY e.id = ${DEFAULT_EXPERIMENT_ID} DESC, e.name COLLATE NOCASE`)
        .all(...(stage === 'all' ? [] : [stage])) as ExperimentRow[];
      return rows.map(toExperiment);
    },
    updateExperiment(id: number, changes: { name?: string; description?: string }): Experiment {
      return db.transaction(() => {
        repo.getExperiment(id);
        if (changes.name !== undefined) {
          nameTaken(changes.name, id);
          db.prepare('UPDATE experiments SET name = ?, updated_at = ? WHERE id = ?').run(changes.name, Date.now(), id);
        }
        if (changes.description !== undefined)
          db.prepare('UPDATE experiments SET description = ?, updated_at = ? WHERE id = ?').run(changes.description, Date.now(), id);
        return repo.getExperiment(id);
      })();
    },
    setExperimentTag(id: number, key: string, value: string): void {
      db.prepare(
        'INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value',
      ).run(id, key, value);
    },
    /** Moves an experiment (and so its runs) to the trash; refused while one of its runs is running. */
    deleteExperiment(id: number): Experiment {
      return db.transaction(() => {
        const e = repo.getExperiment(id);
        if (id === DEFAULT_EXPERIMENT_ID) throw new AppError('conflict', 'The Default experiment cannot be deleted.');
        if (e.runningCount > 0)
          throw new AppError(
            'conflict',
            `Experiment "${e.name}" has ${e.runningCount} running run(s); cancel them or wait for them to finish before deleting it.`,
          );
        db.prepare(`UPDATE experiments SET lifecycle_stage = 'deleted', deleted_at = ?, updated_at = ? WHERE id = ?`).run(
          Date.now(),
          Date.now(),
          id,
        );
        return repo.getExperiment(id);
      })();
    },
    restoreExperiment(id: number): Experiment {
      repo.getExperiment(id);
      db.prepare(`UPDATE experiments SET lifecycle_stage = 'active', deleted_at = NULL, updated_at = ? WHERE id = ?`).run(Date.now(), id);
      return repo.getExperiment(id);
    },
    /**
     * Deletes a trashed experiment and its runs for good. Returns the content
     * hashes its runs' artifacts pointed at (objects other runs still use are kept by the caller).
     */
    purgeExperiment(id: number): string[] {
      return db.transaction(() => {
        const e = repo.getExperiment(id);
        if (e.lifecycleStage !== 'deleted') throw new AppError('conflict', `Experiment "${e.name}" is not in the trash; delete it first.`);
        const registered = db
          .prepare(
            `SELECT m.name, v.version FROM model_versions v JOIN registered_models m ON m.id = v.model_id JOIN runs r ON r.id = v.run_id
             WHERE r.experiment_id = ? ORDER BY m.name, v.version LIMIT 5`,
          )
          .all(id) as { name: string; version: number }[];
        if (registered.length)
          throw new AppError(
            'conflict',
            `Experiment "${e.name}" cannot be deleted for good: its runs are registered as ${registered.map((r) => `${r.name} v${r.version}`).join(', ')}. Delete those model versions first.`,
          );
        const hashes = (
          db.prepare('SELECT DISTINCT a.sha256 FROM artifacts a JOIN runs r ON r.id = a.run_id WHERE r.experiment_id = ?').all(id) as {
            sha256: string;
          }[]
        ).map((r) => r.sha256);
        db.prepare('DELETE FROM experiments WHERE id = ?').run(id);
        return hashes;
      })();
    },

    createRun(input: CreateRunInput): RunInfo {
      return db.transaction(() => {
        const e = repo.getExperiment(input.experimentId);
        if (e.lifecycleStage === 'deleted')
          throw new AppError('conflict', `Experiment "${e.name}" is in the trash; restore it before adding runs.`);
        const id = input.id ?? newRunId();
        if (input.id !== undefined && db.prepare('SELECT 1 FROM runs WHERE id = ?').get(id))
          throw new AppError('conflict', `A run with id ${id} already exists.`);
        db.prepare(
          `INSERT INTO runs (id, experiment_id, name, status, start_time, end_time, lifecycle_stage, user_id, source, job_id, dataset_version_id, spec)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          id,
          input.experimentId,
          input.name,
          input.status ?? 'RUNNING',
          input.startTime ?? Date.now(),
          input.endTime ?? null,
          input.lifecycleStage ?? 'active',
          input.userId,
          input.source,
          input.jobId ?? null,
          input.datasetVersionId ?? null,
          input.spec === undefined ? null : JSON.stringify(input.spec),
        );
        for (const t of input.tags ?? []) upsertTag.run(id, t.key, t.value);
        return toRunInfo(runRow(id));
      })();
    },
    getRunInfo(runId: string): RunInfo {
      return toRunInfo(runRow(runId));
    },
    /** The resolved spec a workbench run was trained from (null for runs logged from outside). */
    getRunSpec(runId: string): unknown {
      const row = runRow(runId);
      return row.spec === null ? null : JSON.parse(row.spec);
    },
    /** Ids of train jobs that have no run (recorded before runs existed), oldest first. */
    trainJobsWithoutRun(): number[] {
      return (
        db
          .prepare(
            `SELECT j.id FROM jobs j WHERE j.kind = 'train' AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.job_id = j.id) ORDER BY j.id`,
          )
          .all() as { id: number }[]
      ).map((r) => r.id);
    },
    findRunByJob(jobId: number): RunInfo | undefined {
      const row = db.prepare('SELECT * FROM runs WHERE job_id = ?').get(jobId) as RunRow | undefined;
      return row ? toRunInfo(row) : undefined;
    },
    getRun(runId: string): Run {
      const info = toRunInfo(runRow(runId));
      const params = Object.fromEntries(
        (db.prepare('SELECT key, value FROM params WHERE run_id = ? ORDER BY key').all(runId) as KeyValue[]).map((p) => [p.key, p.value]),
      );
      const tags = Object.fromEntries(
        (db.prepare('SELECT key, value FROM tags WHERE run_id = ? ORDER BY key').all(runId) as KeyValue[]).map((p) => [p.key, p.value]),
      );
      const metrics = (
        db.prepare('SELECT key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_id = ? ORDER BY key').all(runId) as {
          key: string;
          value: number | null;
          is_nan: number;
          timestamp: number;
          step: number;
        }[]
      ).map((m): LatestMetric => ({
        key: m.key,
        value: toWireNumber(readMetric(m.value, m.is_nan)),
        timestamp: m.timestamp,
        step: m.step,
      }));
      return { info, params, metrics, tags, artifacts: repo.listArtifacts(runId) };
    },
    /** Ends a run (or changes its status or name). */
    updateRun(runId: string, changes: { status?: RunStatus; endTime?: number | null; error?: string | null; name?: string }): RunInfo {
      const row = runRow(runId);
      db.prepare('UPDATE runs SET status = ?, end_time = ?, error = ?, name = ? WHERE id = ?').run(
        changes.status ?? row.status,
        changes.endTime === undefined ? row.end_time : changes.endTime,
        changes.error === undefined ? row.error : changes.error,
        changes.name ?? row.name,
        runId,
      );
      if (changes.name !== undefined) upsertTag.run(runId, 'mlflow.runName', changes.name);
      return toRunInfo(runRow(runId));
    },
    /**
     * Logs metrics, params and tags in one transaction. A param already logged
     * with another value is refused (MLflow's rule: params are inputs, fixed once
     * logged); the same value again is fine. Nothing of a refused batch is kept.
     */
    logBatch(runId: string, batch: { metrics?: MetricPointInput[]; params?: KeyValue[]; tags?: KeyValue[] }): void {
      db.transaction(() => {
        activeRun(runId);
        for (const p of batch.params ?? []) {
          const info = insertParam.run(runId, p.key, p.value);
          if (info.changes === 0) {
            const old = (paramValue.get(runId, p.key) as { value: string }).value;
            if (old !== p.value) {
              throw new AppError(
                'bad_input',
                `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${old.slice(0, 200)}' for run ID='${runId}'. Attempted logging new value '${p.value.slice(0, 200)}'.`,
              );
            }
          }
        }
        for (const t of batch.tags ?? []) upsertTag.run(runId, t.key, t.value);
        // Every point is kept; the latest of each key is picked here first, so a batch upserts once per key, not once per point.
        const latest = new Map<string, MetricPointInput>();
        for (const m of batch.metrics ?? []) {
          const cols = metricColumns(m.value);
          insertPoint.run(runId, m.key, cols.value, cols.is_nan, m.timestamp, m.step);
          const best = latest.get(m.key);
          if (!best || isLater(m, best)) latest.set(m.key, m);
        }
        for (const m of latest.values()) {
          const cols = metricColumns(m.value);
          upsertLatest.run({ run: runId, key: m.key, value: cols.value, is_nan: cols.is_nan, timestamp: m.timestamp, step: m.step });
        }
      })();
    },
    logMetric(runId: string, point: MetricPointInput): void {
      repo.logBatch(runId, { metrics: [point] });
    },
    logParam(runId: string, key: string, value: string): void {
      repo.logBatch(runId, { params: [{ key, value }] });
    },
    setTag(runId: string, key: string, value: string): void {
      repo.logBatch(runId, { tags: [{ key, value }] });
    },
    deleteTag(runId: string, key: string): void {
      activeRun(runId);
      const info = db.prepare('DELETE FROM tags WHERE run_id = ? AND key = ?').run(runId, key);
      if (info.changes === 0) throw new AppError('not_found', `No tag with name: ${key} in run with id ${runId}`);
    },
    /** Every point of one metric, by step then time. */
    metricHistory(runId: string, key: string): MetricHistoryPoint[] {
      runRow(runId);
      const rows = db
        .prepare('SELECT value, is_nan, timestamp, step FROM metric_points WHERE run_id = ? AND key = ? ORDER BY step, timestamp, rowid')
        .all(runId, key) as {
        value: number | null;
        is_nan: number;
        timestamp: number;
        step: number;
      }[];
      return rows.map((r) => ({ value: toWireNumber(readMetric(r.value, r.is_nan)), timestamp: r.timestamp, step: r.step }));
    },
    /** Keys that have more than one point (the per-step series a run page charts). */
    seriesKeys(runId: string): string[] {
      return (
        db.prepare('SELECT key FROM metric_points WHERE run_id = ? GROUP BY key HAVING COUNT(*) > 1 ORDER BY key').all(runId) as {
          key: string;
        }[]
      ).map((r) => r.key);
    },
    /** Moves a run to the trash (restorable). */
    deleteRun(runId: string): RunInfo {
      const row = runRow(runId);
      if (row.status === 'RUNNING' || row.status === 'SCHEDULED')
        throw new AppError('conflict', `Run "${row.name}" is still running; cancel it before deleting it.`);
      db.prepare(`UPDATE runs SET lifecycle_stage = 'deleted', deleted_at = ? WHERE id = ?`).run(Date.now(), runId);
      return toRunInfo(runRow(runId));
    },
    restoreRun(runId: string): RunInfo {
      runRow(runId);
      db.prepare(`UPDATE runs SET lifecycle_stage = 'active', deleted_at = NULL WHERE id = ?`).run(runId);
      return toRunInfo(runRow(runId));
    },
    addArtifact(runId: string, entry: { path: string; sha256: string; size: number; mediaType?: string }): void {
      runRow(runId);
      db.prepare(
        `INSERT INTO artifacts (run_id, path, sha256, size, media_type, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, media_type = excluded.media_type, created_at = excluded.created_at`,
      ).run(runId, entry.path, entry.sha256, entry.size, entry.mediaType ?? 'application/octet-stream', Date.now());
    },
    listArtifacts(runId: string): ArtifactEntry[] {
      const rows = db
        .prepare('SELECT path, sha256, size, media_type, created_at FROM artifacts WHERE run_id = ? ORDER BY path')
        .all(runId) as {
        path: string;
        sha256: string;
        size: number;
        media_type: string;
        created_at: number;
      }[];
      return rows.map((r) => ({ path: r.path, sha256: r.sha256, size: r.size, mediaType: r.media_type, createdAt: r.created_at }));
    },
    getArtifact(runId: string, path: string): ArtifactEntry {
      const found = repo.listArtifacts(runId).find((a) => a.path === path);
      if (!found) throw new AppError('not_found', `Run ${runId} has no artifact "${path}".`);
      return found;
    },
    /** Whether any row still points at this object (before removing it from objects/). */
    isObjectReferenced(sha256: string): boolean {
      const a = db.prepare('SELECT 1 FROM artifacts WHERE sha256 = ? LIMIT 1').get(sha256);
      const v = db.prepare('SELECT 1 FROM dataset_versions WHERE sha256 = ? LIMIT 1').get(sha256);
      const m = db.prepare('SELECT 1 FROM model_versions WHERE model_sha256 = ? LIMIT 1').get(sha256);
      const p = db.prepare('SELECT 1 FROM prediction_sets WHERE sha256 = ? LIMIT 1').get(sha256);
      return Boolean(a || v || m || p);
    },
    /** Runs interrupted by a previous process (left RUNNING) are marked failed, as their jobs are. */
    failInterruptedRuns(): number {
      return db
        .prepare(
          `UPDATE runs SET status = 'FAILED', end_time = ?, error = 'interrupted: the app stopped while this run was training' WHERE status IN ('RUNNING','SCHEDULED') AND source IN ('app','cli','reproduction','pipeline')`,
        )
        .run(Date.now()).changes;
    },
    /** Distinct param, metric and tag keys logged by the active runs of these experiments. */
    runKeys(experimentIds: number[]): { params: string[]; metrics: string[]; tags: string[] } {
      const ids = JSON.stringify(experimentIds);
      const keys = (table: string) =>
        (
          db
            .prepare(
              `SELECT DISTINCT t.key FROM ${table} t JOIN runs r ON r.id = t.run_id
               WHERE r.lifecycle_stage = 'active' AND r.experiment_id IN (SELECT value FROM json_each(?)) ORDER BY t.key`,
            )
            .all(ids) as { key: string }[]
        ).map((r) => r.key);
      return { params: keys('params'), metrics: keys('latest_metrics'), tags: keys('tags') };
    },
    countExperimentRuns(id: number): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM runs WHERE experiment_id = ?').get(id) as { n: number }).n;
    },
    listViews(experimentId: number | null): SavedView[] {
      const rows = db
        .prepare('SELECT * FROM saved_views WHERE experiment_id IS ? ORDER BY name COLLATE NOCASE')
        .all(experimentId) as ViewRow[];
      return rows.map(toView);
    },
    /** Saves a view (a view of the same name in the same experiment is replaced). */
    saveView(view: Omit<SavedView, 'id' | 'createdAt'>): SavedView {
      return db.transaction(() => {
        if (view.experimentId !== null) repo.getExperiment(view.experimentId);
        db.prepare('DELETE FROM saved_views WHERE experiment_id IS ? AND name = ?').run(view.experimentId, view.name);
        const info = db
          .prepare('INSERT INTO saved_views (experiment_id, name, filter, order_by, columns, created_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(view.experimentId, view.name, view.filter, JSON.stringify(view.orderBy), JSON.stringify(view.columns), Date.now());
        return toView(db.prepare('SELECT * FROM saved_views WHERE id = ?').get(info.lastInsertRowid) as ViewRow);
      })();
    },
    deleteView(id: number): void {
      if (db.prepare('DELETE FROM saved_views WHERE id = ?').run(id).changes === 0)
        throw new AppError('not_found', `No saved view with id ${id}.`);
    },
    /** Active runs started since `sinceMs`; optionally only those that logged params and metrics, or that trained on a dataset version. */
    countRuns(filter: { sinceMs?: number; withParamsAndMetrics?: boolean; withDatasetVersion?: boolean } = {}): number {
      const where = [`lifecycle_stage = 'active'`, 'start_time >= @since'];
      if (filter.withParamsAndMetrics)
        where.push(
          'EXISTS (SELECT 1 FROM params p WHERE p.run_id = runs.id)',
          'EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_id = runs.id)',
        );
      if (filter.withDatasetVersion) where.push('dataset_version_id IS NOT NULL');
      return (
        db.prepare(`SELECT COUNT(*) AS n FROM runs WHERE ${where.join(' AND ')}`).get({ since: filter.sinceMs ?? 0 }) as { n: number }
      ).n;
    },
    /** Active runs carrying a tag (optionally with a given value). */
    countRunsWithTag(key: string, value?: string): number {
      return (
        db
          .prepare(
            `SELECT COUNT(*) AS n FROM runs r JOIN tags t ON t.run_id = r.id AND t.key = ? WHERE r.lifecycle_stage = 'active' AND (? IS NULL OR t.value = ?)`,
          )
          .get(key, value ?? null, value ?? null) as { n: number }
      ).n;
    },
    // ---------- MLflow REST API (electron/core/mlflow/) ----------
    deleteExperimentTag(id: number, key: string): void {
      repo.getExperiment(id);
      const info = db.prepare('DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?').run(id, key);
      if (info.changes === 0) throw new AppError('not_found', `No tag with name: ${key} in experiment with id ${id}`);
    },
    /** One page of a metric's history (by step, then time), and whether more points follow. */
    metricHistoryPage(runId: string, key: string, offset: number, limit: number): { points: MetricHistoryPoint[]; more: boolean } {
      runRow(runId);
      const rows = db
        .prepare(
          'SELECT value, is_nan, timestamp, step FROM metric_points WHERE run_id = ? AND key = ? ORDER BY step, timestamp, rowid LIMIT ? OFFSET ?',
        )
        .all(runId, key, limit + 1, offset) as { value: number | null; is_nan: number; timestamp: number; step: number }[];
      const more = rows.length > limit;
      return {
        points: (more ? rows.slice(0, limit) : rows).map((r) => ({
          value: toWireNumber(readMetric(r.value, r.is_nan)),
          timestamp: r.timestamp,
          step: r.step,
        })),
        more,
      };
    },
    /**
     * Records datasets a run used (MLflow's log-inputs); a dataset already logged
     * to the run (same name and digest) keeps its first record, as in MLflow.
     */
    logRunInputs(runId: string, inputs: RunDatasetInput[]): void {
      const insert = db.prepare(
        `INSERT INTO mlflow_run_inputs (run_id, name, digest, source_type, source, schema, profile, tags, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, name, digest) DO NOTHING`,
      );
      db.transaction(() => {
        activeRun(runId);
        const now = Date.now();
        for (const i of inputs)
          insert.run(runId, i.name, i.digest, i.sourceType, i.source, i.schema ?? null, i.profile ?? null, JSON.stringify(i.tags), now);
      })();
    },
    listRunInputs(runId: string): RunDatasetInput[] {
      const rows = db
        .prepare(
          'SELECT name, digest, source_type, source, schema, profile, tags FROM mlflow_run_inputs WHERE run_id = ? ORDER BY created_at, name',
        )
        .all(runId) as {
        name: string;
        digest: string;
        source_type: string;
        source: string;
        schema: string | null;
        profile: string | null;
        tags: string;
      }[];
      return rows.map((r) => ({
        name: r.name,
        digest: r.digest,
        sourceType: r.source_type,
        source: r.source,
        schema: r.schema,
        profile: r.profile,
        tags: JSON.parse(r.tags) as KeyValue[],
      }));
    },
  };
  return repo;
}
export type TrackingRepo = ReturnType<typeof createTrackingRepo>;
