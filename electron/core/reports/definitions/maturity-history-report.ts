/**
 * Assessment history of one organisation: every assessment's scores and
 * level, the trend over time, and the change from the previous assessment
 * to the chosen one (per level, per area, and the answers that changed).
 * Target id: any assessment of the organisation, or "all" for the workspace.
 */
import { MATURITY_AREAS, type Assessment } from '../../../../shared/maturity';
import { LEVEL_THRESHOLD, MATURITY_AREA_NAMES, findMaturityItem } from '../../../../shared/maturity-content';
import { compareAssessments } from '../../maturity/compare-assessments';
import { scoreAssessment } from '../../maturity/score-assessment';
import { ReportTargetNotFoundError, toFileStem, type ReportDefinition } from '../report-definition';
import type { ReportBlock } from '../report-document';
import { formatReportDate } from '../render-report-html';
import { renderDeltaBarsSvg, renderLineChartSvg, renderRadarSvg } from '../svg-charts';
import { describeAssessment, requireMaturityReader } from './maturity-report';
import { answerWord, maturityText } from './maturity-text';

/** Oldest first: by workshop date, then by creation time. */
function sortChronologically(assessments: Assessment[]): Assessment[] {
  return [...assessments].sort((a, b) => a.meta.date.localeCompare(b.meta.date) || a.createdAt.localeCompare(b.createdAt));
}

/** Which two assessments to compare: the one before the target and the target; else the target and the latest. */
function pickComparison(series: Assessment[], targetId: string | null): [Assessment, Assessment] | null {
  if (series.length < 2) return null;
  const index = targetId ? series.findIndex((a) => a.id === targetId) : series.length - 1;
  if (index > 0) return [series[index - 1], series[index]];
  return [series[0], series[series.length - 1]];
}

