import { describe, expect, it } from 'vitest';
import type { DataTable } from '../../../shared/datasets';
import { recipeSchema } from '../../../shared/datasets';
import { applyRecipe, applyRecipeToRecord, fitRecipe, OTHER_BUCKET } from './recipe';

const table: DataTable = {
  columns: [
    { name: 'age', type: 'integer' },
    { name: 'city', type: 'category' },
    { name: 'vip', type: 'boolean' },
    { name: 'note', type: 'text' },
    { name: 'id', type: 'integer' },
    { name: 'y', type: 'integer' },
  ],
  rows: [
    [10, 'Oslo', true, 'a', 1, 0],
    [20, 'Oslo', false, 'b', 2, 1],
    [null, 'Rome', null, 'c', 3, 0],
    [40, null, true, 'd', 4, 1],
    [30, 'Lima', true, 'e', 5, 0],
  ],
};

describe('fitRecipe / applyRecipe', () => {
  it('learns median and mode imputation, scaling and top-k one-hot with an other bucket', () => {
    const r = fitRecipe(table, { target: 'y', drop: ['id'], topK: 2 });
    expect(recipeSchema.parse(JSON.parse(JSON.stringify(r)))).toEqual(r); // plain JSON round trip
    expect(r.dropped).toEqual(['note', 'id']);
    const age = r.steps.find((s) => s.column === 'age')!;
    expect(age).toMatchObject({ kind: 'numeric', impute: 25 });
    // scaling stats come from the imputed column: 10,20,25,40,30
    expect(age.kind === 'numeric' && age.scaleMean).toBe(25);
    const city = r.steps.find((s) => s.column === 'city')!;
    expect(city).toMatchObject({ kind: 'categorical', impute: 'Oslo', categories: ['Oslo', 'Lima'] });
    expect(r.featureNames).toEqual(['age', 'city=Oslo', 'city=Lima', `city=${OTHER_BUCKET}`, 'vip=true', 'vip=false', `vip=${OTHER_BUCKET}`]);
    const m = applyRecipe(r, table);
    expect(m.length).toBe(5);
    expect(m[0].length).toBe(r.featureNames.length);
    const std = Math.sqrt((15 ** 2 + 5 ** 2 + 0 + 15 ** 2 + 5 ** 2) / 5);
    expect(m[2][0]).toBeCloseTo(0, 12); // imputed median scales to 0 here
    expect(m[0][0]).toBeCloseTo(-15 / std, 12);
    expect(m[3].slice(1, 4)).toEqual([1, 0, 0]); // missing city -> mode Oslo
    expect(m[2].slice(1, 4)).toEqual([0, 0, 1]); // Rome is outside the top 2 -> other
  });

  it('replays at prediction time from records with strings and unseen categories', () => {
    const r = fitRecipe(table, { target: 'y', drop: ['id'], scale: false, numericImpute: 'mean' });
    const v = applyRecipeToRecord(r, { age: '33', city: 'Paris', vip: 'true', extra: 1 });
    expect(v[0]).toBe(33);
    const names = r.featureNames;
    expect(v[names.indexOf(`city=${OTHER_BUCKET}`)]).toBe(1);
    expect(v[names.indexOf('vip=true')]).toBe(1);
    const missing = applyRecipeToRecord(r, {});
    expect(missing[0]).toBe(25); // mean of 10,20,40,30
  });

  it('supports constant imputation and ordinal codes without one-hot', () => {
    const r = fitRecipe(table, { target: 'y', numericImpute: 'constant', numericConstant: -1, categoricalImpute: 'constant', categoricalConstant: 'none', oneHot: false, scale: false });
    expect(r.featureNames).toEqual(['age', 'city', 'vip', 'id']);
    const m = applyRecipe(r, table);
    expect(m[2][0]).toBe(-1);
    const city = r.steps.find((s) => s.column === 'city')!;
    expect(city.kind === 'categorical' && city.categories[m[3][1]]).toBe('none');
  });
});
