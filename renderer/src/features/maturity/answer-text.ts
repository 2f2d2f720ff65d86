import type { AnswerValue } from '../../../../shared/maturity';
import { ANSWER_LABELS, type MaturityItem } from '../../../../shared/maturity-content';

/** The answer as the wizard labels it for this item's polarity ("Yes, this is us" on level 0). */
export function answerLabel(item: MaturityItem, value: AnswerValue | null, language: 'en' | 'ja'): string {
  return value === null ? '—' : ANSWER_LABELS[item.polarity][value][language];
}

/** good = the practice is there; bad = a gap; by polarity. */
export function answerTone(item: MaturityItem, value: AnswerValue | null): 'good' | 'bad' | 'warn' | 'muted' {
  if (value === null || value === 'unsure') return 'muted';
  if (value === 'partly') return 'warn';
  return (item.polarity === 'absence' ? value === 'no' : value === 'yes') ? 'good' : 'bad';
}
