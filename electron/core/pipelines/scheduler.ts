/**
 * The pipeline scheduler: every {@link PIPELINE_LIMITS.tickMs} it looks at
 * each enabled pipeline's triggers — its schedule (croner, in the pipeline's
 * time zone), new data (a new version of the source dataset, or new bytes at
 * a watched path) and drift (a drift check with dataset drift on the model's
 * Production version) — and starts at most one run per pipeline per tick,
 * consuming what fired in the same transaction as the run and its lock. A
 * pipeline running elsewhere (the app and `mlwb pipelines scheduler` share
 * the store's lock) is left alone and nothing is consumed, so the next tick
 * tries again. It also watches automatic promotions and rolls back when the
 * first monitoring window after one is worse (rollback-watch.ts).
 *
 * Time comes from an injectable clock, so tests move it back and forth.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { AppError } from '../../../shared/errors';
import { PIPELINE_LIMITS, type PipelineTrigger } from '../../../shared/pipelines';
import type { AppContext } from '../app-context';
import type { PipelineRecord, TriggerState } from '../store/pipelines-repo';
import { ownerGone, ownerOf, startPipelineRun } from './pipeline-service';
import { watchRollbacks, type RollbackMemo } from './rollback-watch';
import { nextDue } from './schedule';

export interface SchedulerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // The scheduler never keeps a process alive by itself (the CLI's scheduler waits on a signal).
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export type SchedulerContext = Pick<AppContext, 'store' | 'events' | 'jobs' | 'pool'>;
export type StartRunFn = typeof startPipelineRun;

/** What a tick did for one pipeline (for the CLI's log and the tests). */
export type SchedulerEvent =
  | { type: 'started'; pipeline: string; runId: number; jobId: number; trigger: PipelineTrigger; fired: PipelineTrigger[]; consume: Partial<TriggerState> }
  | { type: 'busy'; pipeline: string; fired: PipelineTrigger[] }
  | { type: 'error'; pipeline: string; message: string }
  | { type: 'rolled-back'; pipeline: string; message: string }
  | { type: 'interrupted'; pipeline: string; runId: number };

export interface SchedulerOptions {
  /** The lock owner's role: `app` in the app and the browser host, `scheduler` headless. */
  role?: 'app' | 'scheduler';
  clock?: SchedulerClock;
  /** Starts a run (default: {@link startPipelineRun}); tests stub it to avoid training. */
  start?: StartRunFn;
  tickMs?: number;
  onEvent?: (e: SchedulerEvent) => void;
}

/** Streaming SHA-256 of a file (hex). */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await streamPipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

export class PipelineScheduler {
  private readonly ctx: SchedulerContext;
  private readonly clock: SchedulerClock;
  private readonly startRun: StartRunFn;
  private readonly tickMs: number;
  private readonly owner: string;
  readonly role: 'app' | 'scheduler';
  private timer: unknown = null;
  private running = false;
  private ticking: Promise<SchedulerEvent[]> | null = null;
  private readonly listeners = new Set<(e: SchedulerEvent) => void>();
  private readonly dueCache = new Map<number, { key: string; due: number | null }>();
  private readonly rollbackMemo: RollbackMemo = new Map();
  private stopping = false;

  constructor(ctx: SchedulerContext, options: SchedulerOptions = {}) {
    this.ctx = ctx;
    this.clock = options.clock ?? systemClock;
    this.startRun = options.start ?? startPipelineRun;
    this.tickMs = options.tickMs ?? PIPELINE_LIMITS.tickMs;
    this.role = options.role ?? 'app';
    this.owner = ownerOf(this.role);
    if (options.onEvent) this.listeners.add(options.onEvent);
  }

  get started(): boolean {
    return this.running;
  }

