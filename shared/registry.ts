/**
 * The model registry: registered models, their versions (each pointing at a
 * run and its `model/model.json` artifact), stages, aliases, registration
 * gates, approval requests and the append-only audit log. Names and shapes
 * follow MLflow's model registry (model_registry.proto) so its REST API maps
 * onto the same rows; approvals and gates are the workbench's own.
 */
import { z } from 'zod';
import { runIdSchema, tagKeySchema, tagValueSchema, TRACKING_LIMITS } from './tracking';

/** MLflow's stages, in board order. */
export const MODEL_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

export const REGISTRY_LIMITS = {
  maxModelNameLength: 256,
  maxAliasLength: 256,
  maxCommentLength: 5000,
  maxDescriptionLength: TRACKING_LIMITS.maxDescriptionLength,
  maxCardTextLength: 20_000,
  maxAuditRows: 10_000,
} as const;

/** A registered model's name: any printable text without slashes (MLflow puts names in URLs). */
export const modelNameSchema = z
  .string()
  .trim()
  .min(1, 'A model needs a name.')
  .max(REGISTRY_LIMITS.maxModelNameLength, `A model name may be at most ${REGISTRY_LIMITS.maxModelNameLength} characters long.`)
  .refine((s) => !/[/\\\p{Cc}]/u.test(s), 'A model name may not contain slashes or control characters.');

export const versionNumberSchema = z.number().int().min(1, 'Model versions start at 1.');

/**
 * An alias: letters, digits, `_` and `-`, not starting with a digit or `v<digits>`
 * (MLflow refuses aliases that look like version references) and not `latest`.
 */
export const aliasSchema = z
  .string()
  .trim()
  .min(1, 'An alias needs a name.')
  .max(REGISTRY_LIMITS.maxAliasLength)
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'An alias may contain letters, digits, "_" and "-", and must not start with a digit.')
  .refine(
    (s) => !/^v\d+$/i.test(s) && s.toLowerCase() !== 'latest',
    'Aliases "latest" and "v<number>" are reserved for version references.',
  );

/** A comment on a transition, approval or rollback: required, so the audit log says why. */
export const commentSchema = z
  .string()
  .trim()
  .min(1, 'Say why: a comment is required.')
  .max(REGISTRY_LIMITS.maxCommentLength, `A comment may be at most ${REGISTRY_LIMITS.maxCommentLength} characters long.`);

export const cardTextSchema = z.string().max(REGISTRY_LIMITS.maxCardTextLength);

// ---------- gates ----------

export const GATE_OPERATORS = ['>=', '>', '<=', '<'] as const;
export type GateOperator = (typeof GATE_OPERATORS)[number];

/**
 * Registration gates, the chapter's `should_register_model` generalised:
 * a test metric against a threshold, the overfitting check |test − CV| < maxGap,
 * and "beats the current Production version on this run's test data".
 */
export const gateSpecSchema = z
  .strictObject({
    metric: z
      .strictObject({
        /** A test metric as runs log it (`accuracy`, `f1_macro`, `rmse`…); default: the task's headline (accuracy, or R² for regression). */
        key: z.string().trim().min(1).max(TRACKING_LIMITS.maxKeyLength).optional(),
        op: z.enum(GATE_OPERATORS).default('>='),
        threshold: z.number().finite(),
      })
      .optional(),
    /** |test metric − CV mean| must be below this (the chapter: 0.1). Uses the metric's key, or the task's headline metric. */
    maxCvGap: z.number().finite().positive().max(1e6).optional(),
    beatProduction: z.boolean().optional(),
  })
  .default({});
export type GateSpec = z.output<typeof gateSpecSchema>;

/** One gate check's outcome: what was measured, against what, and by how much it missed. */
export interface GateCheck {
  id: 'metric' | 'cv-gap' | 'beat-production';
  passed: boolean;
  /** Human sentence: "accuracy 0.81 ≥ 0.80", "|test − CV| = 0.14, limit 0.10". */
  message: string;
  metric: string;
  actual: number | null;
  threshold: number | null;
  /** How far from passing (positive when failed), in the metric's units. */
  shortfall: number | null;
}

export interface GateReport {
  passed: boolean;
  checks: GateCheck[];
}

