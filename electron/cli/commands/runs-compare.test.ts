import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../tests/helpers/call-channel';
import { runCli } from '../../../tests/helpers/cli';
import { skipWithoutChromium } from '../../../tests/helpers/needs-chromium';
import { createTestApp, importSample, makeTempDir, type TestApp } from '../../../tests/helpers/test-app';
import { fromWireNumber } from '../../../shared/tracking';
import { createChromiumPrinter, findChromiumExecutable, type ChromiumPrinter } from '../../core/reports/chromium-printer';
import { listReportTargets } from '../../core/reports/export-report';
import { createWorkspaceReportContext } from '../../core/reports/workspace-reports';
import { runsCompareCommand } from './runs-compare';

let app: TestApp;
let dir: string;
let printer: ChromiumPrinter | undefined;
let runIds: string[];

async function mlwb(words: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCli(app, words, [runsCompareCommand]).catch((e: Error) => ({ code: 1, out: '', err: e.message }));
}

beforeAll(async () => {
  dir = makeTempDir();
  printer = findChromiumExecutable() ? createChromiumPrinter() : undefined;
  app = createTestApp({ printPdf: printer?.printPdf });
  const versionId = await importSample(app);
  const { jobs } = await call(app, 'runs:launch', {
    experimentId: 0,
    settings: { versionId, target: 'churned', testSize: 0.25, cvFolds: 0, seed: 7 },
    models: [
      { algorithm: 'logreg', params: { C: 1 }, runName: 'logreg <b>C=1</b>' },
      { algorithm: 'rf', params: { nEstimators: 10 }, runName: 'forest 10' },
    ],
  });
  const done = await Promise.all(jobs.map((j) => app.ctx.jobs.waitFor(j.id)));
  runIds = done.map((j) => (j.result as { runId: string }).runId);
}, 120_000);
afterAll(async () => {
  app.cleanup();
  await printer?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('mlwb runs compare', () => {
  it('writes the HTML report from the workspace runs and prints the best run by the chosen metric', async () => {
    const html = path.join(dir, 'cmp.html');
    const r = await mlwb(['runs', 'compare', ...runIds, '--html', html, '--metric', 'log_loss']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const losses = runIds.map((id) => fromWireNumber(app.ctx.store.tracking.getRun(id).metrics.find((m) => m.key === 'log_loss')!.value));
    const bestName = losses[0] <= losses[1] ? 'logreg <b>C=1</b>' : 'forest 10';
    expect(r.out).toContain(`best by log_loss (lower is better): ${bestName}`);
    const text = fs.readFileSync(html, 'utf8');
    expect(text).toContain('logreg &lt;b&gt;C=1&lt;/b&gt;');
    expect(text).toContain('forest 10');
    expect(text).toContain('Best run by log_loss');
    // Both are binary classifiers of the churn sample: two ROC curves from their roc_curve.json artifacts.
    expect(text).toMatch(/logreg &lt;b&gt;C=1&lt;\/b&gt; \(AUC 0\.\d+\)/);
    expect(text).toMatch(/forest 10 \(AUC 0\.\d+\)/);
    // The export is logged in the workspace with its target id.
    expect(app.ctx.store.reports.listExports().map((e) => e.targetId)).toEqual([`${runIds.join(',')};metric=log_loss;better=lower`]);
  });

  it('--json gives the best run and the files; the sibling group is a report target', async () => {
    const html = path.join(dir, 'cmp2.html');
    const r = await mlwb(['runs', 'compare', ...runIds, '--html', html, '--metric', 'accuracy', '--better', 'lower', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { metric: string; better: string; best: { runId: string; value: number }; files: { file: string }[] };
    expect(out).toMatchObject({ metric: 'accuracy', better: 'lower' });
    const accuracies = runIds.map((id) =>
      fromWireNumber(app.ctx.store.tracking.getRun(id).metrics.find((m) => m.key === 'accuracy')!.value),
    );
    expect(out.best.value).toBe(Math.min(...accuracies));
    expect(out.files.map((f) => f.file)).toEqual([path.resolve(html)]);
    const targets = (await listReportTargets(createWorkspaceReportContext(app.ctx))).filter((t) => t.reportId === 'run-comparison');
    expect(targets).toHaveLength(1);
    expect(targets[0].id.split(',').sort()).toEqual([...runIds].sort());
  });

  it('refuses one run, a bad id, an unknown run, a bad direction and a missing output', async () => {
    expect(await mlwb(['runs', 'compare', runIds[0], '--html', path.join(dir, 'x.html')])).toMatchObject({
      code: 2,
      err: 'ID…: A comparison needs at least 2 runs.',
    });
    expect((await mlwb(['runs', 'compare', runIds[0], 'abc', '--html', path.join(dir, 'x.html')])).err).toBe(
      'run id "abc": A run id is 32 hexadecimal characters.',
    );
    const unknown = await mlwb(['runs', 'compare', runIds[0], 'f'.repeat(32), '--html', path.join(dir, 'x.html')]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toContain('f'.repeat(32));
    expect((await mlwb(['runs', 'compare', ...runIds, '--better', 'up', '--html', path.join(dir, 'x.html')])).err).toMatch(/^--better: /);
    expect((await mlwb(['runs', 'compare', ...runIds])).err).toMatch(/^Usage: mlwb runs compare/);
    expect(await mlwb(['runs', 'compare', ...runIds, '--pdf'])).toMatchObject({ code: 2 });
    expect(fs.existsSync(path.join(dir, 'x.html'))).toBe(false);
  });

  it('prints the PDF through Chromium', async (ctx) => {
    skipWithoutChromium(ctx);
    const pdf = path.join(dir, 'cmp.pdf');
    const r = await mlwb(['runs', 'compare', ...runIds, '--pdf', pdf, '--paper', 'Letter', '--lang', 'ja']);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Page size:\s+612 x 792/);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('forest 10');
    expect(text).toContain('logreg <b>C=1</b>');
    expect(text).toContain('ROC 曲線');
  });
});