  /** Subscribes to what the ticks do; returns the unsubscribe. */
  subscribe(fn: (e: SchedulerEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Marks runs whose process died as interrupted, ticks at once (the catch-up), then every tickMs. */
  async start(): Promise<SchedulerEvent[]> {
    if (this.running) return [];
    this.running = true;
    this.stopping = false;
    const events: SchedulerEvent[] = [];
    try {
      for (const run of this.ctx.store.pipelines.recoverInterrupted(Date.now(), ownerGone)) {
        events.push(this.emit({ type: 'interrupted', pipeline: run.pipeline, runId: run.id }));
      }
      if (events.length) this.ctx.events.emit('changed', { topic: 'pipelines' });
    } catch (err) {
      events.push(this.emit({ type: 'error', pipeline: '*', message: `Recovering interrupted runs: ${(err as Error).message}` }));
    }
    events.push(...(await this.runTick()));
    this.arm();
    return events;
  }

  stop(): void {
    this.running = false;
    this.stopping = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    if (!this.running) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.runTick().finally(() => this.arm());
    }, this.tickMs);
  }

  /** One tick unless one is going on (a slow hash never makes ticks pile up). */
  private runTick(): Promise<SchedulerEvent[]> {
    if (this.ticking) return Promise.resolve([]);
    this.ticking = this.tick()
      .catch((err: Error) => [this.emit({ type: 'error', pipeline: '*', message: err.message })])
      .finally(() => (this.ticking = null));
    return this.ticking;
  }

  /** Checks every enabled pipeline once at `now` (the clock's); at most one run per pipeline. */
  async tick(now = this.clock.now()): Promise<SchedulerEvent[]> {
    const events: SchedulerEvent[] = [];
    let pipelines: PipelineRecord[];
    try {
      pipelines = this.ctx.store.pipelines.list({ enabledOnly: true });
    } catch (err) {
      // The store closed under us (the app quitting).
      if (this.stopping) return events;
      throw err;
    }
    for (const p of pipelines) {
      // stop() during a tick (the app quitting while a file is hashed): start nothing more.
      if (this.stopping) break;
      try {
        const e = await this.checkPipeline(p, now);
        if (e) events.push(this.emit(e));
      } catch (err) {
        events.push(this.emit({ type: 'error', pipeline: p.name, message: (err as Error).message }));
      }
    }
    try {
      if (!this.stopping) for (const e of watchRollbacks(this.ctx, pipelines, now, this.role, this.rollbackMemo)) events.push(this.emit(e));
    } catch (err) {
      events.push(this.emit({ type: 'error', pipeline: '*', message: `Rollback watch: ${(err as Error).message}` }));
    }
    return events;
  }

  private emit(e: SchedulerEvent): SchedulerEvent {
    for (const fn of this.listeners) fn(e);
    return e;
  }

  private async checkPipeline(p: PipelineRecord, now: number): Promise<SchedulerEvent | null> {
    const { store } = this.ctx;
    // Running here or elsewhere: nothing is read or consumed; the next tick looks again.
    if (store.pipelines.isLocked(p.id) && !this.freedStaleLock(p)) return null;
    const def = p.definition;
    const state = p.triggerState;
    const fired: PipelineTrigger[] = [];
    const consume: Partial<TriggerState> = {};

    if (def.triggers.schedule) {
      const due = this.dueOf(p);
      if (due !== null && due <= now) {
        fired.push(now - due > PIPELINE_LIMITS.catchUpAfterMs ? 'catch-up' : 'schedule');
        consume.scheduleAnchor = now;
      }
    }
    if (def.triggers.onNewData) {
      const fresh = def.source.kind === 'dataset' ? this.newDatasetVersion(def.source.dataset, state) : await this.watchedFileChanged(p, def.source);
      if (fresh) {
        fired.push('new-data');
        Object.assign(consume, fresh);
      }
    }
    if (def.triggers.onDrift) {
      const drift = this.driftOnProduction(p);
      if (drift) {
        fired.push('drift');
        consume.seenDriftCheckId = drift;
      }
    }
    if (!fired.length || this.stopping) return null;
    try {
      const { run, job } = this.startRun(this.ctx, p.name, fired[0], { owner: this.owner, consume });
      return { type: 'started', pipeline: p.name, runId: run.id, jobId: job.id, trigger: fired[0], fired, consume };
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') return { type: 'busy', pipeline: p.name, fired };
      throw err;
    }
  }

