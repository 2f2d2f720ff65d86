/**
 * An in-memory DatasetReportReader over real CSV files, for tests and the
 * benchmark: each file is sniffed, profiled and validated by the same core
 * functions the import and validation jobs use (no store, no workers).
 */
import type { DatasetSummary, DatasetVersion, ValidationResultRecord } from '../../../shared/contracts/datasets';
import type { ValidationSuite } from '../../../shared/datasets';
import { scanAndProfileCsv } from '../datasets/profile-csv';
import { sniffCsvFile } from '../datasets/sniff-csv';
import { runSuite } from '../validation/run-suite';
import type { DatasetReportReader } from './definitions/dataset-report';

export interface FixtureVersion {
  datasetName: string;
  tag: string;
  file: string;
  /** Suites run on the version, in order (a later run of the same suite replaces the earlier in the report). */
  suites?: ValidationSuite[];
  createdAt?: string;
}

/** Imports the files in memory and answers the report's reader calls. */
export function createFixtureDatasetReader(inputs: FixtureVersion[]): DatasetReportReader & { versions: DatasetVersion[] } {
  const versions: DatasetVersion[] = [];
  const results: ValidationResultRecord[] = [];
  const datasetIds = new Map<string, number>();
  inputs.forEach((input, index) => {
    const sniff = sniffCsvFile(input.file);
    const csvOptions = {
      delimiter: sniff.delimiter,
      hasHeader: sniff.hasHeader,
      encoding: sniff.encoding,
      missingMarkers: sniff.missingMarkers,
      columns: sniff.columns,
      raggedRows: 'error' as const,
    };
    const scan = scanAndProfileCsv(input.file, csvOptions);
    if (!datasetIds.has(input.datasetName)) datasetIds.set(input.datasetName, datasetIds.size + 1);
    const createdAt = input.createdAt ?? new Date(Date.UTC(2026, 10, 20 + index, 9, 30)).toISOString();
    const version: DatasetVersion = {
      id: index + 1,
      datasetId: datasetIds.get(input.datasetName)!,
      datasetName: input.datasetName,
      tag: input.tag,
      sha256: scan.sha256,
      md5: null,
      size: scan.size,
      rows: scan.profile.rows,
      columns: sniff.columns.length,
      createdAt,
      sourceName: input.file.split(/[\\/]/).pop() ?? input.file,
      sourcePath: input.file,
      schema: sniff.columns,
      csvOptions,
      profile: scan.profile,
    };
    versions.push(version);
    (input.suites ?? []).forEach((suite, i) => {
      const result = runSuite(input.file, csvOptions, suite);
      results.push({
        id: results.length + 1,
        suiteId: index * 100 + 1 + input.suites!.findIndex((s) => s.name === suite.name),
        versionId: version.id,
        suiteName: suite.name,
        passed: result.passed,
        createdAt: new Date(Date.parse(createdAt) + (i + 1) * 60_000).toISOString(),
        result,
      });
    });
  });
  return {
    versions,
    getVersion: (id) => versions.find((v) => v.id === id) ?? null,
    findVersionByRef: (ref) => {
      const at = ref.lastIndexOf('@');
      const name = at >= 0 ? ref.slice(0, at) : ref;
      const tag = at >= 0 ? ref.slice(at + 1) : undefined;
      const matching = versions.filter((v) => v.datasetName === name && (tag === undefined || v.tag === tag));
      return matching[matching.length - 1] ?? null;
    },
    listDatasets: (): DatasetSummary[] =>
      [...datasetIds].map(([name, id]) => ({
        id,
        name,
        createdAt: versions.find((v) => v.datasetId === id)!.createdAt,
        versions: versions.filter((v) => v.datasetId === id).reverse(),
      })),
    listValidationResults: (versionId) => results.filter((r) => r.versionId === versionId).reverse(),
  };
}
