/** Page size and layout of a printed report. */
export interface PdfOptions {
  pageSize: 'A4' | 'Letter';
  landscape?: boolean;
  /** Footer HTML template (Chromium's header/footer syntax: pageNumber, totalPages, date). */
  footerTemplate?: string;
  headerTemplate?: string;
}

/**
 * Turns a self-contained HTML document into PDF bytes. The app uses Electron's
 * webContents.printToPDF in a hidden window; the CLI, tests and the browser host
 * use Chromium's page.pdf() — the same engine, so the same output.
 */
export type PdfPrinter = (html: string, options: PdfOptions) => Promise<Buffer>;