  /**
   * A lock whose holder died while this process runs (a headless scheduler
   * killed mid-run, its heartbeat stale) is freed and its run marked
   * interrupted, so the pipeline does not wait for a restart; true when the
   * pipeline is free now. Heartbeats are wall-clock times, hence Date.now().
   */
  private freedStaleLock(p: PipelineRecord): boolean {
    const recovered = this.ctx.store.pipelines.recoverInterrupted(Date.now(), ownerGone);
    for (const run of recovered) this.emit({ type: 'interrupted', pipeline: run.pipeline, runId: run.id });
    if (recovered.length) this.ctx.events.emit('changed', { topic: 'pipelines' });
    return !this.ctx.store.pipelines.isLocked(p.id);
  }

  /**
   * The pipeline's next due time, computed by croner once per definition
   * version and anchor (about half a millisecond a call), so an idle tick
   * does no date math.
   */
  private dueOf(p: PipelineRecord): number | null {
    const after = p.triggerState.scheduleAnchor ?? p.updatedAt;
    const key = `${p.version}:${after}`;
    const cached = this.dueCache.get(p.id);
    if (cached?.key === key) return cached.due;
    const due = nextDue(p.definition.triggers.schedule!, p.definition.timezone, after);
    this.dueCache.set(p.id, { key, due });
    return due;
  }

  /** The dataset's newest version when it is newer than the one seen. */
  private newDatasetVersion(dataset: string, state: TriggerState): Partial<TriggerState> | null {
    let newest: number;
    try {
      newest = this.ctx.store.datasets.findVersionByRef(dataset).id;
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return null;
      throw err;
    }
    return newest > (state.seenVersionId ?? 0) ? { seenVersionId: newest } : null;
  }

  /**
   * New bytes at the watched path: hashed only when its size or mtime moved.
   * The first look compares with the dataset's newest version (bytes already
   * imported are not new data); a touched file with the same bytes only has
   * its size and mtime remembered.
   */
  private async watchedFileChanged(p: PipelineRecord, source: { path: string; dataset: string }): Promise<Partial<TriggerState> | null> {
    const file = path.resolve(source.path);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      return null; // not there (yet): nothing to import
    }
    if (!stat.isFile()) return null;
    const state = p.triggerState;
    const size = stat.size;
    const mtime = Math.round(stat.mtimeMs);
    if (state.watchSize === size && state.watchMtime === mtime) return null;
    const sha = await sha256OfFile(file);
    let known = state.watchSha256;
    if (known === null) {
      try {
        known = this.ctx.store.datasets.findVersionByRef(source.dataset).sha256;
      } catch {
        known = null;
      }
    }
    if (sha === known) {
      this.ctx.store.pipelines.setTriggerState(p.id, { watchSize: size, watchMtime: mtime, watchSha256: sha });
      return null;
    }
    return { watchSize: size, watchMtime: mtime, watchSha256: sha };
  }

  /** The newest unseen drift check of the model with dataset drift on a Production version (its id), advancing past checks without. */
  private driftOnProduction(p: PipelineRecord): number | null {
    const { store } = this.ctx;
    const seen = p.triggerState.seenDriftCheckId ?? 0;
    const checks = store.monitoring.listChecks({ model: p.definition.model, limit: 50 }).filter((c) => c.id > seen);
    if (!checks.length) return null;
    const production = new Set(store.registry.findModel(p.definition.model)?.production ?? []);
    const hit = checks.find((c) => c.summary.datasetDrift && c.modelVersion !== null && production.has(c.modelVersion));
    if (hit) return checks[0].id;
    store.pipelines.setTriggerState(p.id, { seenDriftCheckId: checks[0].id });
    return null;
  }
}
