import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import type { JobRecord } from '../../../shared/jobs';
import { pipelineDefinitionSchema, type PipelineDefinitionInput, type PipelineTrigger } from '../../../shared/pipelines';
import { createTestApp, importCsvText, makeTempDir, type TestApp } from '../../../tests/helpers/test-app';
import type { Store } from '../store';
import type { TriggerState } from '../store/pipelines-repo';
import { PipelineScheduler, type SchedulerClock, type SchedulerContext, type StartRunFn } from './scheduler';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Monday 2026-01-05 00:00 UTC. */
const D0 = Date.UTC(2026, 0, 5);

function definition(name: string, overrides: Partial<PipelineDefinitionInput> = {}) {
  return pipelineDefinitionSchema.parse({
    name,
    source: { kind: 'dataset', dataset: 'nowhere' },
    training: { target: 'y', testSize: 0.25, cvFolds: 0, seed: 1 },
    models: [{ algorithm: 'logreg', params: {} }],
    model: 'm',
    gates: {},
    triggers: { schedule: { kind: 'daily', at: '02:00' } },
    ...overrides,
  });
}

function fakeClock(start: number): SchedulerClock & { t: number } {
  const c = {
    t: start,
    now: () => c.t,
    setTimeout: () => 1,
    clearTimeout: () => {},
  };
  return c;
}

interface Started {
  name: string;
  trigger: PipelineTrigger;
  consume: Partial<TriggerState>;
  at: number;
}

/**
 * A start that takes the store's lock and consumes the trigger state as the
 * real one does (the repo's startRun), then ends the run at once (no training).
 */
function stubStart(clock: { t: number }, started: Started[]): StartRunFn {
  return (ctx, name, trigger, options) => {
    const p = ctx.store.pipelines.get(name);
    const run = ctx.store.pipelines.startRun({ pipelineId: p.id, trigger, owner: options.owner, now: clock.t, consume: options.consume });
    if (!run) throw new AppError('conflict', `Pipeline "${name}" is already running.`);
    started.push({ name, trigger, consume: options.consume ?? {}, at: clock.t });
    ctx.store.pipelines.finishRun(run.id, 'succeeded', null, clock.t);
    return { run, job: { id: run.id } as JobRecord };
  };
}

let app: TestApp;
beforeAll(() => {
  app = createTestApp();
});
afterAll(() => app.cleanup());
afterEach(() => {
  for (const p of app.ctx.store.pipelines.list({ enabledOnly: true })) app.ctx.store.pipelines.setEnabled(p.name, false, Date.now());
});

/** An enabled pipeline with the given trigger state; the scheduler and what it started. */
function setup(name: string, state: Partial<TriggerState>, overrides: Partial<PipelineDefinitionInput> = {}, ctx: SchedulerContext = app.ctx) {
  const store = app.ctx.store;
  store.pipelines.save(definition(name, overrides), 'test', D0);
  const p = store.pipelines.setEnabled(name, true, D0, {
    scheduleAnchor: null,
    seenVersionId: null,
    seenDriftCheckId: null,
    watchSize: null,
    watchMtime: null,
    watchSha256: null,
    ...state,
  });
  const clock = fakeClock(D0);
  const started: Started[] = [];
  const scheduler = new PipelineScheduler(ctx, { clock, start: stubStart(clock, started), role: 'scheduler' });
  /** Ticks at `t` (moving the clock there) and returns the triggers of the runs started in that tick. */
  const at = async (t: number) => {
    clock.t = t;
    const before = started.length;
    await scheduler.tick();
    return started.slice(before).map((s) => s.trigger);
  };
  return { p, clock, started, scheduler, at, state: () => store.pipelines.get(name).triggerState };
}

