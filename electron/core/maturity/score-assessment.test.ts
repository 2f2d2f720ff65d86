import { describe, it, expect } from 'vitest';
import type { AnswerMap, AnswerValue, MaturityLevel } from '../../../shared/maturity';
import { MATURITY_ITEMS, MATURITY_RECOMMENDATIONS, WIZARD_ITEMS, listMaturityItems } from '../../../shared/maturity-content';
import { countBarCells, determineMaturityLevel, formatLevelBar, scoreAssessment, scoreLevel } from './score-assessment';
import { formatChapterReport } from './format-text-report';

const HALF = { partlyCountsHalf: true };
const CHAPTER = { partlyCountsHalf: false };

/** Answers every item of `level` with `value` for the first `count` items and `rest` for the others. */
function answerLevel(answers: AnswerMap, level: MaturityLevel, count: number, value: AnswerValue, rest: AnswerValue | null = 'no'): AnswerMap {
  listMaturityItems(level).forEach((item, i) => {
    const v = i < count ? value : rest;
    if (v !== null) answers[item.id] = { value: v, note: '' };
  });
  return answers;
}

function answerAll(value: AnswerValue): AnswerMap {
  return Object.fromEntries(MATURITY_ITEMS.map((item) => [item.id, { value, note: '' }]));
}

describe('content', () => {
  it('has 36 unique items, 3 per level and area, with both languages', () => {
    expect(MATURITY_ITEMS).toHaveLength(36);
    expect(new Set(MATURITY_ITEMS.map((i) => i.id)).size).toBe(36);
    for (const level of [0, 1, 2] as const) {
      for (const area of ['data', 'model', 'deployment', 'monitoring'] as const) {
        expect(listMaturityItems(level, area)).toHaveLength(3);
      }
    }
    for (const item of MATURITY_ITEMS) {
      for (const text of [item.statement, item.explanation, item.nextStep]) {
        expect(text.en.length).toBeGreaterThan(0);
        expect(text.ja.length).toBeGreaterThan(0);
      }
      expect(item.polarity).toBe(item.level === 0 ? 'absence' : 'presence');
      if (item.counterpartId) expect(MATURITY_ITEMS.find((i) => i.id === item.counterpartId)?.level).toBe(1);
    }
    expect(WIZARD_ITEMS.map((i) => i.area).slice(0, 9).every((a) => a === 'data')).toBe(true);
  });

  it('has no damaged characters left from the seed', () => {
    const all = JSON.stringify(MATURITY_ITEMS) + JSON.stringify(MATURITY_RECOMMENDATIONS);
    // Characters that appear in the seed only as damage (e.g. 恈 for 成, 灆 for 理, ぃ for ロ/ポ/バ).
    for (const bad of ['恈', '灆', 'ぃ', '偦', '偓', '偆', '遇', '聜', '灉', '偯', '�']) expect(all).not.toContain(bad);
    expect(listMaturityItems(0, 'data').map((i) => i.statement.ja)).toEqual([
      'データはローカルファイルで管理',
      'データのバージョン管理なし',
      'データ品質チェックは手動',
    ]);
  });
});

