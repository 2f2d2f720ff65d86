/**
 * The maturity report of one assessment: cover, scores with the chapter's
 * 20-cell bars and an area radar, the level, the chapter's recommendations,
 * next steps with the workbench page, evidence and disagreements, the item
 * table with notes, and the chapter's level comparison.
 */
import { MATURITY_AREAS, type AnswerValue, type Assessment, type Evidence, type Locale } from '../../../../shared/maturity';
import {
  ANSWER_LABELS,
  COMPARISON_ASPECT_HEADER,
  LEVEL_THRESHOLD,
  MATURITY_AREA_NAMES,
  MATURITY_LEVEL_COMPARISON,
  MATURITY_LEVEL_INFO,
  WORKBENCH_PAGE_NAMES,
  findMaturityItem,
  listMaturityItems,
  type MaturityItem,
} from '../../../../shared/maturity-content';
import { findDisagreements, groupEvidenceByItem } from '../../maturity/evidence';
import { scoreAssessment } from '../../maturity/score-assessment';
import {
  ReportTargetNotFoundError,
  ReportUnavailableError,
  toFileStem,
  type ReportContext,
  type ReportDefinition,
  type MaturityReportReader,
} from '../report-definition';
import type { ReportBlock, TableCell, Tone } from '../report-document';
import { formatReportDate } from '../render-report-html';
import { renderCellBarsSvg, renderRadarSvg } from '../svg-charts';
import { answerWord, maturityText } from './maturity-text';

/** Requires the maturity reader or explains why the report cannot be built. */
export function requireMaturityReader(ctx: ReportContext): MaturityReportReader {
  if (!ctx.data.maturity) throw new ReportUnavailableError('Maturity assessments are not available in this workspace.');
  return ctx.data.maturity;
}

/** Display name of an assessment: "Organisation — Team". */
export function describeAssessment(assessment: Assessment): string {
  return assessment.meta.team ? `${assessment.meta.organisation} — ${assessment.meta.team}` : assessment.meta.organisation;
}

/** Colour of an answer: green when it shows the practice, red when it shows a gap. */
export function answerTone(item: MaturityItem, value: AnswerValue | null): Tone {
  if (value === null || value === 'unsure') return 'muted';
  if (value === 'partly') return 'warn';
  const good = item.polarity === 'absence' ? value === 'no' : value === 'yes';
  return good ? 'good' : 'bad';
}

function answerCell(item: MaturityItem, value: AnswerValue | null, locale: Locale): TableCell {
  const text = value === null ? maturityText(locale).unanswered : ANSWER_LABELS[item.polarity][value][locale];
  return { text, tone: answerTone(item, value) };
}

