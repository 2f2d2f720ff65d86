/**
 * The run-comparison report's reader over a workspace store: runs with their
 * experiment's name, a run's JSON artifact (the ROC points), and the sibling
 * groups the New run wizard launched (the report's listed targets).
 */
import fs from 'node:fs';
import { AppError } from '../../../../shared/errors';
import { COMPARE_MAX_RUNS } from '../../../../shared/run-comparison';
import { SYSTEM_TAGS } from '../../../../shared/tracking';
import type { Store } from '../../store';
import type { RunComparisonReader } from './run-comparison-report';

/** How many sibling groups the Reports page lists (newest first). */
const LISTED_COMPARISONS = 50;

function orNull<T>(read: () => T): T | null {
  try {
    return read();
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return null;
    throw error;
  }
}

/** The reader the report pipeline hangs on `ReportDataReader.tracking`. */
export function createRunComparisonReader(store: Pick<Store, 'tracking' | 'objects'>): RunComparisonReader {
  return {
    getRun(runId) {
      const run = orNull(() => store.tracking.getRun(runId));
      if (!run) return null;
      return {
        ...run,
        experimentName: orNull(() => store.tracking.getExperiment(run.info.experimentId).name) ?? String(run.info.experimentId),
      };
    },
    async readArtifactText(runId, path) {
      const entry = orNull(() => store.tracking.getArtifact(runId, path));
      if (!entry) return null;
      const file = store.objects.objectPath(entry.sha256);
      return fs.existsSync(file) ? fs.promises.readFile(file, 'utf8') : null;
    },
    listComparisons() {
      const experimentIds = store.tracking.listExperiments('active').map((e) => e.id);
      if (experimentIds.length === 0) return [];
      const { runs } = store.tracking.searchRuns({
        experimentIds,
        filter: `tags.\`${SYSTEM_TAGS.comparison}\` IS NOT NULL`,
        orderBy: ['attributes.start_time DESC'],
        maxResults: 2000,
      });
      const groups = new Map<string, { runIds: string[]; names: string[]; startTime: number }>();
      for (const r of runs) {
        const group = r.tags[SYSTEM_TAGS.comparison];
        if (!group) continue;
        const g = groups.get(group) ?? { runIds: [], names: [], startTime: r.info.startTime };
        if (g.runIds.length < COMPARE_MAX_RUNS) {
          g.runIds.push(r.info.runId);
          g.names.push(r.info.name);
        }
        groups.set(group, g);
      }
      return [...groups.values()]
        .filter((g) => g.runIds.length >= 2)
        .slice(0, LISTED_COMPARISONS)
        .map((g) => ({ runIds: g.runIds, names: g.names, date: new Date(g.startTime).toISOString() }));
    },
  };
}
