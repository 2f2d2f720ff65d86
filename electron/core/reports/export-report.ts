/**
 * The one report pipeline: definition → ReportDocument (from stored data)
 * → self-contained print HTML → PDF through a PdfPrinter. Used by the IPC
 * handlers, the browser host and the CLI alike.
 */
import { REPORT_DEFINITIONS } from './definitions';
import { reportParamsSchema, type ReportContext, type ReportDefinition, type ReportParams } from './report-definition';
import type { Paper, ReportDocument } from './report-document';
import { renderReportHtml } from './render-report-html';
import type { PdfPrinter } from './print-pdf';

export type ReportFormat = 'pdf' | 'html';

export interface ExportedReport {
  document: ReportDocument;
  html: string;
  /** PDF bytes (format "pdf") or UTF-8 HTML bytes (format "html"). */
  bytes: Uint8Array;
  fileName: string;
  mimeType: 'application/pdf' | 'text/html';
}

/** Thrown for an unknown report id; lists the known ones. */
export class UnknownReportError extends Error {
  constructor(reportId: string, known: readonly ReportDefinition[]) {
    super(`Unknown report "${reportId}". Known reports: ${known.map((d) => d.id).join(', ')}.`);
    this.name = 'UnknownReportError';
  }
}

/** Looks a report definition up by id, or throws UnknownReportError. */
export function findReportDefinition(reportId: string, definitions: readonly ReportDefinition[] = REPORT_DEFINITIONS): ReportDefinition {
  const definition = definitions.find((d) => d.id === reportId);
  if (!definition) throw new UnknownReportError(reportId, definitions);
  return definition;
}

/** Builds and renders a report to print HTML (no browser needed). */
export async function buildReportHtml(
  definition: ReportDefinition,
  ctx: ReportContext,
  params: ReportParams,
  paper: Paper,
): Promise<{ document: ReportDocument; html: string }> {
  const document = await definition.build(ctx, reportParamsSchema.parse(params));
  return { document, html: renderReportHtml(document, { paper }) };
}

/**
 * Exports a report as PDF (needs a printer) or as HTML ("Save as HTML").
 * The HTML is the same in both cases, so the saved file prints identically.
 */
export async function exportReport(
  definition: ReportDefinition,
  ctx: ReportContext,
  params: ReportParams,
  options: { format: ReportFormat; paper: Paper; printPdf?: PdfPrinter },
): Promise<ExportedReport> {
  const { document, html } = await buildReportHtml(definition, ctx, params, options.paper);
  if (options.format === 'html') {
    return { document, html, bytes: new TextEncoder().encode(html), fileName: `${document.fileStem}.html`, mimeType: 'text/html' };
  }
  if (!options.printPdf) throw new Error('PDF export needs a printer (Electron or a local Chromium).');
  const bytes = new Uint8Array(await options.printPdf(html, { pageSize: options.paper }));
  return { document, html, bytes, fileName: `${document.fileStem}.pdf`, mimeType: 'application/pdf' };
}

/** Every exportable report instance in the workspace, newest first. */
export async function listReportTargets(ctx: ReportContext, definitions: readonly ReportDefinition[] = REPORT_DEFINITIONS) {
  const targets = (await Promise.all(definitions.map((d) => d.listTargets(ctx)))).flat();
  return targets.sort((a, b) => b.date.localeCompare(a.date));
}
