import type { reportChannels } from '../../../shared/contracts/reports';
import type { AppContext } from '../app-context';
import { REPORT_DEFINITIONS } from '../reports/definitions';
import { listReportTargets } from '../reports/export-report';
import { createWorkspaceReportContext, deleteExportedReport, exportWorkspaceReport, readExportedReport } from '../reports/workspace-reports';
import type { HandlersFor } from './handler-types';

const MIME = { pdf: 'application/pdf', html: 'text/html' } as const;

/** IPC handlers of the Reports page. */
export function createReportHandlers(ctx: AppContext): HandlersFor<keyof typeof reportChannels> {
  return {
    'reports:overview': async () => ({
      kinds: REPORT_DEFINITIONS.map((d) => ({ id: d.id, title: d.title, description: d.description })),
      targets: await listReportTargets(createWorkspaceReportContext(ctx)),
      exported: ctx.store.reports.listExports(),
      canPrintPdf: Boolean(ctx.printPdf),
    }),
    'reports:export': async (request) => {
      const { record, exported } = await exportWorkspaceReport(ctx, request);
      return { record, mimeType: exported.mimeType, base64: Buffer.from(exported.bytes).toString('base64') };
    },
    'reports:download': ({ id }) => {
      const { record, bytes } = readExportedReport(ctx, id);
      return { record, mimeType: MIME[record.format], base64: bytes.toString('base64') };
    },
    'reports:deleteExport': ({ id }) => ({ deleted: deleteExportedReport(ctx, id) }),
  };
}
