import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateChurnCsv } from '../../../scripts/generate-sample-data';
import { parseCsvText } from './sniff-csv';

describe('bundled sample data', () => {
  it('is exactly what the seeded generator writes', () => {
    const committed = readFileSync(join(__dirname, '../../../resources/sample/churn.csv'), 'utf8');
    expect(generateChurnCsv()).toBe(committed);
  });

  it('has a binary target, missing values and a few thousand rows', () => {
    const rows = parseCsvText(generateChurnCsv(), ',');
    const header = rows[0];
    const target = header.indexOf('churned');
    const data = rows.slice(1);
    expect(data.length).toBe(5000);
    expect(new Set(data.map((r) => r[target]))).toEqual(new Set(['0', '1']));
    const churnRate = data.filter((r) => r[target] === '1').length / data.length;
    expect(churnRate).toBeGreaterThan(0.15);
    expect(churnRate).toBeLessThan(0.6);
    expect(data.some((r) => r.includes(''))).toBe(true);
  });
});
