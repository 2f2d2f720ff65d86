/**
 * The registry's operations as every surface performs them (IPC handlers,
 * the CLI, the MLflow API, pipelines): each checks its rules, writes through
 * store.registry and appends its audit row in the same transaction, then
 * announces the change. Who did it comes in as an {@link Actor}.
 */
import { AppError } from '../../../shared/errors';
import {
  type ApprovalRequest,
  type GateReport,
  type GateSpec,
  type ModelStage,
  type ModelVersion,
  type RegisteredModel,
  type RegisterResult,
  type TransitionResult,
} from '../../../shared/registry';
import type { EventBus } from '../events';
import type { Store } from '../store';
import type { Actor } from './actor';
import { evaluateGates, isEmptyGateSpec, type GateEnv } from './gates';

/** What registry operations need. `isServing` asks the serving manager (absent: nothing is served). */
export interface RegistryEnv extends GateEnv {
  events: Pick<EventBus, 'emit'>;
  isServing?: (name: string, version: number) => boolean;
}

const MODEL_ARTIFACT = 'model/model.json';

function changed(env: RegistryEnv): void {
  env.events.emit('changed', { topic: 'registry' });
}

/** The model object of a finished run, or a clear refusal. */
function runModel(store: Store, runId: string): { sha256: string } {
  const info = store.tracking.getRunInfo(runId);
  if (info.status !== 'FINISHED')
    throw new AppError('conflict', `Run "${info.name}" is ${info.status.toLowerCase()}; only a finished run can be registered.`);
  const artifact = store.tracking.listArtifacts(runId).find((a) => a.path === MODEL_ARTIFACT);
  if (!artifact) throw new AppError('bad_input', `Run "${info.name}" has no model artifact (${MODEL_ARTIFACT}) to register.`);
  return { sha256: artifact.sha256 };
}

/** Evaluates gates for a run without registering anything. */
export async function checkGates(env: RegistryEnv, runId: string, name: string, spec: GateSpec): Promise<GateReport> {
  const model = runModel(env.store, runId);
  return evaluateGates(env, env.store.tracking.getRun(runId), spec, name, model.sha256);
}

/**
 * Registers a run's model as the next version of `name` (created on the fly),
 * behind the gates when given. A refusal registers nothing and is audited.
 */
export async function registerModel(
  env: RegistryEnv,
  who: Actor,
  req: { runId: string; name: string; description?: string; gates?: GateSpec; checked?: GateReport },
): Promise<RegisterResult> {
  const { store } = env;
  const model = runModel(store, req.runId);
  const run = store.tracking.getRun(req.runId);
  const spec = isEmptyGateSpec(req.gates) ? null : req.gates!;
  // `checked`: the same spec's report, just evaluated by the caller (a pipeline's gate step), so "beats Production" is not scored twice.
  const gates: GateReport = spec ? (req.checked ?? (await evaluateGates(env, run, spec, req.name, model.sha256))) : { passed: true, checks: [] };
  if (!gates.passed) {
    store.registry.appendAudit({
      ...who,
      action: 'gate-refused',
      model: req.name,
      comment: gates.checks
        .filter((c) => !c.passed)
        .map((c) => c.message)
        .join('; '),
      detail: { runId: req.runId, gates },
    });
    changed(env);
    return { registered: false, gates, version: null };
  }
  const version = store.registry.immediate(() => {
    const v = store.registry.createVersion({
      name: req.name,
      runId: req.runId,
      modelSha256: model.sha256,
      createdBy: who.actor,
      description: req.description,
      gateSpec: spec,
      gates: spec ? gates : null,
      createModel: true,
    });
    store.registry.appendAudit({
      ...who,
      action: 'register',
      model: req.name,
      version: v.version,
      to: 'None',
      detail: { runId: req.runId, gates: spec ? gates : null },
    });
    return v;
  });
  changed(env);
  return { registered: true, gates, version };
}

/** Moves a version between stages, writing the audit rows of the move and of every version it archived. */
function applyTransition(
  env: RegistryEnv,
  who: Actor,
  name: string,
  version: number,
  stage: ModelStage,
  comment: string,
  options: { keepExisting?: boolean; action?: 'transition' | 'rollback'; detail?: unknown } = {},
): ModelVersion {
  const { store } = env;
  const result = store.registry.immediate(() => {
    const change = store.registry.setStage(name, version, stage, { keepExisting: options.keepExisting });
    // The archiving rows first, so the move itself is the newest row of the log.
    for (const old of change.archived)
      store.registry.appendAudit({
        ...who,
        action: 'transition',
        model: name,
        version: old,
        from: 'Production',
        to: 'Archived',
        comment: `Archived: v${version} was promoted to Production.`,
      });
    store.registry.appendAudit({
      ...who,
      action: options.action ?? 'transition',
      model: name,
      version,
      from: change.from,
      to: stage,
      comment,
      detail: options.detail,
    });
    return change.version;
  });
  changed(env);
  return result;
}