describe('pipeline scheduler: schedules', () => {
  it('runs a daily schedule once when due, and not again in the next ticks', async () => {
    const s = setup('daily', { scheduleAnchor: D0 + HOUR });
    expect(await s.at(D0 + 2 * HOUR - 30_000)).toEqual([]);
    expect(await s.at(D0 + 2 * HOUR + 10_000)).toEqual(['schedule']);
    expect(s.state().scheduleAnchor).toBe(D0 + 2 * HOUR + 10_000);
    expect(await s.at(D0 + 2 * HOUR + 40_000)).toEqual([]);
    expect(await s.at(D0 + DAY + 2 * HOUR + 5_000)).toEqual(['schedule']);
  });

  it('catches up three missed days with one run, never a burst', async () => {
    const s = setup('missed', { scheduleAnchor: D0 + 3 * HOUR });
    expect(await s.at(D0 + 3 * DAY + 10 * HOUR)).toEqual(['catch-up']);
    expect(await s.at(D0 + 3 * DAY + 10 * HOUR + 30_000)).toEqual([]);
    expect(await s.at(D0 + 4 * DAY + 2 * HOUR + 1_000)).toEqual(['schedule']);
    expect(s.started).toHaveLength(2);
  });

  it('neither doubles nor skips when the clock moves back an hour after a run', async () => {
    const s = setup('back', { scheduleAnchor: D0 });
    expect(await s.at(D0 + 2 * HOUR + 10_000)).toEqual(['schedule']);
    // The clock is set back: 01:00 again, then 02:00 comes a second time.
    expect(await s.at(D0 + HOUR + 10_000)).toEqual([]);
    expect(await s.at(D0 + 2 * HOUR + 10_000)).toEqual([]);
    expect(await s.at(D0 + 2 * HOUR + 40_000)).toEqual([]);
    // The next day's run still happens.
    expect(await s.at(D0 + DAY + 2 * HOUR)).toEqual(['schedule']);
  });

  it('runs once when the clock jumps two days forward', async () => {
    const s = setup('forward', { scheduleAnchor: D0 });
    expect(await s.at(D0 + 2 * HOUR + 10_000)).toEqual(['schedule']);
    expect(await s.at(D0 + 2 * DAY + 12 * HOUR)).toEqual(['catch-up']);
    expect(await s.at(D0 + 2 * DAY + 12 * HOUR + 30_000)).toEqual([]);
    expect(s.started).toHaveLength(2);
  });

  it('counts "every N hours" from the last run', async () => {
    const s = setup('hourly', { scheduleAnchor: D0 }, { triggers: { schedule: { kind: 'hours', every: 6 } } });
    expect(await s.at(D0 + 6 * HOUR - 1)).toEqual([]);
    expect(await s.at(D0 + 6 * HOUR + 20_000)).toEqual(['schedule']);
    expect(await s.at(D0 + 12 * HOUR)).toEqual([]);
    expect(await s.at(D0 + 12 * HOUR + 20_000)).toEqual(['schedule']);
  });

  it('leaves a locked pipeline alone and consumes nothing; the next tick after the lock is free runs it', async () => {
    const s = setup('locked', { scheduleAnchor: D0 });
    // Held by a live process elsewhere (its heartbeat is fresh).
    const held = app.ctx.store.pipelines.startRun({ pipelineId: s.p.id, trigger: 'manual', owner: 'app@elsewhere:1', now: Date.now() });
    expect(held).not.toBeNull();
    expect(await s.at(D0 + 3 * HOUR)).toEqual([]);
    expect(s.state().scheduleAnchor).toBe(D0);
    app.ctx.store.pipelines.finishRun(held!.id, 'succeeded', null, D0 + 3 * HOUR);
    expect(await s.at(D0 + 3 * HOUR + 30_000)).toEqual(['catch-up']);
  });

  it('frees the lock of a holder that died while this scheduler runs (stale heartbeat) and runs the pipeline', async () => {
    const s = setup('stale', { scheduleAnchor: D0 });
    const dead = app.ctx.store.pipelines.startRun({ pipelineId: s.p.id, trigger: 'manual', owner: 'scheduler@elsewhere:1', now: Date.now() - 3 * MIN });
    expect(await s.at(D0 + 3 * HOUR)).toEqual(['catch-up']);
    expect(app.ctx.store.pipelines.getRun(dead!.id).status).toBe('interrupted');
  });

  it('reports a run refused by the lock (taken between its check and its start) as busy, consuming nothing', async () => {
    const s = setup('raced', { scheduleAnchor: D0 });
    const clock = fakeClock(D0 + 3 * HOUR);
    const racing = new PipelineScheduler(app.ctx, {
      clock,
      start: () => {
        throw new AppError('conflict', 'Pipeline "raced" is already running.');
      },
    });
    const events = await racing.tick();
    expect(events).toEqual([{ type: 'busy', pipeline: 'raced', fired: ['catch-up'] }]);
    expect(s.state().scheduleAnchor).toBe(D0);
  });
});

