import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { AppError } from '../../../shared/errors';
import { MATURITY_ITEMS } from '../../../shared/maturity-content';
import { createTestApp, type TestApp } from '../../../tests/helpers/test-app';
import { skipWithoutChromium } from '../../../tests/helpers/needs-chromium';
import { createChromiumPrinter, type ChromiumPrinter } from '../reports/chromium-printer';

const meta = { organisation: 'Acme', team: '', facilitator: 'Aiko', participants: [], date: '2026-11-27' };

describe('report handlers without a printer', () => {
  it('saves HTML, logs it, downloads it again, and refuses PDF with a hint', async () => {
    const app = createTestApp();
    try {
      const h = app.handlers;
      const a = await h['maturity:create']({ meta, settings: { partlyCountsHalf: false } });
      const overview = await h['reports:overview']({});
      expect(overview.canPrintPdf).toBe(false);
      expect(overview.kinds.map((k) => k.id)).toEqual(['maturity', 'maturity-history', 'dataset', 'run-comparison', 'model-card', 'drift']);
      expect(overview.targets.map((t) => `${t.reportId}:${t.id}`)).toContain(`maturity:${a.id}`);

      const file = await h['reports:export']({ reportId: 'maturity', targetId: a.id, format: 'html', paper: 'Letter' });
      const html = Buffer.from(file.base64, 'base64').toString('utf8');
      expect(file.mimeType).toBe('text/html');
      expect(html).toContain('size: letter');
      expect(file.record).toMatchObject({ reportId: 'maturity', targetId: a.id, format: 'html', fileName: 'maturity-acme-2026-11-27.html', size: Buffer.byteLength(html) });
      const again = await h['reports:download']({ id: file.record.id });
      expect(again.base64).toBe(file.base64);
      expect((await h['reports:overview']({})).exported).toHaveLength(1);

      await expect(Promise.resolve().then(() => h['reports:export']({ reportId: 'maturity', targetId: a.id, format: 'pdf', paper: 'A4' }))).rejects.toThrow(/Save as HTML/);
      await expect(Promise.resolve().then(() => h['reports:export']({ reportId: 'pipeline-run', targetId: 'x', format: 'html', paper: 'A4' }))).rejects.toSatisfy(
        (e: unknown) => e instanceof AppError && e.code === 'not_found' && /Unknown report "pipeline-run"/.test(e.message),
      );
      await expect(Promise.resolve().then(() => h['reports:export']({ reportId: 'maturity', targetId: 'nope', format: 'html', paper: 'A4' }))).rejects.toThrow(/No assessment with id "nope"/);

      expect(await h['reports:deleteExport']({ id: file.record.id })).toEqual({ deleted: true });
      expect(app.ctx.store.objects.hasObject(file.record.sha256)).toBe(false);
    } finally {
      app.cleanup();
    }
  });
});

describe('report handlers with Chromium', () => {
  beforeEach(skipWithoutChromium);
  let printer: ChromiumPrinter;
  let app: TestApp;
  beforeAll(() => {
    printer = createChromiumPrinter();
    app = createTestApp({ printPdf: printer.printPdf });
  });
  afterAll(async () => {
    app.cleanup();
    await printer.close();
  });

  it('exports the maturity and history PDFs in the UI language', async () => {
    const h = app.handlers;
    await h['settings:update']({ language: 'ja' });
    const a = await h['maturity:create']({ meta, settings: { partlyCountsHalf: false } });
    for (const item of MATURITY_ITEMS) await h['maturity:answer']({ id: a.id, itemId: item.id, value: item.level === 0 ? 'yes' : 'no', note: '' });
    const pdf = await h['reports:export']({ reportId: 'maturity', targetId: a.id, format: 'pdf', paper: 'A4' });
    expect(pdf.mimeType).toBe('application/pdf');
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.record.language).toBe('ja');
    expect(pdf.record.title).toBe('MLOps成熟度レポート — Acme');
    const history = await h['reports:export']({ reportId: 'maturity-history', targetId: a.id, format: 'pdf', paper: 'A4', language: 'en' });
    expect(history.record.title).toBe('MLOps maturity history — Acme');
    expect((await h['reports:overview']({})).exported.map((e) => e.reportId)).toEqual(['maturity-history', 'maturity']);
  });
});
