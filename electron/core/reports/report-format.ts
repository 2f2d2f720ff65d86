/** Text formats the report definitions share (dates in UTC, durations, cut cells). */
import type { Locale } from '../../../shared/maturity';

/** A date and time as reports print it: medium date, short time, in UTC (so a PDF reads the same everywhere). */
export function formatReportDateTime(ms: number, locale: Locale): string {
  return `${new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(ms))} UTC`;
}

/** A duration in seconds (one decimal) or minutes and seconds. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}
