import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow } from 'electron';
import { pdfPrintOptions, WAIT_FOR_FONTS_SCRIPT, type PdfPrinter } from '../core/reports/print-pdf';
import { hardenWebContents, secureWebPreferences } from './security';

/**
 * Electron's printer: loads the report HTML file into a hidden, sandboxed
 * window hardened like the main one (no navigation, no new windows, no
 * webviews), waits for its fonts and calls webContents.printToPDF with the
 * same settings the Chromium printer gives page.pdf() (pdfPrintOptions).
 *
 * JavaScript stays enabled in this window, on purpose: Electron documents
 * `webPreferences.javascript: false` as turning JavaScript support off and does
 * not document `webContents.executeJavaScript` as still working then, and
 * without it we cannot wait for `document.fonts.ready`. No report script can
 * run anyway: the report HTML carries its own CSP `default-src 'none'`
 * (render-report-html.ts), which refuses every inline and external script,
 * while code the main process evaluates through executeJavaScript is not a
 * page script and is not subject to it.
 */
export const printPdfWithElectron: PdfPrinter = async (html, options) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-print-'));
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, html);
  const win = new BrowserWindow({ show: false, webPreferences: secureWebPreferences() });
  const fileUrl = pathToFileURL(file).toString();
  hardenWebContents(win.webContents, () => fileUrl);
  try {
    await win.loadFile(file);
    await win.webContents.executeJavaScript(WAIT_FOR_FONTS_SCRIPT);
    return await win.webContents.printToPDF(pdfPrintOptions(options));
  } finally {
    win.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
