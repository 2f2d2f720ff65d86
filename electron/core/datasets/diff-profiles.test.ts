import { describe, expect, it } from 'vitest';
import type { ColumnProfile, DatasetProfile } from '../../../shared/datasets';
import { diffProfiles } from './diff-profiles';

function col(name: string, type: ColumnProfile['type'], extra: Partial<ColumnProfile> = {}): ColumnProfile {
  return { name, type, count: 10, missing: 0, missingShare: 0, invalid: 0, invalidExamples: [], distinct: 10, distinctCapped: false, ...extra };
}
function profile(rows: number, columns: ColumnProfile[], duplicateRows = 0): DatasetProfile {
  return { rows, columns, duplicateRows, skippedRows: 0, skippedExamples: [], warnings: [] };
}

describe('diffProfiles', () => {
  it('finds added, removed and retyped columns, row and stat changes', () => {
    const a = profile(100, [col('x', 'number', { mean: 2, min: 0, max: 4 }), col('gone', 'text'), col('k', 'integer')]);
    const b = profile(120, [col('x', 'number', { mean: 3, min: 0, max: 4 }), col('k', 'number'), col('new', 'category')], 2);
    const d = diffProfiles(a, b);
    expect(d.added).toEqual([{ name: 'new', type: 'category' }]);
    expect(d.removed).toEqual([{ name: 'gone', type: 'text' }]);
    expect(d.retyped).toEqual([{ name: 'k', before: 'integer', after: 'number' }]);
    expect(d.rowDelta).toBe(20);
    expect(d.duplicateRowsAfter).toBe(2);
    const x = d.columns.find((c) => c.name === 'x')!;
    expect(x.changes).toEqual([{ stat: 'mean', before: 2, after: 3, delta: 1, relative: 0.5 }]);
  });

  it('reports category share changes and nothing for identical profiles', () => {
    const c1 = col('c', 'category', { topValues: [{ value: 'a', count: 8 }, { value: 'b', count: 2 }] });
    const c2 = col('c', 'category', { topValues: [{ value: 'a', count: 5 }, { value: 'c', count: 5 }] });
    const d = diffProfiles(profile(10, [c1]), profile(10, [c2]));
    const stats = d.columns[0].changes.map((c) => c.stat);
    expect(stats).toEqual(['share of "a"', 'share of "b"', 'share of "c"']);
    const same = diffProfiles(profile(10, [c1]), profile(10, [c1]));
    expect(same.columns).toEqual([]);
    expect(same.rowDelta).toBe(0);
  });
});
