import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrowserWindow } from 'electron';
import type { PdfPrinter } from '../core/platform';
import { secureWebPreferences } from './security';

/**
 * Electron's printer: loads the report HTML into a hidden, script-less window
 * and calls webContents.printToPDF — the same engine the tests drive through
 * Chromium's page.pdf().
 */
export const printPdfWithElectron: PdfPrinter = async (html, options) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-print-'));
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, html);
  const win = new BrowserWindow({ show: false, webPreferences: { ...secureWebPreferences(), javascript: false } });
  try {
    await win.loadFile(file);
    return await win.webContents.printToPDF({
      pageSize: options.pageSize,
      landscape: options.landscape ?? false,
      printBackground: true,
      displayHeaderFooter: Boolean(options.footerTemplate || options.headerTemplate),
      headerTemplate: options.headerTemplate ?? '<span></span>',
      footerTemplate: options.footerTemplate ?? '<span></span>',
    });
  } finally {
    win.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
