import { describe, it, expect } from 'vitest';
import { compareAssessments } from './compare-assessments';
import { buildAssessment } from './test-fixtures';
import { MATURITY_ITEMS } from '../../../shared/maturity-content';

describe('compareAssessments', () => {
  it('gives per-level and per-area deltas and changed items', () => {
    const before = buildAssessment('q1', (i) => (MATURITY_ITEMS[i].level === 0 ? 'yes' : 'no'));
    // After a quarter: level-1 data and model practices in place, manual data traits gone.
    const after = buildAssessment('q2', (i) => {
      const item = MATURITY_ITEMS[i];
      if (item.level === 1 && (item.area === 'data' || item.area === 'model')) return 'yes';
      if (item.level === 0 && item.area === 'data') return 'no';
      return item.level === 0 ? 'yes' : 'no';
    });
    const c = compareAssessments(before, after);
    expect(c.beforeLevel).toBe(0);
    expect(c.afterLevel).toBe(0);
    expect(c.levels.map((l) => l.delta)).toEqual([-25, 50, 0]);
    const l1data = c.areas.find((a) => a.level === 1 && a.area === 'data');
    expect(l1data).toMatchObject({ before: 0, after: 100, delta: 100 });
    expect(c.areas.find((a) => a.level === 1 && a.area === 'deployment')?.delta).toBe(0);
    expect(c.changedItems).toHaveLength(9);
    expect(c.changedItems.find((x) => x.itemId === 'l1-data-versioning')).toEqual({ itemId: 'l1-data-versioning', before: 'no', after: 'yes' });
  });

  it('reports no change between identical assessments', () => {
    const a = buildAssessment('a', () => 'partly');
    const c = compareAssessments(a, { ...a, id: 'b' });
    expect(c.changedItems).toEqual([]);
    expect(c.levels.every((l) => l.delta === 0)).toBe(true);
  });
});
