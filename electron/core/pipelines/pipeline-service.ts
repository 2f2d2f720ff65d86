/**
 * Pipelines as the app, the CLI and the scheduler use them: saving a
 * definition (a new version each time), starting a run under the store's
 * lock, retrying and cancelling, the summaries the pages show, and the
 * notifications a run leaves.
 */
import os from 'node:os';
import { AppError } from '../../../shared/errors';
import type { JobRecord } from '../../../shared/jobs';
import type {
  PipelineDefinition,
  PipelineDetail,
  PipelineNotificationKind,
  PipelineRun,
  PipelineSummary,
  PipelineTrigger,
} from '../../../shared/pipelines';
import type { AppContext } from '../app-context';
import type { EventBus } from '../events';
import type { Store } from '../store';
import type { PipelineRecord, TriggerState } from '../store/pipelines-repo';
import { currentUser } from '../tracking/record-run';
import { pipelineRunJob } from './pipeline-job';
import { checkSchedule, nextDue } from './schedule';

/** Who runs a pipeline here: the lock's owner (`app@host:pid`, `scheduler@host:pid`, `cli@host:pid`). */
export function ownerOf(role: string): string {
  return `${role}@${os.hostname()}:${process.pid}`;
}

/** True when a lock owner is a process of this host that no longer exists (its run was interrupted). */
export function ownerGone(owner: string): boolean {
  const m = /^[^@]+@(.+):(\d+)$/.exec(owner);
  if (!m || m[1] !== os.hostname()) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The next scheduled time of an enabled pipeline (null: disabled or no schedule). */
export function nextDueOf(p: PipelineRecord, now: number): number | null {
  const schedule = p.definition.triggers.schedule;
  if (!p.enabled || !schedule) return null;
  return nextDue(schedule, p.definition.timezone, p.triggerState.scheduleAnchor ?? p.updatedAt ?? now);
}

export function summaryOf(store: Store, p: PipelineRecord, now = Date.now()): PipelineSummary {
  return {
    id: p.id,
    name: p.name,
    enabled: p.enabled,
    version: p.version,
    definition: p.definition,
    createdAt: p.createdAt,
    createdBy: p.createdBy,
    updatedAt: p.updatedAt,
    lastRun: store.pipelines.lastRun(p.id),
    nextDueAt: nextDueOf(p, now),
    running: store.pipelines.isLocked(p.id),
  };
}

export function pipelineDetail(store: Store, name: string): PipelineDetail {
  const p = store.pipelines.get(name);
  return {
    ...summaryOf(store, p),
    versions: store.pipelines.versions(p.id),
    runs: store.pipelines.listRuns({ pipelineId: p.id, limit: 200 }),
  };
}

/** What the triggers have seen when a pipeline is enabled: only what comes after counts. */
export function currentTriggerState(store: Store, def: PipelineDefinition, now: number): Partial<TriggerState> {
  const dataset = store.datasets.findDatasetByName(def.source.dataset);
  const newest = dataset ? (store.datasets.listDatasets().find((d) => d.id === dataset.id)?.versions[0]?.id ?? null) : null;
  const checks = store.monitoring.listChecks({ model: def.model, limit: 1 });
  return { scheduleAnchor: now, seenVersionId: newest, seenDriftCheckId: checks[0]?.id ?? null };
}

/** Saves a definition (a new pipeline, or the next version of the one of that name). */
export function savePipeline(ctx: Pick<AppContext, 'store' | 'events'>, definition: PipelineDefinition): PipelineSummary {
  if (definition.triggers.schedule) checkSchedule(definition.triggers.schedule, definition.timezone);
  const now = Date.now();
  const p = ctx.store.pipelines.save(definition, currentUser() || 'unknown', now);
  // A changed schedule or source is read from now on, so an edit never fires a backlog.
  if (p.enabled) ctx.store.pipelines.setTriggerState(p.id, currentTriggerState(ctx.store, definition, now));
  ctx.events.emit('changed', { topic: 'pipelines' });
  return summaryOf(ctx.store, ctx.store.pipelines.getById(p.id), now);
}

export function setPipelineEnabled(ctx: Pick<AppContext, 'store' | 'events'>, name: string, enabled: boolean): PipelineSummary {
  const now = Date.now();
  const p = ctx.store.pipelines.get(name);
  const state = enabled && !p.enabled ? currentTriggerState(ctx.store, p.definition, now) : {};
  const updated = ctx.store.pipelines.setEnabled(name, enabled, now, state);
  ctx.events.emit('changed', { topic: 'pipelines' });
  return summaryOf(ctx.store, updated, now);
}

/**
 * Starts a run of the pipeline under the store's lock and its job; refused
 * (conflict) while a run of it is going on, here or in another process. The
 * trigger state `consume` is written with the run, in the same transaction.
 */
export function startPipelineRun(
  ctx: Pick<AppContext, 'store' | 'events' | 'jobs'>,
  name: string,
  trigger: PipelineTrigger,
  options: { owner: string; consume?: Partial<TriggerState> },
): { run: PipelineRun; job: JobRecord } {
  const p = ctx.store.pipelines.get(name);
  const run = ctx.store.pipelines.startRun({ pipelineId: p.id, trigger, owner: options.owner, now: Date.now(), consume: options.consume });
  if (!run) throw new AppError('conflict', `Pipeline "${p.name}" is already running; wait for its run to finish or cancel it.`);
  return launch(ctx, run);
}

/** Retries a failed, cancelled or interrupted run from its first step that did not succeed. */
export function retryPipelineRun(
  ctx: Pick<AppContext, 'store' | 'events' | 'jobs'>,
  runId: number,
  owner: string,
): { run: PipelineRun; job: JobRecord } {
  const run = ctx.store.pipelines.reopenRun(runId, owner, Date.now());
  if (!run) throw new AppError('conflict', `Pipeline "${ctx.store.pipelines.getRun(runId).pipeline}" is already running.`);
  return launch(ctx, run);
}

function launch(ctx: Pick<AppContext, 'store' | 'events' | 'jobs'>, run: PipelineRun): { run: PipelineRun; job: JobRecord } {
  let job: JobRecord;
  try {
    job = ctx.jobs.start(pipelineRunJob, { runId: run.id, pipeline: run.pipeline });
  } catch (err) {
    ctx.store.pipelines.finishRun(run.id, 'failed', `Could not start: ${(err as Error).message}`, Date.now());
    throw err;
  }
  ctx.store.pipelines.setRunJob(run.id, job.id);
  ctx.events.emit('changed', { topic: 'pipelines' });
  return { run: ctx.store.pipelines.getRun(run.id), job };
}

/**
 * Cancels a running run through its job. A run held by another process (a
 * headless scheduler) is refused: only its owner can stop its workers, and
 * freeing its lock here would let a second run start beside it.
 */
export function cancelPipelineRun(ctx: Pick<AppContext, 'store' | 'events' | 'jobs'>, runId: number): PipelineRun {
  const run = ctx.store.pipelines.getRun(runId);
  if (run.status !== 'running') throw new AppError('conflict', `Run ${runId} is ${run.status}; only a running run can be cancelled.`);
  const ownedHere = /:(\d+)$/.exec(run.owner)?.[1] === String(process.pid) && run.owner.includes(`@${os.hostname()}:`);
  if (!ownedHere || run.jobId === null)
    throw new AppError(
      'conflict',
      `Run ${runId} is running in another process (${run.owner}); stop it there (Ctrl-C ends a headless scheduler).`,
    );
  ctx.jobs.cancel(run.jobId);
  return ctx.store.pipelines.getRun(runId);
}

/** Records a notification (shown on the Pipelines page) and pushes it as a desktop notification through the event bus. */
export function notifyPipeline(
  app: { store: Store; events: Pick<EventBus, 'emit'> },
  n: { pipeline: string; runId: number | null; kind: PipelineNotificationKind; message: string },
): void {
  const record = app.store.pipelines.notify({ ...n, at: Date.now() });
  app.events.emit('notification', { title: `Pipeline ${n.pipeline}`, body: record.message, kind: n.kind });
}
