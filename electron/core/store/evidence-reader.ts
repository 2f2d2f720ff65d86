import type { EvidenceReader, SinceFilter } from '../maturity/evidence';
import type { Db } from './database';

/**
 * The store's side of the maturity evidence: counts read from each
 * capability's tables. A method exists only when its tables do (a capability
 * that has not landed yields no evidence). A capability adds its counts here
 * and its provider in electron/core/maturity/evidence.ts.
 */
export function createEvidenceReader(db: Db): EvidenceReader {
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  const has = (...names: string[]) => names.every((n) => tables.has(n));
  const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;
  const since = (filter?: SinceFilter) => (filter?.sinceMs !== undefined ? new Date(filter.sinceMs).toISOString() : '');
  const reader: EvidenceReader = {};
  if (has('datasets', 'dataset_versions')) {
    reader.countDatasets = () => count('SELECT COUNT(*) AS n FROM datasets');
    reader.countDatasetVersions = (filter) => count('SELECT COUNT(*) AS n FROM dataset_versions WHERE created_at >= ?', since(filter));
  }
  if (has('validation_suites', 'validation_results')) {
    reader.countValidationSuites = () => count('SELECT COUNT(*) AS n FROM validation_suites');
    reader.countValidationRuns = (filter) => count('SELECT COUNT(*) AS n FROM validation_results WHERE created_at >= ?', since(filter));
  }
  return reader;
}
