/** Builders for maturity tests (not shipped code paths). */
import type { Assessment, AnswerMap, AnswerValue } from '../../../shared/maturity';
import { MATURITY_CONTENT_VERSION, MATURITY_ITEMS } from '../../../shared/maturity-content';

/** A complete assessment where `pick(itemIndex)` gives each answer. */
export function buildAssessment(id: string, pick: (index: number) => AnswerValue | null, overrides: Partial<Assessment> = {}): Assessment {
  const answers: AnswerMap = {};
  MATURITY_ITEMS.forEach((item, index) => {
    const value = pick(index);
    if (value !== null) answers[item.id] = { value, note: index === 0 ? 'Shared drive, CSV files' : '' };
  });
  return {
    id,
    meta: { organisation: 'Acme Analytics', team: 'Churn team', facilitator: 'Aiko Sato', participants: ['Ben', 'Chika'], date: '2026-11-27' },
    settings: { partlyCountsHalf: false },
    answers,
    status: 'completed',
    cursor: 35,
    contentVersion: MATURITY_CONTENT_VERSION,
    createdAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-27T11:00:00.000Z',
    ...overrides,
  };
}
