/**
 * Compares two assessments (e.g. before / after a quarter): per-level and
 * per-area score deltas and the items whose answer changed.
 */
import type { Assessment, MaturityComparison } from '../../../shared/maturity';
import { MATURITY_ITEMS } from '../../../shared/maturity-content';
import { scoreAssessment } from './score-assessment';

/**
 * Compares `before` with `after`. Each side is scored with its own settings
 * (a facilitator may have changed the partly rule); deltas are after − before.
 */
export function compareAssessments(before: Assessment, after: Assessment): MaturityComparison {
  const a = scoreAssessment(before.answers, before.settings);
  const b = scoreAssessment(after.answers, after.settings);
  return {
    beforeLevel: a.level,
    afterLevel: b.level,
    levels: a.levelScores.map((score, i) => ({
      level: score.level,
      before: score.score,
      after: b.levelScores[i].score,
      delta: b.levelScores[i].score - score.score,
    })),
    areas: a.areaScores.map((score, i) => ({
      area: score.area,
      level: score.level,
      before: score.score,
      after: b.areaScores[i].score,
      delta: b.areaScores[i].score - score.score,
    })),
    changedItems: MATURITY_ITEMS.map((item) => ({
      itemId: item.id,
      before: before.answers[item.id]?.value ?? null,
      after: after.answers[item.id]?.value ?? null,
    })).filter((change) => change.before !== change.after),
  };
}