function buildScoreBlocks(assessment: Assessment, locale: Locale): ReportBlock[] {
  const t = maturityText(locale);
  const result = scoreAssessment(assessment.answers, assessment.settings);
  const info = MATURITY_LEVEL_INFO[result.level];
  const bars = renderCellBarsSvg(
    result.levelScores.map((score) => ({
      label: `Level ${score.level} — ${MATURITY_LEVEL_INFO[score.level].name[locale]}`,
      sublabel: score.level === 0 ? t.level0Sub : t.levelSub(score.level),
      score: score.score,
      color: score.level === 0 ? '#9ca3af' : score.level === 1 ? '#2563eb' : '#16a34a',
    })),
    { threshold: LEVEL_THRESHOLD, title: t.scores },
  );
  const areaLabels = MATURITY_AREAS.map((area) => MATURITY_AREA_NAMES[area][locale]);
  const areaScore = (level: 0 | 1 | 2, area: string) => result.areaScores.find((s) => s.level === level && s.area === area)?.score ?? 0;
  const radar = renderRadarSvg(
    areaLabels,
    [
      { label: 'Level 1', values: MATURITY_AREAS.map((a) => areaScore(1, a)), color: '#2563eb' },
      { label: 'Level 2', values: MATURITY_AREAS.map((a) => areaScore(2, a)), color: '#16a34a' },
    ],
    { threshold: LEVEL_THRESHOLD, title: t.areas },
  );
  const blocks: ReportBlock[] = [
    { type: 'heading', level: 1, text: t.scores },
    {
      type: 'callout',
      tone: result.level === 0 ? 'warn' : 'good',
      text: `${t.levelIs(result.level, info.name[locale])} (${info.verdict[locale]})`,
    },
    { type: 'figure', svg: bars, caption: t.barsCaption },
    { type: 'paragraph', text: t.ruleText, tone: 'muted' },
    { type: 'heading', level: 2, text: t.areas },
    {
      type: 'columns',
      widths: ['52%'],
      columns: [
        [{ type: 'figure', svg: radar, caption: t.radarCaption }],
        [
          {
            type: 'table',
            columns: [{ label: t.area }, { label: 'L0', align: 'right' }, { label: 'L1', align: 'right' }, { label: 'L2', align: 'right' }],
            rows: MATURITY_AREAS.map((area) => [
              MATURITY_AREA_NAMES[area][locale],
              { text: `${areaScore(0, area).toFixed(0)}%`, tone: 'muted' },
              `${areaScore(1, area).toFixed(0)}%`,
              `${areaScore(2, area).toFixed(0)}%`,
            ]),
            compact: true,
          },
        ],
      ],
    },
  ];
  if (result.openItems.length > 0) blocks.push({ type: 'callout', tone: 'warn', text: t.openItems(result.openItems.length) });
  blocks.push(
    { type: 'heading', level: 2, text: t.recommendations(result.level) },
    { type: 'list', ordered: true, items: result.recommendations.map((rec) => rec[locale]) },
    { type: 'heading', level: 2, text: t.nextSteps },
  );
  if (result.nextSteps.length === 0) {
    blocks.push({ type: 'paragraph', text: t.noNextSteps });
  } else {
    blocks.push(
      { type: 'paragraph', text: t.nextStepsIntro, tone: 'muted' },
      {
        type: 'table',
        columns: [{ label: '#', width: '6%' }, { label: t.item, width: '30%' }, { label: t.step }, { label: t.page, width: '14%' }],
        rows: result.nextSteps.map((step, index) => {
          const item = findMaturityItem(step.itemId)!;
          const also = step.alsoCovers.map((id) => findMaturityItem(id)!.statement[locale]).join(' · ');
          return [
            String(index + 1),
            { text: `L${item.level} · ${item.statement[locale]}`, note: also ? `${t.alsoCovers}: ${also}` : undefined },
            item.nextStep[locale],
            step.page ? WORKBENCH_PAGE_NAMES[step.page][locale] : t.outside,
          ];
        }),
        compact: true,
      },
    );
  }
  return blocks;
}

function buildEvidenceBlocks(assessment: Assessment, evidence: Evidence[], locale: Locale): ReportBlock[] {
  const t = maturityText(locale);
  const blocks: ReportBlock[] = [{ type: 'heading', level: 2, text: t.evidence }];
  if (evidence.length === 0) return [...blocks, { type: 'paragraph', text: t.noEvidence, tone: 'muted' }];
  blocks.push(
    { type: 'paragraph', text: t.evidenceIntro, tone: 'muted' },
    { type: 'list', ordered: false, items: evidence.map((e) => `${e.summary[locale]} (${WORKBENCH_PAGE_NAMES[e.page][locale]})`) },
    { type: 'heading', level: 3, text: t.disagreements },
  );
  const disagreements = findDisagreements(assessment.answers, evidence);
  if (disagreements.length === 0) return [...blocks, { type: 'paragraph', text: t.noDisagreements }];
  blocks.push({
    type: 'table',
    columns: [
      { label: t.item, width: '34%' },
      { label: t.answer, width: '14%' },
      { label: t.suggested, width: '14%' },
      { label: t.evidence },
    ],
    rows: disagreements.map((d) => {
      const item = findMaturityItem(d.itemId)!;
      return [
        `L${item.level} · ${item.statement[locale]}`,
        {
          text: answerWord(d.answer, locale),
          tone: d.kind === 'contradicts' ? 'bad' : 'muted',
          note: d.kind === 'contradicts' ? t.contradicts : t.unansweredEvidence,
        },
        answerWord(d.suggested, locale),
        d.evidence.map((e) => e.summary[locale]).join(' · '),
      ];
    }),
    compact: true,
  });
  return blocks;
}

