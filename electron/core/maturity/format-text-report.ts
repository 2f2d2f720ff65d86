/**
 * Plain-text report in the layout of the chapter's `print_report()`, used by
 * the CLI and as the reference for the chapter's demo (90 / 60 / 20 → level 0).
 */
import type { Locale, MaturityLevel } from '../../../shared/maturity';
import { MATURITY_LEVEL_INFO, MATURITY_RECOMMENDATIONS } from '../../../shared/maturity-content';
import { determineMaturityLevel, formatLevelBar } from './score-assessment';

const LABELS = {
  en: { title: 'Assessment report', scores: 'Achievement scores', current: 'Current maturity level', level: 'Level', recs: 'Recommendations for the next step' },
  ja: { title: '評価レポート', scores: '達成度スコア', current: '現在の成熟度レベル', level: 'レベル', recs: '次のステップへの推奨事項' },
} as const;

/**
 * Formats level scores as the chapter prints them. Takes scores directly so
 * the chapter's demo (which sets scores without answers) can be reproduced.
 */
export function formatChapterReport(scores: Record<MaturityLevel, number>, locale: Locale = 'ja'): string {
  const text = LABELS[locale];
  const rule = '='.repeat(60);
  const level = determineMaturityLevel(scores);
  const info = MATURITY_LEVEL_INFO[level];
  const lines = [rule, text.title, rule, '', `### ${text.scores} ###`];
  for (const l of [0, 1, 2] as const) lines.push(`Level ${l}: ${formatLevelBar(scores[l])}`);
  lines.push('', `### ${text.current} ###`);
  // The chapter prints the short level name here (e.g. "手動プロセス"); level 2's is "CI/CD完全自動化".
  const shortName = level === 2 ? (locale === 'ja' ? 'CI/CD完全自動化' : 'Full CI/CD automation') : info.name[locale];
  lines.push(`${text.level}: Level ${level} - ${shortName}`, '', `### ${text.recs} ###`);
  MATURITY_RECOMMENDATIONS[level].forEach((rec, i) => lines.push(`  ${i + 1}. ${rec[locale]}`));
  lines.push('', rule);
  return lines.join('\n');
}
