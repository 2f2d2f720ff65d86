/**
 * Scoring of a maturity self-assessment, exactly as the source chapter's
 * `MLOpsMaturityAssessment` (exercise 5):
 *   score(level) = yes answers / items of the level × 100
 *   level = 2 if score(2) ≥ 70, else 1 if score(1) ≥ 70, else 0.
 *
 * Choices where the chapter is silent (it only knows yes/no):
 * - `partly` counts 0 (like the chapter's "no") unless the facilitator turns
 *   on `partlyCountsHalf`, then 0.5.
 * - `unsure` and unanswered items count as not-yes (0 points) and STAY in the
 *   denominator: the chapter divides by the number of items, and excluding
 *   them would let a team reach a level by skipping the hard questions
 *   (3 yes out of 3 answered level-2 items would read 100%). They are listed
 *   in `openItems` so the workshop can revisit them.
 * - Level 0's score is computed the same way (yes = "this is us") and shown,
 *   but, as in the chapter, it plays no part in the level rule.
 */
import {
  MATURITY_AREAS,
  MATURITY_LEVELS,
  type AnswerMap,
  type AnswerValue,
  type AreaLevelScore,
  type LevelScore,
  type MaturityLevel,
  type MaturityResult,
  type NextStep,
  type ScoringSettings,
} from '../../../shared/maturity';
import { LEVEL_THRESHOLD, MATURITY_ITEMS, MATURITY_RECOMMENDATIONS, findMaturityItem, type MaturityItem } from '../../../shared/maturity-content';

/** Cells of the chapter's text bar. */
export const BAR_CELLS = 20;

/** Points an answer earns under the facilitator's settings. */
export function scoreAnswer(value: AnswerValue | null | undefined, settings: ScoringSettings): number {
  if (value === 'yes') return 1;
  if (value === 'partly') return settings.partlyCountsHalf ? 0.5 : 0;
  return 0;
}

function answerOf(answers: AnswerMap, itemId: string): AnswerValue | null {
  return answers[itemId]?.value ?? null;
}

/** Percentage with the multiplication first, so 7/10 gives exactly 70 rather than 70.00000000000001. */
function percent(points: number, items: number): number {
  return items === 0 ? 0 : (points * 100) / items;
}

/** Filled cells of the chapter's bar: int(score / 5), clamped to 0..20. */
export function countBarCells(score: number): number {
  return Math.max(0, Math.min(BAR_CELLS, Math.floor(score / (100 / BAR_CELLS) + 1e-9)));
}

/** The chapter's text bar, e.g. "██████████████████░░ 90.0%". */
export function formatLevelBar(score: number): string {
  const cells = countBarCells(score);
  return `${'█'.repeat(cells)}${'░'.repeat(BAR_CELLS - cells)} ${score.toFixed(1)}%`;
}

/** Scores one level over the given items. */
export function scoreLevel(answers: AnswerMap, level: MaturityLevel, settings: ScoringSettings, items: readonly MaturityItem[] = MATURITY_ITEMS): LevelScore {
  const levelItems = items.filter((item) => item.level === level);
  const counts = { yes: 0, partly: 0, no: 0, unsure: 0, unanswered: 0 };
  let points = 0;
  for (const item of levelItems) {
    const value = answerOf(answers, item.id);
    if (value === null) counts.unanswered += 1;
    else counts[value] += 1;
    points += scoreAnswer(value, settings);
  }
  const score = percent(points, levelItems.length);
  return { level, items: levelItems.length, ...counts, points, score, cells: countBarCells(score) };
}

/** The chapter's rule (determine_level): level 2 if its score ≥ 70, else 1 if ≥ 70, else 0. */
export function determineMaturityLevel(scores: Record<MaturityLevel, number>): MaturityLevel {
  if (scores[2] >= LEVEL_THRESHOLD) return 2;
  if (scores[1] >= LEVEL_THRESHOLD) return 1;
  return 0;
}

/** Scores of each area within each level (3 items each), for the radar chart. */
export function scoreAreas(answers: AnswerMap, settings: ScoringSettings): AreaLevelScore[] {
  const result: AreaLevelScore[] = [];
  for (const level of MATURITY_LEVELS) {
    for (const area of MATURITY_AREAS) {
      const items = MATURITY_ITEMS.filter((item) => item.level === level && item.area === area);
      const points = items.reduce((sum, item) => sum + scoreAnswer(answerOf(answers, item.id), settings), 0);
      result.push({ area, level, items: items.length, points, score: percent(points, items.length) });
    }
  }
  return result;
}

/** Whether an answer shows a gap: "no" to a practice, or "yes" to a level-0 manual trait. */
export function isGapAnswer(item: MaturityItem, value: AnswerValue | null): boolean {
  return item.polarity === 'absence' ? value === 'yes' : value === 'no';
}

/**
 * Next concrete steps: level-1 gaps first (the next level for most teams),
 * then level 2, then level-0 traits not already covered. A level-0 trait whose
 * counterpart level-1 practice is also a gap is merged into that step
 * (`alsoCovers`) so "no data versioning" and "no DVC-like tool" give one step.
 */
export function listNextSteps(answers: AnswerMap): NextStep[] {
  const gaps = MATURITY_ITEMS.filter((item) => isGapAnswer(item, answerOf(answers, item.id)));
  const gapIds = new Set(gaps.map((item) => item.id));
  const merged = new Map<string, string[]>();
  for (const item of gaps) {
    if (item.level === 0 && item.counterpartId && gapIds.has(item.counterpartId)) {
      merged.set(item.counterpartId, [...(merged.get(item.counterpartId) ?? []), item.id]);
    }
  }
  const rank = (level: MaturityLevel) => (level === 1 ? 0 : level === 2 ? 1 : 2);
  return gaps
    .filter((item) => !(item.level === 0 && item.counterpartId && gapIds.has(item.counterpartId)))
    .sort((a, b) => rank(a.level) - rank(b.level))
    .map((item) => ({
      itemId: item.id,
      level: item.level,
      area: item.area,
      gap: item.polarity === 'absence' ? 'manual-trait' : 'no',
      page: item.page,
      alsoCovers: merged.get(item.id) ?? [],
    }));
}

/** Scores a whole assessment: level scores, area scores, level, recommendations, next steps. */
export function scoreAssessment(answers: AnswerMap, settings: ScoringSettings): MaturityResult {
  const levelScores = MATURITY_LEVELS.map((level) => scoreLevel(answers, level, settings));
  const level = determineMaturityLevel({ 0: levelScores[0].score, 1: levelScores[1].score, 2: levelScores[2].score });
  const openItems = MATURITY_ITEMS.filter((item) => {
    const value = answerOf(answers, item.id);
    return value === null || value === 'unsure';
  }).map((item) => item.id);
  return {
    level,
    levelScores,
    areaScores: scoreAreas(answers, settings),
    recommendations: [...MATURITY_RECOMMENDATIONS[level]],
    nextSteps: listNextSteps(answers),
    openItems,
    answeredCount: MATURITY_ITEMS.filter((item) => answerOf(answers, item.id) !== null).length,
    totalItems: MATURITY_ITEMS.length,
    settings,
  };
}

/** Drops answers to ids the content does not know (kept out of scoring; imports refuse them earlier). */
export function keepKnownAnswers(answers: AnswerMap): AnswerMap {
  return Object.fromEntries(Object.entries(answers).filter(([id]) => findMaturityItem(id) !== undefined));
}
