/**
 * Team server sync between workbench instances: a local store pushes to a
 * "team server" (startTestMlflow: the workbench serving MLflow's REST API,
 * spoken to as plain MLflow), and a third, fresh store pulls from it — every
 * field and artifact byte round-trips; a second push or pull creates nothing;
 * a network failure mid-run and a lost answer resume with no duplicate metric
 * points; a wrong token, a closed port and an unknown host fail clearly.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseRemoteUri, type SyncResult } from '../../../../shared/mlflow-sync';
import { createEventBus } from '../../events';
import { createStore, type Store } from '../../store';
import { startTestMlflow, type TestMlflow } from '../test-server';
import type { FetchLike } from './client';
import type { SyncEnv } from './common';
import { pullFromRemote } from './pull';
import { pushToRemote } from './push';
import { countPoints, countRuns, runContent, runsByName, seedWorkspace } from './test-fixtures';

const dirs: string[] = [];
function freshStore(): Store {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-sync-'));
  dirs.push(dir);
  return createStore(dir);
}
const envOf = (store: Store, server: TestMlflow, extra: Partial<SyncEnv> = {}): SyncEnv => ({
  store,
  events: createEventBus(),
  uri: normaliseRemoteUri(server.url),
  token: null,
  ...extra,
});
const outcomes = (r: SyncResult) => r.items.map((i) => `${i.kind}:${i.name}:${i.outcome}`);

let local: Store;
let seeded: { experimentId: number; runIds: string[] };
const stores: Store[] = [];
const servers: TestMlflow[] = [];
beforeAll(async () => {
  local = freshStore();
  stores.push(local);
  seeded = await seedWorkspace(local);
});
afterAll(async () => {
  for (const s of servers) await s.close();
  for (const s of stores) s.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('push and pull through a team server', () => {
  it('round-trips every field, metric point and artifact byte; a second push and pull create nothing', async () => {
    const team = await startTestMlflow();
    servers.push(team);
    const seen: [number, number, string | null][] = [];
    const first = await pushToRemote(envOf(local, team, { progress: (d, t, m) => seen.push([d, t, m]) }), {
      experimentIds: [seeded.experimentId],
      models: ['churn-model'],
    });
    expect(seen.at(-1)).toEqual([5, 5, null]);
    expect(seen.map((p) => p[2])).toContain('run rf-deep: 2505 of 2505 metric points');
    expect(first.stopped).toBeNull();
    expect(outcomes(first)).toEqual([
      'experiment:churn-sync:created',
      'run:rf-deep:created',
      'run:logreg:created',
      'registered-model:churn-model:created',
      'model-version:churn-model v1:created',
    ]);
    expect(first.items.every((i) => i.remoteId)).toBe(true);
    const remoteRuns = countRuns(team.store);
    const remotePoints = countPoints(team.store);
    expect(remoteRuns).toBe(2);
    expect(remotePoints).toBe(countPoints(local));

    const again = await pushToRemote(envOf(local, team), { experimentIds: [seeded.experimentId], models: ['churn-model'] });
    expect(again.counts).toMatchObject({ unchanged: 5, created: 0, failed: 0 });
    expect(countRuns(team.store)).toBe(remoteRuns);
    expect(countPoints(team.store)).toBe(remotePoints);

    // A third, fresh workspace pulls everything back.
    const other = freshStore();
    stores.push(other);
    const pulled = await pullFromRemote(envOf(other, team), {});
    expect(pulled.stopped).toBeNull();
    expect(outcomes(pulled)).toEqual(
      expect.arrayContaining([
        'experiment:churn-sync:created',
        'run:rf-deep:created',
        'run:logreg:created',
        'registered-model:churn-model:created',
        'model-version:churn-model v1:created',
      ]),
    );
    const e = other.tracking.findExperimentByName('churn-sync')!;
    const src = local.tracking.getExperiment(seeded.experimentId);
    // MLflow's experiments/create takes no creation time: the team server's own is what a pull keeps.
    expect({ description: e.description, tags: e.tags, createdAt: e.createdAt }).toEqual({
      description: src.description,
      tags: src.tags,
      createdAt: team.store.tracking.findExperimentByName('churn-sync')!.createdAt,
    });
    const mine = runsByName(local, seeded.experimentId);
    const theirs = runsByName(other, e.id);
    expect([...theirs.keys()].sort()).toEqual([...mine.keys()].sort());
    for (const [name, id] of mine) {
      expect(runContent(other, theirs.get(name)!)).toEqual(runContent(local, id));
      expect(other.tracking.getRunInfo(theirs.get(name)!).source).toBe('mlflow-pull');
    }
    const odd = other.tracking.metricHistory(theirs.get('rf-deep')!, 'odd').map((p) => p.value);
    expect(odd).toEqual(['NaN', 'Infinity', '-Infinity', 0.5]);
    const [v] = other.registry.listVersions('churn-model');
    expect({ stage: v.stage, aliases: v.aliases, tags: v.tags, description: v.description, runId: v.runId }).toEqual({
      stage: 'Staging',
      aliases: ['champion'],
      tags: { validated: 'yes' },
      description: 'the deep forest',
      runId: theirs.get('rf-deep'),
    });
    expect(other.registry.getModel('churn-model').tags).toEqual({ owner: 'risk-team' });

    const pulledAgain = await pullFromRemote(envOf(other, team), {});
    expect(pulledAgain.counts.created + pulledAgain.counts.resumed + pulledAgain.counts.failed).toBe(0);
    expect(countRuns(other)).toBe(2);
    expect(countPoints(other)).toBe(remotePoints);
    // Pulling into the workspace that pushed: its own runs, unchanged.
    const back = await pullFromRemote(envOf(local, team), {});
    expect(back.counts.created).toBe(0);
    expect(countRuns(local)).toBe(2);

    // A run changed locally after its push is reported, not half-updated.
    local.tracking.setTag(seeded.runIds[1], 'late', 'tag');
    const changed = await pushToRemote(envOf(local, team), { experimentIds: [seeded.experimentId] });
    expect(changed.items.find((i) => i.name === 'logreg')).toMatchObject({
      outcome: 'skipped',
      message: expect.stringMatching(/changed locally/),
    });
    local.tracking.deleteTag(seeded.runIds[1], 'late');
  });

  it('resumes after the network fails mid-run and after a lost answer, with no duplicate metric points', async () => {
    const team = await startTestMlflow();
    servers.push(team);
    let metricBatches = 0;
    // 1. The connection breaks before the 2nd metrics batch reaches the server.
    const breaking: FetchLike = async (url, init) => {
      if (typeof init?.body === 'string' && init.body.includes('"metrics"') && ++metricBatches === 2)
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
      return fetch(url, init);
    };
    const broken = await pushToRemote(envOf(local, team, { fetch: breaking }), { experimentIds: [seeded.experimentId] });
    expect(broken.stopped).toMatch(/connection .* was cut/);
    expect(broken.items.find((i) => i.name === 'rf-deep')?.outcome).toBe('failed');
    expect(broken.items.find((i) => i.name === 'logreg')).toBeUndefined();
    expect(countPoints(team.store)).toBe(1000);

    // 2. The server applies the next metrics batch, but its answer is lost.
    let lost = false;
    const losing: FetchLike = async (url, init) => {
      const res = await fetch(url, init);
      if (!lost && typeof init?.body === 'string' && init.body.includes('"metrics"')) {
        lost = true;
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
      }
      return res;
    };
    const half = await pushToRemote(envOf(local, team, { fetch: losing }), { experimentIds: [seeded.experimentId] });
    expect(half.stopped).not.toBeNull();
    expect(countPoints(team.store)).toBe(2000);

    // 3. The network is back: the push completes where it stopped.
    const done = await pushToRemote(envOf(local, team), { experimentIds: [seeded.experimentId] });
    expect(outcomes(done)).toEqual(['experiment:churn-sync:unchanged', 'run:rf-deep:resumed', 'run:logreg:created']);
    expect(countRuns(team.store)).toBe(2);
    expect(countPoints(team.store)).toBe(countPoints(local));
    const remoteExp = team.store.tracking.findExperimentByName('churn-sync')!;
    const remote = runsByName(team.store, remoteExp.id);
    const loss = team.store.tracking.metricHistory(remote.get('rf-deep')!, 'loss');
    expect(loss).toEqual(local.tracking.metricHistory(seeded.runIds[0], 'loss'));
  });

  it('adopts the remote run when the answer of create-run was lost, instead of making a second one', async () => {
    const team = await startTestMlflow();
    servers.push(team);
    let lost = false;
    const losing: FetchLike = async (url, init) => {
      const res = await fetch(url, init);
      if (!lost && url.endsWith('/runs/create')) {
        lost = true;
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
      }
      return res;
    };
    const half = await pushToRemote(envOf(local, team, { fetch: losing }), { experimentIds: [seeded.experimentId] });
    expect(half.stopped).not.toBeNull();
    expect(countRuns(team.store)).toBe(1);
    const done = await pushToRemote(envOf(local, team), { experimentIds: [seeded.experimentId] });
    expect(outcomes(done)).toEqual(['experiment:churn-sync:unchanged', 'run:rf-deep:resumed', 'run:logreg:created']);
    expect(countRuns(team.store)).toBe(2);
    expect(countPoints(team.store)).toBe(countPoints(local));
  });

  it('resumes a pull that broke off mid-download: the run completes with every point once and every byte', async () => {
    const team = await startTestMlflow();
    servers.push(team);
    await pushToRemote(envOf(local, team), { experimentIds: [seeded.experimentId] });
    const other = freshStore();
    stores.push(other);
    // Small pages, so runs and a metric's history cross pages; it breaks on the 2nd page of "loss", then on the 2nd download.
    const pageSizes = { runs: 1, history: 1000 };
    let lossPages = 0;
    let downloads = 0;
    const breaking: FetchLike = async (url, init) => {
      if (
        (url.includes('get-history') && url.includes('metric_key=loss') && ++lossPages === 2) ||
        (url.includes('/mlflow-artifacts/') && ++downloads === 2)
      )
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
      return fetch(url, init);
    };
    const broken = await pullFromRemote(envOf(other, team, { fetch: breaking, pageSizes }), {});
    expect(broken.stopped).toMatch(/was cut/);
    expect(broken.items.find((i) => i.name === 'rf-deep')?.outcome).toBe('failed');
    const loss = () =>
      other.tracking.metricHistory(runsByName(other, other.tracking.findExperimentByName('churn-sync')!.id).get('rf-deep')!, 'loss');
    expect(loss()).toHaveLength(1000);
    const again = await pullFromRemote(envOf(other, team, { fetch: breaking, pageSizes }), {});
    expect(again.stopped).toMatch(/was cut/);
    expect(loss()).toHaveLength(2500);
    const done = await pullFromRemote(envOf(other, team, { pageSizes }), {});
    expect(done.items.find((i) => i.name === 'rf-deep')?.outcome).toBe('resumed');
    const e = other.tracking.findExperimentByName('churn-sync')!;
    const theirs = runsByName(other, e.id);
    for (const [name, id] of runsByName(local, seeded.experimentId))
      expect(runContent(other, theirs.get(name)!)).toEqual(runContent(local, id));
    expect(countPoints(other)).toBe(countPoints(local));
  });

  it('stops on cancel between calls, leaving the map where the next push resumes', async () => {
    const team = await startTestMlflow();
    servers.push(team);
    const controller = new AbortController();
    let batches = 0;
    const cancelling: FetchLike = async (url, init) => {
      const res = await fetch(url, init);
      if (url.endsWith('/runs/log-batch') && ++batches === 3) controller.abort();
      return res;
    };
    await expect(
      pushToRemote(envOf(local, team, { fetch: cancelling, signal: controller.signal }), { experimentIds: [seeded.experimentId] }),
    ).rejects.toMatchObject({ code: 'job_cancelled' });
    const done = await pushToRemote(envOf(local, team), { experimentIds: [seeded.experimentId] });
    expect(outcomes(done)).toEqual(['experiment:churn-sync:unchanged', 'run:rf-deep:resumed', 'run:logreg:created']);
    expect(countPoints(team.store)).toBe(countPoints(local));
  });

  it('finds its runs and versions on the server again when the id map is gone (a remote removed and added again)', async () => {
    const team = await startTestMlflow();
    servers.push(team);
    const uri = normaliseRemoteUri(team.url);
    const forget = () => {
      for (const e of local.mlflowSync.entries(uri)) local.mlflowSync.deleteEntry(uri, e.kind, e.localId);
    };
    // Half a push (the connection cut in the metrics), then the map is lost.
    let batches = 0;
    const breaking: FetchLike = async (url, init) => {
      if (typeof init?.body === 'string' && init.body.includes('"metrics"') && ++batches === 2)
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
      return fetch(url, init);
    };
    await pushToRemote(envOf(local, team, { fetch: breaking }), { experimentIds: [seeded.experimentId], models: ['churn-model'] });
    forget();
    const whole = await pushToRemote(envOf(local, team), { experimentIds: [seeded.experimentId], models: ['churn-model'] });
    expect(whole.counts.failed).toBe(0);
    expect(whole.items.find((i) => i.name === 'rf-deep')?.outcome).toBe('resumed');
    expect(countRuns(team.store)).toBe(2);
    expect(countPoints(team.store)).toBe(countPoints(local));
    // Everything pushed, then the map is lost again: nothing is sent twice.
    forget();
    const again = await pushToRemote(envOf(local, team), { experimentIds: [seeded.experimentId], models: ['churn-model'] });
    expect(outcomes(again)).toEqual([
      'experiment:churn-sync:unchanged',
      'run:rf-deep:unchanged',
      'run:logreg:unchanged',
      'registered-model:churn-model:unchanged',
      'model-version:churn-model v1:unchanged',
    ]);
    expect(countRuns(team.store)).toBe(2);
    expect(countPoints(team.store)).toBe(countPoints(local));
    expect(team.store.registry.listVersions('churn-model')).toHaveLength(1);
  });

  it('skips a pulled version whose run holds no workbench model (an MLflow pickle), saying so', async () => {
    const team = await startTestMlflow();
    servers.push(team);
    await pushToRemote(envOf(local, team), { experimentIds: [seeded.experimentId], models: ['churn-model'] });
    const other = freshStore();
    stores.push(other);
    // The server's run without its model/ folder, as a run an MLflow client logged with a pickled model has no model/model.json.
    const pickled: FetchLike = async (url, init) => {
      const res = await fetch(url, init);
      if (!url.includes('/artifacts/list')) return res;
      const body = (await res.json()) as { files?: { path: string }[] };
      body.files = (body.files ?? []).filter((f) => f.path !== 'model');
      return new Response(JSON.stringify(body), { status: res.status, headers: { 'content-type': 'application/json' } });
    };
    const r = await pullFromRemote(envOf(other, team, { fetch: pickled }), {});
    expect(r.items.find((i) => i.kind === 'model-version')).toMatchObject({
      outcome: 'skipped',
      message: expect.stringMatching(/has no workbench model \(model\/model.json\)/),
    });
    expect(other.registry.findModel('churn-model')?.versionCount ?? 0).toBe(0);
  });

  it('fails a run with artifacts, clearly, when the server keeps artifacts where it does not proxy them (s3://)', async () => {
    const team = await startTestMlflow();
    servers.push(team);
    // A server without --serve-artifacts answers run artifact URIs of its own store.
    const s3: FetchLike = async (url, init) => {
      const res = await fetch(url, init);
      if (!url.includes('/runs/')) return res;
      const text = (await res.text()).replace(/mlflow-artifacts:\//g, 's3://team-bucket/');
      return new Response(text, { status: res.status, headers: res.headers });
    };
    const r = await pushToRemote(envOf(local, team, { fetch: s3 }), { experimentIds: [seeded.experimentId] });
    expect(r.items.find((i) => i.name === 'rf-deep')).toMatchObject({
      outcome: 'failed',
      message: expect.stringMatching(/s3:\/\/team-bucket\/.*the server must run with --serve-artifacts/),
    });
    expect(r.items.find((i) => i.name === 'logreg')?.outcome).toBe('created');
  });

  it('refuses a wrong token (401), a closed port and an unknown host with clear messages, writing nothing', async () => {
    const team = await startTestMlflow({ token: 'right-token' });
    servers.push(team);
    await expect(pushToRemote(envOf(local, team, { token: 'wrong' }), {})).rejects.toThrow(/refused the token \(401 UNAUTHENTICATED\)/);
    await expect(pushToRemote(envOf(local, team), {})).rejects.toThrow(/it needs a token/);
    expect(countRuns(team.store)).toBe(0);
    const ok = await pushToRemote(envOf(local, team, { token: 'right-token' }), { experimentIds: [seeded.experimentId] });
    expect(ok.counts.failed).toBe(0);

    const closed = await startTestMlflow();
    const url = closed.url;
    await closed.close();
    await expect(pushToRemote({ ...envOf(local, team), uri: url }, {})).rejects.toThrow(/connection was refused/);
    // What undici throws when DNS does not know the host (no lookup leaves this machine in the test).
    const noHost: FetchLike = async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
    };
    await expect(pullFromRemote({ ...envOf(local, team), uri: 'http://mlflow.nowhere.example', fetch: noHost }, {})).rejects.toThrow(
      /the host "mlflow.nowhere.example" was not found/,
    );
  });
});
