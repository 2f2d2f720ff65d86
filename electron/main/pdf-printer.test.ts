import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pdfPrintOptions, WAIT_FOR_FONTS_SCRIPT } from '../core/reports/print-pdf';

/** Every BrowserWindow the printer opens, with what it was asked to do. */
const windows: FakeWindow[] = [];

class FakeWindow {
  readonly options: { show?: boolean; webPreferences?: Record<string, unknown> };
  readonly calls: string[] = [];
  loadedFile = '';
  loadedHtml = '';
  printOptions: unknown;
  destroyed = false;
  readonly listeners: Record<string, (...args: unknown[]) => void> = {};
  windowOpenHandler: ((d: { url: string }) => { action: string }) | undefined;
  readonly webContents = {
    executeJavaScript: vi.fn(async (code: string) => {
      this.calls.push(`executeJavaScript ${code}`);
      return true;
    }),
    printToPDF: vi.fn(async (options: unknown) => {
      this.calls.push('printToPDF');
      this.printOptions = options;
      return Buffer.from('%PDF-fake');
    }),
    setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => (this.windowOpenHandler = h),
    on: (event: string, h: (...args: unknown[]) => void) => (this.listeners[event] = h),
  };
  constructor(options: FakeWindow['options']) {
    this.options = options;
    windows.push(this);
  }
  async loadFile(file: string) {
    this.calls.push('loadFile');
    this.loadedFile = file;
    this.loadedHtml = fs.readFileSync(file, 'utf8');
  }
  destroy() {
    this.destroyed = true;
  }
}

vi.mock('electron', () => ({ BrowserWindow: FakeWindow, shell: { openExternal: vi.fn() } }));

const { printPdfWithElectron } = await import('./pdf-printer');
const { secureWebPreferences } = await import('./security');

afterEach(() => {
  windows.length = 0;
});

describe('Electron PDF printer', () => {
  it('passes exactly the shared print options to printToPDF, after the fonts are ready', async () => {
    const options = { pageSize: 'Letter' as const, footerTemplate: '<span class="pageNumber"></span>' };
    const pdf = await printPdfWithElectron('<!DOCTYPE html><p>report</p>', options);
    expect(pdf.toString()).toBe('%PDF-fake');
    const [win] = windows;
    expect(win.printOptions).toEqual(pdfPrintOptions(options));
    expect(win.printOptions).toMatchObject({ pageSize: 'Letter', preferCSSPageSize: true, printBackground: true });
    expect(win.calls).toEqual(['loadFile', `executeJavaScript ${WAIT_FOR_FONTS_SCRIPT}`, 'printToPDF']);
    expect(win.loadedHtml).toBe('<!DOCTYPE html><p>report</p>');
  });

  it('prints in a hidden, sandboxed window with the app window preferences, and cleans up', async () => {
    await printPdfWithElectron('<p>x</p>', { pageSize: 'A4' });
    const [win] = windows;
    expect(win.options.show).toBe(false);
    expect(win.options.webPreferences).toEqual(secureWebPreferences());
    expect(win.destroyed).toBe(true);
    expect(fs.existsSync(win.loadedFile)).toBe(false);
  });

  it('is hardened like the main window: no navigation, no new windows, no webviews', async () => {
    await printPdfWithElectron('<p>x</p>', { pageSize: 'A4' });
    const [win] = windows;
    expect(win.windowOpenHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    const prevented = (event: string, ...args: unknown[]) => {
      const e = { preventDefault: vi.fn() };
      win.listeners[event](e, ...args);
      return e.preventDefault.mock.calls.length > 0;
    };
    expect(prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(prevented('will-attach-webview')).toBe(true);
  });

  it('destroys the window when printing fails', async () => {
    const failing = printPdfWithElectron('<p>x</p>', { pageSize: 'A4' });
    windows[0].webContents.printToPDF.mockRejectedValueOnce(new Error('printer gone'));
    await expect(failing).rejects.toThrow('printer gone');
    expect(windows[0].destroyed).toBe(true);
  });
});
