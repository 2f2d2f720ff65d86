import type { RequestOf } from '../../../../shared/ipc';
import type { ExportedReportRecord, ReportFile } from '../../../../shared/reports';
import { api, downloadFile } from '../../lib/api';

/** Decodes the base64 file content the contract carries. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Hands a report file to the user (save dialog in Electron, download in the browser). */
export function saveReportFile(file: ReportFile): ExportedReportRecord {
  downloadFile(file.record.fileName, base64ToBytes(file.base64), file.mimeType);
  return file.record;
}

/** Exports a report through the pipeline (PDF or HTML) and saves it. */
export async function exportAndSaveReport(request: RequestOf<'reports:export'>): Promise<ExportedReportRecord> {
  return saveReportFile(await api.call('reports:export', request));
}
