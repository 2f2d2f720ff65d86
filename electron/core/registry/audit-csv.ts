import { stringify } from 'csv-stringify/sync';
import type { AuditEntry } from '../../../shared/registry';

const COLUMNS = ['id', 'time', 'actor', 'via', 'action', 'model', 'version', 'from', 'to', 'comment', 'detail'] as const;

/** Audit rows as CSV (RFC 4180 quoting; times in ISO 8601 UTC; detail as JSON). */
export function auditToCsv(entries: readonly AuditEntry[]): string {
  return stringify(
    entries.map((e) => [
      e.id,
      new Date(e.at).toISOString(),
      e.actor,
      e.via,
      e.action,
      e.model,
      e.version ?? '',
      e.from ?? '',
      e.to ?? '',
      e.comment,
      e.detail === null || e.detail === undefined ? '' : JSON.stringify(e.detail),
    ]),
    { header: true, columns: [...COLUMNS] },
  );
}
