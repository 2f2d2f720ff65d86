/**
 * Printing report HTML to PDF. One interface, two implementations: the app
 * prints with Electron's `webContents.printToPDF` in a hidden window
 * (electron/main, which alone may import 'electron'); tests, the browser
 * host and the CLI print the same HTML with a local Chromium through
 * playwright-core (chromium-printer.ts, kept apart so the app bundle never
 * loads playwright). Both honour the CSS @page size and margin boxes.
 */
import type { Paper } from './report-document';

export interface PrintOptions {
  /** Fallback paper size if the HTML has no @page size (our renderer always sets one). */
  paper: Paper;
}

/** Anything that can turn print HTML into PDF bytes. */
export interface PdfPrinter {
  printHtmlToPdf(html: string, options: PrintOptions): Promise<Uint8Array>;
  /** Releases the browser / window; the printer cannot be used afterwards. */
  close(): Promise<void>;
}
