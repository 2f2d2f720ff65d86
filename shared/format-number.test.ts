import { describe, it, expect } from 'vitest';
import { digitsForStep, formatAxisNumber, formatSharePercent, formatStatNumber, niceTicks } from './format-number';

describe('number formatting for axes and statistics', () => {
  it('picks nice ticks inside the range', () => {
    expect(niceTicks(19, 77, 7)).toEqual({ ticks: [20, 30, 40, 50, 60, 70], step: 10 });
    expect(niceTicks(0.37, 74, 6).ticks).toEqual([20, 40, 60]);
    expect(niceTicks(0, 0.9, 5).ticks).toEqual([0, 0.25, 0.5, 0.75]);
    expect(niceTicks(0, 3, 4, 1)).toEqual({ ticks: [0, 1, 2, 3], step: 1 }); // counts never get 0.5 steps
    expect(niceTicks(0.1, 0.7, 7).ticks).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]); // no 0.30000000000000004
    expect(niceTicks(5, 5).ticks).toEqual([5]);
  });

  it('formats at the resolution of the step, in the locale', () => {
    expect(digitsForStep(10)).toBe(0);
    expect(digitsForStep(2.5)).toBe(1);
    expect(digitsForStep(0.25)).toBe(2);
    expect(formatAxisNumber(21.225, 10, 'en')).toBe('21');
    expect(formatAxisNumber(13.2552, 5, 'en')).toBe('13');
    expect(formatAxisNumber(0.5, 0.25, 'en')).toBe('0.5');
    expect(formatAxisNumber(12500, 2500, 'en')).toBe('12,500');
    expect(formatAxisNumber(2_500_000, 500_000, 'en')).toBe('2.5M');
    expect(formatAxisNumber(2_500_000, 500_000, 'ja')).toBe('250万');
  });

  it('formats statistics with a few significant digits and shares as percentages', () => {
    expect(formatStatNumber(44.75126, 'en')).toBe('44.751');
    expect(formatStatNumber(1540.2345, 'en')).toBe('1,540.2');
    expect(formatStatNumber(5000, 'ja')).toBe('5,000');
    expect(formatStatNumber(0.16443, 'en')).toBe('0.1644');
    expect(formatStatNumber(undefined, 'en')).toBe('—');
    expect(formatSharePercent(0.496, 'en')).toBe('49.6%');
    expect(formatSharePercent(0, 'ja')).toBe('0.0%');
  });
});
