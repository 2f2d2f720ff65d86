/**
 * Printing report HTML to PDF goes through the `PdfPrinter` each runtime
 * gives the app context: Electron's `webContents.printToPDF` in the app
 * (electron/main/pdf-printer.ts), Chromium via playwright-core in the CLI,
 * the browser host and tests (chromium-printer.ts). Both take their settings
 * from `pdfPrintOptions` and wait for `document.fonts.ready` first, so they
 * print the same pages.
 */

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

/**
 * The print settings both printers pass on, named as Electron's printToPDF
 * names them (playwright's page.pdf takes `format` for `pageSize`, the rest
 * under the same names). `preferCSSPageSize` lets the report's CSS `@page`
 * (size and margins) decide the page, so both engines lay out the same sheet.
 */
export interface PdfPrintSettings {
  pageSize: PdfOptions['pageSize'];
  landscape: boolean;
  preferCSSPageSize: true;
  printBackground: true;
  displayHeaderFooter: boolean;
  headerTemplate?: string;
  footerTemplate?: string;
}

/** The one translation of PdfOptions into print settings, shared by the Electron and Chromium printers. */
export function pdfPrintOptions(options: PdfOptions): PdfPrintSettings {
  const templates = Boolean(options.footerTemplate || options.headerTemplate);
  return {
    pageSize: options.pageSize,
    landscape: options.landscape ?? false,
    preferCSSPageSize: true,
    printBackground: true,
    displayHeaderFooter: templates,
    // An absent template would print Chromium's default (title and URL): an empty span prints nothing.
    ...(templates
      ? { headerTemplate: options.headerTemplate ?? '<span></span>', footerTemplate: options.footerTemplate ?? '<span></span>' }
      : {}),
  };
}

/** Script both printers run in the page before printing: resolves once its fonts are loaded (CJK glyphs would otherwise print as fallbacks). */
export const WAIT_FOR_FONTS_SCRIPT = 'document.fonts.ready.then(() => true)';
