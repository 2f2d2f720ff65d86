import type { Migration } from './index';

/**
 * "Clear finished" in the job tray hides jobs instead of deleting them: a
 * finished job's row holds its result (a train job's metrics), which pages
 * other than the tray still show.
 */
export const migration006JobDismissal: Migration = {
  version: 6,
  name: 'jobs: dismissed from the tray',
  sql: `
    ALTER TABLE jobs ADD COLUMN dismissed INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX jobs_kind ON jobs(kind, id);
  `,
};
