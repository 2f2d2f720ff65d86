/** Report pipeline types shared by main, renderer and CLI. No Node or DOM imports. */
import { z } from 'zod';
import type { LocalizedText } from './maturity';

export const paperSchema = z.enum(['A4', 'Letter']);
export const reportFormatSchema = z.enum(['pdf', 'html']);

/** One exported report file, as logged in the workspace. */
export interface ExportedReportRecord {
  id: number;
  reportId: string;
  targetId: string;
  title: string;
  format: 'pdf' | 'html';
  paper: 'A4' | 'Letter';
  language: 'en' | 'ja';
  fileName: string;
  size: number;
  sha256: string;
  durationMs: number;
  createdAt: string;
}

/** A report kind of the pipeline. */
export interface ReportKindInfo {
  id: string;
  title: LocalizedText;
  description: LocalizedText;
}

/** One exportable report instance. */
export interface ReportTargetInfo {
  reportId: string;
  id: string;
  label: string;
  date: string;
}

export interface ReportsOverview {
  kinds: ReportKindInfo[];
  targets: ReportTargetInfo[];
  exported: ExportedReportRecord[];
  /** False when no printer is available (then only "Save as HTML" works). */
  canPrintPdf: boolean;
}

/** A file handed to the renderer for download. */
export interface ReportFile {
  record: ExportedReportRecord;
  mimeType: 'application/pdf' | 'text/html';
  /** File bytes, base64-encoded (IPC and HTTP carry JSON). */
  base64: string;
}
