import { AppError } from '../../../shared/errors';
import type { PredictionSet } from '../../../shared/serving';
import type { Db } from './database';

interface SetRow {
  id: number;
  model: string;
  version: number;
  source_label: string;
  dataset_version_id: number | null;
  rows: number;
  sha256: string;
  bytes: number;
  created_at: number;
  job_id: number | null;
  summary: string;
}

function toSet(row: SetRow): PredictionSet {
  return {
    id: row.id,
    model: row.model,
    version: row.version,
    sourceLabel: row.source_label,
    datasetVersionId: row.dataset_version_id,
    rows: row.rows,
    sha256: row.sha256,
    bytes: row.bytes,
    createdAt: row.created_at,
    jobId: row.job_id,
    summary: JSON.parse(row.summary) as Record<string, number>,
  };
}

/** What a scoring job records once its file is stored. */
export type NewPredictionSet = Omit<PredictionSet, 'id' | 'createdAt'>;

/** Stored prediction sets of batch scoring (see migrations/010-scoring.ts). */
export function createScoringRepo(db: Db) {
  return {
    insertSet(set: NewPredictionSet): PredictionSet {
      const info = db
        .prepare(
          `INSERT INTO prediction_sets (model, version, source_label, dataset_version_id, rows, sha256, bytes, created_at, job_id, summary)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          set.model,
          set.version,
          set.sourceLabel,
          set.datasetVersionId,
          set.rows,
          set.sha256,
          set.bytes,
          Date.now(),
          set.jobId,
          JSON.stringify(set.summary),
        );
      return this.getSet(Number(info.lastInsertRowid));
    },
    getSet(id: number): PredictionSet {
      const row = db.prepare('SELECT * FROM prediction_sets WHERE id = ?').get(id) as SetRow | undefined;
      if (!row) throw new AppError('not_found', `No prediction set with id ${id}.`);
      return toSet(row);
    },
    /** Newest first; of one model when `model` is given. */
    listSets(query: { model?: string; limit?: number } = {}): PredictionSet[] {
      const limit = query.limit ?? 500;
      const rows = (
        query.model === undefined
          ? db.prepare('SELECT * FROM prediction_sets ORDER BY id DESC LIMIT ?').all(limit)
          : db.prepare('SELECT * FROM prediction_sets WHERE model = ? ORDER BY id DESC LIMIT ?').all(query.model, limit)
      ) as SetRow[];
      return rows.map(toSet);
    },
    /** How many sets point at a file (an object is removed only with the last). */
    countSetsOfFile(sha256: string): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM prediction_sets WHERE sha256 = ?').get(sha256) as { n: number }).n;
    },
    countSets(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM prediction_sets').get() as { n: number }).n;
    },
  };
}
export type ScoringRepo = ReturnType<typeof createScoringRepo>;
