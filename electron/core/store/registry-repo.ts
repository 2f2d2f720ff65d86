/**
 * The model registry's rows (see migrations/008-registry.ts): registered
 * models, versions, stages, aliases, tags, approval requests and the
 * append-only audit log. Rules that need several rows to agree (one
 * Production at a time, never-reused version numbers, one pending request)
 * are kept here, each inside one IMMEDIATE transaction, so the app, the CLI
 * and a headless scheduler writing the same workspace cannot interleave.
 */
import { AppError } from '../../../shared/errors';
import {
  REGISTRY_LIMITS,
  type ApprovalRequest,
  type ApprovalStatus,
  type AuditAction,
  type AuditEntry,
  type AuditFilter,
  type GateReport,
  type GateSpec,
  type ModelStage,
  type ModelVersion,
  type RegisteredModel,
  type VersionSelector,
} from '../../../shared/registry';
import { SYSTEM_TAGS } from '../../../shared/tracking';
import type { Db } from './database';

interface ModelRow {
  id: number;
  name: string;
  description: string;
  require_approval: number;
  last_version: number;
  created_at: number;
  updated_at: number;
}

interface VersionRow {
  model_id: number;
  model_name: string;
  version: number;
  run_id: string;
  run_name: string;
  experiment_id: number;
  dataset_version_id: number | null;
  model_sha256: string;
  stage: ModelStage;
  description: string;
  created_at: number;
  updated_at: number;
  created_by: string;
  gate_spec: string | null;
  gates: string | null;
  intended_use: string;
  limitations: string;
}

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  via: string;
  action: AuditAction;
  model: string;
  version: number | null;
  from_value: string | null;
  to_value: string | null;
  comment: string;
  detail: string | null;
}

interface RequestRow {
  id: number;
  model_name: string;
  version: number;
  to_stage: ModelStage;
  requested_by: string;
  requested_at: number;
  comment: string;
  keep_existing: number;
  status: ApprovalStatus;
  decided_by: string | null;
  decided_at: number | null;
  decision_comment: string | null;
}

/** What an audit row records; `at` defaults to now. */
export interface AuditInput {
  actor: string;
  via: string;
  action: AuditAction;
  model: string;
  version?: number | null;
  from?: string | null;
  to?: string | null;
  comment?: string;
  detail?: unknown;
  at?: number;
}

export interface CreateVersionInput {
  name: string;
  runId: string;
  modelSha256: string;
  createdBy: string;
  description?: string;
  gateSpec?: GateSpec | null;
  gates?: GateReport | null;
  /** Creates the registered model when it does not exist yet (MLflow's register_model). */
  createModel?: boolean;
}

/** What a stage change did: the version's previous stage and the versions it archived. */
export interface StageChange {
  version: ModelVersion;
  from: ModelStage;
  archived: number[];
}

const VERSION_SELECT = `
  SELECT v.*, m.name AS model_name, r.name AS run_name, r.experiment_id, r.dataset_version_id
  FROM model_versions v JOIN registered_models m ON m.id = v.model_id JOIN runs r ON r.id = v.run_id`;

const REQUEST_SELECT = `SELECT q.*, m.name AS model_name FROM approval_requests q JOIN registered_models m ON m.id = q.model_id`;

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

function toRequest(r: RequestRow): ApprovalRequest {
  return {
    id: r.id,
    model: r.model_name,
    version: r.version,
    toStage: r.to_stage,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    comment: r.comment,
    keepExisting: r.keep_existing === 1,
    status: r.status,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    decisionComment: r.decision_comment,
  };
}

function toAudit(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    via: r.via,
    action: r.action,
    model: r.model,
    version: r.version,
    from: r.from_value,
    to: r.to_value,
    comment: r.comment,
    detail: parseJson(r.detail),
  };
}

