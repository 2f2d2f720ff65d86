import { z } from 'zod';
import { defineChannel } from '../contract';
import {
  APPROVAL_STATUSES,
  auditFilterSchema,
  decideApprovalSchema,
  deleteAliasSchema,
  deleteModelTagSchema,
  deleteVersionTagSchema,
  gateSpecSchema,
  modelNameSchema,
  modelRefSchema,
  modelTagSchema,
  registerModelSchema,
  renameModelSchema,
  rollbackSchema,
  setAliasSchema,
  transitionSchema,
  updateModelSchema,
  updateVersionSchema,
  versionRefSchema,
  versionTagSchema,
  type ApprovalRequest,
  type AuditEntry,
  type GateReport,
  type ModelCard,
  type ModelVersion,
  type RegisteredModel,
  type RegisterResult,
  type TransitionResult,
} from '../registry';
import { runIdSchema } from '../tracking';

/** A registered model with all its versions (newest first). */
export interface RegisteredModelDetail {
  model: RegisteredModel;
  versions: ModelVersion[];
  pendingApprovals: ApprovalRequest[];
}

export const registryChannels = {
  'registry:models': defineChannel(z.strictObject({ query: z.string().max(256).optional() }))<RegisteredModel[]>(),
  'registry:model': defineChannel(modelRefSchema)<RegisteredModelDetail>(),
  'registry:version': defineChannel(versionRefSchema)<ModelVersion>(),
  'registry:card': defineChannel(versionRefSchema)<ModelCard>(),
  /** Versions registered from a run (the run page shows them). */
  'registry:versionsOfRun': defineChannel(z.strictObject({ runId: runIdSchema }))<ModelVersion[]>(),
  /** Evaluates the gates for a run without registering anything. */
  'registry:checkGates': defineChannel(z.strictObject({ runId: runIdSchema, name: modelNameSchema, gates: gateSpecSchema }))<GateReport>(),
  'registry:register': defineChannel(registerModelSchema)<RegisterResult>(),
  'registry:transition': defineChannel(transitionSchema)<TransitionResult>(),
  'registry:rollback': defineChannel(rollbackSchema)<ModelVersion>(),
  'registry:setAlias': defineChannel(setAliasSchema)<RegisteredModel>(),
  'registry:deleteAlias': defineChannel(deleteAliasSchema)<RegisteredModel>(),
  'registry:setVersionTag': defineChannel(versionTagSchema)<ModelVersion>(),
  'registry:deleteVersionTag': defineChannel(deleteVersionTagSchema)<ModelVersion>(),
  'registry:setModelTag': defineChannel(modelTagSchema)<RegisteredModel>(),
  'registry:deleteModelTag': defineChannel(deleteModelTagSchema)<RegisteredModel>(),
  'registry:updateVersion': defineChannel(updateVersionSchema)<ModelVersion>(),
  'registry:updateModel': defineChannel(updateModelSchema)<RegisteredModel>(),
  'registry:renameModel': defineChannel(renameModelSchema)<RegisteredModel>(),
  'registry:deleteVersion': defineChannel(versionRefSchema)<{ deleted: true }>(),
  'registry:deleteModel': defineChannel(modelRefSchema)<{ deleted: true }>(),
  'registry:approvals': defineChannel(z.strictObject({ name: modelNameSchema.optional(), status: z.enum(APPROVAL_STATUSES).optional() }))<
    ApprovalRequest[]
  >(),
  'registry:decide': defineChannel(decideApprovalSchema)<TransitionResult>(),
  'registry:cancelRequest': defineChannel(z.strictObject({ requestId: z.number().int().min(1) }))<ApprovalRequest>(),
  'registry:audit': defineChannel(auditFilterSchema)<AuditEntry[]>(),
  /** The same rows as `registry:audit`, as CSV text (one header row, RFC 4180 quoting). */
  'registry:auditCsv': defineChannel(auditFilterSchema)<string>(),
};
