/**
 * Evidence from the workbench itself, shown beside the human answers.
 *
 * Each capability writes ONE `EvidenceProvider` next to its own code (e.g.
 * electron/core/datasets/datasets-evidence.ts): the maturity items it speaks
 * to and how to read its counts through its own store repository. The list
 * of providers is electron/core/maturity/evidence-providers.ts; a capability
 * adds its provider there when it lands, and not before.
 *
 * Evidence only ever says "this practice exists here" — an empty workspace
 * is not evidence that a team lacks a practice (they may use DVC or MLflow
 * elsewhere), so providers return null when their counts are zero.
 */
import type { AnswerMap, AnswerValue, Evidence, EvidenceDisagreement, LocalizedText, WorkbenchPage } from '../../../shared/maturity';
import { findMaturityItem } from '../../../shared/maturity-content';
import type { Store } from '../store';

/** What a provider reads: the workspace store and the clock, so "last 30 days" is testable. */
export interface EvidenceContext {
  store: Store;
  /** "Now", epoch ms. */
  nowMs: number;
}

/** What a provider finds; the collector adds its id, items and page. */
export type EvidenceFinding = Omit<Evidence, 'providerId' | 'itemIds' | 'page'>;

/** One source of evidence, owned by the capability whose data it reads. */
export interface EvidenceProvider {
  /** Stable id, `capability.what` (e.g. `datasets.versions`). */
  id: string;
  /** Maturity item ids (shared/maturity-content.ts) the evidence speaks to. */
  itemIds: string[];
  /** The workbench page where the practice lives. */
  page: WorkbenchPage;
  /** The finding, or null when there is nothing to show (zero counts are not evidence). */
  collect(context: EvidenceContext): EvidenceFinding | null | Promise<EvidenceFinding | null>;
}

/** "Recent" = the last 30 days, as in "12 runs tracked in the last 30 days". */
export const RECENT_DAYS = 30;
const DAY_MS = 86_400_000;

/** Start of the "recent" window for this collection. */
export function recentSince(context: EvidenceContext): Date {
  return new Date(context.nowMs - RECENT_DAYS * DAY_MS);
}

/** "1 version" / "3 versions". */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A summary in both UI languages. */
export function localized(en: string, ja: string): LocalizedText {
  return { en, ja };
}

/** Options of a collection. */
export interface CollectEvidenceOptions {
  /** "Now", epoch ms (default: the clock). */
  nowMs?: number;
  /** Told about each provider that threw (it is skipped). */
  onError?: (providerId: string, error: unknown) => void;
}

/**
 * Runs the providers, in order, against the store. A provider that throws is
 * skipped (evidence is advisory; a broken count must not break the result
 * page); its error is reported through `onError`.
 */
export async function collectEvidence(
  store: Store,
  providers: readonly EvidenceProvider[],
  options: CollectEvidenceOptions = {},
): Promise<Evidence[]> {
  const context: EvidenceContext = { store, nowMs: options.nowMs ?? Date.now() };
  const evidence: Evidence[] = [];
  for (const provider of providers) {
    try {
      const found = await provider.collect(context);
      if (found) evidence.push({ ...found, providerId: provider.id, itemIds: provider.itemIds, page: provider.page });
    } catch (error) {
      options.onError?.(provider.id, error);
    }
  }
  return evidence;
}

/** Evidence grouped by item id. */
export function groupEvidenceByItem(evidence: readonly Evidence[]): Map<string, Evidence[]> {
  const byItem = new Map<string, Evidence[]>();
  for (const entry of evidence) {
    for (const itemId of entry.itemIds) byItem.set(itemId, [...(byItem.get(itemId) ?? []), entry]);
  }
  return byItem;
}

/**
 * Where answers and evidence point different ways. Evidence means "the
 * practice exists here", so it suggests "yes" for a level-1/2 practice and
 * "no" for a level-0 manual trait. `partly` is never a contradiction (the
 * practice may exist only for some models).
 */
export function findDisagreements(answers: AnswerMap, evidence: readonly Evidence[]): EvidenceDisagreement[] {
  const result: EvidenceDisagreement[] = [];
  for (const [itemId, entries] of groupEvidenceByItem(evidence)) {
    const item = findMaturityItem(itemId);
    if (!item) continue;
    const answer: AnswerValue | null = answers[itemId]?.value ?? null;
    const suggested: AnswerValue = item.polarity === 'absence' ? 'no' : 'yes';
    const opposite: AnswerValue = suggested === 'yes' ? 'no' : 'yes';
    if (answer === opposite) result.push({ itemId, answer, suggested, evidence: entries, kind: 'contradicts' });
    else if (answer === null || answer === 'unsure') result.push({ itemId, answer, suggested, evidence: entries, kind: 'unanswered' });
  }
  return result;
}
