import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerValue, Evidence } from '../../../shared/maturity';
import { findMaturityItem } from '../../../shared/maturity-content';
import { createTestApp, type TestApp } from '../../../tests/helpers/test-app';
import { collectEvidence, findDisagreements, type EvidenceProvider } from './evidence';
import { EVIDENCE_PROVIDERS, collectWorkspaceEvidence } from './evidence-providers';

let app: TestApp;
beforeAll(() => {
  app = createTestApp();
});
afterAll(() => app.cleanup());

const fixed = (id: string, itemIds: string[]): EvidenceProvider => ({
  id,
  itemIds,
  page: 'data',
  collect: () => ({ summary: { en: id, ja: id }, facts: { n: 1 } }),
});

describe('evidence providers', () => {
  it('name known items, once each', () => {
    for (const provider of EVIDENCE_PROVIDERS) {
      for (const id of provider.itemIds) expect(findMaturityItem(id), `${provider.id} → ${id}`).toBeDefined();
    }
    expect(new Set(EVIDENCE_PROVIDERS.map((p) => p.id)).size).toBe(EVIDENCE_PROVIDERS.length);
  });

  it('an empty workspace yields no evidence (not evidence of absence)', async () => {
    expect(await collectWorkspaceEvidence(app.ctx.store)).toEqual([]);
  });

  it('skips a provider that throws, reports it, and keeps the others in order', async () => {
    const errors: string[] = [];
    const broken: EvidenceProvider = {
      id: 'broken.counts',
      itemIds: ['l1-data-versioning'],
      page: 'data',
      collect: () => {
        throw new Error('no such table');
      },
    };
    const evidence = await collectEvidence(
      app.ctx.store,
      [fixed('first.one', ['l1-data-versioning']), broken, fixed('last.one', ['l1-data-lineage'])],
      {
        onError: (id, error) => errors.push(`${id}: ${(error as Error).message}`),
      },
    );
    expect(errors).toEqual(['broken.counts: no such table']);
    expect(evidence.map((e) => [e.providerId, e.itemIds, e.page])).toEqual([
      ['first.one', ['l1-data-versioning'], 'data'],
      ['last.one', ['l1-data-lineage'], 'data'],
    ]);
  });

  it('finds answers that disagree with evidence, reading level-0 polarity', async () => {
    const evidence = await collectEvidence(app.ctx.store, [
      fixed('versions.exist', ['l1-data-versioning', 'l0-data-no-versioning', 'l0-data-local-files']),
    ]);
    const disagreements = findDisagreementsOf(evidence, {
      'l1-data-versioning': 'no', // contradicts: versions exist
      'l0-data-no-versioning': 'yes', // "no versioning — this is us" contradicts too
      // l0-data-local-files unanswered → suggestion
    });
    expect(disagreements).toEqual([
      ['l1-data-versioning', 'contradicts', 'yes'],
      ['l0-data-no-versioning', 'contradicts', 'no'],
      ['l0-data-local-files', 'unanswered', 'no'],
    ]);
    expect(
      findDisagreementsOf(evidence, { 'l1-data-versioning': 'yes', 'l0-data-no-versioning': 'no', 'l0-data-local-files': 'partly' }),
    ).toEqual([]);
  });
});

function findDisagreementsOf(evidence: Evidence[], answers: Record<string, AnswerValue>): [string, string, AnswerValue][] {
  const map = Object.fromEntries(Object.entries(answers).map(([id, value]) => [id, { value, note: '' }]));
  return findDisagreements(map, evidence).map((d) => [d.itemId, d.kind, d.suggested]);
}
