import { describe, it, expect } from 'vitest';
import { EVIDENCE_PROVIDERS, collectEvidence, findDisagreements, type EvidenceReader } from './evidence';
import { findMaturityItem } from '../../../shared/maturity-content';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const DAY = 86_400_000;

describe('evidence registry', () => {
  it('only names known items', () => {
    for (const provider of EVIDENCE_PROVIDERS) {
      for (const id of provider.itemIds) expect(findMaturityItem(id), `${provider.id} → ${id}`).toBeDefined();
    }
    expect(new Set(EVIDENCE_PROVIDERS.map((p) => p.id)).size).toBe(EVIDENCE_PROVIDERS.length);
  });

  it('yields nothing for an empty reader or an empty workspace', async () => {
    expect(await collectEvidence({}, { nowMs: NOW })).toEqual([]);
    const zero: EvidenceReader = { countDatasets: () => 0, countDatasetVersions: () => 0, countRuns: () => 0 };
    expect(await collectEvidence(zero, { nowMs: NOW })).toEqual([]);
  });

  it('counts recent runs with the 30-day window and reports dataset versions', async () => {
    const runTimes = [NOW - 1 * DAY, NOW - 10 * DAY, NOW - 29 * DAY, NOW - 45 * DAY];
    let seenSince: number | undefined;
    const reader: EvidenceReader = {
      countDatasets: () => 2,
      countDatasetVersions: async () => 5,
      countRuns: (filter) => {
        if (filter?.sinceMs !== undefined) seenSince = filter.sinceMs;
        return runTimes.filter((t) => filter?.sinceMs === undefined || t >= filter.sinceMs).length;
      },
    };
    const evidence = await collectEvidence(reader, { nowMs: NOW });
    const runs = evidence.find((e) => e.providerId === 'tracking.runs');
    expect(seenSince).toBe(NOW - 30 * DAY);
    expect(runs?.facts).toEqual({ recentRuns: 3, runs: 4 });
    expect(runs?.summary.en).toBe('3 runs tracked with params and metrics in the last 30 days (4 in total)');
    expect(runs?.summary.ja).toContain('3 件');
    const data = evidence.find((e) => e.providerId === 'datasets.versions');
    expect(data?.summary.en).toBe('5 versions of 2 data sets in the versioned store');
    expect(data?.itemIds).toContain('l1-data-versioning');
  });

  it('skips a provider that throws and reports it', async () => {
    const errors: string[] = [];
    const reader: EvidenceReader = {
      countDatasets: () => 1,
      countDatasetVersions: () => {
        throw new Error('table missing');
      },
      countRegisteredModels: () => 1,
      countModelVersions: () => 3,
    };
    const evidence = await collectEvidence(reader, { nowMs: NOW, onError: (id) => errors.push(id) });
    expect(errors).toEqual(['datasets.versions']);
    expect(evidence.map((e) => e.providerId)).toEqual(['registry.models']);
  });

  it('finds answers that disagree with evidence, reading level-0 polarity', async () => {
    const evidence = await collectEvidence({ countDatasets: () => 1, countDatasetVersions: () => 3 }, { nowMs: NOW });
    const disagreements = findDisagreements(
      {
        'l1-data-versioning': { value: 'no', note: '' }, // contradicts: versions exist
        'l0-data-no-versioning': { value: 'yes', note: '' }, // "no versioning — this is us" contradicts too
        // l0-data-local-files unanswered → suggestion
      },
      evidence,
    );
    expect(disagreements.map((d) => [d.itemId, d.kind, d.suggested])).toEqual([
      ['l1-data-versioning', 'contradicts', 'yes'],
      ['l0-data-no-versioning', 'contradicts', 'no'],
      ['l0-data-local-files', 'unanswered', 'no'],
    ]);
    const agreeing = findDisagreements(
      { 'l1-data-versioning': { value: 'yes', note: '' }, 'l0-data-no-versioning': { value: 'no', note: '' }, 'l0-data-local-files': { value: 'partly', note: '' } },
      evidence,
    );
    expect(agreeing).toEqual([]);
  });
});
