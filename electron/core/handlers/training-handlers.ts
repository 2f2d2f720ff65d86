import type { trainingChannels } from '../../../shared/contracts/training';
import type { DatasetVersion } from '../../../shared/contracts/datasets';
import type { ColumnProfile } from '../../../shared/datasets';
import { detectTask, type TrainableColumn, type TrainableVersion } from '../../../shared/training';
import type { AppContext } from '../app-context';
import type { HandlersFor } from './handler-types';

/** Most classes whose counts `training:sources` gives (the profile counts integers per value up to a range of 40). */
const MAX_CLASS_COUNTS = 40;

/**
 * A column's rows per value from its profile, when the profile counted every value exactly:
 * the top values of a category, boolean or text column that has no more distinct values than
 * were listed, or the per-value histogram of an integer column (not a sampled one).
 */
export function classCountsOf(p: ColumnProfile): Pick<TrainableColumn, 'classCounts'> {
  if (p.distinct > MAX_CLASS_COUNTS || p.distinctCapped) return {};
  if (p.topValues && p.topValues.length === p.distinct)
    return { classCounts: p.topValues.map((t) => ({ value: t.value, count: t.count })) };
  if (p.type === 'integer' && p.histogram && !p.quantilesApproximate) {
    const single = p.histogram.length === 1 && p.histogram[0].lo === p.histogram[0].hi;
    if (!single && !p.histogram.every((b) => b.hi - b.lo === 1)) return {};
    const counts = p.histogram.filter((b) => b.count > 0).map((b) => ({ value: String(single ? b.lo : b.lo + 0.5), count: b.count }));
    return counts.length === p.distinct ? { classCounts: counts } : {};
  }
  return {};
}

/** A dataset version as `training:sources` lists it: its columns with the task each implies and, when exact, its rows per class. */
export function trainableVersionOf(v: DatasetVersion): TrainableVersion {
  const profiles = new Map(v.profile.columns.map((c) => [c.name, c]));
  return {
    versionId: v.id,
    datasetId: v.datasetId,
    datasetName: v.datasetName,
    tag: v.tag,
    label: `${v.datasetName}@${v.tag}`,
    rows: v.rows,
    sha256: v.sha256,
    createdAt: v.createdAt,
    columns: v.csvOptions.columns.map((c) => {
      const p = profiles.get(c.name);
      const distinct = p?.distinct ?? 0;
      return {
        name: c.name,
        type: c.type,
        distinct,
        missing: p?.missing ?? 0,
        detectedTask: detectTask({ type: c.type, distinct }),
        ...(p ? classCountsOf(p) : {}),
      };
    }),
  };
}

/** Handlers of the training channels: the versions that can be trained on (runs are launched through `runs:launch`). */
export function createTrainingHandlers(ctx: AppContext): HandlersFor<keyof typeof trainingChannels> {
  const { store } = ctx;
  return {
    'training:sources': () => {
      const out: TrainableVersion[] = [];
      for (const d of store.datasets.listDatasets()) {
        for (const summary of d.versions) {
          out.push(trainableVersionOf(store.datasets.getVersion(summary.id)));
        }
      }
      return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.versionId - a.versionId);
    },
  };
}
