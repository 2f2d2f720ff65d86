import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { skipWithoutChromium } from '../../../../tests/helpers/needs-chromium';
import { formatComparisonTarget } from '../../../../shared/run-comparison';
import type { Run, WireNumber } from '../../../../shared/tracking';
import { createChromiumPrinter, type ChromiumPrinter } from '../chromium-printer';
import { buildReportHtml, exportReport, findReportDefinition, listReportTargets } from '../export-report';
import { ReportTargetNotFoundError, ReportUnavailableError, type ReportContext } from '../report-definition';
import type { RunComparisonReader } from './run-comparison-report';

const id = (n: number) => n.toString(16).padStart(32, '0');

function run(
  n: number,
  name: string,
  params: Record<string, string>,
  metrics: Record<string, WireNumber>,
  roc = true,
): Run & { experimentName: string } {
  return {
    info: {
      runId: id(n),
      experimentId: 1,
      name,
      status: 'FINISHED',
      startTime: Date.UTC(2026, 10, 20, 9, n),
      endTime: Date.UTC(2026, 10, 20, 9, n, 12),
      userId: 'aiko',
      lifecycleStage: 'active',
      error: null,
      source: 'app',
      jobId: n,
      datasetVersionId: 1,
    },
    params,
    metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
    tags: { 'mlflow.runName': name, 'mlwb.model_type': params.model, 'mlwb.dataset': 'churn@sample', 'mlwb.comparison': 'g1' },
    artifacts: roc ? [{ path: 'roc_curve.json', sha256: 'x'.repeat(64), size: 10, mediaType: 'application/json', createdAt: 0 }] : [],
    experimentName: 'Churn models',
  };
}

const runs = [
  run(1, 'logreg C=1', { model: 'logreg', C: '1', seed: '42' }, { accuracy: 0.81, roc_auc: 0.86, log_loss: 0.41, f1_macro: 0.7 }),
  run(
    2,
    'forest <script>alert(1)</script>',
    { model: 'rf', nEstimators: '100', seed: '42' },
    { accuracy: 0.84, roc_auc: 0.89, log_loss: 0.38, f1_macro: 'NaN' },
  ),
  run(
    3,
    'boosting',
    { model: 'gbm', nEstimators: '100', learningRate: '0.1', seed: '42' },
    { accuracy: 0.83, log_loss: 'Infinity', f1_macro: 0.72 },
    false,
  ),
];

const reader: RunComparisonReader = {
  getRun: (runId) => runs.find((r) => r.info.runId === runId) ?? null,
  readArtifactText: (runId) =>
    JSON.stringify({ fpr: [0, 0.1, 0.4, 1], tpr: [0, 0.5 + Number.parseInt(runId, 16) / 20, 0.9, 1], thresholds: [1, 0.7, 0.4, 0] }),
  listComparisons: () => [{ runIds: runs.map((r) => r.info.runId), names: runs.map((r) => r.info.name), date: '2026-11-20T09:01:00.000Z' }],
};

function contextFor(locale: 'en' | 'ja' = 'en'): ReportContext {
  return { workspaceName: 'Test workspace', locale, now: new Date('2026-11-27T12:00:00Z'), data: { tracking: reader } };
}

const allIds = runs.map((r) => r.info.runId);
const build = (target: string, locale: 'en' | 'ja' = 'en', paper: 'A4' | 'Letter' = 'A4') =>
  buildReportHtml(findReportDefinition('run-comparison'), contextFor(locale), { id: target }, paper);