/** Parses the CLI's `--gate 'accuracy>=0.8'`. */
export function parseGateExpression(text: string): { key: string; op: GateOperator; threshold: number } | null {
  const m = /^\s*([^<>=\s]+)\s*(>=|<=|>|<)\s*(-?[0-9.eE+-]+)\s*$/.exec(text);
  if (!m) return null;
  const threshold = Number(m[3]);
  if (!Number.isFinite(threshold)) return null;
  return { key: m[1], op: m[2] as GateOperator, threshold };
}

// ---------- records ----------

export interface RegisteredModel {
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
  /** When on, a transition to Production needs an approved request. */
  requireApproval: boolean;
  tags: Record<string, string>;
  /** alias → version */
  aliases: Record<string, number>;
  /** Newest version per stage (MLflow's latest_versions). */
  latest: Partial<Record<ModelStage, number>>;
  versionCount: number;
  /** Version numbers in Production (more than one only for an A/B split). */
  production: number[];
}

export interface ModelVersion {
  name: string;
  version: number;
  runId: string;
  runName: string;
  experimentId: number;
  /** `runs:/<runId>/model` (MLflow's source). */
  source: string;
  modelSha256: string;
  stage: ModelStage;
  description: string;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  tags: Record<string, string>;
  aliases: string[];
  algorithm: string;
  task: 'classification' | 'regression';
  /** `name@tag` of the training data, and its version id when it is a workspace dataset. */
  datasetLabel: string;
  datasetVersionId: number | null;
  /** The run's scalar metrics (latest values). */
  metrics: Record<string, number>;
  gates: GateReport | null;
  gateSpec: GateSpec | null;
  intendedUse: string;
  limitations: string;
}

export const AUDIT_ACTIONS = [
  'register',
  'gate-refused',
  'transition',
  'rollback',
  'alias-set',
  'alias-delete',
  'tag-set',
  'tag-delete',
  'update',
  'rename',
  'approval-request',
  'approval-approve',
  'approval-reject',
  'approval-cancel',
  'delete-version',
  'delete-model',
  'serve-start',
  'serve-stop',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Where an action came from: the app, the CLI, the MLflow API, or "pipeline NAME". */
export type AuditVia = string;

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  via: AuditVia;
  action: AuditAction;
  model: string;
  version: number | null;
  from: string | null;
  to: string | null;
  comment: string;
  /** Extra structured detail (the gate report, the server port, …). */
  detail: unknown;
}

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'cancelled'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export interface ApprovalRequest {
  id: number;
  model: string;
  version: number;
  toStage: ModelStage;
  requestedBy: string;
  requestedAt: number;
  comment: string;
  /** Promoting keeps the current Production version(s) (an A/B split). */
  keepExisting: boolean;
  status: ApprovalStatus;
  decidedBy: string | null;
  decidedAt: number | null;
  decisionComment: string | null;
}

/** Registry-wide rules kept in the workspace settings. */
export interface RegistrySettings {
  /** A requester may approve their own request (single-user workspaces). */
  allowSelfApproval: boolean;
}

/** One model card: the version, its lineage and its story. */
export interface ModelCard {
  version: ModelVersion;
  model: Pick<RegisteredModel, 'name' | 'description' | 'aliases'>;
  run: {
    id: string;
    name: string;
    experimentId: number;
    experimentName: string;
    startTime: number;
    endTime: number | null;
    params: Record<string, string>;
    tags: Record<string, string>;
  };
  dataset: {
    label: string;
    versionId: number | null;
    sha256: string | null;
    rows: number | null;
    columns: number | null;
    tag: string | null;
  };
  recipe: { name: string } | null;
  /** Test metrics and CV mean ± std per metric. */
  metrics: { key: string; test: number | null; cvMean: number | null; cvStd: number | null }[];
  featureImportance: { feature: string; importance: number }[];
  /** Stage history, oldest first. */
  stages: { at: number; actor: string; from: string | null; to: string | null; comment: string }[];
}

// ---------- requests ----------

const modelRef = { name: modelNameSchema };
const versionRef = { name: modelNameSchema, version: versionNumberSchema };

export const registerModelSchema = z.strictObject({
  runId: runIdSchema,
  name: modelNameSchema,
  description: z.string().max(REGISTRY_LIMITS.maxDescriptionLength).optional(),
  gates: gateSpecSchema.optional(),
});
export type RegisterModelRequest = z.input<typeof registerModelSchema>;

