import fs from 'node:fs';
import { AppError } from '../../../shared/errors';
import type { AppContext } from '../app-context';
import { scoreBatchJob } from '../serving/score-batch-job';
import type { HandlersFor } from './handler-types';

/** Largest scored CSV `scoring:csv` hands to the renderer as text (bigger ones: `mlwb score … OUT.csv` or the job's `out`). */
export const MAX_CSV_TEXT_BYTES = 64 << 20;

/** The batch scoring channels: start a job, list the stored prediction sets, read one's CSV. */
export function createScoringHandlers(ctx: AppContext): HandlersFor<'scoring:start' | 'scoring:sets' | 'scoring:csv'> {
  const { store } = ctx;
  return {
    'scoring:start': (req) => ctx.jobs.start(scoreBatchJob, req),
    'scoring:sets': ({ name }) => store.scoring.listSets({ model: name }),
    'scoring:csv': ({ id }) => {
      const set = store.scoring.getSet(id);
      const file = store.objects.objectPath(set.sha256);
      if (!fs.existsSync(file)) throw new AppError('not_found', `The scored CSV of prediction set ${id} is missing from the workspace.`);
      if (set.bytes > MAX_CSV_TEXT_BYTES) {
        throw new AppError(
          'bad_input',
          `Prediction set ${id} is ${(set.bytes / 2 ** 20).toFixed(0)} MiB, too large to download here (limit ${MAX_CSV_TEXT_BYTES / 2 ** 20} MiB); score again with an output file (mlwb score … OUT.csv).`,
        );
      }
      return fs.readFileSync(file, 'utf8');
    },
  };
}
