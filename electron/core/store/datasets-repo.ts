import type {
  DatasetSummary,
  DatasetVersion,
  DatasetVersionSummary,
  RecipeRecord,
  SuiteRecord,
  ValidationResultRecord,
} from '../../../shared/contracts/datasets';
import type { ColumnSchema, CsvOptions, DatasetProfile, Recipe, SuiteResult, ValidationSuite } from '../../../shared/datasets';
import { AppError } from '../../../shared/errors';
import type { Db } from './database';

interface VersionRow {
  id: number;
  dataset_id: number;
  dataset_name?: string;
  tag: string;
  sha256: string;
  md5: string | null;
  size: number;
  rows: number;
  columns: number;
  schema: string;
  csv_options: string;
  profile: string;
  source_path: string;
  source_name: string;
  created_at: string;
}

/** What an import writes for a new version. */
export interface NewVersion {
  datasetName: string;
  tag: string;
  sha256: string;
  md5?: string | null;
  size: number;
  rows: number;
  schema: ColumnSchema[];
  csvOptions: CsvOptions;
  profile: DatasetProfile;
  sourcePath: string;
  sourceName: string;
}

const now = () => new Date().toISOString();

function toSummary(r: VersionRow): DatasetVersionSummary {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    tag: r.tag,
    sha256: r.sha256,
    size: r.size,
    rows: r.rows,
    columns: r.columns,
    createdAt: r.created_at,
    sourceName: r.source_name,
  };
}

function toVersion(r: VersionRow): DatasetVersion {
  return {
    ...toSummary(r),
    datasetName: r.dataset_name ?? '',
    sourcePath: r.source_path,
    md5: r.md5,
    schema: JSON.parse(r.schema),
    csvOptions: JSON.parse(r.csv_options),
    profile: JSON.parse(r.profile),
  };
}

const VERSION_SELECT = 'SELECT v.*, d.name AS dataset_name FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id';

/**
 * Typed access to datasets, their immutable versions, validation suites and
 * results, and recipes. Version rows are only ever inserted (a trigger refuses
 * updates); the bytes are in the object store under the version's SHA-256.
 */
/**
 * The one wording of the immutable-versions rule (a dataset's tags are
 * unique): the import handler, the import job, `mlwb data import` and the
 * insert itself all refuse a taken tag with this error.
 */
export function tagTakenError(datasetName: string, tag: string): AppError {
  return new AppError('conflict', `Dataset "${datasetName}" already has a version tagged "${tag}"; versions are immutable, choose another tag.`, {
    dataset: datasetName,
    tag,
  });
}

