/**
 * Printing report HTML to PDF goes through the platform's `PdfPrinter`
 * (electron/core/platform.ts): Electron's `webContents.printToPDF` in the app
 * (electron/main/pdf-printer.ts), Chromium via playwright-core in the CLI,
 * the browser host and tests (chromium-printer.ts). Both honour the CSS @page
 * size and margin boxes our renderer writes, so they print the same pages.
 */
export type { PdfOptions, PdfPrinter } from '../platform';
