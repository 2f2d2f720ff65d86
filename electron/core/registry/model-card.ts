import type { ModelCard } from '../../../shared/registry';
import type { Store } from '../store';

/** Builds a version's model card. (Placeholder: the model-card helper replaces this file.) */
export function buildModelCard(store: Store, name: string, version: number): ModelCard {
  void store;
  throw new Error(`model card of ${name} v${version}: not built yet`);
}