/**
 * A stage change as the user asks it. Into Production: re-runs the version's
 * "beats Production" gate against the Production of now, and, when the model
 * requires approval, files a request instead of moving.
 */
export async function transitionVersion(
  env: RegistryEnv,
  who: Actor,
  req: { name: string; version: number; stage: ModelStage; comment: string; keepExisting?: boolean },
): Promise<TransitionResult> {
  const { store } = env;
  const current = store.registry.getVersion(req.name, req.version);
  if (current.stage === req.stage) throw new AppError('conflict', `Version ${req.version} of "${req.name}" is already in ${req.stage}.`);
  if (req.stage === 'Production') {
    await refuseUnlessBeatsProduction(env, who, current);
    if (store.registry.getModel(req.name).requireApproval) {
      const request = store.registry.immediate(() => {
        const r = store.registry.createRequest({
          name: req.name,
          version: req.version,
          toStage: req.stage,
          requestedBy: who.actor,
          comment: req.comment,
          keepExisting: req.keepExisting,
        });
        store.registry.appendAudit({
          ...who,
          action: 'approval-request',
          model: req.name,
          version: req.version,
          from: current.stage,
          to: req.stage,
          comment: req.comment,
          detail: { requestId: r.id, keepExisting: req.keepExisting ?? false },
        });
        return r;
      });
      changed(env);
      return { done: false, request };
    }
  }
  return {
    done: true,
    version: applyTransition(env, who, req.name, req.version, req.stage, req.comment, { keepExisting: req.keepExisting }),
  };
}

/** A version registered behind "beats Production" must still beat the Production of the moment it is promoted. */
async function refuseUnlessBeatsProduction(env: RegistryEnv, who: Actor, v: ModelVersion): Promise<void> {
  if (!v.gateSpec?.beatProduction) return;
  const others = env.store.registry.getModel(v.name).production.filter((p) => p !== v.version);
  if (others.length === 0) return;
  const report = await evaluateGates(
    env,
    env.store.tracking.getRun(v.runId),
    { beatProduction: true, metric: v.gateSpec.metric },
    v.name,
    v.modelSha256,
  );
  const failed = report.checks.filter((c) => c.id === 'beat-production' && !c.passed);
  if (failed.length === 0) return;
  env.store.registry.appendAudit({
    ...who,
    action: 'gate-refused',
    model: v.name,
    version: v.version,
    from: v.stage,
    to: 'Production',
    comment: failed[0].message,
    detail: { gates: report },
  });
  changed(env);
  throw new AppError('conflict', `Promotion refused: ${failed[0].message}.`, { gates: report });
}

/** Approves (and carries out) or rejects a pending request. A requester may not approve their own request unless the workspace allows it. */
export async function decideRequest(
  env: RegistryEnv,
  who: Actor,
  req: { requestId: number; decision: 'approve' | 'reject'; comment: string },
): Promise<TransitionResult> {
  const { store } = env;
  const request = store.registry.getRequest(req.requestId);
  if (request.status !== 'pending') throw new AppError('conflict', `Request ${request.id} is already ${request.status}.`);
  if (req.decision === 'approve' && request.requestedBy === who.actor && !store.settings.getSettings().allowSelfApproval)
    throw new AppError(
      'forbidden',
      `${who.actor} requested this promotion and cannot also approve it. Another person must approve it, or allow self-approval in Settings.`,
    );
  if (req.decision === 'reject') {
    const closed = store.registry.immediate(() => {
      const r = store.registry.closeRequest(request.id, { status: 'rejected', by: who.actor, comment: req.comment });
      store.registry.appendAudit({
        ...who,
        action: 'approval-reject',
        model: r.model,
        version: r.version,
        to: r.toStage,
        comment: req.comment,
        detail: { requestId: r.id, requestedBy: r.requestedBy },
      });
      return r;
    });
    changed(env);
    return { done: false, request: closed };
  }
  const v = store.registry.getVersion(request.model, request.version);
  if (request.toStage === 'Production') await refuseUnlessBeatsProduction(env, who, v);
  store.registry.immediate(() => {
    store.registry.closeRequest(request.id, { status: 'approved', by: who.actor, comment: req.comment });
    store.registry.appendAudit({
      ...who,
      action: 'approval-approve',
      model: request.model,
      version: request.version,
      to: request.toStage,
      comment: req.comment,
      detail: { requestId: request.id, requestedBy: request.requestedBy },
    });
  });
  const comment = `${request.comment} (approved by ${who.actor}: ${req.comment})`;
  return {
    done: true,
    version: applyTransition(env, who, request.model, request.version, request.toStage, comment, { keepExisting: request.keepExisting }),
  };
}

