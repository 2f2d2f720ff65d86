import type { Db } from './database';

/** Scoring servers and the prediction log (see migrations/009-serving.ts). */
export function createServingRepo(db: Db) {
  void db;
  return {};
}
export type ServingRepo = ReturnType<typeof createServingRepo>;
