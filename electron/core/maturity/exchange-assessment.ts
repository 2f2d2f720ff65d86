/**
 * JSON export / import of one assessment, for a facilitator who ran the
 * workshop on another machine. The envelope carries a format name and a
 * version; anything else (malformed JSON, another program's file, a newer
 * format, unknown items) is refused with a message a user can act on.
 */
import {
  MATURITY_EXPORT_FORMAT,
  MATURITY_EXPORT_VERSION,
  maturityExportSchema,
  type Assessment,
  type MaturityExport,
} from '../../../shared/maturity';
import { MATURITY_CONTENT_VERSION, findMaturityItem } from '../../../shared/maturity-content';

/** Largest import accepted; a 36-item assessment with long notes is far below this. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/** Thrown when an import is refused; `message` is meant for the user. */
export class AssessmentImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssessmentImportError';
  }
}

/** Serialises an assessment in the exchange format (pretty-printed, stable key order of the schema). */
export function exportAssessmentJson(assessment: Assessment, app?: { name: string; version: string }, now: Date = new Date()): string {
  const envelope: MaturityExport = {
    format: MATURITY_EXPORT_FORMAT,
    formatVersion: MATURITY_EXPORT_VERSION,
    exportedAt: now.toISOString(),
    ...(app ? { app } : {}),
    assessment,
  };
  return `${JSON.stringify(envelope, null, 2)}\n`;
}

function describePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map((p) => String(p)).join('.');
}

/**
 * Parses and validates an exported assessment. Throws AssessmentImportError
 * with a clear reason for anything that is not our format.
 */
export function parseAssessmentJson(text: string): Assessment {
  if (Buffer.byteLength(text, 'utf8') > MAX_IMPORT_BYTES) {
    throw new AssessmentImportError(`The file is too large for an assessment (over ${MAX_IMPORT_BYTES / 1024 / 1024} MB).`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new AssessmentImportError(`The file is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new AssessmentImportError('The file is not a MLOps Workbench maturity assessment: expected a JSON object.');
  }
  const record = data as Record<string, unknown>;
  if (record.format !== MATURITY_EXPORT_FORMAT) {
    const found = typeof record.format === 'string' ? `format "${record.format}"` : 'no "format" field';
    throw new AssessmentImportError(`The file is not a MLOps Workbench maturity assessment (${found}; expected "${MATURITY_EXPORT_FORMAT}").`);
  }
  if (typeof record.formatVersion === 'number' && record.formatVersion > MATURITY_EXPORT_VERSION) {
    throw new AssessmentImportError(
      `The file was written by a newer version of MLOps Workbench (format version ${record.formatVersion}; this version reads ${MATURITY_EXPORT_VERSION}).`,
    );
  }
  const parsed = maturityExportSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${describePath(issue.path)}: ${issue.message}`);
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
    throw new AssessmentImportError(`The assessment file is damaged or incomplete — ${issues.join('; ')}${more}.`);
  }
  const assessment = parsed.data.assessment;
  if (assessment.contentVersion > MATURITY_CONTENT_VERSION) {
    throw new AssessmentImportError(
      `The assessment uses a newer item list (content version ${assessment.contentVersion}; this version knows ${MATURITY_CONTENT_VERSION}).`,
    );
  }
  const unknown = Object.keys(assessment.answers).filter((id) => findMaturityItem(id) === undefined);
  if (unknown.length > 0) {
    throw new AssessmentImportError(`The assessment answers items this version does not know: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}.`);
  }
  return assessment;
}
