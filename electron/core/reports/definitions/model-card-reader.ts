/**
 * The model-card report's reader over a workspace store: a version's card
 * (by number, stage or alias) and the registered versions to list as targets.
 */
import { AppError } from '../../../../shared/errors';
import { buildModelCard } from '../../registry/model-card';
import type { Store } from '../../store';
import type { ModelCardReader } from './model-card-report';

/** How many versions the Reports page lists (newest first). */
const LISTED_VERSIONS = 200;

/** The reader the report pipeline hangs on `ReportDataReader.registry`. */
export function createModelCardReader(store: Pick<Store, 'registry' | 'tracking' | 'datasets' | 'objects'>): ModelCardReader {
  return {
    getCard(name, selector) {
      try {
        const v = store.registry.resolveVersion(name, selector);
        return buildModelCard(store, v.name, v.version);
      } catch (error) {
        if (error instanceof AppError && error.code === 'not_found') return null;
        throw error;
      }
    },
    listVersions() {
      return store.registry
        .listModels()
        .flatMap((m) => store.registry.listVersions(m.name))
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, LISTED_VERSIONS)
        .map((v) => ({ name: v.name, version: v.version, stage: v.stage, createdAt: v.createdAt }));
    },
  };
}
