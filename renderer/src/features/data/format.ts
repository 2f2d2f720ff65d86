/** Short display of a number: integers as is, others with up to 4 significant decimals. */
export function formatStat(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (Number.isInteger(x)) return x.toLocaleString('en');
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e7)) return x.toExponential(3);
  return Number(x.toPrecision(6)).toLocaleString('en', { maximumFractionDigits: 4 });
}

/** Percentage with one decimal. */
export function formatShare(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
