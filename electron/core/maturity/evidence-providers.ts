/**
 * Every capability's maturity evidence provider, in display order. A
 * capability that lands writes its provider beside its own code and adds one
 * line here (experiments, registry, monitoring and pipelines will).
 */
import type { Evidence } from '../../../shared/maturity';
import { datasetVersionsEvidence } from '../datasets/datasets-evidence';
import { DRIFT_EVIDENCE } from '../monitoring/drift-evidence';
import { PIPELINE_EVIDENCE } from '../pipelines/pipelines-evidence';
import { REGISTRY_EVIDENCE } from '../registry/registry-evidence';
import { SERVING_EVIDENCE } from '../serving/serving-evidence';
import type { Store } from '../store';
import { TRACKING_EVIDENCE } from '../tracking/tracking-evidence';
import { validationRunsEvidence } from '../validation/validation-evidence';
import { collectEvidence, type CollectEvidenceOptions, type EvidenceProvider } from './evidence';

export const EVIDENCE_PROVIDERS: readonly EvidenceProvider[] = [
  datasetVersionsEvidence,
  validationRunsEvidence,
  ...TRACKING_EVIDENCE,
  ...REGISTRY_EVIDENCE,
  ...SERVING_EVIDENCE,
  ...DRIFT_EVIDENCE,
  ...PIPELINE_EVIDENCE,
];

/** The workspace's evidence from every provider (what the Maturity page and the report show). */
export function collectWorkspaceEvidence(store: Store, options: CollectEvidenceOptions = {}): Promise<Evidence[]> {
  return collectEvidence(store, EVIDENCE_PROVIDERS, options);
}
