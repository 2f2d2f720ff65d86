import type { ColumnType } from '../../../shared/datasets';
import { parseNumberText } from './parse-number';

const TRUE_WORDS = new Set(['true', 'yes', 't', 'y']);
const FALSE_WORDS = new Set(['false', 'no', 'f', 'n']);

/** Boolean spellings we accept (case-insensitive). 0/1 are left to integer: they are usually counts or labels. */
export function isBooleanText(s: string): boolean {
  const l = s.trim().toLowerCase();
  return TRUE_WORDS.has(l) || FALSE_WORDS.has(l);
}

/** Maps a boolean spelling to true/false, or null when it is not one. */
export function parseBooleanText(s: string): boolean | null {
  const l = s.trim().toLowerCase();
  if (TRUE_WORDS.has(l) || l === '1') return true;
  if (FALSE_WORDS.has(l) || l === '0') return false;
  return null;
}

// ISO-like dates (YYYY-MM-DD or YYYY/MM/DD, optional time and zone): the only
// unambiguous form; 03/04/2020 could be March or April, so it stays text.
const DATE_RE = /^\d{4}[-/](0[1-9]|1[0-2])[-/](0[1-9]|[12]\d|3[01])([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** True for ISO-like dates. */
export function isDateText(s: string): boolean {
  return DATE_RE.test(s.trim());
}

/**
 * Infers a column type from sample values (missing values already removed).
 * Order matters: integer before number, boolean words before category, and a
 * category needs repeated values (few distinct relative to the sample) and
 * short strings; anything else is text.
 */
export function inferColumnType(values: string[]): ColumnType {
  if (values.length === 0) return 'text';
  let allInt = true;
  let allNum = true;
  let allBool = true;
  let allDate = true;
  let maxLen = 0;
  const distinct = new Set<string>();
  for (const v of values) {
    if (allNum) {
      const n = parseNumberText(v);
      if (Number.isNaN(n)) {
        allNum = false;
        allInt = false;
      } else if (!Number.isInteger(n) || /[.eE]/.test(v)) allInt = false;
    }
    if (allBool && !isBooleanText(v)) allBool = false;
    if (allDate && !isDateText(v)) allDate = false;
    if (v.length > maxLen) maxLen = v.length;
    if (distinct.size <= 1000) distinct.add(v);
  }
  if (allInt) return 'integer';
  if (allNum) return 'number';
  if (allBool) return 'boolean';
  if (allDate) return 'date';
  const limit = Math.max(20, Math.min(100, Math.floor(values.length * 0.05)));
  if (distinct.size <= limit && maxLen <= 100) return 'category';
  return 'text';
}
