import {
  recipeSchema,
  recipeSpecSchema,
  type CellValue,
  type DataTable,
  type Recipe,
  type RecipeSpec,
  type RecipeStep,
} from '../../../shared/datasets';

/** Name of the one-hot column collecting categories outside the top k (and unseen ones at prediction time). */
export const OTHER_BUCKET = '__other__';

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return null;
    const n = Number(t);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function toCategory(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = typeof v === 'string' ? v : String(v);
  return s === '' ? null : s;
}

function median(sorted: number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const m = n >> 1;
  return n % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/**
 * Fits a preprocessing recipe on a table, as the chapter's pipeline: median
 * (or mean / constant) imputation and optional standard scaling for numbers,
 * mode (or constant) imputation and one-hot encoding of the top k categories
 * plus an "other" bucket for categories and booleans. Text and date columns
 * are dropped (they need feature engineering a recipe does not do), as are
 * `spec.drop` and the target. The result is plain JSON, replayable with
 * {@link applyRecipe} at prediction time.
 */
export function fitRecipe(table: DataTable, specInput: Partial<RecipeSpec> = {}): Recipe {
  const spec = recipeSpecSchema.parse(specInput);
  const steps: RecipeStep[] = [];
  const dropped: string[] = [];
  const featureNames: string[] = [];
  table.columns.forEach((col, ci) => {
    if (col.name === spec.target) return;
    if (spec.drop.includes(col.name) || col.type === 'text' || col.type === 'date') {
      dropped.push(col.name);
      return;
    }
    if (col.type === 'number' || col.type === 'integer') {
      const present: number[] = [];
      for (const r of table.rows) {
        const v = toNumber(r[ci]);
        if (v !== null) present.push(v);
      }
      let impute: number;
      if (spec.numericImpute === 'constant' || present.length === 0) impute = spec.numericConstant;
      else if (spec.numericImpute === 'mean') impute = present.reduce((a, b) => a + b, 0) / present.length;
      else impute = median(present.slice().sort((a, b) => a - b));
      let scaleMean: number | null = null;
      let scaleStd: number | null = null;
      if (spec.scale) {
        // Scale statistics of the imputed column, as sklearn's impute-then-scale pipeline (population std).
        const n = table.rows.length;
        let sum = 0;
        for (const r of table.rows) sum += toNumber(r[ci]) ?? impute;
        const mean = n > 0 ? sum / n : 0;
        let ss = 0;
        for (const r of table.rows) {
          const d = (toNumber(r[ci]) ?? impute) - mean;
          ss += d * d;
        }
        const std = n > 0 ? Math.sqrt(ss / n) : 0;
        scaleMean = mean;
        scaleStd = std > 0 ? std : 1;
      }
      steps.push({ column: col.name, kind: 'numeric', impute, scaleMean, scaleStd });
      featureNames.push(col.name);
      return;
    }
    const counts = new Map<string, number>();
    for (const r of table.rows) {
      const v = toCategory(r[ci]);
      if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    // Mode ties break alphabetically so a refit on the same data gives the same recipe.
    const byFreq = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const impute = spec.categoricalImpute === 'constant' || byFreq.length === 0 ? spec.categoricalConstant : byFreq[0][0];
    const missing = table.rows.length - [...counts.values()].reduce((a, b) => a + b, 0);
    if (missing > 0) counts.set(impute, (counts.get(impute) ?? 0) + missing);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const categories = ranked.slice(0, spec.topK).map(([v]) => v);
    const step: RecipeStep = { column: col.name, kind: 'categorical', impute, categories, oneHot: spec.oneHot, other: true };
    steps.push(step);
    if (spec.oneHot) {
      for (const c of categories) featureNames.push(`${col.name}=${c}`);
      featureNames.push(`${col.name}=${OTHER_BUCKET}`);
    } else featureNames.push(col.name);
  });
  return recipeSchema.parse({ version: 1, spec, steps, featureNames, dropped });
}

/** Record-shaped input: by column name (what serving receives). */
export type RecipeRecord = Record<string, unknown>;

/**
 * Applies a fitted recipe to one record, returning the feature vector in
 * `recipe.featureNames` order. Missing or unparseable values are imputed;
 * categories never seen in fitting go to the "other" bucket.
 */
export function applyRecipeToRecord(recipe: Recipe, record: RecipeRecord): number[] {
  const out: number[] = [];
  for (const step of recipe.steps) {
    const raw = record[step.column];
    if (step.kind === 'numeric') {
      let v = toNumber(raw) ?? step.impute;
      if (step.scaleMean !== null && step.scaleStd !== null) v = (v - step.scaleMean) / step.scaleStd;
      out.push(v);
    } else {
      const v = toCategory(raw) ?? step.impute;
      const idx = step.categories.indexOf(v);
      if (step.oneHot) {
        for (let i = 0; i < step.categories.length; i++) out.push(i === idx ? 1 : 0);
        out.push(idx < 0 ? 1 : 0);
      } else out.push(idx < 0 ? step.categories.length : idx);
    }
  }
  return out;
}

/** Applies a recipe to every row of a table (by column name), returning a numeric matrix. */
export function applyRecipe(recipe: Recipe, table: DataTable): number[][] {
  const names = table.columns.map((c) => c.name);
  return table.rows.map((row) => {
    const rec: RecipeRecord = {};
    for (let i = 0; i < names.length; i++) rec[names[i]] = row[i] as CellValue;
    return applyRecipeToRecord(recipe, rec);
  });
}

/** Columns a record must (or may) carry for the recipe: every step's column. */
export function listRecipeInputs(recipe: Recipe): string[] {
  return recipe.steps.map((s) => s.column);
}