export const maturityHistoryReport: ReportDefinition = {
  id: 'maturity-history',
  title: { en: 'MLOps maturity history', ja: 'MLOps成熟度の推移' },
  description: {
    en: 'All assessments of an organisation: scores over time and what changed since the previous one.',
    ja: '組織のすべての評価：スコアの推移と前回からの変化。',
  },
  async listTargets(ctx) {
    if (!ctx.data.maturity) return [];
    const assessments = sortChronologically(await ctx.data.maturity.listAssessments());
    // One target per organisation, represented by its latest assessment.
    const latest = new Map<string, Assessment>();
    for (const a of assessments) latest.set(a.meta.organisation, a);
    const targets = [...latest.values()].map((a) => ({
      reportId: 'maturity-history',
      id: a.id,
      label: a.meta.organisation,
      date: a.meta.date,
    }));
    return assessments.length > 0
      ? [
          ...targets,
          { reportId: 'maturity-history', id: 'all', label: 'All organisations', date: assessments[assessments.length - 1].meta.date },
        ]
      : targets;
  },
  async build(ctx, params) {
    const reader = requireMaturityReader(ctx);
    const locale = ctx.locale;
    const t = maturityText(locale);
    const all = sortChronologically(await reader.listAssessments());
    let series = all;
    let target: Assessment | null = null;
    if (params.id !== 'all') {
      target = await reader.getAssessment(params.id);
      if (!target) throw new ReportTargetNotFoundError(`No assessment with id "${params.id}".`);
      const organisation = target.meta.organisation;
      series = all.filter((a) => a.meta.organisation === organisation);
    }
    const scored = series.map((a) => ({ assessment: a, result: scoreAssessment(a.answers, a.settings) }));
    const labels = series.map((a) => a.meta.date);
    const blocks: ReportBlock[] = [
      { type: 'heading', level: 1, text: target ? `${t.historyTitle} — ${target.meta.organisation}` : t.historyTitle },
      {
        type: 'paragraph',
        text: target ? t.historyIntro(series.length, target.meta.organisation) : t.historyAll(series.length),
        tone: 'muted',
      },
      {
        type: 'table',
        columns: [
          { label: t.date, width: '13%' },
          { label: `${t.organisation} / ${t.team}` },
          { label: t.facilitator, width: '16%' },
          { label: t.answered, align: 'right', width: '10%' },
          { label: 'L0', align: 'right', width: '8%' },
          { label: 'L1', align: 'right', width: '8%' },
          { label: 'L2', align: 'right', width: '8%' },
          { label: t.level, align: 'center', width: '9%' },
        ],
        rows: scored.map(({ assessment, result }) => [
          assessment.meta.date,
          describeAssessment(assessment),
          assessment.meta.facilitator || '—',
          `${result.answeredCount}/${result.totalItems}`,
          `${result.levelScores[0].score.toFixed(1)}%`,
          `${result.levelScores[1].score.toFixed(1)}%`,
          `${result.levelScores[2].score.toFixed(1)}%`,
          { text: `Level ${result.level}`, tone: result.level > 0 ? 'good' : 'neutral' },
        ]),
        compact: true,
      },
      { type: 'heading', level: 2, text: t.trend },
      {
        type: 'figure',
        svg: renderLineChartSvg(
          labels,
          [
            { label: 'Level 0', values: scored.map((s) => s.result.levelScores[0].score), color: '#9ca3af', dashed: true },
            { label: 'Level 1', values: scored.map((s) => s.result.levelScores[1].score), color: '#2563eb' },
            { label: 'Level 2', values: scored.map((s) => s.result.levelScores[2].score), color: '#16a34a' },
          ],
          { threshold: LEVEL_THRESHOLD, title: t.trend },
        ),
        caption: t.trendCaption,
      },
    ];
    const pair = pickComparison(series, target?.id ?? null);
    if (!pair) {
      blocks.push({ type: 'callout', tone: 'neutral', text: t.onlyOne });
    } else {
      const [before, after] = pair;
      const comparison = compareAssessments(before, after);
      const areaName = (area: string) => MATURITY_AREA_NAMES[area as keyof typeof MATURITY_AREA_NAMES][locale];
      const deltaBars = [
        ...comparison.levels.map((l) => ({ label: `Level ${l.level}`, delta: l.delta, higherIsBetter: l.level !== 0 })),
        ...comparison.areas.filter((a) => a.level > 0).map((a) => ({ label: `L${a.level} · ${areaName(a.area)}`, delta: a.delta })),
      ];
      const l1 = (side: 'before' | 'after') =>
        MATURITY_AREAS.map((area) => comparison.areas.find((a) => a.level === 1 && a.area === area)![side]);
      blocks.push(
        { type: 'pageBreak' },
        { type: 'heading', level: 1, text: t.compare(before.meta.date, after.meta.date) },
        {
          type: 'keyValues',
          rows: [
            [t.before, `${describeAssessment(before)} · ${before.meta.date} · Level ${comparison.beforeLevel}`],
            [t.after, `${describeAssessment(after)} · ${after.meta.date} · Level ${comparison.afterLevel}`],
          ],
        },
        { type: 'figure', svg: renderDeltaBarsSvg(deltaBars, { title: t.deltaCaption }), caption: t.deltaCaption },
        {
          type: 'figure',
          width: 'half',
          svg: renderRadarSvg(
            MATURITY_AREAS.map(areaName),
            [
              { label: `${t.before} (${before.meta.date})`, values: l1('before'), color: '#9ca3af', dashed: true },
              { label: `${t.after} (${after.meta.date})`, values: l1('after'), color: '#2563eb' },
            ],
            { threshold: LEVEL_THRESHOLD },
          ),
          caption: t.radarBeforeAfter,
        },
        { type: 'heading', level: 2, text: t.changedItems },
      );
      if (comparison.changedItems.length === 0) {
        blocks.push({ type: 'paragraph', text: t.noChanges });
      } else {
        blocks.push({
          type: 'table',
          columns: [{ label: t.item }, { label: t.before, width: '15%' }, { label: t.after, width: '15%' }],
          rows: comparison.changedItems.map((change) => {
            const item = findMaturityItem(change.itemId)!;
            return [
              `L${item.level} · ${areaName(item.area)} · ${item.statement[locale]}`,
              answerWord(change.before, locale),
              answerWord(change.after, locale),
            ];
          }),
          compact: true,
        });
      }
    }
    const generatedAt = ctx.now.toISOString();
    blocks.push({ type: 'paragraph', text: `${t.generated}: ${formatReportDate(generatedAt, locale)}`, tone: 'muted' });
    return {
      reportId: 'maturity-history',
      title: target ? `${t.historyTitle} — ${target.meta.organisation}` : t.historyTitle,
      lang: locale,
      workspaceName: ctx.workspaceName,
      generatedAt,
      fileStem: toFileStem('maturity-history', target ? target.meta.organisation : 'all'),
      blocks,
    };
  },
};