/** The text of the HTML as a reader sees it (tags dropped, entities kept). */
const visible = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('run-comparison report', () => {
  it('shows every run side by side with its values, marks differences and the best run by the default metric', async () => {
    const { html, document } = await build(allIds.join(','));
    const text = visible(html);
    expect(document.title).toBe('Run comparison — logreg C=1, forest <script>alert(1)</script>, boosting');
    expect(text).toContain('3 runs of Churn models');
    // roc_auc is not shared by all three (boosting has none), accuracy is: the best by accuracy, higher is better.
    expect(text).toContain('forest &lt;script&gt;alert(1)&lt;/script&gt; has the best accuracy: 0.84 (higher is better).');
    expect(text).toMatch(/Rank Run accuracy 1 ★ forest &lt;script&gt;.* 0\.84 2 boosting 0\.83 3 logreg C=1 0\.81/);
    // Params: the differing rows are marked, the shared seed is not.
    expect(text).toContain('≠ model');
    expect(text).toContain('≠ nEstimators');
    expect(text).not.toContain('≠ seed');
    expect(text).toMatch(/seed 42 42 42/);
    // NaN and infinity as names, a missing value as a dash.
    expect(text).toMatch(/≠ f1_macro 0\.7 NaN 0\.72/);
    expect(text).toMatch(/≠ log_loss 0\.41 0\.38 ∞/);
    expect(text).toMatch(/≠ roc_auc 0\.86 0\.89 —/);
    expect(html).toContain('<th style="text-align:right">★ forest &lt;script&gt;');
    // Two ROC curves (the boosting run has none), parallel coordinates with the model as categories.
    expect(text).toContain('forest &lt;script&gt;alert(1)&lt;/script&gt; (AUC 0.89)');
    expect(text).toContain('logreg C=1 (AUC 0.86)');
    expect((html.match(/<svg /g) ?? []).length).toBe(2);
    expect(html).toMatch(/<text[^>]*>gbm<\/text>[\s\S]*<text[^>]*>logreg<\/text>[\s\S]*<text[^>]*>rf<\/text>/);
    expect(html).not.toMatch(/<script/i);
  });

  it('takes the metric and its direction from the id; a loss is better lower; a run without the metric is named', async () => {
    const loss = visible((await build(formatComparisonTarget({ runIds: allIds, metric: 'log_loss' }))).html);
    expect(loss).toContain('has the best log_loss: 0.38 (lower is better)');
    // ∞ never wins.
    expect(loss).toMatch(/Rank Run log_loss 1 ★ forest .* 0\.38 2 logreg C=1 0\.41 Without a value of log_loss: boosting \(∞\)/);
    const auc = visible((await build(formatComparisonTarget({ runIds: allIds, metric: 'roc_auc' }))).html);
    expect(auc).toContain('has the best roc_auc: 0.89');
    expect(auc).toContain('Without a value of roc_auc: boosting (—).');
    const flipped = visible((await build(formatComparisonTarget({ runIds: allIds, metric: 'accuracy', better: 'lower' }))).html);
    expect(flipped).toContain('logreg C=1 has the best accuracy: 0.81 (lower is better).');
    const none = visible((await build(formatComparisonTarget({ runIds: allIds, metric: 'r2' }))).html);
    expect(none).toContain('No run has a numeric value of r2, so none is marked best.');
  });

  it('writes Japanese and Letter', async () => {
    const { html } = await build(allIds.join(','), 'ja', 'Letter');
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('size: letter');
    expect(visible(html)).toContain('accuracy が最も良いのは forest');
    expect(visible(html)).toContain('並べて比較');
  });

  it('refuses bad ids and unknown runs, and lists sibling groups as targets', async () => {
    await expect(build(id(1))).rejects.toThrow(/at least 2 runs/);
    await expect(build(`${id(1)},${id(1)}`)).rejects.toThrow(/listed twice/);
    await expect(build(`${id(1)},nope`)).rejects.toThrow(/32 hexadecimal/);
    await expect(build(`${id(1)},${id(2)};colour=red`)).rejects.toThrow(/Unknown or repeated option/);
    await expect(build(Array.from({ length: 21 }, (_, i) => id(i + 1)).join(','))).rejects.toThrow(/at most 20 runs/);
    await expect(build(`${id(1)},${id(9)}`)).rejects.toThrow(ReportTargetNotFoundError);
    const bare: ReportContext = { ...contextFor(), data: {} };
    await expect(buildReportHtml(findReportDefinition('run-comparison'), bare, { id: allIds.join(',') }, 'A4')).rejects.toThrow(
      ReportUnavailableError,
    );
    const targets = (await listReportTargets(contextFor())).filter((t) => t.reportId === 'run-comparison');
    expect(targets).toEqual([
      {
        reportId: 'run-comparison',
        id: allIds.join(','),
        label: 'Comparison: logreg C=1, forest <script>alert(1)</script>, boosting',
        date: '2026-11-20',
      },
    ]);
  });

  it('accepts the longest id: 20 runs with a 250-character metric key', async () => {
    const many = Array.from({ length: 20 }, (_, i) => id(i + 1));
    const target = formatComparisonTarget({ runIds: many, metric: 'm'.repeat(250), better: 'lower' });
    // Unknown runs, but the id itself passes the pipeline's and the definition's parsing.
    await expect(build(target)).rejects.toThrow(/No run 0+4, /);
  });
});

describe('run-comparison report PDF through Chromium', () => {
  beforeEach(skipWithoutChromium);
  let dir: string;
  let printer: ChromiumPrinter;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-compare-report-'));
    printer = createChromiumPrinter();
  });
  afterAll(async () => {
    await printer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints pages with the run names, the best run and vector charts', async () => {
    const out = await exportReport(
      findReportDefinition('run-comparison'),
      contextFor(),
      { id: allIds.join(',') },
      { format: 'pdf', paper: 'A4', printPdf: printer.printPdf },
    );
    const file = path.join(dir, out.fileName);
    fs.writeFileSync(file, out.bytes);
    expect(Buffer.from(out.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const pages = Number(execFileSync('pdfinfo', [file], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)![1]);
    expect(pages).toBeGreaterThan(0);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const name of ['logreg C=1', 'forest <script>alert(1)</script>', 'boosting']) expect(text).toContain(name);
    expect(text).toContain('Best run by accuracy');
    expect(text).toContain('Parallel coordinates');
    expect(text).toContain('True positive rate'); // chart labels are text: vector charts
    execFileSync('pdftoppm', ['-r', '60', '-png', file, path.join(dir, 'page')]);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png'))).toHaveLength(pages);
  });
});