/** Withdraws a pending request (anyone may; it is audited). */
export function cancelRequest(env: RegistryEnv, who: Actor, requestId: number): ApprovalRequest {
  const closed = env.store.registry.immediate(() => {
    const r = env.store.registry.closeRequest(requestId, { status: 'cancelled', by: who.actor, comment: '' });
    env.store.registry.appendAudit({
      ...who,
      action: 'approval-cancel',
      model: r.model,
      version: r.version,
      to: r.toStage,
      detail: { requestId },
    });
    return r;
  });
  changed(env);
  return closed;
}

/**
 * Puts the previous Production version back: the newest version other than
 * the current one that the audit log shows entering Production and that
 * still exists. Recorded as a `rollback` with its reason. It does not wait for
 * an approval: a rollback is the way out of a bad release.
 */
export function rollback(env: RegistryEnv, who: Actor, req: { name: string; comment: string }): ModelVersion {
  const { store } = env;
  const model = store.registry.getModel(req.name);
  if (model.production.length === 0) throw new AppError('conflict', `"${req.name}" has no Production version to roll back.`);
  const current = Math.max(...model.production);
  const existing = new Set(store.registry.listVersions(req.name).map((v) => v.version));
  const previous = store.registry
    .listAudit({ model: req.name, limit: 10_000 })
    .find(
      (a) =>
        (a.action === 'transition' || a.action === 'rollback') &&
        a.to === 'Production' &&
        a.version !== null &&
        a.version !== current &&
        existing.has(a.version),
    );
  if (!previous || previous.version === null)
    throw new AppError('conflict', `"${req.name}" has had no other Production version to roll back to.`);
  return applyTransition(env, who, req.name, previous.version, 'Production', req.comment, {
    action: 'rollback',
    detail: { from: current },
  });
}

/** Deletes a version, refusing one in Production or being served. */
export function deleteVersion(env: RegistryEnv, who: Actor, name: string, version: number): void {
  const { store } = env;
  const v = store.registry.getVersion(name, version);
  if (v.stage === 'Production')
    throw new AppError(
      'conflict',
      `Version ${version} of "${name}" is in Production; move it to Archived (or promote another version) before deleting it.`,
    );
  if (env.isServing?.(name, version))
    throw new AppError('conflict', `Version ${version} of "${name}" is being served; stop the server first.`);
  store.registry.immediate(() => {
    store.registry.deleteVersion(name, version);
    store.registry.appendAudit({ ...who, action: 'delete-version', model: name, version, from: v.stage, detail: { runId: v.runId } });
  });
  changed(env);
}

/** Deletes a model and its versions, refusing while any is in Production or served. */
export function deleteModel(env: RegistryEnv, who: Actor, name: string): void {
  const { store } = env;
  const versions = store.registry.listVersions(name);
  const blocking = versions.find((v) => v.stage === 'Production' || env.isServing?.(name, v.version));
  if (blocking)
    throw new AppError(
      'conflict',
      `"${name}" cannot be deleted: version ${blocking.version} is ${blocking.stage === 'Production' ? 'in Production' : 'being served'}.`,
    );
  store.registry.immediate(() => {
    store.registry.deleteModel(name);
    store.registry.appendAudit({ ...who, action: 'delete-model', model: name, detail: { versions: versions.map((v) => v.version) } });
  });
  changed(env);
}

/** Points an alias at a version (moving it if it named another), audited. */
export function setAlias(env: RegistryEnv, who: Actor, name: string, alias: string, version: number): RegisteredModel {
  const model = env.store.registry.immediate(() => {
    const { previous } = env.store.registry.setAlias(name, alias, version);
    env.store.registry.appendAudit({
      ...who,
      action: 'alias-set',
      model: name,
      version,
      from: previous === null ? null : `${alias}=v${previous}`,
      to: `${alias}=v${version}`,
    });
    return env.store.registry.getModel(name);
  });
  changed(env);
  return model;
}

export function deleteAlias(env: RegistryEnv, who: Actor, name: string, alias: string): RegisteredModel {
  const model = env.store.registry.immediate(() => {
    const { version } = env.store.registry.deleteAlias(name, alias);
    env.store.registry.appendAudit({ ...who, action: 'alias-delete', model: name, version, from: `${alias}=v${version}` });
    return env.store.registry.getModel(name);
  });
  changed(env);
  return model;
}

/** Runs a registry write with its audit row in one transaction, then announces it. */
export function audited<T>(env: RegistryEnv, write: () => T, audit: Parameters<Store['registry']['appendAudit']>[0]): T {
  const result = env.store.registry.immediate(() => {
    const r = write();
    env.store.registry.appendAudit(audit);
    return r;
  });
  changed(env);
  return result;
}
