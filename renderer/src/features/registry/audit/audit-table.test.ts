import { describe, expect, it } from 'vitest';
import { dayBound, detailText } from './audit-table';

describe('audit table helpers', () => {
  it('shows a gate report by its checks, alone or inside the detail', () => {
    const gates = {
      passed: false,
      checks: [
        { id: 'metric', passed: false },
        { id: 'cv-gap', passed: true },
      ],
    };
    expect(detailText(gates)).toBe('metric ✗ · cv-gap ✓');
    expect(detailText({ runId: 'abc', gates })).toBe('runId abc · metric ✗ · cv-gap ✓');
  });

  it('shows other details as key value pairs, cut when long, and nothing for none', () => {
    expect(detailText({ port: 5001, host: '127.0.0.1', split: { alias: 'challenger', share: 0.1 } })).toBe(
      'port 5001 · host 127.0.0.1 · split {"alias":"challenger","share":0.1}',
    );
    expect(detailText('x'.repeat(500))).toHaveLength(160);
    expect(detailText({ runId: 'abc', gates: null })).toBe('runId abc');
    expect(detailText(null)).toBe('');
    expect(detailText(undefined)).toBe('');
  });

  it('turns a date input into the local day’s first and last millisecond, and ignores anything else', () => {
    const start = dayBound('2025-03-09', false)!;
    const end = dayBound('2025-03-09', true)!;
    expect(new Date(start).getHours()).toBe(0);
    expect(new Date(start).getDate()).toBe(9);
    expect(new Date(end + 1).getDate()).toBe(10);
    expect(new Date(end + 1).getHours()).toBe(0);
    expect(dayBound('', false)).toBeUndefined();
    expect(dayBound('09/03/2025', true)).toBeUndefined();
  });
});
