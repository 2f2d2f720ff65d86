/**
 * The drift report (`mlwb drift … --pdf`, Monitoring → Export): a stored
 * drift check as a document — summary (share of drifting columns, the data
 * set verdict, the retraining recommendation), one table row per column with
 * the drifting ones first, and an overlay chart per tested feature.
 * Target id: the check's id.
 */
import type { ColumnDriftResult } from '../../../../shared/drift';
import type { Locale } from '../../../../shared/maturity';
import type { DriftCheck, DriftCheckSummary } from '../../../../shared/monitoring';
import { ReportTargetNotFoundError, ReportUnavailableError, toFileStem, type ReportDefinition } from '../report-definition';
import type { ReportBlock, TableCell } from '../report-document';
import { formatReportDate } from '../render-report-html';
import { renderDriftOverlaySvg } from './drift-report-charts';

type MaybePromise<T> = T | Promise<T>;

/** What the report reads: a check by id (null when there is none), and the checks to list. */
export interface DriftReportReader {
  getCheck(id: number): MaybePromise<DriftCheck | null>;
  listChecks(): MaybePromise<DriftCheckSummary[]>;
}

declare module '../report-definition' {
  interface ReportDataReader {
    monitoring?: DriftReportReader;
  }
}

/** Overlays shown (the table lists every column). */
const MAX_CHARTS = 24;

const TEXT = {
  en: {
    title: 'Drift report',
    kicker: 'Data drift',
    baseline: 'Baseline',
    current: 'Current',
    rule: 'Rule',
    ruleChapter: (p: number) => `KS for numbers, chi-square for categories, drift when p < ${p}`,
    ruleEvidently: "Evidently's defaults (KS / chi-square up to 1,000 rows, Wasserstein / Jensen–Shannon above)",
    rows: 'Rows',
    workspace: 'Workspace',
    generated: 'Generated',
    checked: 'Checked',
    summary: 'Summary',
    datasetDrift: 'The data set drifts',
    noDatasetDrift: 'The data set does not drift',
    columns: 'Columns',
    columnsHead: [
      'Column',
      'Type',
      'Test',
      'Statistic',
      'p-value / distance',
      'Threshold',
      'Verdict',
      'Mean (base → current)',
      'Std (base → current)',
      'Missing',
      'Mean shift',
    ],
    drift: 'drift',
    noDrift: 'no drift',
    notTested: 'not tested',
    overlays: 'Distributions',
    moreCharts: (n: number) => `${n} more tested columns are in the table without a chart.`,
  },
  ja: {
    title: 'ドリフトレポート',
    kicker: 'データドリフト',
    baseline: 'ベースライン',
    current: '現在のデータ',
    rule: '判定ルール',
    ruleChapter: (p: number) => `数値は KS 検定、カテゴリはカイ二乗検定、p < ${p} でドリフト`,
    ruleEvidently: 'Evidently の既定（1,000 行まで KS／カイ二乗、それ以上は Wasserstein／Jensen–Shannon）',
    rows: '行数',
    workspace: 'ワークスペース',
    generated: '作成日時',
    checked: 'チェック日時',
    summary: '概要',
    datasetDrift: 'データセットはドリフトしています',
    noDatasetDrift: 'データセットはドリフトしていません',
    columns: '列',
    columnsHead: [
      '列',
      '型',
      '検定',
      '統計量',
      'p 値／距離',
      'しきい値',
      '判定',
      '平均（基準 → 現在）',
      '標準偏差（基準 → 現在）',
      '欠損',
      '平均の変化',
    ],
    drift: 'ドリフト',
    noDrift: 'ドリフトなし',
    notTested: '未検定',
    overlays: '分布',
    moreCharts: (n: number) => `ほかに検定済みの ${n} 列は表のみに記載しています。`,
  },
} as const;

function num(v: number | null | undefined, locale: Locale): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v !== 0 && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e7)) return v.toExponential(3);
  return new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-US', { maximumSignificantDigits: 4 }).format(v);
}

function row(c: ColumnDriftResult, locale: Locale): TableCell[] {
  const t = TEXT[locale];
  const verdict: TableCell =
    c.status === 'drift'
      ? { text: t.drift, tone: 'bad' }
      : c.status === 'no-drift'
        ? { text: t.noDrift, tone: 'good' }
        : { text: t.notTested, tone: 'muted', note: c.reason };
  const pct = (x: number) => `${num(100 * x, locale)}%`;
  return [
    c.column,
    c.currentType && c.currentType !== c.type ? `${c.type} → ${c.currentType}` : c.type,
    c.test ?? '—',
    num(c.statistic, locale),
    c.pValue !== null ? `p = ${num(c.pValue, locale)}` : num(c.distance, locale),
    num(c.threshold, locale),
    verdict,
    `${num(c.baseline.mean, locale)} → ${num(c.current.mean, locale)}`,
    `${num(c.baseline.std, locale)} → ${num(c.current.std, locale)}`,
    `${pct(c.baseline.missingShare)} → ${pct(c.current.missingShare)}`,
    c.meanShiftPct === null ? '—' : `${c.meanShiftPct > 0 ? '+' : ''}${num(c.meanShiftPct, locale)}%`,
  ];
}

