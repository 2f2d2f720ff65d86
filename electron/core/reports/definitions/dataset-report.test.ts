import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { skipWithoutChromium } from '../../../../tests/helpers/needs-chromium';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ValidationSuite } from '../../../../shared/datasets';
import { createChromiumPrinter, type ChromiumPrinter } from '../chromium-printer';
import { createFixtureDatasetReader } from '../dataset-test-fixtures';
import { buildReportHtml, exportReport, findReportDefinition, listReportTargets } from '../export-report';
import { ReportTargetNotFoundError, ReportUnavailableError, type ReportContext } from '../report-definition';
import type { ReportDocument } from '../report-document';
import { MAX_COLUMN_SECTIONS } from './dataset-report';

let dir: string;
let reader: ReturnType<typeof createFixtureDatasetReader>;

/** 120 customers + 3 duplicated rows: unique ids, ages with 6 missing, a note column half missing (61 of 123). */
function customersCsv(): string {
  const lines = ['id,age,plan,score,note,signup'];
  for (let i = 1; i <= 120; i++) {
    const age = i % 20 === 0 ? '' : String(18 + ((i * 7) % 60));
    const plan = ['basic', 'pro', 'team'][i % 3];
    const note = i % 2 === 0 ? '' : `n${i % 5}`;
    lines.push(`c${i},${age},${plan},${((i * 37) % 1000) / 10},${note},2024-0${1 + (i % 9)}-1${i % 10}`);
  }
  lines.push(lines[5], lines[6], lines[7]);
  return lines.join('\n') + '\n';
}

const baseline: ValidationSuite = {
  name: 'baseline',
  rules: [
    { kind: 'row_count_between', min: 100 },
    { kind: 'not_null', column: 'plan', maxMissingShare: 0 },
  ],
};
const strict: ValidationSuite = {
  name: 'strict',
  rules: [
    { kind: 'between', column: 'age', min: 18, max: 60 },
    { kind: 'in_set', column: 'plan', values: ['basic', 'pro'] },
  ],
};
const strictFixed: ValidationSuite = { name: 'strict', rules: [{ kind: 'between', column: 'age', min: 18, max: 80 }] };

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-dataset-report-'));
  const file = path.join(dir, 'customers.csv');
  fs.writeFileSync(file, customersCsv());
  const small = path.join(dir, 'small.csv');
  fs.writeFileSync(small, 'a,b\n1,x\n2,y\n');
  // "strict" runs twice on v1: first failing, then (edited) passing; the report shows the second run only.
  reader = createFixtureDatasetReader([
    { datasetName: 'customers', tag: 'v1', file, suites: [baseline, strict, strictFixed] },
    { datasetName: 'customers', tag: 'v2', file, suites: [baseline, strict] },
    { datasetName: 'small', tag: 'first', file: small },
  ]);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function contextFor(locale: 'en' | 'ja' = 'en'): ReportContext {
  return { workspaceName: 'Test workspace', locale, now: new Date('2026-11-27T12:00:00Z'), data: { datasets: reader } };
}

/** Every text of the document, in order (what a reader sees, without markup). */
function documentText(doc: ReportDocument): string {
  return JSON.stringify(
    doc.blocks.map((b) =>
      b.type === 'figure'
        ? { ...b, svg: 'svg' }
        : b.type === 'columns'
          ? { ...b, columns: b.columns.map((c) => c.map((x) => (x.type === 'figure' ? { ...x, svg: 'svg' } : x))) }
          : b,
    ),
  );
}