describe('pipeline scheduler: daylight-saving changes (Europe/Berlin)', () => {
  /** Ticks every 10 minutes from `from` to `to`; the local (Berlin) date and time of each run started. */
  async function sweep(names: string[], from: number, to: number) {
    const clock = fakeClock(from);
    const started: Started[] = [];
    const scheduler = new PipelineScheduler(app.ctx, { clock, start: stubStart(clock, started) });
    for (let t = from; t <= to; t += 10 * MIN) {
      clock.t = t;
      await scheduler.tick();
    }
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'short' });
    return Object.fromEntries(names.map((n) => [n, started.filter((s) => s.name === n).map((s) => local.format(s.at))]));
  }
  const berlin = (name: string, at: string, from: number) =>
    setup(name, { scheduleAnchor: from }, { timezone: 'Europe/Berlin', triggers: { schedule: { kind: 'daily', at } } });

  it('spring forward (29 March 2026): a daily 02:30, a time that does not exist that day, runs once, at 03:30', async () => {
    const from = Date.UTC(2026, 2, 27, 12);
    berlin('spring 0230', '02:30', from);
    berlin('spring 0130', '01:30', from);
    const runs = await sweep(['spring 0230', 'spring 0130'], from, Date.UTC(2026, 2, 31, 12));
    // croner moves the missing 02:30 to 03:30 summer time (01:30 UTC); each local day has exactly one run.
    expect(runs['spring 0230']).toEqual(['2026-03-28 02:30', '2026-03-29 03:30', '2026-03-30 02:30', '2026-03-31 02:30']);
    expect(runs['spring 0130']).toEqual(['2026-03-28 01:30', '2026-03-29 01:30', '2026-03-30 01:30', '2026-03-31 01:30']);
  });

  it('fall back (25 October 2026): a daily 02:30, which happens twice that night, and a daily 01:30 each run once', async () => {
    const from = Date.UTC(2026, 9, 23, 12);
    berlin('fall 0230', '02:30', from);
    berlin('fall 0130', '01:30', from);
    const runs = await sweep(['fall 0230', 'fall 0130'], from, Date.UTC(2026, 9, 27, 12));
    // croner takes the first 02:30 (summer time, 00:30 UTC); the repeated hour does not fire again.
    expect(runs['fall 0230']).toEqual(['2026-10-24 02:30', '2026-10-25 02:30', '2026-10-26 02:30', '2026-10-27 02:30']);
    expect(runs['fall 0130']).toEqual(['2026-10-24 01:30', '2026-10-25 01:30', '2026-10-26 01:30', '2026-10-27 01:30']);
  });
});

