import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { MATURITY_ITEMS, WIZARD_ITEMS } from '../../../shared/maturity-content';
import type { AnswerValue } from '../../../shared/maturity';
import { call } from '../../../tests/helpers/call-channel';
import { createTestApp, importSample, makeTempDir, type TestApp } from '../../../tests/helpers/test-app';
import { createStore } from '../store';

let app: TestApp;
beforeEach(() => {
  app = createTestApp();
});
afterEach(() => app.cleanup());

const meta = { organisation: 'Acme', team: 'Churn', facilitator: 'Aiko', participants: ['Ben', 'Chika'], date: '2026-11-27' };

async function expectAppError(call: () => unknown, code: string, message: RegExp) {
  await expect(Promise.resolve().then(call)).rejects.toSatisfy(
    (e: unknown) => e instanceof AppError && e.code === code && message.test(e.message),
  );
}

describe('maturity handlers', () => {
  it('runs a workshop: create, answer in wizard order, pause/resume, complete, score', async () => {
    const h = app.handlers;
    const created = await h['maturity:create']({ meta, settings: { partlyCountsHalf: false } });
    expect(created.status).toBe('in-progress');
    // Answer the first half, pause, "resume" from the stored cursor, answer the rest.
    const pick = (i: number): AnswerValue => (MATURITY_ITEMS.find((x) => x.id === WIZARD_ITEMS[i].id)!.level === 1 ? 'yes' : 'no');
    for (let i = 0; i < 18; i++)
      await h['maturity:answer']({
        id: created.id,
        itemId: WIZARD_ITEMS[i].id,
        value: pick(i),
        note: i === 0 ? 'shared drive' : '',
        cursor: i + 1,
      });
    const paused = await h['maturity:get']({ id: created.id });
    expect(paused.cursor).toBe(18);
    expect(Object.keys(paused.answers)).toHaveLength(18);
    for (let i = paused.cursor; i < 36; i++)
      await h['maturity:answer']({ id: created.id, itemId: WIZARD_ITEMS[i].id, value: pick(i), note: '', cursor: i + 1 });
    await h['maturity:progress']({ id: created.id, status: 'completed' });
    const view = await h['maturity:result']({ id: created.id });
    expect(view.assessment.status).toBe('completed');
    expect(view.result.levelScores.map((s) => s.score)).toEqual([0, 100, 0]);
    expect(view.result.level).toBe(1);
    expect(view.assessment.answers[WIZARD_ITEMS[0].id].note).toBe('shared drive');
    const list = await h['maturity:list']({});
    expect(list).toEqual([expect.objectContaining({ id: created.id, level: 1, answeredCount: 36, scores: [0, 100, 0] })]);
  });

  it('keeps answers across a restart of the app (store reopened)', async () => {
    const created = await app.handlers['maturity:create']({ meta, settings: { partlyCountsHalf: true } });
    await app.handlers['maturity:answer']({ id: created.id, itemId: 'l1-data-versioning', value: 'partly', note: 'only some', cursor: 4 });
    app.ctx.close();
    const store = createStore(app.workspaceDir);
    try {
      const again = store.maturity.getAssessment(created.id);
      expect(again.answers['l1-data-versioning']).toEqual({ value: 'partly', note: 'only some' });
      expect(again.settings.partlyCountsHalf).toBe(true);
      expect(again.cursor).toBe(4);
    } finally {
      store.close();
      app = createTestApp({ workspaceDir: app.workspaceDir });
    }
  });

  it('refuses bad input with clear errors', async () => {
    const h = app.handlers;
    const created = await h['maturity:create']({ meta, settings: { partlyCountsHalf: false } });
    await expectAppError(
      () => h['maturity:answer']({ id: created.id, itemId: 'l9-nope', value: 'yes', note: '' }),
      'bad_input',
      /Unknown assessment item "l9-nope"/,
    );
    await expectAppError(() => h['maturity:get']({ id: 'missing' }), 'not_found', /No assessment with id "missing"/);
  });

  it('exports JSON and imports it on another workspace; refuses foreign, malformed and duplicate files', async () => {
    const h = app.handlers;
    const created = await h['maturity:create']({ meta, settings: { partlyCountsHalf: false } });
    await h['maturity:answer']({ id: created.id, itemId: 'l2-deploy-canary', value: 'unsure', note: 'ask ops', cursor: 1 });
    const exported = await h['maturity:exportJson']({ id: created.id });
    expect(exported.fileName).toBe('maturity-acme-churn-2026-11-27.json');

    const dir = makeTempDir();
    const other = createTestApp();
    try {
      const file = path.join(dir, exported.fileName);
      fs.writeFileSync(file, exported.json);
      const imported = await other.handlers['maturity:importJson']({ path: file });
      expect(imported).toEqual(await h['maturity:get']({ id: created.id }));
      await expectAppError(() => other.handlers['maturity:importJson']({ path: file }), 'conflict', /already in the workspace/);

      const foreign = path.join(dir, 'package.json');
      fs.writeFileSync(foreign, JSON.stringify({ name: 'x', version: '1.0.0' }));
      await expectAppError(
        () => other.handlers['maturity:importJson']({ path: foreign }),
        'bad_input',
        /not a MLOps Workbench maturity assessment/,
      );
      const broken = path.join(dir, 'broken.json');
      fs.writeFileSync(broken, exported.json.slice(0, 200));
      await expectAppError(() => other.handlers['maturity:importJson']({ path: broken }), 'bad_input', /not valid JSON/);
      await expectAppError(
        () => other.handlers['maturity:importJson']({ path: path.join(dir, 'nope.json') }),
        'not_found',
        /does not exist/,
      );
      expect(await other.handlers['maturity:list']({})).toHaveLength(1);
    } finally {
      other.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('compares two assessments', async () => {
    const h = app.handlers;
    const q1 = await h['maturity:create']({ meta: { ...meta, date: '2026-08-01' }, settings: { partlyCountsHalf: false } });
    const q2 = await h['maturity:create']({ meta, settings: { partlyCountsHalf: false } });
    for (const item of MATURITY_ITEMS.filter((i) => i.level === 1))
      await h['maturity:answer']({ id: q2.id, itemId: item.id, value: 'yes', note: '' });
    const { comparison } = await h['maturity:compare']({ beforeId: q1.id, afterId: q2.id });
    expect(comparison.levels[1]).toMatchObject({ before: 0, after: 100, delta: 100 });
    expect(comparison.afterLevel).toBe(1);
    expect(comparison.changedItems).toHaveLength(12);
  });

  it('shows evidence from versioned data and flags a contradicting answer', async () => {
    // Every call goes through its channel's schema (as IPC does); a renamed channel fails here.
    const dataEvidence = async () => (await call(app, 'maturity:evidence', {})).filter((e) => e.itemIds.includes('l1-data-versioning'));
    expect(await dataEvidence()).toEqual([]);
    const created = await call(app, 'maturity:create', { meta, settings: { partlyCountsHalf: false } });
    await call(app, 'maturity:answer', { id: created.id, itemId: 'l1-data-versioning', value: 'no', note: '' });
    expect((await call(app, 'maturity:result', { id: created.id })).disagreements.filter((d) => d.itemId === 'l1-data-versioning')).toEqual(
      [],
    );

    // Evidence needs data in the versioned store: import the bundled sample through the datasets capability.
    await importSample(app);
    const [data] = await dataEvidence();
    expect(data?.summary.en).toMatch(/^1 version of 1 data set/);
    const view = await call(app, 'maturity:result', { id: created.id });
    expect(view.disagreements.find((d) => d.itemId === 'l1-data-versioning')).toMatchObject({
      kind: 'contradicts',
      answer: 'no',
      suggested: 'yes',
    });

    // Answering as the evidence suggests settles it.
    await call(app, 'maturity:answer', { id: created.id, itemId: 'l1-data-versioning', value: 'yes', note: '' });
    expect((await call(app, 'maturity:result', { id: created.id })).disagreements.filter((d) => d.itemId === 'l1-data-versioning')).toEqual(
      [],
    );
  });
});
