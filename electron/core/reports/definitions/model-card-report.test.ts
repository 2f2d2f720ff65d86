import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { skipWithoutChromium } from '../../../../tests/helpers/needs-chromium';
import type { ModelCard, ModelVersion, VersionSelector } from '../../../../shared/registry';
import { createChromiumPrinter, type ChromiumPrinter } from '../chromium-printer';
import { buildReportHtml, exportReport, findReportDefinition, listReportTargets } from '../export-report';
import { ReportTargetNotFoundError, ReportUnavailableError, type ReportContext } from '../report-definition';
import type { ModelCardReader } from './model-card-report';

const RUN_ID = 'ab'.repeat(16);

const version: ModelVersion = {
  name: 'churn <b>',
  version: 3,
  runId: RUN_ID,
  runName: 'forest-7',
  experimentId: 1,
  source: `runs:/${RUN_ID}/model`,
  modelSha256: 'c'.repeat(64),
  stage: 'Production',
  description: '',
  createdAt: Date.UTC(2026, 10, 20, 9, 0),
  updatedAt: Date.UTC(2026, 10, 21, 9, 0),
  createdBy: 'aiko',
  tags: { team: 'retention' },
  aliases: ['champion'],
  algorithm: 'rf',
  task: 'classification',
  datasetLabel: 'churn@v2',
  datasetVersionId: 4,
  metrics: { accuracy: 0.84 },
  gates: {
    passed: true,
    checks: [
      { id: 'metric', passed: true, message: 'accuracy 0.84 ≥ 0.80', metric: 'accuracy', actual: 0.84, threshold: 0.8, shortfall: null },
      {
        id: 'cv-gap',
        passed: true,
        message: '|test − CV| = 0.013, limit 0.1',
        metric: 'accuracy',
        actual: 0.013,
        threshold: 0.1,
        shortfall: null,
      },
    ],
  },
  gateSpec: { metric: { key: 'accuracy', op: '>=', threshold: 0.8 }, maxCvGap: 0.1 },
  intendedUse: 'Rank customers by churn risk for the retention team.\n\nNot for pricing decisions.',
  limitations: '',
};

const card: ModelCard = {
  version,
  model: { name: 'churn <b>', description: 'Monthly churn', aliases: { champion: 3 } },
  run: {
    id: RUN_ID,
    name: 'forest-7',
    experimentId: 1,
    experimentName: 'Churn models',
    startTime: Date.UTC(2026, 10, 19, 8, 0),
    endTime: Date.UTC(2026, 10, 19, 8, 0, 42),
    params: {
      model: 'rf',
      nEstimators: '100',
      maxDepth: '8',
      target: 'churned',
      test_size: '0.2',
      cv_folds: '5',
      seed: '7',
      recipe: 'scaled',
    },
    tags: {},
  },
  dataset: { label: 'churn@v2', versionId: 4, sha256: 'd'.repeat(64), rows: 5000, columns: 16, tag: 'v2' },
  recipe: { name: 'scaled' },
  metrics: [
    { key: 'accuracy', test: 0.84, cvMean: 0.8267, cvStd: 0.025 },
    { key: 'log_loss', test: 0.35, cvMean: 0.38, cvStd: 0.03 },
    { key: 'roc_auc', test: 0.9, cvMean: 0.88, cvStd: 0.02 },
    { key: 'f1_macro', test: 0.79, cvMean: null, cvStd: null },
  ],
  featureImportance: Array.from({ length: 24 }, (_, i) => ({
    feature: i === 0 ? 'tenure_months' : `feature_${i}`,
    importance: (24 - i) / 300,
  })),
  stages: [
    { at: Date.UTC(2026, 10, 20, 9, 0), actor: 'aiko', from: null, to: 'None', comment: '' },
    { at: Date.UTC(2026, 10, 20, 10, 0), actor: 'aiko', from: 'None', to: 'Staging', comment: 'try it on the pilot' },
    { at: Date.UTC(2026, 10, 21, 9, 0), actor: 'ben', from: 'Staging', to: 'Production', comment: 'beats v2 on the same test rows' },
  ],
};

const asked: VersionSelector[] = [];
const reader: ModelCardReader = {
  getCard(name, selector) {
    asked.push(selector);
    if (name !== 'churn <b>') return null;
    if (selector.kind === 'version' && selector.version !== 3) return null;
    if (selector.kind === 'alias' && selector.alias !== 'champion') return null;
    return card;
  },
  listVersions: () => [{ name: 'churn <b>', version: 3, stage: 'Production', createdAt: version.createdAt }],
};

const contextFor = (locale: 'en' | 'ja' = 'en', data: ReportContext['data'] = { registry: reader }): ReportContext => ({
  workspaceName: 'Test workspace',
  locale,
  now: new Date('2026-11-27T12:00:00Z'),
  data,
});
const build = (id: string, locale: 'en' | 'ja' = 'en') =>
  buildReportHtml(findReportDefinition('model-card'), contextFor(locale), { id }, 'A4');
