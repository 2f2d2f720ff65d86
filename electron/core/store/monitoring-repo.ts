import type { z } from 'zod';
import type { DriftResult, DriftRule, DriftSummary } from '../../../shared/drift';
import { AppError } from '../../../shared/errors';
import type {
  AlertKind,
  DriftCheck,
  DriftCheckSummary,
  DriftCurrent,
  DriftTrend,
  LabelledScoredFile,
  MonitoringAlert,
  MonitorSettings,
  startDriftCheckSchema,
  WindowSize,
} from '../../../shared/monitoring';
import { MONITORING_LIMITS } from '../../../shared/monitoring';
import type { Db } from './database';

interface CheckRow {
  id: number;
  created_at: number;
  created_by: string;
  job_id: number | null;
  model: string | null;
  model_version: number | null;
  baseline_label: string;
  baseline_version_id: number | null;
  baseline_dataset_id: number | null;
  current_label: string;
  current_kind: DriftCurrent['kind'];
  current_version_id: number | null;
  current_dataset_id: number | null;
  rule: DriftRule;
  summary: string;
  request?: string;
  result?: string;
}

interface AlertRow {
  id: number;
  at: number;
  kind: AlertKind;
  model: string | null;
  model_version: number | null;
  check_id: number | null;
  message: string;
  value: number | null;
  threshold: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  window_start: number | null;
  window_size: WindowSize | null;
}

interface LabelledSetRow {
  id: number;
  model: string;
  version: number | null;
  prediction_set_id: number | null;
  source_label: string;
  sha256: string;
  at: number;
  rows: number;
  labelled: number;
  accuracy: number | null;
  f1: number | null;
  rmse: number | null;
  r2: number | null;
  below_threshold: number;
}

/** What a drift job records once its task succeeded. */
export interface NewDriftCheck {
  createdBy: string;
  jobId: number | null;
  model: string | null;
  modelVersion: number | null;
  baselineLabel: string;
  baselineVersionId: number | null;
  baselineDatasetId: number | null;
  currentLabel: string;
  currentKind: DriftCurrent['kind'];
  currentVersionId: number | null;
  currentDatasetId: number | null;
  request: z.output<typeof startDriftCheckSchema>;
  result: DriftResult;
}

/** Which checks: of a model, of a dataset (either side), or all; newest first up to `limit`. */
export interface CheckScope {
  model?: string;
  datasetId?: number;
  limit?: number;
}

/** A new alert (the window only for prediction monitoring's alerts). */
export type NewAlert = Pick<MonitoringAlert, 'kind' | 'model' | 'modelVersion' | 'checkId' | 'message' | 'value' | 'threshold'> &
  Partial<Pick<MonitoringAlert, 'windowStart' | 'windowSize'>>;

/** A labelled scored file to record. */
export type NewLabelledScoredFile = Omit<LabelledScoredFile, 'id' | 'at'> & { model: string; sha256: string };

function toLabelledSet(r: LabelledSetRow): LabelledScoredFile {
  return {
    id: r.id,
    at: r.at,
    version: r.version,
    predictionSetId: r.prediction_set_id,
    sourceLabel: r.source_label,
    rows: r.rows,
    labelled: r.labelled,
    accuracy: r.accuracy,
    f1: r.f1,
    rmse: r.rmse,
    r2: r.r2,
    belowThreshold: r.below_threshold === 1,
  };
}

const SUMMARY_COLUMNS = `id, created_at, created_by, job_id, model, model_version, baseline_label, baseline_version_id, baseline_dataset_id,
  current_label, current_kind, current_version_id, current_dataset_id, rule, summary`;

function toSummary(r: CheckRow): DriftCheckSummary {
  return {
    id: r.id,
    createdAt: r.created_at,
    createdBy: r.created_by,
    jobId: r.job_id,
    model: r.model,
    modelVersion: r.model_version,
    baselineLabel: r.baseline_label,
    baselineVersionId: r.baseline_version_id,
    currentLabel: r.current_label,
    currentKind: r.current_kind,
    currentVersionId: r.current_version_id,
    rule: r.rule,
    summary: JSON.parse(r.summary) as DriftSummary,
  };
}

