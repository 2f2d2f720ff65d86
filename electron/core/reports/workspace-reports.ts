/**
 * The report pipeline bound to a workspace: builds the ReportContext from
 * the app context (store readers, workspace name, language), exports a
 * report, keeps the file in the object store and logs it. Shared by the IPC
 * handlers, the browser host and the CLI.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { Locale } from '../../../shared/maturity';
import type { ExportedReportRecord } from '../../../shared/reports';
import type { AppContext } from '../app-context';
import { collectWorkspaceEvidence } from '../maturity/evidence-providers';
import { createModelCardReader } from './definitions/model-card-reader';
import { createRunComparisonReader } from './definitions/run-comparison-reader';
import { exportReport, findReportDefinition, UnknownReportError, type ExportedReport, type ReportFormat } from './export-report';
import { ReportTargetNotFoundError, ReportUnavailableError, type ReportContext } from './report-definition';
import type { Paper } from './report-document';

/** The workspace's display name: its folder name. */
export function workspaceDisplayName(app: AppContext): string {
  return path.basename(app.workspaceDir);
}

/** The store's lookups throw not_found; the report readers answer null instead. */
function orNullWhenNotFound<T>(read: () => T): T | null {
  try {
    return read();
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return null;
    throw error;
  }
}

/** Report context over the workspace store, in the given (or the UI) language. */
export function createWorkspaceReportContext(app: AppContext, locale?: Locale): ReportContext {
  return {
    workspaceName: workspaceDisplayName(app),
    locale: locale ?? app.store.settings.getSettings().language,
    now: new Date(),
    data: {
      maturity: {
        getAssessment: (id) => app.store.maturity.findAssessment(id),
        listAssessments: () => app.store.maturity.listAssessments(),
      },
      evidence: (nowMs) => collectWorkspaceEvidence(app.store, { nowMs }),
      tracking: createRunComparisonReader(app.store),
      registry: createModelCardReader(app.store),
      monitoring: {
        getCheck: (id) => orNullWhenNotFound(() => app.store.monitoring.getCheck(id)),
        listChecks: () => app.store.monitoring.listChecks({ limit: 200 }),
      },
      datasets: {
        getVersion: (id) => orNullWhenNotFound(() => app.store.datasets.getVersion(id)),
        findVersionByRef: (ref) => orNullWhenNotFound(() => app.store.datasets.findVersionByRef(ref)),
        listDatasets: () => app.store.datasets.listDatasets(),
        listValidationResults: (versionId) => app.store.datasets.listValidationResults(versionId),
      },
    },
  };
}

/** Maps pipeline errors to AppErrors the UI and CLI show as they are. */
function toAppError(error: unknown): unknown {
  if (error instanceof ReportTargetNotFoundError) return new AppError('not_found', error.message);
  if (error instanceof UnknownReportError) return new AppError('not_found', error.message);
  if (error instanceof ReportUnavailableError) return new AppError('bad_input', error.message);
  if (error instanceof Error && error.name === 'PrinterUnavailableError') return new AppError('bad_input', error.message);
  return error;
}

export interface WorkspaceExportRequest {
  reportId: string;
  targetId: string;
  format: ReportFormat;
  paper: Paper;
  language?: Locale;
}

/** Exports a report, stores the file (content-addressed) and logs it. */
export async function exportWorkspaceReport(
  app: AppContext,
  request: WorkspaceExportRequest,
): Promise<{ record: ExportedReportRecord; exported: ExportedReport }> {
  if (request.format === 'pdf' && !app.printPdf) {
    throw new AppError(
      'bad_input',
      'PDF export needs a printer: no Chromium was found. Install chromium (or set MLWB_CHROMIUM), or use "Save as HTML".',
    );
  }
  const started = performance.now();
  let exported: ExportedReport;
  try {
    const definition = findReportDefinition(request.reportId);
    exported = await exportReport(
      definition,
      createWorkspaceReportContext(app, request.language),
      { id: request.targetId },
      {
        format: request.format,
        paper: request.paper,
        printPdf: app.printPdf,
      },
    );
  } catch (error) {
    throw toAppError(error);
  }
  const durationMs = performance.now() - started;
  const sha256 = crypto.createHash('sha256').update(exported.bytes).digest('hex');
  if (!app.store.objects.hasObject(sha256)) {
    const temp = app.store.objects.createTempPath();
    fs.writeFileSync(temp, exported.bytes);
    app.store.objects.adoptTempFile(temp, sha256);
  }
  const record = app.store.reports.recordExport({
    reportId: request.reportId,
    targetId: request.targetId,
    title: exported.document.title,
    format: request.format,
    paper: request.paper,
    language: exported.document.lang,
    fileName: exported.fileName,
    size: exported.bytes.length,
    sha256,
    durationMs,
  });
  app.events.emit('changed', { topic: 'reports' });
  return { record, exported };
}

/** The bytes of a logged export, read back from the object store. */
export function readExportedReport(app: AppContext, id: number): { record: ExportedReportRecord; bytes: Buffer } {
  const record = app.store.reports.getExport(id);
  const file = app.store.objects.objectPath(record.sha256);
  if (!fs.existsSync(file))
    throw new AppError('not_found', `The file of exported report ${id} (${record.fileName}) is missing from the workspace.`);
  return { record, bytes: fs.readFileSync(file) };
}

/** Deletes a logged export, and its file when no other record uses it. */
export function deleteExportedReport(app: AppContext, id: number): boolean {
  const record = app.store.reports.deleteExport(id);
  if (app.store.reports.countExportsOfFile(record.sha256) === 0) app.store.objects.removeObject(record.sha256);
  app.events.emit('changed', { topic: 'reports' });
  return true;
}
