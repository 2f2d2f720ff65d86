import type { DatasetProfile, ValidationRule, ValidationSuite } from '../../../shared/datasets';

/** Rounds outward to 4 significant digits so suggested bounds read well and still contain the observed value. */
function roundOut(x: number, dir: 'down' | 'up'): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const p = Math.pow(10, Math.floor(Math.log10(Math.abs(x))) - 3);
  return (dir === 'down' ? Math.floor(x / p) : Math.ceil(x / p)) * p;
}

/**
 * Infers a starting suite from a version's profile, as Great Expectations'
 * profiler does: every column exists and has its type; missing share may
 * not grow by more than half (none allowed if there were none); numbers stay
 * within the observed range and the mean within ±10% of a standard
 * deviation; small, fully observed category sets become in-set rules;
 * columns with all-distinct values become unique; and the row count may
 * halve or double. A starting point the user edits, not a verdict.
 */
export function suggestSuite(profile: DatasetProfile, name = 'Suggested suite'): ValidationSuite {
  const rules: ValidationRule[] = [];
  for (const c of profile.columns) {
    rules.push({ kind: 'column_exists', column: c.name });
    rules.push({ kind: 'type_is', column: c.name, type: c.type });
    const share = c.missingShare;
    rules.push({ kind: 'not_null', column: c.name, maxMissingShare: share === 0 ? 0 : Math.min(1, Math.ceil(share * 1.5 * 100) / 100) });
    if ((c.type === 'number' || c.type === 'integer') && c.min !== undefined && c.max !== undefined) {
      rules.push({ kind: 'between', column: c.name, min: roundOut(c.min, 'down'), max: roundOut(c.max, 'up') });
      if (c.mean !== undefined) {
        const tol = Math.max((c.std ?? 0) * 0.1, Math.abs(c.mean) * 0.01, 1e-9);
        rules.push({ kind: 'mean_between', column: c.name, min: roundOut(c.mean - tol, 'down'), max: roundOut(c.mean + tol, 'up') });
      }
    }
    if ((c.type === 'category' || c.type === 'boolean') && c.topValues && !c.distinctCapped && c.topValues.length === c.distinct && c.distinct > 0) {
      rules.push({ kind: 'in_set', column: c.name, values: c.topValues.map((t) => t.value) });
    }
    if (c.missing === 0 && !c.distinctCapped && c.distinct === c.count && c.count === profile.rows && profile.rows > 1) {
      rules.push({ kind: 'unique', column: c.name });
    }
  }
  rules.push({ kind: 'row_count_between', min: Math.floor(profile.rows / 2), max: profile.rows * 2 });
  return { name, rules };
}
