import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { skipWithoutChromium } from '../../../tests/helpers/needs-chromium';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Assessment, Evidence } from '../../../shared/maturity';
import { MATURITY_ITEMS } from '../../../shared/maturity-content';
import { datasetVersionsEvidence } from '../datasets/datasets-evidence';
import { buildAssessment } from '../maturity/test-fixtures';
import { createChromiumPrinter, type ChromiumPrinter } from './chromium-printer';
import { buildReportHtml, exportReport, findReportDefinition, listReportTargets, UnknownReportError } from './export-report';
import { ReportTargetNotFoundError, ReportUnavailableError, type ReportContext } from './report-definition';

const L = (i: number) => MATURITY_ITEMS[i].level;
const q1 = buildAssessment('q1', (i) => (L(i) === 0 ? 'yes' : 'no'), {
  meta: { organisation: 'Acme Analytics', team: 'Churn team', facilitator: 'Aiko Sato', participants: ['Ben'], date: '2026-08-20' },
});
const q2 = buildAssessment('q2', (i) => (L(i) === 0 ? 'no' : L(i) === 1 ? 'yes' : i % 4 === 0 ? 'no' : 'yes')); // level 2 at 75%
q2.answers['l1-data-lineage'] = { value: 'yes', note: 'Hash recorded <script>alert(1)</script> & checked' };
const other = buildAssessment('o1', () => 'unsure', {
  meta: { organisation: 'Other Org', team: '', facilitator: '', participants: [], date: '2026-09-01' },
});

/** What the datasets provider finds in a workspace with 4 versions of 1 data set. */
const versionsEvidence: Evidence = {
  providerId: datasetVersionsEvidence.id,
  itemIds: datasetVersionsEvidence.itemIds,
  page: datasetVersionsEvidence.page,
  summary: { en: '4 versions of 1 data set in the versioned store', ja: 'バージョン管理ストアに 1 データセット・4 バージョン' },
  facts: { datasets: 1, versions: 4 },
};

function contextFor(assessments: Assessment[], locale: 'en' | 'ja' = 'en', evidence = true): ReportContext {
  return {
    workspaceName: 'Test workspace',
    locale,
    now: new Date('2026-11-27T12:00:00Z'),
    data: {
      maturity: { getAssessment: (id) => assessments.find((a) => a.id === id) ?? null, listAssessments: () => assessments },
      ...(evidence ? { evidence: async () => [versionsEvidence] } : {}),
    },
  };
}

describe('report HTML', () => {
  it('builds a self-contained, escaped maturity report with page furniture', async () => {
    const { html, document } = await buildReportHtml(findReportDefinition('maturity'), contextFor([q1, q2]), { id: 'q2' }, 'A4');
    expect(document.fileStem).toBe('maturity-acme-analytics-churn-team-2026-11-27');
    expect(html).toContain('size: A4');
    expect(html).toContain('counter(page)');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(html).toContain('Hash recorded &lt;script&gt;alert(1)&lt;/script&gt; &amp; checked');
    expect(html).toContain('Current maturity level: Level 2');
    expect(html).toContain('An advanced A/B testing framework');
    expect((html.match(/<svg /g) ?? []).length).toBe(2);
    const letter = await buildReportHtml(findReportDefinition('maturity'), contextFor([q2]), { id: 'q2' }, 'Letter');
    expect(letter.html).toContain('size: letter');
  });

  it('shows evidence disagreements: versions exist but "no versioning" was answered', async () => {
    const { html } = await buildReportHtml(findReportDefinition('maturity'), contextFor([q1]), { id: 'q1' }, 'A4');
    expect(html).toContain('Where answers and evidence disagree');
    expect(html).toContain('4 versions of 1 data set in the versioned store');
    expect(html).toMatch(/No data versioning<\/td><td class="tone-bad">Yes<div class="cell-note">contradicts the answer/);
  });

  it('writes Japanese reports in the chapter wording', async () => {
    const { html } = await buildReportHtml(findReportDefinition('maturity'), contextFor([q1], 'ja'), { id: 'q1' }, 'A4');
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('現在の成熟度レベル：Level 0 - 手動プロセス');
    expect(html).toContain('実験管理ツール（MLflow）の導入');
    expect(html).toContain('データのバージョン管理なし');
  });

  it('history report: one organisation, deltas from the previous assessment', async () => {
    const { html, document } = await buildReportHtml(
      findReportDefinition('maturity-history'),
      contextFor([q2, other, q1]),
      { id: 'q2' },
      'A4',
    );
    expect(document.title).toBe('MLOps maturity history — Acme Analytics');
    expect(html).toContain('2 assessment(s) of Acme Analytics');
    expect(html).not.toContain('Other Org');
    expect(html).toContain('Change from 2026-08-20 to 2026-11-27');
    const all = await buildReportHtml(findReportDefinition('maturity-history'), contextFor([q2, other, q1]), { id: 'all' }, 'A4');
    expect(all.html).toContain('Other Org');
    const single = await buildReportHtml(findReportDefinition('maturity-history'), contextFor([other]), { id: 'o1' }, 'A4');
    expect(single.html).toContain('Only one assessment so far');
  });

  it('refuses unknown reports, unknown targets, empty ids and missing capabilities', async () => {
    expect(() => findReportDefinition('pipeline-run')).toThrow(UnknownReportError);
    expect(() => findReportDefinition('pipeline-run')).toThrow(/Known reports: maturity, maturity-history/);
    await expect(buildReportHtml(findReportDefinition('maturity'), contextFor([q1]), { id: 'nope' }, 'A4')).rejects.toThrow(
      ReportTargetNotFoundError,
    );
    await expect(buildReportHtml(findReportDefinition('maturity'), contextFor([q1]), { id: ' ' }, 'A4')).rejects.toThrow(/needs the id/);
    const bare: ReportContext = { ...contextFor([]), data: {} };
    await expect(buildReportHtml(findReportDefinition('maturity'), bare, { id: 'q1' }, 'A4')).rejects.toThrow(ReportUnavailableError);
    expect(await listReportTargets(bare)).toEqual([]);
  });

  it('lists exportable targets newest first', async () => {
    const targets = await listReportTargets(contextFor([q1, q2, other]));
    expect(targets.filter((t) => t.reportId === 'maturity').map((t) => t.id)).toEqual(['q2', 'o1', 'q1']);
    expect(
      targets
        .filter((t) => t.reportId === 'maturity-history')
        .map((t) => t.id)
        .sort(),
    ).toEqual(['all', 'o1', 'q2']);
  });

  it('saves HTML without a printer', async () => {
    const out = await exportReport(findReportDefinition('maturity'), contextFor([q1]), { id: 'q1' }, { format: 'html', paper: 'A4' });
    expect(out.fileName).toBe('maturity-acme-analytics-churn-team-2026-08-20.html');
    expect(new TextDecoder().decode(out.bytes)).toBe(out.html);
  });
});

