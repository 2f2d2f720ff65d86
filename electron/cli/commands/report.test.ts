import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../tests/helpers/cli';
import { skipWithoutChromium } from '../../../tests/helpers/needs-chromium';
import { createTestApp, makeTempDir, type TestApp } from '../../../tests/helpers/test-app';
import { createChromiumPrinter, findChromiumExecutable, type ChromiumPrinter } from '../../core/reports/chromium-printer';
import { reportCommand, reportListCommand } from './report';

let app: TestApp;
let dir: string;
let printer: ChromiumPrinter | undefined;

/** Runs `mlwb report …` in-process on a test app (workers through tsx, no build needed); a thrown error is exit code 1, as in the bin. */
async function mlwb(words: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCli(app, words, [reportListCommand, reportCommand]).catch((e: Error) => ({ code: 1, out: '', err: e.message }));
}

beforeAll(async () => {
  dir = makeTempDir();
  printer = findChromiumExecutable() ? createChromiumPrinter() : undefined;
  app = createTestApp({ printPdf: printer?.printPdf });
  const job = await app.handlers['datasets:importSample']({});
  await app.ctx.jobs.waitFor(job.id);
  const version = app.ctx.store.datasets.findVersionByRef('churn@sample');
  const suite = await app.handlers['validation:saveSuite']({
    datasetId: version.datasetId,
    suite: {
      name: 'churn checks',
      rules: [
        { kind: 'row_count_between', min: 1000 },
        { kind: 'between', column: 'tenure_months', max: 24 },
      ],
    },
  });
  await app.ctx.jobs.waitFor((await app.handlers['validation:run']({ suiteId: suite.id, versionId: version.id })).id);
}, 60_000);
afterAll(async () => {
  app.cleanup();
  await printer?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('mlwb report dataset', () => {
  it('lists dataset versions as report targets', async () => {
    const list = await mlwb(['report', 'list']);
    const id = app.ctx.store.datasets.findVersionByRef('churn@sample').id;
    expect(list.out).toMatch(new RegExp(`dataset — Dataset profile and validation report\\n {4}${id} {2}churn@sample`));
  });

  it('exports by NAME@TAG and by version id, from the workspace store', async () => {
    const html = path.join(dir, 'churn.html');
    const byRef = await mlwb(['report', 'dataset', 'churn@sample', '--html', html]);
    expect(byRef.code).toBe(0);
    const text = fs.readFileSync(html, 'utf8');
    expect(text).toContain('churn@sample');
    expect(text).toContain('5,000 rows × 16 columns');
    expect(text).toContain('Suite “churn checks” — failed');
    expect(text).toContain('tenure_months: values at most 24');
    const id = app.ctx.store.datasets.findVersionByRef('churn@sample').id;
    const ja = path.join(dir, 'ja.html');
    expect((await mlwb(['report', 'dataset', String(id), '--html', ja, '--lang', 'ja'])).code).toBe(0);
    expect(fs.readFileSync(ja, 'utf8')).toContain('5,000 行 × 16 列');
    const missing = await mlwb(['report', 'dataset', 'churn@nope', '--html', html]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/No dataset version "churn@nope"/);
  });

  it('writes the PDF', async (ctx) => {
    skipWithoutChromium(ctx);
    const pdf = path.join(dir, 'churn.pdf');
    const result = await mlwb(['report', 'dataset', 'churn@sample', '--pdf', pdf, '--paper', 'Letter']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/wrote .*churn\.pdf \(\d+ bytes/);
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Page size:\s+612 x 792/);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('monthly_charges');
    expect(text).toContain('Validation results');
  }, 60_000);
});
