import type { Migration } from './index';

/**
 * Datasets and their immutable versions (bytes live in objects/ by SHA-256),
 * validation suites and their results, and fitted preprocessing recipes.
 * Profiles, schemas and results are JSON: they are read whole, never queried inside.
 */
export const migration002Datasets: Migration = {
  version: 2,
  name: 'datasets: versions, validation suites and results, recipes',
  sql: `
    CREATE TABLE datasets (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL
    );
    CREATE TABLE dataset_versions (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE RESTRICT,
      tag TEXT NOT NULL,
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      md5 TEXT,
      size INTEGER NOT NULL,
      rows INTEGER NOT NULL,
      columns INTEGER NOT NULL,
      schema TEXT NOT NULL,
      csv_options TEXT NOT NULL,
      profile TEXT NOT NULL,
      source_path TEXT NOT NULL,
      source_name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      UNIQUE (dataset_id, tag)
    );
    CREATE INDEX dataset_versions_sha256 ON dataset_versions(sha256);
    -- Versions are immutable: refuse updates at the database level too.
    CREATE TRIGGER dataset_versions_immutable BEFORE UPDATE ON dataset_versions
    BEGIN
      SELECT RAISE(ABORT, 'dataset versions are immutable');
    END;
    CREATE TABLE validation_suites (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      rules TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (dataset_id, name)
    );
    CREATE TABLE validation_results (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      suite_id INTEGER REFERENCES validation_suites(id) ON DELETE SET NULL,
      version_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
      suite_name TEXT NOT NULL,
      passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
      result TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX validation_results_version ON validation_results(version_id);
    CREATE TABLE recipes (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      version_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE RESTRICT,
      name TEXT NOT NULL,
      recipe TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX recipes_dataset ON recipes(dataset_id);
  `,
};