describe('pipeline scheduler: new data and drift', () => {
  it('runs once for a new version of the source dataset; two triggers in one tick give one run that consumes both', async () => {
    const v1 = await importCsvText(app, 'feed', 'a,y\n1,0\n2,1\n3,0\n');
    const s = setup('on data', { scheduleAnchor: D0, seenVersionId: v1 - 1 }, { source: { kind: 'dataset', dataset: 'feed' }, triggers: { schedule: null, onNewData: true } });
    expect(await s.at(D0 + HOUR)).toEqual(['new-data']);
    expect(s.state().seenVersionId).toBe(v1);
    expect(await s.at(D0 + HOUR + 30_000)).toEqual([]);

    const both = setup(
      'both',
      { scheduleAnchor: D0, seenVersionId: v1 - 1 },
      { source: { kind: 'dataset', dataset: 'feed' }, triggers: { schedule: { kind: 'daily', at: '02:00' }, onNewData: true } },
    );
    expect(await both.at(D0 + 2 * HOUR + 5_000)).toEqual(['schedule']);
    expect(both.started[0].consume).toEqual({ scheduleAnchor: D0 + 2 * HOUR + 5_000, seenVersionId: v1 });
    expect(await both.at(D0 + 2 * HOUR + 35_000)).toEqual([]);
    expect(app.ctx.store.pipelines.listRuns({ pipelineId: both.p.id })).toHaveLength(1);
  });

  it('runs once when the watched file gets new bytes; a touched file with the same bytes only has its size and mtime remembered', async () => {
    const dir = makeTempDir('mlwb-watch-');
    try {
      const file = path.join(dir, 'in box.csv');
      fs.writeFileSync(file, 'a,y\n1,0\n2,1\n');
      const s = setup('watch', { scheduleAnchor: D0 }, { source: { kind: 'watch', path: file, dataset: 'watched' }, triggers: { schedule: null, onNewData: true } });
      expect(await s.at(D0 + MIN)).toEqual(['new-data']);
      const first = s.state();
      expect(first.watchSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(first.watchSize).toBe(fs.statSync(file).size);
      expect(await s.at(D0 + 2 * MIN)).toEqual([]);

      const later = new Date(Date.now() + 60_000);
      fs.utimesSync(file, later, later);
      expect(await s.at(D0 + 3 * MIN)).toEqual([]);
      expect(s.state()).toMatchObject({ watchSha256: first.watchSha256, watchMtime: Math.round(fs.statSync(file).mtimeMs) });
      expect(s.state().watchMtime).not.toBe(first.watchMtime);

      // Same size, other bytes.
      fs.writeFileSync(file, 'a,y\n1,1\n2,0\n');
      expect(await s.at(D0 + 4 * MIN)).toEqual(['new-data']);
      expect(s.state().watchSha256).not.toBe(first.watchSha256);
      expect(await s.at(D0 + 5 * MIN)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs once for a drift check with dataset drift on the Production version, and not for drift on another version', async () => {
    let checks: { id: number; modelVersion: number | null; summary: { datasetDrift: boolean } }[] = [];
    const store = app.ctx.store;
    // The monitoring and registry reads the scheduler makes, answered without training a model.
    const fakeStore = {
      ...store,
      monitoring: { ...store.monitoring, listChecks: () => [...checks].sort((a, b) => b.id - a.id) },
      registry: { ...store.registry, findModel: () => ({ production: [2] }) },
    } as unknown as Store;
    const ctx = { ...app.ctx, store: fakeStore } as SchedulerContext;
    const s = setup('on drift', { scheduleAnchor: D0, seenDriftCheckId: 3 }, { triggers: { schedule: null, onDrift: true } }, ctx);
    checks = [{ id: 3, modelVersion: 2, summary: { datasetDrift: true } }];
    expect(await s.at(D0 + MIN)).toEqual([]);
    checks.push({ id: 4, modelVersion: 1, summary: { datasetDrift: true } }, { id: 5, modelVersion: 2, summary: { datasetDrift: false } });
    expect(await s.at(D0 + 2 * MIN)).toEqual([]);
    expect(s.state().seenDriftCheckId).toBe(5);
    checks.push({ id: 6, modelVersion: 2, summary: { datasetDrift: true } }, { id: 7, modelVersion: 2, summary: { datasetDrift: false } });
    expect(await s.at(D0 + 3 * MIN)).toEqual(['drift']);
    expect(s.state().seenDriftCheckId).toBe(7);
    expect(await s.at(D0 + 4 * MIN)).toEqual([]);
  });
});

describe('pipeline scheduler: the store lock across two app contexts', () => {
  it('the app and a headless scheduler on the same workspace ticking at once start exactly one run', async () => {
    const workspaceDir = makeTempDir();
    const a = createTestApp({ workspaceDir, shell: 'electron' });
    const b = createTestApp({ workspaceDir, shell: 'cli' });
    try {
      a.ctx.store.pipelines.save(definition('shared'), 'test', D0);
      a.ctx.store.pipelines.setEnabled('shared', true, D0, { scheduleAnchor: Date.now() - 2 * DAY });
      const clock = fakeClock(Date.now());
      const sa = new PipelineScheduler(a.ctx, { clock, role: 'app' });
      const sb = new PipelineScheduler(b.ctx, { clock, role: 'scheduler' });
      const [ea, eb] = await Promise.all([sa.tick(), sb.tick()]);
      const runs = a.ctx.store.pipelines.listRuns();
      expect(runs).toHaveLength(1);
      expect([...ea, ...eb].filter((e) => e.type === 'started')).toHaveLength(1);
      // The run is the real pipeline-run job: its source does not exist, so it fails at its first step.
      const started = [...ea, ...eb].find((e) => e.type === 'started')!;
      const owner = started === ea[0] ? a : b;
      const job = await owner.ctx.jobs.waitFor((started as { jobId: number }).jobId);
      expect(job.status).toBe('succeeded');
      expect(a.ctx.store.pipelines.getRun(runs[0].id)).toMatchObject({ status: 'failed', trigger: 'catch-up' });
      // Nothing is due any more for either.
      expect([...(await sa.tick()), ...(await sb.tick())]).toEqual([]);
    } finally {
      a.ctx.close();
      b.ctx.close();
      fs.rmSync(workspaceDir, { recursive: true, force: true });
    }
  });

  it('start() marks a run whose process died as interrupted before its first tick', async () => {
    const s = setup('died', { scheduleAnchor: Date.now() });
    const dead = app.ctx.store.pipelines.startRun({ pipelineId: s.p.id, trigger: 'schedule', owner: 'app@elsewhere:1', now: Date.now() - 10 * MIN });
    const events = await s.scheduler.start();
    s.scheduler.stop();
    expect(events).toContainEqual({ type: 'interrupted', pipeline: 'died', runId: dead!.id });
    expect(app.ctx.store.pipelines.getRun(dead!.id).status).toBe('interrupted');
    expect(app.ctx.store.pipelines.isLocked(s.p.id)).toBe(false);
  });
});