describe('scoreLevel / determineMaturityLevel (chapter rule)', () => {
  it("reproduces the chapter's demo: 90 / 60 / 20 → level 0 with its four recommendations", () => {
    const scores = { 0: 90, 1: 60, 2: 20 } as const;
    expect(determineMaturityLevel(scores)).toBe(0);
    const report = formatChapterReport(scores, 'ja');
    expect(report).toContain('Level 0: ██████████████████░░ 90.0%');
    expect(report).toContain('Level 1: ████████████░░░░░░░░ 60.0%');
    expect(report).toContain('Level 2: ████░░░░░░░░░░░░░░░░ 20.0%');
    expect(report).toContain('レベル: Level 0 - 手動プロセス');
    expect(report).toContain('1. 実験管理ツール（MLflow）の導入');
    expect(report).toContain('2. データバージョニング（DVC）の開始');
    expect(report).toContain('3. 訓練パイプラインのスクリプト化');
    expect(report).toContain('4. モデルレジストリの構築');
    expect(formatChapterReport(scores, 'en')).toContain('1. Introduce an experiment tracking tool (MLflow)');
  });

  it('treats exactly 70% as reaching the level and just below as not', () => {
    expect(determineMaturityLevel({ 0: 0, 1: 70, 2: 0 })).toBe(1);
    expect(determineMaturityLevel({ 0: 0, 1: 69.99, 2: 0 })).toBe(0);
    expect(determineMaturityLevel({ 0: 0, 1: 0, 2: 70 })).toBe(2);
    expect(determineMaturityLevel({ 0: 100, 1: 69.9, 2: 69.9 })).toBe(0);
    // Level 2 wins even when level 1 is low (the chapter checks level 2 first).
    expect(determineMaturityLevel({ 0: 0, 1: 10, 2: 75 })).toBe(2);
    expect(countBarCells(70)).toBe(14);
  });

  it('gives 9/12 = 75% → level 1 and 8/12 = 66.7% → level 0 from real answers', () => {
    const nine = scoreAssessment(answerLevel({}, 1, 9, 'yes'), CHAPTER);
    expect(nine.levelScores[1].score).toBe(75);
    expect(nine.level).toBe(1);
    const eight = scoreAssessment(answerLevel({}, 1, 8, 'yes'), CHAPTER);
    expect(eight.levelScores[1].score).toBeCloseTo(66.667, 2);
    expect(eight.level).toBe(0);
  });

  it('reaches exactly 70% with a 10-item level (multiplication first, no float drift)', () => {
    const items = MATURITY_ITEMS.filter((i) => i.level === 1).slice(0, 10);
    const answers = answerLevel({}, 1, 7, 'yes');
    const score = scoreLevel(answers, 1, CHAPTER, items);
    expect(score.items).toBe(10);
    expect(score.score).toBe(70);
    expect(determineMaturityLevel({ 0: 0, 1: score.score, 2: 0 })).toBe(1);
  });

  it('all yes → 100/100/100, level 2, 20 cells', () => {
    const r = scoreAssessment(answerAll('yes'), CHAPTER);
    expect(r.levelScores.map((s) => s.score)).toEqual([100, 100, 100]);
    expect(r.levelScores.every((s) => s.cells === 20)).toBe(true);
    expect(r.level).toBe(2);
    expect(r.recommendations).toEqual(MATURITY_RECOMMENDATIONS[2]);
    // Yes on every level-0 trait is a gap ("this is us"); yes on practices is not.
    expect(r.nextSteps.every((s) => s.level === 0 && s.gap === 'manual-trait')).toBe(true);
    expect(r.nextSteps).toHaveLength(12);
  });

  it('all no → 0/0/0, level 0, next steps for all 24 practices tied to pages', () => {
    const r = scoreAssessment(answerAll('no'), CHAPTER);
    expect(r.levelScores.map((s) => s.score)).toEqual([0, 0, 0]);
    expect(r.level).toBe(0);
    expect(r.nextSteps).toHaveLength(24);
    expect(r.nextSteps.slice(0, 12).every((s) => s.level === 1)).toBe(true);
    const versioning = r.nextSteps.find((s) => s.itemId === 'l1-data-versioning');
    expect(versioning?.page).toBe('data');
  });

  it('merges a level-0 trait into its level-1 counterpart step', () => {
    const answers: AnswerMap = {
      'l0-data-no-versioning': { value: 'yes', note: '' },
      'l0-data-local-files': { value: 'yes', note: '' },
      'l1-data-versioning': { value: 'no', note: '' },
      'l0-model-trial-error': { value: 'yes', note: '' },
    };
    const steps = scoreAssessment(answers, CHAPTER).nextSteps;
    expect(steps.map((s) => s.itemId)).toEqual(['l1-data-versioning', 'l0-model-trial-error']);
    expect(steps[0].alsoCovers).toEqual(['l0-data-local-files', 'l0-data-no-versioning']);
  });

  it('counts partly as 0 by default and 0.5 when the facilitator chooses', () => {
    const answers = answerLevel(answerLevel({}, 1, 7, 'yes', 'partly'), 2, 0, 'no');
    const chapter = scoreAssessment(answers, CHAPTER);
    expect(chapter.levelScores[1].partly).toBe(5);
    expect(chapter.levelScores[1].score).toBeCloseTo((7 / 12) * 100, 6);
    expect(chapter.level).toBe(0);
    const half = scoreAssessment(answers, HALF);
    expect(half.levelScores[1].points).toBe(9.5);
    expect(half.levelScores[1].score).toBeCloseTo((9.5 / 12) * 100, 6);
    expect(half.level).toBe(1);
  });

  it('counts unsure and unanswered as not-yes, keeps them in the denominator and lists them', () => {
    const answers = answerLevel({}, 2, 3, 'yes', null);
    answers['l2-model-hpo'] = { value: 'unsure', note: 'ask the platform team' };
    const r = scoreAssessment(answers, CHAPTER);
    expect(r.levelScores[2].yes).toBe(3);
    expect(r.levelScores[2].unsure).toBe(1);
    expect(r.levelScores[2].unanswered).toBe(8);
    expect(r.levelScores[2].score).toBe(25); // 3 / 12, not 3 / 3
    expect(r.level).toBe(0);
    expect(r.answeredCount).toBe(4);
    expect(r.openItems).toContain('l2-model-hpo');
    expect(r.openItems).toHaveLength(33); // 32 unanswered + 1 unsure
    expect(scoreAssessment({}, CHAPTER).levelScores.map((s) => s.score)).toEqual([0, 0, 0]);
  });

  it('scores areas per level for the radar chart', () => {
    const answers = answerLevel({}, 1, 3, 'yes'); // the 3 data items of level 1
    const r = scoreAssessment(answers, CHAPTER);
    const l1 = r.areaScores.filter((a) => a.level === 1);
    expect(l1.map((a) => [a.area, a.score])).toEqual([
      ['data', 100],
      ['model', 0],
      ['deployment', 0],
      ['monitoring', 0],
    ]);
    expect(r.areaScores).toHaveLength(12);
  });

  it('formats the text bar like the chapter', () => {
    expect(formatLevelBar(60)).toBe('████████████░░░░░░░░ 60.0%');
    expect(formatLevelBar(0)).toBe('░'.repeat(20) + ' 0.0%');
  });
});
