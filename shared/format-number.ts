/**
 * Axis and statistic number formatting shared by the Data page (recharts)
 * and the print reports (SVG): the same precision rules in the app and in
 * the PDF. No Node or DOM imports (Intl only).
 */

/** The Intl locale of a UI language. */
export function numberLocale(language: 'en' | 'ja'): string {
  return language === 'ja' ? 'ja-JP' : 'en-US';
}

/**
 * "Nice" tick values (steps of 1, 2, 2.5 or 5 × 10^k, at least `minStep`,
 * e.g. 1 for counts) covering [lo, hi] with about `count` ticks, all inside
 * the range.
 */
export function niceTicks(lo: number, hi: number, count = 5, minStep = 0): { ticks: number[]; step: number } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { ticks: [], step: 1 };
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return { ticks: [lo], step: Math.abs(lo) > 0 ? 10 ** Math.floor(Math.log10(Math.abs(lo))) : 1 };
  const raw = (hi - lo) / Math.max(1, count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(minStep, ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude);
  const ticks: number[] = [];
  // Rounding to the step's precision keeps 0.30000000000000004 out of labels.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toFixed(digits)));
  return { ticks, step };
}

/** Fraction digits that show a value at the resolution of `step` (e.g. 2.45 → 0, 0.25 → 2). */
export function digitsForStep(step: number): number {
  if (!Number.isFinite(step) || step <= 0) return 2;
  const digits = -Math.floor(Math.log10(step) + 1e-9);
  // A step like 2.5 or 0.25 needs one more digit than its magnitude.
  const scaled = step * 10 ** digits;
  const extra = Math.abs(scaled - Math.round(scaled)) > 1e-6 ? 1 : 0;
  return Math.min(6, Math.max(0, digits + extra));
}

/**
 * Formats an axis value at the resolution of the axis step, with the
 * locale's grouping; very large or small values in compact/scientific form.
 */
export function formatAxisNumber(value: number, step: number, language: 'en' | 'ja'): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1e6 || (Math.abs(step) >= 1e5 && abs >= 1e5)) {
    return new Intl.NumberFormat(numberLocale(language), { notation: 'compact', maximumSignificantDigits: 3 }).format(value);
  }
  if (abs !== 0 && abs < 1e-4) return value.toExponential(1);
  const digits = digitsForStep(step);
  return new Intl.NumberFormat(numberLocale(language), { minimumFractionDigits: 0, maximumFractionDigits: digits }).format(value);
}

/**
 * A statistic (mean, std, quantile) with about `significant` significant
 * digits, never more than 4 decimals, locale grouping; integers as they are.
 */
export function formatStatNumber(value: number | null | undefined, language: 'en' | 'ja', significant = 5): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const locale = numberLocale(language);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return new Intl.NumberFormat(locale).format(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e9)) return value.toExponential(3);
  const digits = Math.min(4, Math.max(0, significant - 1 - Math.floor(Math.log10(abs || 1))));
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

/** A share (0..1) as a percentage with one decimal in the locale. */
export function formatSharePercent(share: number, language: 'en' | 'ja'): string {
  return new Intl.NumberFormat(numberLocale(language), { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(share);
}
