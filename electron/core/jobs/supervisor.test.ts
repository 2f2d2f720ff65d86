import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../shared/jobs';
import { createTestApp, makeTempDir, waitUntil, type TestApp } from '../../../tests/helpers/test-app';
import type { JobKind } from './job-kind';
import { selfCheckJob } from './self-check';

const apps: TestApp[] = [];
const dirs: string[] = [];
afterEach(() => {
  apps.splice(0).forEach((a) => a.cleanup());
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

/** An app whose resources hold a 2 MB sample, so self-check runs have something to hash. */
function appWithSample(): TestApp {
  const resourcesDir = makeTempDir('mlwb-res-');
  dirs.push(resourcesDir);
  fs.mkdirSync(path.join(resourcesDir, 'sample'));
  fs.writeFileSync(path.join(resourcesDir, 'sample', 'churn.csv'), Buffer.alloc(2_000_000, 'a,b,c\n'));
  const app = createTestApp({ resourcesDir });
  apps.push(app);
  return app;
}

const noopJob: JobKind<Record<string, unknown>> = {
  kind: 'noop',
  title: () => 'Noop',
  execute: (ctx, params) => ctx.runTask('noop', params),
};

describe('job supervisor', () => {
  it('runs the self-check in a worker, reports progress and records the result', async () => {
    const app = appWithSample();
    const events: JobRecord[] = [];
    app.ctx.events.subscribe((name, payload) => name === 'job' && events.push(payload as JobRecord));
    const job = app.ctx.jobs.start(selfCheckJob, { passes: 5 });
    expect(job.status).toBe('queued');
    const done = await app.ctx.jobs.waitFor(job.id);
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ passes: 5, consistent: true, bytes: 2_000_000 });
    expect((done.result as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(done.startedAt && done.finishedAt).toBeTruthy();
    expect(events.some((e) => e.status === 'running')).toBe(true);
    expect(events.at(-1)?.status).toBe('succeeded');
    // The worker really is another process.
    expect(app.ctx.store.jobs.getJob(job.id).status).toBe('succeeded');
  });

  it('keeps workers between jobs (a persistent pool)', async () => {
    const app = appWithSample();
    const a = await app.ctx.jobs.waitFor(app.ctx.jobs.start(noopJob, {}).id);
    const b = await app.ctx.jobs.waitFor(app.ctx.jobs.start(noopJob, {}).id);
    expect((a.result as { pid: number }).pid).toBe((b.result as { pid: number }).pid);
    expect((a.result as { pid: number }).pid).not.toBe(process.pid);
  });

  it('marks a job failed with the message when its worker task throws', async () => {
    const app = appWithSample();
    const job = await app.ctx.jobs.waitFor(app.ctx.jobs.start(noopJob, { fail: 'the data is broken' }).id);
    expect(job.status).toBe('failed');
    expect(job.error).toBe('the data is broken');
  });

  it('marks a job failed when its worker exits non-zero, and the next job still runs', async () => {
    const app = appWithSample();
    const job = await app.ctx.jobs.waitFor(app.ctx.jobs.start(noopJob, { exitCode: 3 }).id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/exit code 3/);
    const next = await app.ctx.jobs.waitFor(app.ctx.jobs.start(noopJob, { echo: 'ok' }).id);
    expect(next.status).toBe('succeeded');
  });

  it('marks a job failed when its worker is killed with SIGKILL mid-job; the database stays intact', async () => {
    const app = appWithSample();
    const job = app.ctx.jobs.start(noopJob, { hangMs: 30_000 });
    await waitUntil(() => app.ctx.store.jobs.getJob(job.id).status === 'running', 10_000, 'running');
    const pids = app.ctx.pool.workerPids;
    expect(pids.length).toBe(1);
    process.kill(pids[0], 'SIGKILL');
    const done = await app.ctx.jobs.waitFor(job.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/SIGKILL/);
    expect(app.ctx.store.health().integrity).toBe('ok');
  });

  it('cancels a running job: the worker is killed and the job is cancelled', async () => {
    const app = appWithSample();
    const job = app.ctx.jobs.start(selfCheckJob, { passes: 100_000 });
    await waitUntil(() => app.ctx.store.jobs.getJob(job.id).progressDone > 0, 20_000, 'progress');
    app.ctx.jobs.cancel(job.id);
    const done = await app.ctx.jobs.waitFor(job.id);
    expect(done.status).toBe('cancelled');
    expect(done.result).toBeNull();
    expect(app.ctx.store.health().integrity).toBe('ok');
    // The pool recovers with a fresh worker.
    expect((await app.ctx.jobs.waitFor(app.ctx.jobs.start(noopJob, {}).id)).status).toBe('succeeded');
  });

  it('queues jobs beyond the pool size and can cancel a queued one', async () => {
    const app = appWithSample();
    const a = app.ctx.jobs.start(noopJob, { hangMs: 1500 });
    const b = app.ctx.jobs.start(noopJob, { hangMs: 1500 });
    const c = app.ctx.jobs.start(noopJob, {});
    await waitUntil(
      () => app.ctx.store.jobs.getJob(a.id).status === 'running' && app.ctx.store.jobs.getJob(b.id).status === 'running',
      10_000,
      'two running',
    );
    expect(app.ctx.store.jobs.getJob(c.id).status).toBe('queued');
    app.ctx.jobs.cancel(c.id);
    expect((await app.ctx.jobs.waitFor(c.id)).status).toBe('cancelled');
    expect((await app.ctx.jobs.waitFor(a.id)).status).toBe('succeeded');
  });

  it('fails a job that runs past its time limit and kills its worker', async () => {
    const app = appWithSample();
    const slow: JobKind<object> = {
      kind: 'noop',
      title: () => 'Slow',
      timeoutMs: 300,
      execute: (ctx) => ctx.runTask('noop', { hangMs: 30_000 }),
    };
    const job = await app.ctx.jobs.waitFor(app.ctx.jobs.start(slow, {}).id);
    expect(job).toMatchObject({ status: 'failed', error: 'timed out after 0.3 s' });
    expect(app.ctx.pool.workerPids).toHaveLength(0);
  });

  it('resolves jobs still running or queued at shutdown with their real records, as the store had them', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const app = createTestApp({ workspaceDir: dir });
    const a = app.ctx.jobs.start(noopJob, { hangMs: 30_000 });
    const b = app.ctx.jobs.start(noopJob, { hangMs: 30_000 });
    const c = app.ctx.jobs.start(noopJob, {});
    await waitUntil(
      () => app.ctx.store.jobs.getJob(a.id).status === 'running' && app.ctx.store.jobs.getJob(b.id).status === 'running',
      10_000,
      'two running',
    );
    const recorded = [a, c].map((j) => app.ctx.store.jobs.getJob(j.id));
    const ending = Promise.all([app.ctx.jobs.waitFor(a.id), app.ctx.jobs.waitFor(c.id)]);
    app.ctx.close();
    const [running, queued] = await ending;
    expect(running).toEqual(recorded[0]);
    expect(running).toMatchObject({ id: a.id, kind: 'noop', title: 'Noop', status: 'running', finishedAt: null });
    expect(running.startedAt).toBeTruthy();
    expect(queued).toEqual(recorded[1]);
    expect(queued).toMatchObject({ id: c.id, kind: 'noop', title: 'Noop', status: 'queued', startedAt: null });
    expect(() => app.ctx.jobs.start(noopJob, {})).toThrow(/shutting down/);
    // The next start records what happened to them.
    const next = createTestApp({ workspaceDir: dir });
    apps.push(next);
    expect(next.ctx.store.jobs.getJob(a.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/interrupted/) });
  });

  it('fails jobs left running by a previous process at start-up', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const first = createTestApp({ workspaceDir: dir });
    const job = first.ctx.store.jobs.createJob('self-check', 'Self-check', {});
    first.ctx.store.jobs.markJobRunning(job.id);
    first.ctx.close();
    const second = createTestApp({ workspaceDir: dir });
    apps.push(second);
    expect(second.ctx.store.jobs.getJob(job.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/interrupted/) });
  });

  it('reports a missing sample clearly', async () => {
    const resourcesDir = makeTempDir('mlwb-res-');
    dirs.push(resourcesDir);
    const app = createTestApp({ resourcesDir });
    apps.push(app);
    const job = await app.ctx.jobs.waitFor(app.ctx.jobs.start(selfCheckJob, { passes: 1 }).id);
    expect(job.status).toBe('failed');
    expect(job.error).toContain(path.join(resourcesDir, 'sample', 'churn.csv'));
  });
});