function buildAnswerBlocks(assessment: Assessment, evidence: Evidence[], locale: Locale): ReportBlock[] {
  const t = maturityText(locale);
  const byItem = groupEvidenceByItem(evidence);
  const blocks: ReportBlock[] = [{ type: 'pageBreak' }, { type: 'heading', level: 1, text: t.answers }];
  for (const info of MATURITY_LEVEL_INFO) {
    blocks.push({ type: 'heading', level: 2, text: t.levelHeading(info.level, info.name[locale]) });
    if (info.level === 0) blocks.push({ type: 'paragraph', text: t.level0Hint, tone: 'muted' });
    blocks.push({
      type: 'table',
      columns: [{ label: t.area, width: '16%' }, { label: t.item, width: '34%' }, { label: t.answer, width: '17%' }, { label: t.note }],
      rows: listMaturityItems(info.level).map((item) => {
        const answer = assessment.answers[item.id];
        const itemEvidence = byItem.get(item.id) ?? [];
        return [
          MATURITY_AREA_NAMES[item.area][locale],
          {
            text: item.statement[locale],
            note: itemEvidence.length ? `▸ ${itemEvidence.map((e) => e.summary[locale]).join(' · ')}` : undefined,
          },
          answerCell(item, answer?.value ?? null, locale),
          answer?.note ?? '',
        ];
      }),
      compact: true,
    });
  }
  blocks.push(
    { type: 'heading', level: 2, text: t.comparison },
    {
      type: 'table',
      columns: [{ label: COMPARISON_ASPECT_HEADER[locale] }, { label: 'Level 0' }, { label: 'Level 1' }, { label: 'Level 2' }],
      rows: MATURITY_LEVEL_COMPARISON.map((row) => [row.aspect[locale], ...row.values.map((v) => v[locale])]),
      compact: true,
    },
  );
  return blocks;
}

export const maturityReport: ReportDefinition = {
  id: 'maturity',
  title: { en: 'MLOps maturity report', ja: 'MLOps成熟度レポート' },
  description: {
    en: 'One assessment: scores, level, recommendations, next steps, evidence and every answer with its note.',
    ja: '1回の評価：スコア・レベル・推奨事項・次のステップ・証跡・全回答とメモ。',
  },
  async listTargets(ctx) {
    if (!ctx.data.maturity) return [];
    const assessments = await ctx.data.maturity.listAssessments();
    return assessments.map((a) => ({
      reportId: 'maturity',
      id: a.id,
      label: `${describeAssessment(a)} (${a.meta.date})`,
      date: a.meta.date,
    }));
  },
  async build(ctx, params) {
    const reader = requireMaturityReader(ctx);
    const assessment = await reader.getAssessment(params.id);
    if (!assessment) throw new ReportTargetNotFoundError(`No assessment with id "${params.id}".`);
    const locale = ctx.locale;
    const t = maturityText(locale);
    const result = scoreAssessment(assessment.answers, assessment.settings);
    const evidence = ctx.data.evidence ? await ctx.data.evidence(ctx.now.getTime()) : [];
    const generatedAt = ctx.now.toISOString();
    const cover: ReportBlock = {
      type: 'cover',
      kicker: t.kicker,
      title: describeAssessment(assessment),
      subtitle: `Level ${result.level} — ${MATURITY_LEVEL_INFO[result.level].name[locale]}`,
      facts: [
        [t.date, formatReportDate(`${assessment.meta.date}T00:00:00Z`, locale)],
        [t.facilitator, assessment.meta.facilitator || '—'],
        [t.participants, assessment.meta.participants.join(', ') || '—'],
        [t.scores, result.levelScores.map((s) => `Level ${s.level} ${s.score.toFixed(1)}%`).join(' · ')],
        [t.answered, `${result.answeredCount} / ${result.totalItems}`],
        [t.scoring, assessment.settings.partlyCountsHalf ? t.scoringHalf : t.scoringChapter],
        [t.status, assessment.status === 'completed' ? t.completed : t.inProgress],
        [t.workspace, ctx.workspaceName],
        [t.generated, formatReportDate(generatedAt, locale)],
      ],
    };
    return {
      reportId: 'maturity',
      title: `${t.reportTitle} — ${describeAssessment(assessment)}`,
      lang: locale,
      workspaceName: ctx.workspaceName,
      generatedAt,
      fileStem: toFileStem('maturity', assessment.meta.organisation, assessment.meta.team, assessment.meta.date),
      blocks: [
        cover,
        ...buildScoreBlocks(assessment, locale),
        ...(ctx.data.evidence ? buildEvidenceBlocks(assessment, evidence, locale) : []),
        ...buildAnswerBlocks(assessment, evidence, locale),
      ],
    };
  },
};