function toAlert(r: AlertRow): MonitoringAlert {
  return {
    id: r.id,
    at: r.at,
    kind: r.kind,
    model: r.model,
    modelVersion: r.model_version,
    checkId: r.check_id,
    message: r.message,
    value: r.value,
    threshold: r.threshold,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    windowStart: r.window_start ?? null,
    windowSize: r.window_size ?? null,
  };
}

/** SQL filter of a scope (model name, or a dataset on either side). */
function scopeWhere(scope: CheckScope): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (scope.model !== undefined) {
    parts.push('model = ?');
    params.push(scope.model);
  }
  if (scope.datasetId !== undefined) {
    parts.push('(baseline_dataset_id = ? OR current_dataset_id = ?)');
    params.push(scope.datasetId, scope.datasetId);
  }
  return { sql: parts.length ? parts.join(' AND ') : '1 = 1', params };
}

/** Finite numbers only: SQLite would store NaN as NULL anyway, ±Infinity is not a statistic. */
const finite = (x: number | null | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** Drift checks, alerts, monitor settings and actual labels (see migrations/011-monitoring.ts). */
export function createMonitoringRepo(db: Db) {
  const insertColumn = db.prepare(
    `INSERT INTO drift_check_columns (check_id, "column", status, drifted, test, statistic, p_value, distance) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const repo = {
    /** Stores a check and its per-column rows in one transaction; returns it. */
    insertCheck(c: NewDriftCheck): DriftCheck {
      const s = c.result.summary;
      const id = db.transaction(() => {
        const info = db
          .prepare(
            `INSERT INTO drift_checks (created_at, created_by, job_id, model, model_version, baseline_label, baseline_version_id,
               baseline_dataset_id, current_label, current_kind, current_version_id, current_dataset_id, rule, tested, drifted,
               drift_share, dataset_drift, summary, request, result)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            Date.now(),
            c.createdBy,
            c.jobId,
            c.model,
            c.modelVersion,
            c.baselineLabel,
            c.baselineVersionId,
            c.baselineDatasetId,
            c.currentLabel,
            c.currentKind,
            c.currentVersionId,
            c.currentDatasetId,
            c.result.rule,
            s.tested,
            s.drifted,
            s.driftShare,
            s.datasetDrift ? 1 : 0,
            JSON.stringify(s),
            JSON.stringify(c.request),
            JSON.stringify(c.result),
          );
        const checkId = Number(info.lastInsertRowid);
        for (const col of c.result.columns) {
          insertColumn.run(
            checkId,
            col.column,
            col.status,
            col.drifted ? 1 : 0,
            col.test,
            finite(col.statistic),
            finite(col.pValue),
            finite(col.distance),
          );
        }
        return checkId;
      })();
      return repo.getCheck(id);
    },
    getCheck(id: number): DriftCheck {
      const row = db.prepare('SELECT * FROM drift_checks WHERE id = ?').get(id) as CheckRow | undefined;
      if (!row) throw new AppError('not_found', `No drift check with id ${id}.`);
      return {
        ...toSummary(row),
        request: JSON.parse(row.request!) as DriftCheck['request'],
        result: JSON.parse(row.result!) as DriftResult,
      };
    },
    /** Newest first. */
    listChecks(scope: CheckScope = {}): DriftCheckSummary[] {
      const { sql, params } = scopeWhere(scope);
      const limit = Math.min(Math.max(scope.limit ?? 200, 1), MONITORING_LIMITS.maxChecksListed);
      return (
        db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM drift_checks WHERE ${sql} ORDER BY id DESC LIMIT ${limit}`).all(params) as CheckRow[]
      ).map(toSummary);
    },
    /** Whole checks of a scope, oldest first (the save_report JSON, reports). */
    listFullChecks(scope: CheckScope = {}): DriftCheck[] {
      return repo
        .listChecks(scope)
        .reverse()
        .map((c) => repo.getCheck(c.id));
    },
    deleteCheck(id: number): void {
      const info = db.prepare('DELETE FROM drift_checks WHERE id = ?').run(id);
      if (info.changes === 0) throw new AppError('not_found', `No drift check with id ${id}.`);
    },
    /** Drift share over time (oldest first) and the columns that drift most often in the scope's latest `limit` checks. */
    trend(scope: CheckScope = {}, topN = 10): DriftTrend {
      const { sql, params } = scopeWhere(scope);
      const limit = Math.min(Math.max(scope.limit ?? 200, 1), MONITORING_LIMITS.maxChecksListed);
      const rows = db
        .prepare(
          `SELECT id, created_at, drift_share, dataset_drift, drifted, tested FROM drift_checks WHERE ${sql} ORDER BY id DESC LIMIT ${limit}`,
        )
        .all(params) as { id: number; created_at: number; drift_share: number; dataset_drift: number; drifted: number; tested: number }[];
      rows.reverse();
      const points = rows.map((r) => ({
        checkId: r.id,
        at: r.created_at,
        driftShare: r.drift_share,
        datasetDrift: r.dataset_drift === 1,
        drifted: r.drifted,
        tested: r.tested,
      }));
      if (rows.length === 0) return { points, topColumns: [] };
      const ids = rows.map((r) => r.id);
      const topColumns = db
        .prepare(
          `SELECT "column" AS column, SUM(drifted) AS drifted, COUNT(*) AS checks FROM drift_check_columns
           WHERE status != 'not-tested' AND check_id IN (${ids.map(() => '?').join(', ')})
           GROUP BY "column" HAVING SUM(drifted) > 0 ORDER BY SUM(drifted) DESC, "column" LIMIT ?`,
        )
        .all(...ids, topN) as { column: string; drifted: number; checks: number }[];
      return { points, topColumns };
    },
    countChecks(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM drift_checks').get() as { n: number }).n;
    },

    // ---------- alerts ----------
    insertAlert(a: NewAlert, at = Date.now()): MonitoringAlert {
      const info = db
        .prepare(
          `INSERT INTO monitoring_alerts (at, kind, model, model_version, check_id, message, value, threshold, window_start, window_size)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          at,
          a.kind,
          a.model,
          a.modelVersion,
          a.checkId,
          a.message,
          finite(a.value),
          finite(a.threshold),
          a.windowStart ?? null,
          a.windowSize ?? null,
        );
      return repo.getAlert(Number(info.lastInsertRowid));
    },
    /**
     * Whether an alert of this kind was raised already (acknowledged or not) for the model's window of this
     * start and size — and, when `modelVersion` is given, of that version (a null-version alert covers all).
     */
    hasWindowAlert(q: { kind: AlertKind; model: string; windowStart: number; windowSize: WindowSize; modelVersion?: number | null }): boolean {
      const version = q.modelVersion ?? null;
      const row = db
        .prepare(
          `SELECT 1 FROM monitoring_alerts WHERE kind = ? AND model = ? AND window_start = ? AND window_size = ?
             AND (? IS NULL OR model_version IS NULL OR model_version = ?) LIMIT 1`,
        )
        .get(q.kind, q.model, q.windowStart, q.windowSize, version, version);
      return row !== undefined;
    },
    getAlert(id: number): MonitoringAlert {
      const row = db.prepare('SELECT * FROM monitoring_alerts WHERE id = ?').get(id) as AlertRow | undefined;
      if (!row) throw new AppError('not_found', `No alert with id ${id}.`);
      return toAlert(row);
    },
    /** Newest first; open ones only unless asked. */
    listAlerts(q: { includeAcknowledged?: boolean; model?: string; limit?: number } = {}): MonitoringAlert[] {
      const parts: string[] = [];
      const params: unknown[] = [];
      if (!q.includeAcknowledged) parts.push('acknowledged_at IS NULL');
      if (q.model !== undefined) {
        parts.push('model = ?');
        params.push(q.model);
      }
      const limit = Math.min(Math.max(q.limit ?? 500, 1), 5000);
      const where = parts.length ? `WHERE ${parts.join(' AND ')}` : '';
      return (db.prepare(`SELECT * FROM monitoring_alerts ${where} ORDER BY id DESC LIMIT ${limit}`).all(params) as AlertRow[]).map(
        toAlert,
      );
    },
    /** Acknowledges an alert (once: a second acknowledgement keeps the first's time and person). */
    acknowledgeAlert(id: number, by: string, at = Date.now()): MonitoringAlert {
      repo.getAlert(id);
      db.prepare('UPDATE monitoring_alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL').run(
        at,
        by,
        id,
      );
      return repo.getAlert(id);
    },
    countAlerts(kind?: AlertKind): number {
      const row = (
        kind === undefined
          ? db.prepare('SELECT COUNT(*) AS n FROM monitoring_alerts').get()
          : db.prepare('SELECT COUNT(*) AS n FROM monitoring_alerts WHERE kind = ?').get(kind)
      ) as { n: number };
      return row.n;
    },

    // ---------- monitor settings (prediction monitoring) ----------
    /** A model's settings, or null when none were saved. */
    getSettings(name: string): MonitorSettings | null {
      const row = db.prepare('SELECT * FROM monitor_settings WHERE name = ?').get(name) as
        { name: string; enabled: number; window: WindowSize; threshold: number } | undefined;
      return row ? { name: row.name, enabled: row.enabled === 1, window: row.window, threshold: row.threshold } : null;
    },
    setSettings(s: MonitorSettings): MonitorSettings {
      db.prepare(
        `INSERT INTO monitor_settings (name, enabled, "window", threshold, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET enabled = excluded.enabled, "window" = excluded."window", threshold = excluded.threshold, updated_at = excluded.updated_at`,
      ).run(s.name, s.enabled ? 1 : 0, s.window, s.threshold, Date.now());
      return repo.getSettings(s.name)!;
    },
    listSettings(): MonitorSettings[] {
      return (
        db.prepare('SELECT * FROM monitor_settings ORDER BY name').all() as {
          name: string;
          enabled: number;
          window: WindowSize;
          threshold: number;
        }[]
      ).map((row) => ({ name: row.name, enabled: row.enabled === 1, window: row.window, threshold: row.threshold }));
    },
    /** Models with prediction monitoring switched on. */
    countEnabledMonitors(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM monitor_settings WHERE enabled = 1').get() as { n: number }).n;
    },

    // ---------- actual labels ----------
    /** Stores actual labels by prediction id (a later label replaces an earlier one); returns how many were written. */
    upsertActuals(rows: readonly { predictionId: string; actual: string }[], at = Date.now()): number {
      const stmt = db.prepare(
        `INSERT INTO actuals (prediction_id, actual, received_at) VALUES (?, ?, ?)
         ON CONFLICT(prediction_id) DO UPDATE SET actual = excluded.actual, received_at = excluded.received_at`,
      );
      db.transaction(() => {
        for (const r of rows) stmt.run(r.predictionId, r.actual, at);
      })();
      return rows.length;
    },
    /** The actual labels of these prediction ids (ids without one are absent from the map). */
    getActuals(predictionIds: readonly string[]): Map<string, string> {
      const out = new Map<string, string>();
      const stmt = db.prepare('SELECT prediction_id, actual FROM actuals WHERE prediction_id = ?');
      for (const id of predictionIds) {
        const r = stmt.get(id) as { prediction_id: string; actual: string } | undefined;
        if (r) out.set(r.prediction_id, r.actual);
      }
      return out;
    },
    // ---------- labelled scored files ----------
    insertLabelledSet(r: NewLabelledScoredFile, at = Date.now()): LabelledScoredFile {
      const info = db
        .prepare(
          `INSERT INTO prediction_set_labels (model, version, prediction_set_id, source_label, sha256, at, rows, labelled, accuracy, f1, rmse, r2, below_threshold)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.model,
          r.version,
          r.predictionSetId,
          r.sourceLabel,
          r.sha256,
          at,
          r.rows,
          r.labelled,
          finite(r.accuracy),
          finite(r.f1),
          finite(r.rmse),
          finite(r.r2),
          r.belowThreshold ? 1 : 0,
        );
      return toLabelledSet(db.prepare('SELECT * FROM prediction_set_labels WHERE id = ?').get(Number(info.lastInsertRowid)) as LabelledSetRow);
    },
    /** A model's labelled scored files, newest first. */
    listLabelledSets(model: string, limit = 200): LabelledScoredFile[] {
      return (
        db.prepare(`SELECT * FROM prediction_set_labels WHERE model = ? ORDER BY id DESC LIMIT ?`).all(model, limit) as LabelledSetRow[]
      ).map(toLabelledSet);
    },
    /** Whether a file of this content was imported as labels of the model before. */
    hasLabelledSet(model: string, sha256: string): boolean {
      return db.prepare('SELECT 1 FROM prediction_set_labels WHERE model = ? AND sha256 = ? LIMIT 1').get(model, sha256) !== undefined;
    },
    countActuals(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM actuals').get() as { n: number }).n;
    },
  };
  return repo;
}
export type MonitoringRepo = ReturnType<typeof createMonitoringRepo>;
