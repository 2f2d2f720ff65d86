import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunDetail, RunSummary } from '../../../shared/tracking';
import { runCli } from '../../../tests/helpers/cli';
import { createTestApp, makeTempDir, writeSampleHead, type TestApp } from '../../../tests/helpers/test-app';
import { TRACKING_COMMANDS } from './runs';
import { trainCommand } from './train';

let app: TestApp | undefined;
const dirs: string[] = [];
afterEach(() => {
  app?.cleanup();
  app = undefined;
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

const mlwb = (words: string[]) => runCli((app ??= createTestApp()), words, [trainCommand, ...TRACKING_COMMANDS]);

function sampleFile(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return writeSampleHead(path.join(dir, 'churn.csv'), 600);
}

describe('mlwb exp / runs', () => {
  it('records a train run in a named experiment, finds it with a filter, shows and reproduces it', async () => {
    const data = sampleFile();
    const trained = await mlwb([
      'train',
      '--data',
      data,
      '--target',
      'churned',
      '--model',
      'logreg',
      '--experiment',
      'ci checks',
      '--run-name',
      'nightly',
      '--json',
    ]);
    expect(trained.code, trained.err).toBe(0);
    const { runId } = JSON.parse(trained.out) as { runId: string };
    expect(runId).toMatch(/^[0-9a-f]{32}$/);

    const list = await mlwb(['exp', 'list', '--json']);
    const experiments = JSON.parse(list.out) as { name: string; runCount: number }[];
    expect(experiments.find((e) => e.name === 'ci checks')?.runCount).toBe(1);

    const found = await mlwb(['runs', 'search', "params.model = 'logreg' and metrics.accuracy > 0", '--experiment', 'ci checks', '--json']);
    expect(found.code, found.err).toBe(0);
    const runs = JSON.parse(found.out) as RunSummary[];
    expect(runs.map((r) => [r.info.runId, r.info.name, r.info.source])).toEqual([[runId, 'nightly', 'cli']]);
    const none = await mlwb(['runs', 'search', "params.model != 'logreg'", '--json']);
    expect(JSON.parse(none.out)).toEqual([]);

    const shown = await mlwb(['runs', 'show', runId, '--json']);
    const detail = JSON.parse(shown.out) as RunDetail;
    expect(detail.experimentName).toBe('ci checks');
    expect(detail.params.model).toBe('logreg');
    const text = await mlwb(['runs', 'show', runId]);
    expect(text.out).toMatch(/^nightly \([0-9a-f]{32}\) — FINISHED/);
    expect(text.out).toContain('model/model.json');

    const rep = await mlwb(['runs', 'reproduce', runId]);
    expect(rep.code, rep.err + rep.out).toBe(0);
    expect(rep.out).toMatch(/^identical: reproduction run [0-9a-f]{32}/);
  });

  it('refuses a bad filter with MLflow-style words, and unknown or malformed run ids', async () => {
    const bad = await mlwb(['runs', 'search', 'metrics.accuracy >> 1']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/error: /);
    const unknown = await mlwb(['runs', 'show', 'f'.repeat(32)]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/No run with id/);
    const malformed = await mlwb(['runs', 'reproduce', 'abc']);
    expect(malformed.code).toBe(1);
    expect(malformed.err).toMatch(/32 hexadecimal/);
    const longName = await mlwb([
      'train',
      '--data',
      sampleFile(),
      '--target',
      'churned',
      '--model',
      'logreg',
      '--run-name',
      'x'.repeat(501),
    ]);
    expect(longName.code).toBe(2);
  });

  it('creates, renames, trashes, restores and permanently deletes experiments and runs', async () => {
    expect((await mlwb(['exp', 'create', 'a', '--description', 'first'])).out).toMatch(/created experiment 1 "a"/);
    expect((await mlwb(['exp', 'create', 'a'])).err).toMatch(/already exists/);
    expect((await mlwb(['exp', 'rename', 'a', 'b'])).out).toMatch(/renamed experiment 1 to "b"/);
    const trained = await mlwb([
      'train',
      '--data',
      sampleFile(),
      '--target',
      'churned',
      '--model',
      'logreg',
      '--experiment',
      'b',
      '--json',
    ]);
    const { runId } = JSON.parse(trained.out) as { runId: string };
    expect((await mlwb(['runs', 'delete', runId])).out).toMatch(/moved to the trash/);
    expect(JSON.parse((await mlwb(['runs', 'search', '--experiment', 'b', '--json'])).out)).toEqual([]);
    expect(JSON.parse((await mlwb(['runs', 'search', '--experiment', 'b', '--deleted', '--json'])).out)).toHaveLength(1);
    expect((await mlwb(['runs', 'restore', runId])).out).toMatch(/restored/);
    expect((await mlwb(['exp', 'delete', 'b', '--permanently'])).err).toMatch(/not in the trash/);
    expect((await mlwb(['exp', 'delete', 'b'])).out).toMatch(/moved experiment "b" to the trash/);
    expect((await mlwb(['train', '--data', sampleFile(), '--target', 'churned', '--model', 'logreg', '--experiment', 'b'])).err).toMatch(
      /in the trash/,
    );
    expect((await mlwb(['exp', 'delete', 'b', '--permanently'])).out).toMatch(/and its 1 run\(s\) permanently/);
    expect(JSON.parse((await mlwb(['exp', 'list', '--deleted', '--json'])).out)).toEqual([]);
  });
});