describe('report PDF through Chromium', () => {
  beforeEach(skipWithoutChromium);
  let dir: string;
  let printer: ChromiumPrinter;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-reports-'));
    printer = createChromiumPrinter();
  });
  afterAll(async () => {
    await printer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function pdfText(file: string): string {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  }
  function pdfInfo(file: string): string {
    return execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  }

  it('prints the maturity report with its pages, text, numbers and vector charts', async () => {
    const out = await exportReport(
      findReportDefinition('maturity'),
      contextFor([q1, q2]),
      { id: 'q2' },
      { format: 'pdf', paper: 'A4', printPdf: printer.printPdf },
    );
    const file = path.join(dir, out.fileName);
    fs.writeFileSync(file, out.bytes);
    expect(Buffer.from(out.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const info = pdfInfo(file);
    const pages = Number(info.match(/Pages:\s+(\d+)/)![1]);
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(info).toMatch(/Page size:\s+594\.\d+ x 841\.\d+ pts \(A4\)/); // A4 in points
    const text = pdfText(file);
    expect(text).toContain('Acme Analytics — Churn team');
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text).toContain('Test workspace');
    expect(text).toContain('27 November 2026');
    expect(text).toContain('Current maturity level: Level 2');
    expect(text).toContain('Spread best practice across the organisation');
    expect(text).toContain('The three levels compared');
    // Chart labels are text in the PDF, i.e. the charts are vector, not bitmaps.
    expect(text).toMatch(/100\.0%/);
    expect(execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(2); // header lines only: no raster images
    // The cover is page 1: render it and check it is a real image.
    execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '50', '-png', file, path.join(dir, 'cover')]);
    const png = fs.readdirSync(dir).find((f) => f.startsWith('cover') && f.endsWith('.png'))!;
    const bytes = fs.readFileSync(path.join(dir, png));
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(350); // width at 50 dpi ≈ 413 px for A4
  });

  it('prints Letter and Japanese', async () => {
    const out = await exportReport(
      findReportDefinition('maturity'),
      contextFor([q1], 'ja'),
      { id: 'q1' },
      { format: 'pdf', paper: 'Letter', printPdf: printer.printPdf },
    );
    const file = path.join(dir, 'ja.pdf');
    fs.writeFileSync(file, out.bytes);
    expect(pdfInfo(file)).toMatch(/Page size:\s+612 x 792/);
    const text = pdfText(file);
    expect(text).toContain('現在の成熟度レベル');
    expect(text).toContain('データバージョニング（DVC）の開始');
    expect(text).toMatch(/\b1 ?\/ ?\d+\n/);
  });

  it('queues concurrent prints on the shared page', async () => {
    const [a, b] = await Promise.all([
      printer.printPdf('<!DOCTYPE html><p>first</p>', { pageSize: 'A4' }),
      printer.printPdf('<!DOCTYPE html><p>second</p>', { pageSize: 'A4' }),
    ]);
    const fileA = path.join(dir, 'a.pdf');
    const fileB = path.join(dir, 'b.pdf');
    fs.writeFileSync(fileA, a);
    fs.writeFileSync(fileB, b);
    expect(pdfText(fileA)).toContain('first');
    expect(pdfText(fileB)).toContain('second');
  });

  it('prints the history report', async () => {
    const out = await exportReport(
      findReportDefinition('maturity-history'),
      contextFor([q1, q2]),
      { id: 'q2' },
      { format: 'pdf', paper: 'A4', printPdf: printer.printPdf },
    );
    const file = path.join(dir, out.fileName);
    fs.writeFileSync(file, out.bytes);
    const text = pdfText(file);
    expect(text).toContain('MLOps maturity history');
    expect(text).toContain('Change from 2026-08-20 to 2026-11-27');
    expect(text).toContain('Answers that changed');
  });
});