export interface RegisterResult {
  registered: boolean;
  gates: GateReport;
  version: ModelVersion | null;
}

export const transitionSchema = z.strictObject({
  ...versionRef,
  stage: z.enum(MODEL_STAGES),
  comment: commentSchema,
  /** Promoting to Production archives the current Production version(s) unless this is set (A/B). */
  keepExisting: z.boolean().default(false),
});
export type TransitionRequest = z.input<typeof transitionSchema>;

/** A transition either happened, or (Production with approvals on) became a pending request. */
export type TransitionResult = { done: true; version: ModelVersion } | { done: false; request: ApprovalRequest };

export const rollbackSchema = z.strictObject({ ...modelRef, comment: commentSchema });

export const setAliasSchema = z.strictObject({ ...modelRef, alias: aliasSchema, version: versionNumberSchema });
export const deleteAliasSchema = z.strictObject({ ...modelRef, alias: aliasSchema });
export const versionTagSchema = z.strictObject({ ...versionRef, key: tagKeySchema, value: tagValueSchema });
export const deleteVersionTagSchema = z.strictObject({ ...versionRef, key: tagKeySchema });
export const modelTagSchema = z.strictObject({ ...modelRef, key: tagKeySchema, value: tagValueSchema });
export const deleteModelTagSchema = z.strictObject({ ...modelRef, key: tagKeySchema });

export const updateVersionSchema = z.strictObject({
  ...versionRef,
  description: z.string().max(REGISTRY_LIMITS.maxDescriptionLength).optional(),
  intendedUse: cardTextSchema.optional(),
  limitations: cardTextSchema.optional(),
});
export const updateModelSchema = z.strictObject({
  ...modelRef,
  description: z.string().max(REGISTRY_LIMITS.maxDescriptionLength).optional(),
  requireApproval: z.boolean().optional(),
});
export const renameModelSchema = z.strictObject({ ...modelRef, newName: modelNameSchema });

export const decideApprovalSchema = z.strictObject({
  requestId: z.number().int().min(1),
  decision: z.enum(['approve', 'reject']),
  comment: commentSchema,
});

export const auditFilterSchema = z.strictObject({
  model: modelNameSchema.optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  actor: z.string().max(256).optional(),
  /** epoch ms, inclusive */
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  limit: z.number().int().min(1).max(REGISTRY_LIMITS.maxAuditRows).default(1000),
});
export type AuditFilter = z.input<typeof auditFilterSchema>;

export const versionRefSchema = z.strictObject(versionRef);
export const modelRefSchema = z.strictObject(modelRef);

/**
 * A reference to a version as the CLI, the server and MLflow's `models:/` URIs
 * write it: `NAME` (Production), `NAME/Staging`, `NAME@alias`, `NAME/3`.
 */
export type VersionSelector =
  { kind: 'stage'; stage: ModelStage } | { kind: 'version'; version: number } | { kind: 'alias'; alias: string };

export function parseModelReference(text: string): { name: string; selector: VersionSelector } | null {
  // Names and aliases cannot hold a slash, so a slash always starts a version or stage; an `@` may be part of a name.
  const slash = text.lastIndexOf('/');
  if (slash > 0) {
    const name = text.slice(0, slash);
    const tail = text.slice(slash + 1);
    if (/^\d+$/.test(tail)) return { name, selector: { kind: 'version', version: Number(tail) } };
    const stage = MODEL_STAGES.find((s) => s.toLowerCase() === tail.toLowerCase());
    return stage ? { name, selector: { kind: 'stage', stage } } : null;
  }
  const at = text.lastIndexOf('@');
  if (at > 0) return { name: text.slice(0, at), selector: { kind: 'alias', alias: text.slice(at + 1) } };
  return text ? { name: text, selector: { kind: 'stage', stage: 'Production' } } : null;
}

export function formatModelReference(name: string, selector: VersionSelector): string {
  if (selector.kind === 'alias') return `${name}@${selector.alias}`;
  if (selector.kind === 'version') return `${name}/${selector.version}`;
  return `${name}/${selector.stage}`;
}

export const versionSelectorSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('stage'), stage: z.enum(MODEL_STAGES) }),
  z.strictObject({ kind: z.literal('version'), version: versionNumberSchema }),
  z.strictObject({ kind: z.literal('alias'), alias: aliasSchema }),
]);