export function createDatasetsRepo(db: Db) {
  const versionById = db.prepare(`${VERSION_SELECT} WHERE v.id = ?`);
  const suiteById = db.prepare('SELECT * FROM validation_suites WHERE id = ?');
  const recipeById = db.prepare('SELECT * FROM recipes WHERE id = ?');
  type SuiteRow = { id: number; dataset_id: number; name: string; rules: string; created_at: string; updated_at: string };
  type RecipeRow = { id: number; dataset_id: number; version_id: number; name: string; recipe: string; created_at: string };
  const toSuite = (r: SuiteRow): SuiteRecord => ({ id: r.id, datasetId: r.dataset_id, name: r.name, rules: JSON.parse(r.rules), createdAt: r.created_at, updatedAt: r.updated_at });
  const toRecipe = (r: RecipeRow): RecipeRecord => ({ id: r.id, datasetId: r.dataset_id, versionId: r.version_id, name: r.name, recipe: JSON.parse(r.recipe), createdAt: r.created_at });

  return {
    listDatasets(): DatasetSummary[] {
      const datasets = db.prepare('SELECT * FROM datasets ORDER BY name COLLATE NOCASE').all() as { id: number; name: string; created_at: string }[];
      const versions = db.prepare('SELECT * FROM dataset_versions ORDER BY id DESC').all() as VersionRow[];
      return datasets.map((d) => ({
        id: d.id,
        name: d.name,
        createdAt: d.created_at,
        versions: versions.filter((v) => v.dataset_id === d.id).map(toSummary),
      }));
    },
    findDatasetByName(name: string): { id: number; name: string } | undefined {
      return db.prepare('SELECT id, name FROM datasets WHERE name = ?').get(name) as { id: number; name: string } | undefined;
    },
    getVersion(id: number): DatasetVersion {
      const row = versionById.get(id) as VersionRow | undefined;
      if (!row) throw new AppError('not_found', `No dataset version with id ${id}.`);
      return toVersion(row);
    },
    /** Resolves "name@tag" (or "name" for the newest version). */
    findVersionByRef(ref: string): DatasetVersion {
      const at = ref.lastIndexOf('@');
      const name = at >= 0 ? ref.slice(0, at) : ref;
      const tag = at >= 0 ? ref.slice(at + 1) : undefined;
      const row = (
        tag === undefined
          ? db.prepare(`${VERSION_SELECT} WHERE d.name = ? ORDER BY v.id DESC LIMIT 1`).get(name)
          : db.prepare(`${VERSION_SELECT} WHERE d.name = ? AND v.tag = ?`).get(name, tag)
      ) as VersionRow | undefined;
      if (!row) throw new AppError('not_found', `No dataset version "${ref}" (use NAME@TAG; see \`mlwb data list\`).`);
      return toVersion(row);
    },
    findVersionByTag(datasetName: string, tag: string): DatasetVersionSummary | undefined {
      const row = db.prepare(`${VERSION_SELECT} WHERE d.name = ? AND v.tag = ?`).get(datasetName, tag) as VersionRow | undefined;
      return row ? toSummary(row) : undefined;
    },
    /** Throws {@link tagTakenError} when the dataset already has a version with this tag (checked again, atomically, on insert). */
    assertTagFree(datasetName: string, tag: string): void {
      if (this.findVersionByTag(datasetName, tag)) throw tagTakenError(datasetName, tag);
    },
    /** Versions (of any dataset) holding exactly these bytes. */
    findVersionsByHash(sha256: string): (DatasetVersionSummary & { datasetName: string })[] {
      return (db.prepare(`${VERSION_SELECT} WHERE v.sha256 = ? ORDER BY v.id`).all(sha256) as VersionRow[]).map((r) => ({ ...toSummary(r), datasetName: r.dataset_name ?? '' }));
    },
    /** Inserts the version (creating the dataset on first import) in one transaction. */
    insertVersion(v: NewVersion): DatasetVersion {
      const id = db.transaction(() => {
        let dataset = db.prepare('SELECT id FROM datasets WHERE name = ?').get(v.datasetName) as { id: number } | undefined;
        if (!dataset) {
          const info = db.prepare('INSERT INTO datasets (name, created_at) VALUES (?, ?)').run(v.datasetName, now());
          dataset = { id: Number(info.lastInsertRowid) };
        }
        if (db.prepare('SELECT 1 FROM dataset_versions WHERE dataset_id = ? AND tag = ?').get(dataset.id, v.tag)) {
          throw tagTakenError(v.datasetName, v.tag);
        }
        const info = db
          .prepare(
            `INSERT INTO dataset_versions (dataset_id, tag, sha256, md5, size, rows, columns, schema, csv_options, profile, source_path, source_name, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            dataset.id,
            v.tag,
            v.sha256,
            v.md5 ?? null,
            v.size,
            v.rows,
            v.schema.length,
            JSON.stringify(v.schema),
            JSON.stringify(v.csvOptions),
            JSON.stringify(v.profile),
            v.sourcePath,
            v.sourceName,
            now(),
          );
        return Number(info.lastInsertRowid);
      })();
      return this.getVersion(id);
    },
    /** Hashes referenced by any version (for cleaning unreferenced objects). */
    listVersionHashes(): Set<string> {
      return new Set((db.prepare('SELECT DISTINCT sha256 FROM dataset_versions').all() as { sha256: string }[]).map((r) => r.sha256));
    },
    /** Number of datasets (the maturity evidence counts them). */
    countDatasets(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM datasets').get() as { n: number }).n;
    },
    /** Number of versions of all datasets. */
    countVersions(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM dataset_versions').get() as { n: number }).n;
    },

    // ---- validation suites and results ----
    listSuites(datasetId: number): SuiteRecord[] {
      return (db.prepare('SELECT * FROM validation_suites WHERE dataset_id = ? ORDER BY name').all(datasetId) as SuiteRow[]).map(toSuite);
    },
    getSuite(id: number): SuiteRecord {
      const row = suiteById.get(id) as SuiteRow | undefined;
      if (!row) throw new AppError('not_found', `No validation suite with id ${id}.`);
      return toSuite(row);
    },
    findSuiteByName(datasetId: number, name: string): SuiteRecord | undefined {
      const row = db.prepare('SELECT * FROM validation_suites WHERE dataset_id = ? AND name = ?').get(datasetId, name) as SuiteRow | undefined;
      return row ? toSuite(row) : undefined;
    },
    /** Creates a suite, or replaces the rules and name of suite `id`. */
    saveSuite(datasetId: number, suite: ValidationSuite, id?: number): SuiteRecord {
      if (!db.prepare('SELECT 1 FROM datasets WHERE id = ?').get(datasetId)) throw new AppError('not_found', `No dataset with id ${datasetId}.`);
      const clash = db.prepare('SELECT id FROM validation_suites WHERE dataset_id = ? AND name = ?').get(datasetId, suite.name) as { id: number } | undefined;
      if (clash && clash.id !== id) throw new AppError('conflict', `This dataset already has a suite named "${suite.name}".`);
      if (id !== undefined) {
        const info = db.prepare('UPDATE validation_suites SET name = ?, rules = ?, updated_at = ? WHERE id = ? AND dataset_id = ?').run(suite.name, JSON.stringify(suite.rules), now(), id, datasetId);
        if (info.changes === 0) throw new AppError('not_found', `No validation suite with id ${id} on this dataset.`);
        return this.getSuite(id);
      }
      const t = now();
      const info = db.prepare('INSERT INTO validation_suites (dataset_id, name, rules, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(datasetId, suite.name, JSON.stringify(suite.rules), t, t);
      return this.getSuite(Number(info.lastInsertRowid));
    },
    deleteSuite(id: number): boolean {
      return db.prepare('DELETE FROM validation_suites WHERE id = ?').run(id).changes > 0;
    },
    /** Number of saved validation suites. */
    countSuites(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM validation_suites').get() as { n: number }).n;
    },
    /** Number of validation runs, or of those recorded at or after `since`. */
    countValidationResults(since?: Date): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM validation_results WHERE created_at >= ?').get(since ? since.toISOString() : '') as { n: number }).n;
    },
    insertValidationResult(suiteId: number | null, versionId: number, result: SuiteResult): ValidationResultRecord {
      const info = db
        .prepare('INSERT INTO validation_results (suite_id, version_id, suite_name, passed, result, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(suiteId, versionId, result.suiteName, result.passed ? 1 : 0, JSON.stringify(result), now());
      return this.listValidationResults(versionId).find((r) => r.id === Number(info.lastInsertRowid))!;
    },
    listValidationResults(versionId: number): ValidationResultRecord[] {
      const rows = db.prepare('SELECT * FROM validation_results WHERE version_id = ? ORDER BY id DESC').all(versionId) as {
        id: number;
        suite_id: number | null;
        version_id: number;
        suite_name: string;
        passed: number;
        result: string;
        created_at: string;
      }[];
      return rows.map((r) => ({ id: r.id, suiteId: r.suite_id, versionId: r.version_id, suiteName: r.suite_name, passed: r.passed === 1, createdAt: r.created_at, result: JSON.parse(r.result) }));
    },

    // ---- recipes ----
    insertRecipe(datasetId: number, versionId: number, name: string, recipe: Recipe): RecipeRecord {
      const info = db.prepare('INSERT INTO recipes (dataset_id, version_id, name, recipe, created_at) VALUES (?, ?, ?, ?, ?)').run(datasetId, versionId, name, JSON.stringify(recipe), now());
      return this.getRecipe(Number(info.lastInsertRowid));
    },
    getRecipe(id: number): RecipeRecord {
      const row = recipeById.get(id) as RecipeRow | undefined;
      if (!row) throw new AppError('not_found', `No recipe with id ${id}.`);
      return toRecipe(row);
    },
    listRecipes(datasetId: number): RecipeRecord[] {
      return (db.prepare('SELECT * FROM recipes WHERE dataset_id = ? ORDER BY id DESC').all(datasetId) as RecipeRow[]).map(toRecipe);
    },
  };
}
export type DatasetsRepo = ReturnType<typeof createDatasetsRepo>;
