import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MATURITY_ITEMS } from '../../../shared/maturity-content';
import { skipWithoutChromium } from '../../../tests/helpers/needs-chromium';
import { buildAssessment } from '../maturity/test-fixtures';
import { CHROMIUM_PRINT_ARGS, createChromiumPrinter, findChromiumExecutable, type ChromiumPrinter } from './chromium-printer';
import { buildReportHtml, findReportDefinition } from './export-report';
import { pdfPrintOptions, type PdfOptions } from './print-pdf';
import type { ReportContext } from './report-definition';

describe('shared print options', () => {
  it('let the CSS @page decide the sheet and print backgrounds, for both printers', () => {
    expect(pdfPrintOptions({ pageSize: 'A4' })).toEqual({
      pageSize: 'A4',
      landscape: false,
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: false,
    });
  });

  it('print a footer only when given one, with an empty header rather than Chromium’s default title', () => {
    expect(pdfPrintOptions({ pageSize: 'Letter', landscape: true, footerTemplate: '<span class="pageNumber"></span>' })).toEqual({
      pageSize: 'Letter',
      landscape: true,
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: '<span class="pageNumber"></span>',
    });
  });
});

const assessment = buildAssessment('q1', (i) => (MATURITY_ITEMS[i].level === 0 ? 'yes' : i % 3 === 0 ? 'no' : 'yes'), {
  meta: { organisation: 'Acme Analytics', team: 'Churn team', facilitator: 'Aiko Sato', participants: ['Ben'], date: '2026-08-20' },
});
const context: ReportContext = {
  workspaceName: 'Test workspace',
  locale: 'en',
  now: new Date('2026-11-27T12:00:00Z'),
  data: { maturity: { getAssessment: (id) => (id === 'q1' ? assessment : null), listAssessments: () => [assessment] } },
};

/** Sheet size in points, by paper name. */
const SHEET = { A4: [595.28, 841.89], Letter: [612, 792] } as const;

describe('the shared report HTML through Chromium with the shared options', () => {
  let dir: string;
  let printer: ChromiumPrinter;
  beforeEach(skipWithoutChromium);
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-print-'));
    printer = createChromiumPrinter();
  });
  afterAll(async () => {
    await printer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function info(pdf: Buffer, name: string): { pages: number; width: number; height: number } {
    const file = path.join(dir, `${name}.pdf`);
    fs.writeFileSync(file, pdf);
    const text = execFileSync('pdfinfo', ['-f', '1', '-l', '999', file], { encoding: 'utf8' });
    const sizes = [...text.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)].map((m) => [Number(m[1]), Number(m[2])]);
    // Every page the same sheet.
    expect(new Set(sizes.map((s) => s.join('x'))).size).toBe(1);
    return { pages: Number(text.match(/Pages:\s+(\d+)/)![1]), width: sizes[0][0], height: sizes[0][1] };
  }

  /** Prints like Electron's printer did before the shared options: the paper as page size, no preferCSSPageSize. */
  async function printTheOldElectronWay(html: string, options: PdfOptions): Promise<Buffer> {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: findChromiumExecutable()!, args: CHROMIUM_PRINT_ARGS });
    try {
      const page = await (await browser.newContext({ offline: true })).newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: options.pageSize, landscape: false, printBackground: true, displayHeaderFooter: false });
    } finally {
      await browser.close();
    }
  }

  it.each(['A4', 'Letter'] as const)(
    "prints %s pages when the report's @page asks for them, whatever paper the printer is told",
    async (paper) => {
      const { html } = await buildReportHtml(findReportDefinition('maturity'), context, { id: 'q1' }, paper);
      const other = paper === 'A4' ? 'Letter' : 'A4';
      const told = info(await printer.printPdf(html, { pageSize: paper }), `${paper}-told-${paper}`);
      const toldOther = info(await printer.printPdf(html, { pageSize: other }), `${paper}-told-${other}`);
      for (const sheet of [told, toldOther]) {
        expect(sheet.width).toBeCloseTo(SHEET[paper][0], 0);
        expect(sheet.height).toBeCloseTo(SHEET[paper][1], 0);
      }
      expect(told.pages).toBeGreaterThanOrEqual(4);
      expect(toldOther).toEqual(told);
      // As many pages as the earlier Electron settings gave when the paper matched; their sheet came
      // from Chromium's paper table, which differs from the CSS size by up to a point (A4: 595.92 vs 594.96).
      const before = info(await printTheOldElectronWay(html, { pageSize: paper }), `${paper}-before`);
      expect(before.pages).toBe(told.pages);
      expect(Math.abs(before.width - told.width)).toBeLessThan(1.5);
      expect(Math.abs(before.height - told.height)).toBeLessThan(1.5);
    },
  );
});