const visible = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('model-card report', () => {
  it('has every section of the card, with the values escaped and charts as inline SVG', async () => {
    const { html, document } = await build('churn <b>/3');
    const text = visible(html);
    expect(document.title).toBe('Model card — churn <b> v3');
    for (const section of [
      'What it is',
      'Intended use and limitations',
      'Training data',
      'Parameters',
      'Metrics',
      'Cross-validation spread',
      'Feature importance',
      'Registration gates',
      'Lineage',
      'Stage history',
    ])
      expect(text).toContain(section);
    expect(text).toContain('churn &lt;b&gt; v3');
    expect(html).not.toContain('churn <b>');
    // Training data: name@tag, hash, rows; the recipe.
    expect(text).toMatch(/Dataset churn@v2 Dataset version #4 SHA-256 d{64} Rows 5,000 Columns 16 Target churned/);
    expect(text).toContain('Recipe scaled');
    // Intended use as two paragraphs; limitations not written.
    expect(html).toMatch(
      /<p class="">Rank customers by churn risk for the retention team\.<\/p>\s*<p class="">Not for pricing decisions\.<\/p>/,
    );
    expect(text).toContain('Limitations Not written yet');
    // Params without the ones the training data shows.
    expect(text).toMatch(/maxDepth 8 model rf nEstimators 100/);
    // Metrics with CV mean ± std; a metric without CV shows dashes.
    expect(text).toMatch(/accuracy 0\.84 0\.8267 0\.025/);
    expect(text).toMatch(/f1_macro 0\.79 — —/);
    // Charts: CV spread (3 metrics with CV), importance bars (the top 20 of 24), lineage.
    expect((html.match(/<svg /g) ?? []).length).toBe(3);
    expect(text).toContain('The 20 most important of 24 features');
    expect(html).toMatch(/<text[^>]*>feature_19<\/text>/);
    expect(html).not.toMatch(/<text[^>]*>feature_20<\/text>/);
    expect(html).toMatch(/<text[^>]*>tenure_months<\/text>/);
    expect(text).toContain('0.8267 ± 0.025');
    expect(text).toContain('Every gate passed at registration.');
    expect(text).toContain('accuracy 0.84 ≥ 0.80');
    // Lineage boxes and the stage history, oldest first.
    expect(html).toMatch(
      /DATASET VERSION[\s\S]*churn@v2[\s\S]*RECIPE[\s\S]*scaled[\s\S]*RUN[\s\S]*forest-7[\s\S]*MODEL VERSION[\s\S]*STAGE[\s\S]*>Production</,
    );
    expect(text).toMatch(/registered → None .* None → Staging try it on the pilot .* Staging → Production beats v2/);
    expect(html).not.toMatch(/<script/i);
  });

  it('takes a stage or an alias as the target, and refuses bad or unknown references', async () => {
    asked.length = 0;
    await build('churn <b>');
    await build('churn <b>@champion');
    await build('churn <b>/staging');
    expect(asked).toEqual([
      { kind: 'stage', stage: 'Production' },
      { kind: 'alias', alias: 'champion' },
      { kind: 'stage', stage: 'Staging' },
    ]);
    await expect(build('churn <b>/4')).rejects.toThrow(ReportTargetNotFoundError);
    await expect(build('other/1')).rejects.toThrow(/No registered model version other\/1/);
    await expect(build('churn/Nowhere')).rejects.toThrow(/not a model reference/);
    await expect(buildReportHtml(findReportDefinition('model-card'), contextFor('en', {}), { id: 'churn/1' }, 'A4')).rejects.toThrow(
      ReportUnavailableError,
    );
  });

  it('lists every version as a target and writes Japanese', async () => {
    const targets = (await listReportTargets(contextFor())).filter((t) => t.reportId === 'model-card');
    expect(targets).toEqual([{ reportId: 'model-card', id: 'churn <b>/3', label: 'churn <b> v3 (Production)', date: '2026-11-20' }]);
    const text = visible((await build('churn <b>/3', 'ja')).html);
    expect(text).toContain('想定用途と制約');
    expect(text).toContain('交差検証のばらつき');
  });
});

describe('model-card report PDF through Chromium', () => {
  beforeEach(skipWithoutChromium);
  let dir: string;
  let printer: ChromiumPrinter;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-card-report-'));
    printer = createChromiumPrinter();
  });
  afterAll(async () => {
    await printer.close();
    if (process.env.MLWB_KEEP_REPORT) fs.cpSync(dir, process.env.MLWB_KEEP_REPORT, { recursive: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints pages with the card sections and vector charts', async () => {
    const out = await exportReport(
      findReportDefinition('model-card'),
      contextFor(),
      { id: 'churn <b>/3' },
      { format: 'pdf', paper: 'A4', printPdf: printer.printPdf },
    );
    const file = path.join(dir, out.fileName);
    fs.writeFileSync(file, out.bytes);
    expect(Buffer.from(out.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const pages = Number(execFileSync('pdfinfo', [file], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)![1]);
    expect(pages).toBeGreaterThan(1);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const s of ['churn <b> v3', 'Intended use', 'Cross-validation spread', 'Feature importance', 'Lineage', 'Stage history'])
      expect(text).toContain(s);
    // Chart labels are text in the PDF: vector charts.
    expect(text).toContain('tenure_months');
    expect(text).toContain('CV mean ± std');
    execFileSync('pdftoppm', ['-r', '60', '-png', file, path.join(dir, 'page')]);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png'))).toHaveLength(pages);
  });
});
