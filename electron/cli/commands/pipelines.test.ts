import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineDefinitionInput, PipelineRunOutcome, PipelineSummary } from '../../../shared/pipelines';
import { call } from '../../../tests/helpers/call-channel';
import { runCli } from '../../../tests/helpers/cli';
import { createTestApp, importSample, type TestApp } from '../../../tests/helpers/test-app';
import { PIPELINES_COMMANDS } from './pipelines';

let app: TestApp;
const definition: PipelineDefinitionInput = {
  name: 'churn nightly',
  source: { kind: 'dataset', dataset: 'churn' },
  training: { target: 'churned', testSize: 0.25, cvFolds: 0, seed: 7 },
  models: [{ algorithm: 'logreg', params: {} }],
  model: 'churn-model',
  gates: { metric: { key: 'accuracy', op: '>=', threshold: 0.5 } },
  triggers: { schedule: { kind: 'daily', at: '02:00' } },
  timezone: 'Europe/Berlin',
};
const mlwb = (...words: string[]) => runCli(app, words, PIPELINES_COMMANDS);
const file = (name: string) => path.join(app.workspaceDir, name);

beforeAll(async () => {
  app = createTestApp();
  await call(app, 'pipelines:save', { definition });
});
afterAll(() => app.cleanup());

describe('mlwb pipelines', () => {
  it('lists, enables and shows a pipeline', async () => {
    const off = await mlwb('pipelines', 'list');
    expect(off.code, off.err).toBe(0);
    expect(off.out).toMatch(/^churn nightly {2}v1 {2}disabled {2}daily 02:00 \(Europe\/Berlin\) {2}→ churn-model {2}never run$/);
    const on = await mlwb('pipelines', 'enable', 'churn nightly');
    expect(on.code, on.err).toBe(0);
    expect(on.out).toMatch(/^churn nightly: enabled, next \d{4}-\d\d-\d\dT0[01]:00:00Z$/);
    const list = JSON.parse((await mlwb('pipelines', 'list', '--json')).out) as PipelineSummary[];
    expect(list).toMatchObject([{ name: 'churn nightly', enabled: true, version: 1, running: false }]);
    // 02:00 in Berlin is 00:00 or 01:00 UTC.
    expect([0, 1]).toContain(new Date(list[0].nextDueAt!).getUTCHours());
    const show = await mlwb('pipelines', 'show', 'churn nightly');
    expect(show.out).toContain('source:    dataset churn');
    expect(show.out).toContain('none yet');
    expect((await mlwb('pipelines', 'disable', 'churn nightly')).out).toBe('churn nightly: disabled');
    const ghost = await mlwb('pipelines', 'show', 'ghost');
    expect(ghost.code).toBe(1);
    expect(ghost.err).toBe('error: No pipeline named "ghost".');
  });

  it('exports the pipeline file and CI workflows; the file imports back as the next version', async () => {
    const out = file('exported/churn.mlwb.yaml');
    const exported = await mlwb('pipelines', 'export', 'churn nightly', '--out', out);
    expect(exported.code, exported.err).toBe(0);
    const doc = YAML.parse(fs.readFileSync(out, 'utf8'));
    expect(doc).toMatchObject({ kind: 'mlwb-pipeline', formatVersion: 1, pipeline: { name: 'churn nightly', timezone: 'Europe/Berlin' } });

    const github = await mlwb('pipelines', 'export', 'churn nightly', '--format', 'github');
    expect(github.code, github.err).toBe(0);
    const workflow = YAML.parse(github.out);
    expect(JSON.stringify(workflow.jobs.retrain.steps)).toContain('mlwb pipelines run \\"churn nightly\\" --workspace .mlwb-workspace --json');
    const gitlab = await mlwb('pipelines', 'export', 'churn nightly', '--format', 'gitlab');
    expect(YAML.parse(gitlab.out)['retrain-churn-nightly'].stage).toBe('retrain');
    const badFormat = await mlwb('pipelines', 'export', 'churn nightly', '--format', 'jenkins');
    expect(badFormat.code).toBe(2);
    expect(badFormat.err).toMatch(/--format/);

    // Edited in the repository, then imported: the next version of the same pipeline.
    fs.writeFileSync(out, fs.readFileSync(out, 'utf8').replace('description: ""', 'description: from git'));
    const imported = await mlwb('pipelines', 'import', out);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toBe('imported churn nightly (v2, disabled)');
    expect(app.ctx.store.pipelines.get('churn nightly').definition.description).toBe('from git');
  });

  it('refuses a corrupt file, a foreign YAML and an invalid pipeline, saving nothing', async () => {
    const before = app.ctx.store.pipelines.versions(app.ctx.store.pipelines.get('churn nightly').id).length;
    fs.writeFileSync(file('corrupt.yaml'), 'kind: mlwb-pipeline\npipeline: [unclosed\n');
    const corrupt = await mlwb('pipelines', 'import', file('corrupt.yaml'));
    expect(corrupt.code).toBe(1);
    expect(corrupt.err).toMatch(/^error: .*corrupt\.yaml: Not a readable pipeline file \(YAML or JSON\): /);

    fs.writeFileSync(file('workflow.yml'), (await mlwb('pipelines', 'export', 'churn nightly', '--format', 'github')).out);
    const foreign = await mlwb('pipelines', 'import', file('workflow.yml'));
    expect(foreign.code).toBe(1);
    expect(foreign.err).toContain('Not a pipeline file (its "kind" must be "mlwb-pipeline").');

    const invalid = YAML.stringify({ kind: 'mlwb-pipeline', formatVersion: 1, pipeline: { ...definition, name: 'other', models: [] } });
    fs.writeFileSync(file('invalid.yaml'), invalid);
    const refused = await mlwb('pipelines', 'import', file('invalid.yaml'));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Choose at least one model.');

    const missing = await mlwb('pipelines', 'import', file('nope.yaml'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read .*nope\.yaml: ENOENT/);

    expect(app.ctx.store.pipelines.list().map((p) => p.name)).toEqual(['churn nightly']);
    expect(app.ctx.store.pipelines.versions(app.ctx.store.pipelines.get('churn nightly').id)).toHaveLength(before);
  });

  it('run waits for the run, prints its steps, and exits 1 when no model was registered', async () => {
    // The pipeline's dataset does not exist in this workspace: the run fails at its first step.
    const r = await mlwb('pipelines', 'run', 'churn nightly', '--json');
    expect(r.code).toBe(1);
    const outcome = JSON.parse(r.out) as PipelineRunOutcome;
    expect(outcome.registered).toBe(false);
    expect(outcome.run).toMatchObject({ trigger: 'cli', status: 'failed' });
    expect(outcome.run.reason).toMatch(/^import: Dataset "churn" does not exist/);
    expect(outcome.run.owner).toMatch(/^cli@/);
    const text = await mlwb('pipelines', 'run', 'churn nightly');
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/^run \d+ of churn nightly started/);
    expect(text.out).toMatch(/ {2}import {4}failed/);
    expect(text.out).toMatch(/ {2}train {5}skipped/);
    expect(text.out.split('\n').at(-1)).toBe('no model registered');
  });

  it('run exits 0 when the run registered a model', async () => {
    await importSample(app);
    const r = await mlwb('pipelines', 'run', 'churn nightly', '--json');
    expect(r.code, r.err).toBe(0);
    const outcome = JSON.parse(r.out) as PipelineRunOutcome;
    expect(outcome).toMatchObject({ registered: true, run: { status: 'succeeded', modelVersion: 1 } });
    expect(app.ctx.store.registry.getVersion('churn-model', 1).stage).toBe('Staging');
  }, 60_000);
});