/** The report's blocks of a check (exported for tests and the bench). */
export function driftReportBlocks(check: DriftCheck, locale: Locale, workspaceName: string, generatedAt: string): ReportBlock[] {
  const t = TEXT[locale];
  const r = check.result;
  const s = r.summary;
  const blocks: ReportBlock[] = [
    {
      type: 'cover',
      kicker: t.kicker,
      title: `${check.currentLabel} vs ${check.baselineLabel}`,
      subtitle: s.message,
      facts: [
        [t.baseline, `${check.baselineLabel} (${t.rows}: ${num(r.baselineRows, locale)})`],
        [t.current, `${check.currentLabel} (${t.rows}: ${num(r.currentRows, locale)})`],
        [t.rule, r.rule === 'chapter' ? t.ruleChapter(r.settings.pThreshold) : t.ruleEvidently],
        [t.checked, formatReportDate(new Date(check.createdAt).toISOString(), locale)],
        [t.workspace, workspaceName],
        [t.generated, formatReportDate(generatedAt, locale)],
      ],
    },
    { type: 'heading', level: 1, text: t.summary },
    {
      type: 'callout',
      tone: s.datasetDrift ? 'bad' : 'good',
      title: s.datasetDrift ? t.datasetDrift : t.noDatasetDrift,
      // The summary's sentence already carries the retraining recommendation.
      text: s.message,
    },
    { type: 'heading', level: 1, text: t.columns },
    {
      type: 'table',
      compact: true,
      columns: t.columnsHead.map((label, i) => ({ label, align: i >= 3 && i !== 6 ? ('right' as const) : ('left' as const) })),
      // The stored result already lists drifting columns first.
      rows: r.columns.map((c) => row(c, locale)),
    },
  ];
  const charted = r.columns.filter((c) => c.chart !== null && c.status !== 'not-tested');
  if (charted.length > 0) {
    blocks.push({ type: 'heading', level: 1, text: t.overlays });
    const shown = charted.slice(0, MAX_CHARTS);
    for (let i = 0; i < shown.length; i += 2) {
      blocks.push({
        type: 'figureRow',
        figures: shown.slice(i, i + 2).map((c) => ({
          svg: renderDriftOverlaySvg(c.chart!, { baseline: t.baseline, current: t.current, title: c.column }),
          caption: `${c.column} — ${c.drifted ? t.drift : t.noDrift}`,
        })),
      });
    }
    if (charted.length > MAX_CHARTS) blocks.push({ type: 'paragraph', text: t.moreCharts(charted.length - MAX_CHARTS), tone: 'muted' });
  }
  return blocks;
}

export const driftReport: ReportDefinition = {
  id: 'drift',
  title: { en: 'Drift report', ja: 'ドリフトレポート' },
  description: {
    en: 'A drift check: share of drifting columns and the retraining verdict, per-column tests drifting first, overlays of both distributions.',
    ja: 'ドリフトチェック：ドリフトした列の割合と再学習の判定、列ごとの検定（ドリフト列が先）、両データの分布の重ね合わせ。',
  },
  async listTargets(ctx) {
    if (!ctx.data.monitoring) return [];
    const checks = await ctx.data.monitoring.listChecks();
    return checks.map((c) => ({
      reportId: 'drift',
      id: String(c.id),
      label: `#${c.id} ${c.currentLabel} vs ${c.baselineLabel}`.slice(0, 120),
      date: new Date(c.createdAt).toISOString().slice(0, 10),
    }));
  },
  async build(ctx, params) {
    const reader = ctx.data.monitoring;
    if (!reader) throw new ReportUnavailableError('Monitoring is not available in this workspace.');
    const id = Number(params.id);
    const check = Number.isInteger(id) && id > 0 ? await reader.getCheck(id) : null;
    if (!check) throw new ReportTargetNotFoundError(`No drift check with id ${params.id}.`);
    const generatedAt = ctx.now.toISOString();
    return {
      reportId: 'drift',
      title: `${TEXT[ctx.locale].title} — ${check.currentLabel} vs ${check.baselineLabel}`.slice(0, 200),
      lang: ctx.locale,
      workspaceName: ctx.workspaceName,
      generatedAt,
      fileStem: toFileStem('drift', String(check.id), check.currentLabel, generatedAt.slice(0, 10)),
      blocks: driftReportBlocks(check, ctx.locale, ctx.workspaceName, generatedAt),
    };
  },
};