describe('dataset report document', () => {
  it('covers the version, profiles every column, flags missing share, counts duplicates', async () => {
    const { document, html } = await buildReportHtml(findReportDefinition('dataset'), contextFor(), { id: 'customers@v2' }, 'A4');
    const text = documentText(document);
    const v2 = reader.versions[1];
    expect(document.title).toBe('Dataset profile and validation report — customers@v2');
    expect(document.fileStem).toBe('dataset-customers-v2');
    const cover = document.blocks[0];
    expect(cover.type).toBe('cover');
    if (cover.type !== 'cover') return;
    expect(cover.title).toBe('customers@v2');
    expect(cover.subtitle).toBe('123 rows × 6 columns');
    expect(Object.fromEntries(cover.facts)).toMatchObject({
      'SHA-256': v2.sha256,
      Rows: '123',
      Columns: '6',
      'Source file': 'customers.csv',
      'Duplicate rows': '3 (2.4%)',
    });
    expect(Object.fromEntries(cover.facts).Validation).toBe('2 suite(s) run: 1 passed, 1 failed');
    expect(Object.fromEntries(cover.facts).Imported).toMatch(/21 Nov 2026.*UTC/);
    // Warning for the note column (half missing), none for age (5%).
    expect(text).toContain('Column “note” is 49.6% missing (above the 30% threshold).');
    expect(text).not.toMatch(/Column “age” is/);
    expect(text).toContain('⚠ 49.6%');
    expect(text).toContain('3 row(s) (2.4% of all rows) repeat an earlier row exactly.');
    // One section per column, with a chart for all but the unique id column.
    for (const name of ['id · text', 'age · integer', 'plan · category', 'score · number', 'note · category', 'signup · date'])
      expect(text).toContain(name);
    expect(text).toContain('Nearly every value is different (an identifier?): no chart.');
    expect((html.match(/<svg /g) ?? []).length).toBe(5);
    // Stats are formatted in the locale, at a sensible precision.
    const age = reader.versions[1].profile.columns.find((c) => c.name === 'age')!;
    expect(text).toContain(`["Median","${age.median!.toLocaleString('en-US', { maximumFractionDigits: 4 })}"]`);
    expect(html).not.toMatch(/\d\.\d{6,}/); // no raw floats anywhere, charts included
  });

  it('shows the latest run of each suite with pass/fail per rule, observed values and failing rows', async () => {
    const v2 = documentText((await buildReportHtml(findReportDefinition('dataset'), contextFor(), { id: '2' }, 'A4')).document);
    expect(v2).toContain('Suite “baseline” — passed');
    expect(v2).toContain('Suite “strict” — failed');
    expect(v2).toContain('0 of 2 rules passed');
    expect(v2).toContain('age: values between 18 and 60');
    expect(v2).toContain('plan: values in {basic, pro}');
    expect(v2).toMatch(/"row \d+: 6[1-9]; row \d+:/); // failing ages above 60 with their rows
    expect(v2).toContain('"41","41","row 2: team; row 5: team'); // every third row is a team plan: 41 of 123
    const v1 = documentText((await buildReportHtml(findReportDefinition('dataset'), contextFor(), { id: 'customers@v1' }, 'A4')).document);
    expect(v1).toContain('Suite “strict” — passed');
    expect(v1).toContain('age: values between 18 and 80');
    expect(v1).not.toContain('values in {basic, pro}');
    const none = documentText((await buildReportHtml(findReportDefinition('dataset'), contextFor(), { id: 'small@first' }, 'A4')).document);
    expect(none).toContain('No validation suite has been run on this version yet');
    expect(none).toContain('No warnings');
  });

  it('writes Japanese', async () => {
    const { document, html } = await buildReportHtml(findReportDefinition('dataset'), contextFor('ja'), { id: 'customers@v2' }, 'Letter');
    const text = documentText(document);
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('size: letter');
    expect(document.title).toBe('データセット プロファイル・検証レポート — customers@v2');
    expect(text).toContain('123 行 × 6 列');
    expect(text).toContain('列「note」の欠損率は 49.6% です（しきい値 30% 超）。');
    expect(text).toContain('スイート「strict」 — 不合格');
    expect(text).toContain('age: 値が 18〜60');
    expect(text).toContain('age · 整数');
  });

  it('keeps every column of a very wide table in the profile table, sections for the first ones only', async () => {
    const wide = path.join(dir, 'wide.csv');
    const names = Array.from({ length: MAX_COLUMN_SECTIONS + 5 }, (_, i) => `c${i}`);
    fs.writeFileSync(wide, [names.join(','), names.map((_, i) => i).join(','), names.map((_, i) => i * 2).join(',')].join('\n') + '\n');
    const ctx: ReportContext = {
      ...contextFor(),
      data: { datasets: createFixtureDatasetReader([{ datasetName: 'wide', tag: 'v1', file: wide }]) },
    };
    const { document } = await buildReportHtml(findReportDefinition('dataset'), ctx, { id: 'wide@v1' }, 'A4');
    const table = document.blocks.find((b) => b.type === 'table');
    expect(table?.type === 'table' && table.rows.length).toBe(MAX_COLUMN_SECTIONS + 5);
    expect(document.blocks.filter((b) => b.type === 'group')).toHaveLength(MAX_COLUMN_SECTIONS);
    expect(documentText(document)).toContain('5 more column(s) appear in the column profile table only.');
  });

  it('lists one target per version and refuses unknown versions and missing data', async () => {
    const targets = (await listReportTargets(contextFor())).filter((t) => t.reportId === 'dataset');
    expect(targets.map((t) => t.label).sort()).toEqual(['customers@v1', 'customers@v2', 'small@first']);
    expect(targets.find((t) => t.label === 'customers@v2')!.id).toBe('2');
    await expect(buildReportHtml(findReportDefinition('dataset'), contextFor(), { id: '99' }, 'A4')).rejects.toThrow(
      ReportTargetNotFoundError,
    );
    await expect(buildReportHtml(findReportDefinition('dataset'), contextFor(), { id: 'customers@v9' }, 'A4')).rejects.toThrow(
      /No dataset version "customers@v9"/,
    );
    await expect(buildReportHtml(findReportDefinition('dataset'), { ...contextFor(), data: {} }, { id: '1' }, 'A4')).rejects.toThrow(
      ReportUnavailableError,
    );
  });
});

describe('dataset report PDF', () => {
  beforeEach(skipWithoutChromium);
  let printer: ChromiumPrinter;
  beforeAll(() => {
    printer = createChromiumPrinter();
  });
  afterAll(() => printer.close());

  it('prints the cover, profile, charts as vectors and validation results', async () => {
    const out = await exportReport(
      findReportDefinition('dataset'),
      contextFor(),
      { id: 'customers@v2' },
      { format: 'pdf', paper: 'A4', printPdf: printer.printPdf },
    );
    const file = path.join(dir, out.fileName);
    fs.writeFileSync(file, out.bytes);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const pages = Number(info.match(/Pages:\s+(\d+)/)![1]);
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(info).toMatch(/Page size:\s+594\.\d+ x 841\.\d+ pts \(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('customers@v2');
    expect(text).toContain(reader.versions[1].sha256);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text).toContain('Column profile');
    expect(text).toContain('Column “note” is 49.6% missing');
    expect(text).toContain('Validation results');
    expect(text).toMatch(/✗ Fail/);
    expect(text).toContain('age: values between 18 and 60');
    // Histogram tick labels are text: vector charts, no raster images.
    expect(execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(2);
    execFileSync('pdftoppm', ['-f', '1', '-l', '2', '-r', '60', '-png', file, path.join(dir, 'page')]);
    const png = fs.readFileSync(
      path.join(
        dir,
        fs.readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('1.png'))!,
      ),
    );
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    if (process.env.MLWB_KEEP_REPORT_PNG)
      for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.png') || x.endsWith('.pdf')))
        fs.copyFileSync(path.join(dir, f), path.join(process.env.MLWB_KEEP_REPORT_PNG, f));
  });

  it('prints Japanese on Letter', async () => {
    const out = await exportReport(
      findReportDefinition('dataset'),
      contextFor('ja'),
      { id: 'customers@v2' },
      { format: 'pdf', paper: 'Letter', printPdf: printer.printPdf },
    );
    const file = path.join(dir, 'ja.pdf');
    fs.writeFileSync(file, out.bytes);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+612 x 792/);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('列のプロファイル');
    expect(text).toContain('検証結果');
  });
});