export function createRegistryRepo(db: Db) {
  /** Runs `fn` in a BEGIN IMMEDIATE transaction: the write lock is taken first, so two processes cannot both read-then-write. */
  const immediate = <T>(fn: () => T): T => db.transaction(fn).immediate();

  const modelRow = (name: string): ModelRow => {
    const row = db.prepare('SELECT * FROM registered_models WHERE name = ?').get(name) as ModelRow | undefined;
    if (!row) throw new AppError('not_found', `There is no registered model named "${name}".`);
    return row;
  };

  const versionRow = (name: string, version: number): VersionRow => {
    const row = db.prepare(`${VERSION_SELECT} WHERE m.name = ? AND v.version = ?`).get(name, version) as VersionRow | undefined;
    if (!row) throw new AppError('not_found', `Model "${name}" has no version ${version}.`);
    return row;
  };

  const tagsOf = (sql: string, ...args: unknown[]): Record<string, string> =>
    Object.fromEntries((db.prepare(sql).all(...args) as { key: string; value: string }[]).map((t) => [t.key, t.value]));

  const toVersion = (r: VersionRow): ModelVersion => {
    const runTags = tagsOf(
      'SELECT key, value FROM tags WHERE run_id = ? AND key IN (?, ?, ?)',
      r.run_id,
      SYSTEM_TAGS.modelType,
      SYSTEM_TAGS.task,
      SYSTEM_TAGS.dataset,
    );
    const metrics = Object.fromEntries(
      (
        db
          .prepare('SELECT key, value FROM latest_metrics WHERE run_id = ? AND is_nan = 0 AND value IS NOT NULL ORDER BY key')
          .all(r.run_id) as {
          key: string;
          value: number;
        }[]
      ).map((m) => [m.key, m.value]),
    );
    const aliases = (
      db.prepare('SELECT alias FROM model_aliases WHERE model_id = ? AND version = ? ORDER BY alias').all(r.model_id, r.version) as {
        alias: string;
      }[]
    ).map((a) => a.alias);
    return {
      name: r.model_name,
      version: r.version,
      runId: r.run_id,
      runName: r.run_name,
      experimentId: r.experiment_id,
      source: `runs:/${r.run_id}/model`,
      modelSha256: r.model_sha256,
      stage: r.stage,
      description: r.description,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      createdBy: r.created_by,
      tags: tagsOf('SELECT key, value FROM model_version_tags WHERE model_id = ? AND version = ? ORDER BY key', r.model_id, r.version),
      aliases,
      algorithm: runTags[SYSTEM_TAGS.modelType] ?? '',
      task: runTags[SYSTEM_TAGS.task] === 'regression' ? 'regression' : 'classification',
      datasetLabel: runTags[SYSTEM_TAGS.dataset] ?? '',
      datasetVersionId: r.dataset_version_id,
      metrics,
      gates: parseJson<GateReport>(r.gates),
      gateSpec: parseJson<GateSpec>(r.gate_spec),
      intendedUse: r.intended_use,
      limitations: r.limitations,
    };
  };

  const toModel = (m: ModelRow): RegisteredModel => {
    const stages = db.prepare('SELECT version, stage FROM model_versions WHERE model_id = ? ORDER BY version').all(m.id) as {
      version: number;
      stage: ModelStage;
    }[];
    const latest: RegisteredModel['latest'] = {};
    for (const s of stages) latest[s.stage] = s.version;
    return {
      name: m.name,
      description: m.description,
      createdAt: m.created_at,
      updatedAt: m.updated_at,
      requireApproval: m.require_approval === 1,
      tags: tagsOf('SELECT key, value FROM registered_model_tags WHERE model_id = ? ORDER BY key', m.id),
      aliases: Object.fromEntries(
        (
          db.prepare('SELECT alias, version FROM model_aliases WHERE model_id = ? ORDER BY alias').all(m.id) as {
            alias: string;
            version: number;
          }[]
        ).map((a) => [a.alias, a.version]),
      ),
      latest,
      versionCount: stages.length,
      production: stages.filter((s) => s.stage === 'Production').map((s) => s.version),
    };
  };

  const touchModel = (modelId: number, at = Date.now()) =>
    db.prepare('UPDATE registered_models SET updated_at = ? WHERE id = ?').run(at, modelId);

  const repo = {
    immediate,

    // ---------- registered models ----------

    createModel(name: string, description = ''): RegisteredModel {
      const now = Date.now();
      try {
        db.prepare('INSERT INTO registered_models (name, description, created_at, updated_at) VALUES (?, ?, ?, ?)').run(
          name,
          description,
          now,
          now,
        );
      } catch (err) {
        if (String(err).includes('UNIQUE')) throw new AppError('conflict', `A registered model named "${name}" already exists.`);
        throw err;
      }
      return repo.getModel(name);
    },
    findModel(name: string): RegisteredModel | undefined {
      const row = db.prepare('SELECT * FROM registered_models WHERE name = ?').get(name) as ModelRow | undefined;
      return row ? toModel(row) : undefined;
    },
    getModel(name: string): RegisteredModel {
      return toModel(modelRow(name));
    },
    /** Models whose name contains `query` (case-insensitive), most recently changed first. */
    listModels(query = ''): RegisteredModel[] {
      const rows = db
        .prepare(`SELECT * FROM registered_models WHERE instr(lower(name), lower(?)) > 0 ORDER BY updated_at DESC, name`)
        .all(query) as ModelRow[];
      return rows.map(toModel);
    },
    updateModel(name: string, changes: { description?: string; requireApproval?: boolean }): RegisteredModel {
      const m = modelRow(name);
      db.prepare('UPDATE registered_models SET description = ?, require_approval = ?, updated_at = ? WHERE id = ?').run(
        changes.description ?? m.description,
        changes.requireApproval === undefined ? m.require_approval : changes.requireApproval ? 1 : 0,
        Date.now(),
        m.id,
      );
      return repo.getModel(name);
    },
    renameModel(name: string, newName: string): RegisteredModel {
      const m = modelRow(name);
      if (name !== newName && repo.findModel(newName))
        throw new AppError('conflict', `A registered model named "${newName}" already exists.`);
      db.prepare('UPDATE registered_models SET name = ?, updated_at = ? WHERE id = ?').run(newName, Date.now(), m.id);
      return repo.getModel(newName);
    },
    /** Deletes a model and all its versions (the caller checks what may not be deleted). */
    deleteModel(name: string): void {
      db.prepare('DELETE FROM registered_models WHERE id = ?').run(modelRow(name).id);
    },
    setModelTag(name: string, key: string, value: string): RegisteredModel {
      const m = modelRow(name);
      db.prepare(
        'INSERT INTO registered_model_tags (model_id, key, value) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value',
      ).run(m.id, key, value);
      touchModel(m.id);
      return repo.getModel(name);
    },
    deleteModelTag(name: string, key: string): RegisteredModel {
      const m = modelRow(name);
      const res = db.prepare('DELETE FROM registered_model_tags WHERE model_id = ? AND key = ?').run(m.id, key);
      if (res.changes === 0) throw new AppError('not_found', `Model "${name}" has no tag "${key}".`);
      touchModel(m.id);
      return repo.getModel(name);
    },

    // ---------- versions ----------

    /** Adds the next version (numbers are never reused, even after a deletion). */
    createVersion(input: CreateVersionInput): ModelVersion {
      return immediate(() => {
        if (input.createModel && !repo.findModel(input.name)) repo.createModel(input.name);
        const m = modelRow(input.name);
        const version = m.last_version + 1;
        const now = Date.now();
        db.prepare('UPDATE registered_models SET last_version = ?, updated_at = ? WHERE id = ?').run(version, now, m.id);
        db.prepare(
          `INSERT INTO model_versions (model_id, version, run_id, model_sha256, description, created_at, updated_at, created_by, gate_spec, gates)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          m.id,
          version,
          input.runId,
          input.modelSha256,
          input.description ?? '',
          now,
          now,
          input.createdBy,
          input.gateSpec ? JSON.stringify(input.gateSpec) : null,
          input.gates ? JSON.stringify(input.gates) : null,
        );
        return repo.getVersion(input.name, version);
      });
    },
    getVersion(name: string, version: number): ModelVersion {
      return toVersion(versionRow(name, version));
    },
    /** Versions of a model, newest first. */
    listVersions(name: string): ModelVersion[] {
      modelRow(name);
      return (db.prepare(`${VERSION_SELECT} WHERE m.name = ? ORDER BY v.version DESC`).all(name) as VersionRow[]).map(toVersion);
    },
    versionsOfRun(runId: string): ModelVersion[] {
      return (db.prepare(`${VERSION_SELECT} WHERE v.run_id = ? ORDER BY m.name, v.version`).all(runId) as VersionRow[]).map(toVersion);
    },
    /** The version a selector names: the newest in a stage, an alias's, or a number. */
    resolveVersion(name: string, selector: VersionSelector): ModelVersion {
      const m = modelRow(name);
      if (selector.kind === 'version') return repo.getVersion(name, selector.version);
      if (selector.kind === 'alias') {
        const a = db.prepare('SELECT version FROM model_aliases WHERE model_id = ? AND alias = ?').get(m.id, selector.alias) as
          { version: number } | undefined;
        if (!a) throw new AppError('not_found', `Model "${name}" has no alias "${selector.alias}".`);
        return repo.getVersion(name, a.version);
      }
      const v = db
        .prepare('SELECT MAX(version) AS version FROM model_versions WHERE model_id = ? AND stage = ?')
        .get(m.id, selector.stage) as {
        version: number | null;
      };
      if (v.version === null) throw new AppError('not_found', `Model "${name}" has no version in ${selector.stage}.`);
      return repo.getVersion(name, v.version);
    },
    updateVersion(
      name: string,
      version: number,
      changes: { description?: string; intendedUse?: string; limitations?: string },
    ): ModelVersion {
      const r = versionRow(name, version);
      db.prepare(
        'UPDATE model_versions SET description = ?, intended_use = ?, limitations = ?, updated_at = ? WHERE model_id = ? AND version = ?',
      ).run(
        changes.description ?? r.description,
        changes.intendedUse ?? r.intended_use,
        changes.limitations ?? r.limitations,
        Date.now(),
        r.model_id,
        version,
      );
      return repo.getVersion(name, version);
    },
    setVersionTag(name: string, version: number, key: string, value: string): ModelVersion {
      const r = versionRow(name, version);
      db.prepare(
        'INSERT INTO model_version_tags (model_id, version, key, value) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value',
      ).run(r.model_id, version, key, value);
      return repo.getVersion(name, version);
    },
    deleteVersionTag(name: string, version: number, key: string): ModelVersion {
      const r = versionRow(name, version);
      const res = db.prepare('DELETE FROM model_version_tags WHERE model_id = ? AND version = ? AND key = ?').run(r.model_id, version, key);
      if (res.changes === 0) throw new AppError('not_found', `Version ${version} of "${name}" has no tag "${key}".`);
      return repo.getVersion(name, version);
    },
    /** Deletes one version (its aliases, tags and requests go with it). */
    deleteVersion(name: string, version: number): void {
      const r = versionRow(name, version);
      db.prepare('DELETE FROM model_versions WHERE model_id = ? AND version = ?').run(r.model_id, version);
      touchModel(r.model_id);
    },

    /**
     * Moves a version to a stage. Into Production, the versions already there
     * are archived unless `keepExisting` (an A/B split). Read and write happen
     * under one write lock, so two promotions racing leave one Production.
     */
    setStage(name: string, version: number, stage: ModelStage, options: { keepExisting?: boolean } = {}): StageChange {
      return immediate(() => {
        const r = versionRow(name, version);
        const now = Date.now();
        let archived: number[] = [];
        if (stage === 'Production' && !options.keepExisting) {
          archived = (
            db
              .prepare(`SELECT version FROM model_versions WHERE model_id = ? AND stage = 'Production' AND version <> ?`)
              .all(r.model_id, version) as {
              version: number;
            }[]
          ).map((a) => a.version);
          db.prepare(
            `UPDATE model_versions SET stage = 'Archived', updated_at = ? WHERE model_id = ? AND stage = 'Production' AND version <> ?`,
          ).run(now, r.model_id, version);
        }
        db.prepare('UPDATE model_versions SET stage = ?, updated_at = ? WHERE model_id = ? AND version = ?').run(
          stage,
          now,
          r.model_id,
          version,
        );
        touchModel(r.model_id, now);
        return { version: repo.getVersion(name, version), from: r.stage, archived };
      });
    },

    // ---------- aliases ----------

    setAlias(name: string, alias: string, version: number): { previous: number | null } {
      const r = versionRow(name, version);
      const prev = db.prepare('SELECT version FROM model_aliases WHERE model_id = ? AND alias = ?').get(r.model_id, alias) as
        { version: number } | undefined;
      db.prepare(
        'INSERT INTO model_aliases (model_id, alias, version) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET version = excluded.version',
      ).run(r.model_id, alias, version);
      touchModel(r.model_id);
      return { previous: prev?.version ?? null };
    },
    deleteAlias(name: string, alias: string): { version: number } {
      const m = modelRow(name);
      const prev = db.prepare('SELECT version FROM model_aliases WHERE model_id = ? AND alias = ?').get(m.id, alias) as
        { version: number } | undefined;
      if (!prev) throw new AppError('not_found', `Model "${name}" has no alias "${alias}".`);
      db.prepare('DELETE FROM model_aliases WHERE model_id = ? AND alias = ?').run(m.id, alias);
      touchModel(m.id);
      return prev;
    },

    // ---------- approvals ----------

    createRequest(input: {
      name: string;
      version: number;
      toStage: ModelStage;
      requestedBy: string;
      comment: string;
      keepExisting?: boolean;
    }): ApprovalRequest {
      const r = versionRow(input.name, input.version);
      try {
        const res = db
          .prepare(
            'INSERT INTO approval_requests (model_id, version, to_stage, requested_by, requested_at, comment, keep_existing) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(r.model_id, input.version, input.toStage, input.requestedBy, Date.now(), input.comment, input.keepExisting ? 1 : 0);
        return repo.getRequest(Number(res.lastInsertRowid));
      } catch (err) {
        if (String(err).includes('UNIQUE'))
          throw new AppError('conflict', `Version ${input.version} of "${input.name}" already has a pending request for ${input.toStage}.`);
        throw err;
      }
    },
    getRequest(id: number): ApprovalRequest {
      const row = db.prepare(`${REQUEST_SELECT} WHERE q.id = ?`).get(id) as RequestRow | undefined;
      if (!row) throw new AppError('not_found', `There is no approval request ${id}.`);
      return toRequest(row);
    },
    listRequests(filter: { name?: string; status?: ApprovalStatus } = {}): ApprovalRequest[] {
      const rows = db
        .prepare(
          `${REQUEST_SELECT} WHERE (? IS NULL OR m.name = ?) AND (? IS NULL OR q.status = ?) ORDER BY q.requested_at DESC, q.id DESC`,
        )
        .all(filter.name ?? null, filter.name ?? null, filter.status ?? null, filter.status ?? null) as RequestRow[];
      return rows.map(toRequest);
    },
    /** Closes a pending request; refuses one that is already decided. */
    closeRequest(id: number, outcome: { status: Exclude<ApprovalStatus, 'pending'>; by: string; comment: string }): ApprovalRequest {
      const res = db
        .prepare(
          `UPDATE approval_requests SET status = ?, decided_by = ?, decided_at = ?, decision_comment = ? WHERE id = ? AND status = 'pending'`,
        )
        .run(outcome.status, outcome.by, Date.now(), outcome.comment, id);
      const req = repo.getRequest(id);
      if (res.changes === 0) throw new AppError('conflict', `Request ${id} is already ${req.status}.`);
      return req;
    },

    // ---------- audit ----------

    appendAudit(entry: AuditInput): AuditEntry {
      const res = db
        .prepare(
          `INSERT INTO registry_audit (at, actor, via, action, model, version, from_value, to_value, comment, detail)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          entry.at ?? Date.now(),
          entry.actor,
          entry.via,
          entry.action,
          entry.model,
          entry.version ?? null,
          entry.from ?? null,
          entry.to ?? null,
          entry.comment ?? '',
          entry.detail === undefined ? null : JSON.stringify(entry.detail),
        );
      return toAudit(db.prepare('SELECT * FROM registry_audit WHERE id = ?').get(res.lastInsertRowid) as AuditRow);
    },
    /** Audit rows matching the filter, newest first. */
    listAudit(filter: AuditFilter = {}): AuditEntry[] {
      const rows = db
        .prepare(
          `SELECT * FROM registry_audit
           WHERE (@model IS NULL OR model = @model) AND (@action IS NULL OR action = @action)
             AND (@actor IS NULL OR instr(lower(actor), lower(@actor)) > 0)
             AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at <= @to)
           ORDER BY at DESC, id DESC LIMIT @limit`,
        )
        .all({
          model: filter.model ?? null,
          action: filter.action ?? null,
          actor: filter.actor || null,
          from: filter.from ?? null,
          to: filter.to ?? null,
          limit: filter.limit ?? REGISTRY_LIMITS.maxAuditRows,
        }) as AuditRow[];
      return rows.map(toAudit);
    },

    // ---------- evidence and housekeeping ----------

    /** Counts for maturity evidence. */
    counts(): {
      models: number;
      versions: number;
      stagedBeforeProduction: number;
      rollbacks: number;
      automaticRollbacks: number;
      transitions: number;
    } {
      const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      return {
        models: one('SELECT COUNT(*) AS n FROM registered_models'),
        versions: one('SELECT COUNT(*) AS n FROM model_versions'),
        // Versions that reached Production after being in Staging (the audit log remembers the path).
        stagedBeforeProduction: one(
          `SELECT COUNT(*) AS n FROM (SELECT DISTINCT p.model, p.version FROM registry_audit p
             WHERE p.action = 'transition' AND p.to_value = 'Production'
               AND EXISTS (SELECT 1 FROM registry_audit s WHERE s.model = p.model AND s.version = p.version
                           AND s.action = 'transition' AND s.to_value = 'Staging' AND s.id < p.id))`,
        ),
        rollbacks: one(`SELECT COUNT(*) AS n FROM registry_audit WHERE action = 'rollback'`),
        automaticRollbacks: one(`SELECT COUNT(*) AS n FROM registry_audit WHERE action = 'rollback' AND (actor LIKE 'pipeline %' OR via LIKE 'pipeline %')`),
        transitions: one(`SELECT COUNT(*) AS n FROM registry_audit WHERE action IN ('transition', 'rollback')`),
      };
    },
  };
  return repo;
}

export type RegistryRepo = ReturnType<typeof createRegistryRepo>;
