import { AppError } from '../../../shared/errors';
import type { ExportedReportRecord } from '../../../shared/reports';
import type { Db } from './database';

interface ExportRow {
  id: number;
  report_id: string;
  target_id: string;
  title: string;
  format: 'pdf' | 'html';
  paper: 'A4' | 'Letter';
  language: 'en' | 'ja';
  file_name: string;
  size: number;
  sha256: string;
  duration_ms: number;
  created_at: string;
}

function toRecord(row: ExportRow): ExportedReportRecord {
  return {
    id: row.id,
    reportId: row.report_id,
    targetId: row.target_id,
    title: row.title,
    format: row.format,
    paper: row.paper,
    language: row.language,
    fileName: row.file_name,
    size: row.size,
    sha256: row.sha256,
    durationMs: row.duration_ms,
    createdAt: row.created_at,
  };
}

/** Typed access to the log of exported report files (their bytes are objects by sha256). */
export function createReportsRepo(db: Db) {
  return {
    recordExport(entry: Omit<ExportedReportRecord, 'id' | 'createdAt'>): ExportedReportRecord {
      const info = db
        .prepare(
          `INSERT INTO exported_reports (report_id, target_id, title, format, paper, language, file_name, size, sha256, duration_ms, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(entry.reportId, entry.targetId, entry.title, entry.format, entry.paper, entry.language, entry.fileName, entry.size, entry.sha256, entry.durationMs, new Date().toISOString());
      return this.getExport(Number(info.lastInsertRowid));
    },
    getExport(id: number): ExportedReportRecord {
      const row = db.prepare('SELECT * FROM exported_reports WHERE id = ?').get(id) as ExportRow | undefined;
      if (!row) throw new AppError('not_found', `No exported report with id ${id}.`);
      return toRecord(row);
    },
    /** Newest first. */
    listExports(limit = 200): ExportedReportRecord[] {
      return (db.prepare('SELECT * FROM exported_reports ORDER BY id DESC LIMIT ?').all(limit) as ExportRow[]).map(toRecord);
    },
    /** How many export records still point at a file (so it is only deleted with the last). */
    countExportsOfFile(sha256: string): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM exported_reports WHERE sha256 = ?').get(sha256) as { n: number }).n;
    },
    deleteExport(id: number): ExportedReportRecord {
      const record = this.getExport(id);
      db.prepare('DELETE FROM exported_reports WHERE id = ?').run(id);
      return record;
    },
  };
}
export type ReportsRepo = ReturnType<typeof createReportsRepo>;
