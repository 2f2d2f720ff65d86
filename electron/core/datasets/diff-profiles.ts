import type { ColumnProfile, DatasetDiff, DatasetProfile, StatChange } from '../../../shared/datasets';

const NUMERIC_STATS = ['min', 'max', 'mean', 'std', 'q25', 'median', 'q75'] as const;

function change(stat: string, before: number | null | undefined, after: number | null | undefined): StatChange | null {
  const b = before ?? null;
  const a = after ?? null;
  if (b === a) return null;
  const delta = a !== null && b !== null ? a - b : null;
  if (delta === 0) return null;
  const relative = delta !== null && b !== null && b !== 0 ? delta / Math.abs(b) : null;
  return { stat, before: b, after: a, delta, relative };
}

function diffColumn(b: ColumnProfile, a: ColumnProfile): StatChange[] {
  const out: StatChange[] = [];
  const push = (c: StatChange | null): void => {
    if (c) out.push(c);
  };
  push(change('count', b.count, a.count));
  push(change('missingShare', b.missingShare, a.missingShare));
  push(change('invalid', b.invalid, a.invalid));
  push(change('distinct', b.distinct, a.distinct));
  for (const s of NUMERIC_STATS) push(change(s, b[s], a[s]));
  // Category shares: report the top values whose share moved (or appeared / vanished).
  // Not for text or dates: their top values are near-unique and their shares are noise.
  const categorical = (t: ColumnProfile['type']) => t === 'category' || t === 'boolean';
  if (categorical(b.type) && categorical(a.type) && (b.topValues || a.topValues)) {
    const share = (p: ColumnProfile, v: string): number | null => {
      const t = p.topValues?.find((x) => x.value === v);
      return t && p.count > 0 ? t.count / p.count : null;
    };
    const values = new Set([...(b.topValues ?? []), ...(a.topValues ?? [])].map((t) => t.value));
    for (const v of values) {
      const c = change(`share of "${v}"`, share(b, v), share(a, v));
      if (c && (c.delta === null || Math.abs(c.delta) >= 0.001)) out.push(c);
    }
  }
  return out;
}

/**
 * Compares two versions' profiles: columns added, removed or retyped (matched
 * by name), the row count change, and every per-column statistic that moved.
 * Pure: works from stored profiles, no file access.
 */
export function diffProfiles(before: DatasetProfile, after: DatasetProfile): DatasetDiff {
  const bByName = new Map(before.columns.map((c) => [c.name, c]));
  const aByName = new Map(after.columns.map((c) => [c.name, c]));
  const diff: DatasetDiff = {
    added: after.columns.filter((c) => !bByName.has(c.name)).map((c) => ({ name: c.name, type: c.type })),
    removed: before.columns.filter((c) => !aByName.has(c.name)).map((c) => ({ name: c.name, type: c.type })),
    retyped: [],
    rowsBefore: before.rows,
    rowsAfter: after.rows,
    rowDelta: after.rows - before.rows,
    duplicateRowsBefore: before.duplicateRows,
    duplicateRowsAfter: after.duplicateRows,
    columns: [],
  };
  for (const b of before.columns) {
    const a = aByName.get(b.name);
    if (!a) continue;
    if (a.type !== b.type) diff.retyped.push({ name: b.name, before: b.type, after: a.type });
    const changes = diffColumn(b, a);
    if (changes.length > 0) diff.columns.push({ name: b.name, changes });
  }
  return diff;
}
