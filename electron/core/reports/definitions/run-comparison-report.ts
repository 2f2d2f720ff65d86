/**
 * The run-comparison report (the compare page's "Export PDF/HTML" and
 * `mlwb runs compare`): cover (runs, experiment, date), the best run by the
 * chosen metric with the ranking, the side-by-side params / metrics / tags
 * with the differing rows marked, a vector parallel-coordinates chart and the
 * binary classification runs' ROC curves overlaid.
 *
 * Target id: the run ids comma-joined, optionally `;metric=KEY` and
 * `;better=higher|lower` (shared/run-comparison.ts formats it; the id is
 * parsed here with its zod schema).
 */
import { AppError } from '../../../../shared/errors';
import {
  bestRun,
  comparisonTargetSchema,
  defaultBetter,
  defaultCompareMetric,
  formatCompareNumber,
  parallelDimensions,
  parseRocCurve,
  rankRuns,
  sharedMetricKeys,
  valuesDiffer,
  type Better,
  type ComparedRun,
} from '../../../../shared/run-comparison';
import { fromWireNumber, SYSTEM_TAGS, type Run } from '../../../../shared/tracking';
import { formatZodIssues } from '../../../../shared/zod-issues';
import {
  ReportTargetNotFoundError,
  ReportUnavailableError,
  toFileStem,
  type ReportContext,
  type ReportDefinition,
} from '../report-definition';
import type { ReportBlock, TableCell } from '../report-document';
import { formatReportDate } from '../render-report-html';
import { renderParallelCoordinatesSvg, renderRocOverlaySvg } from './run-comparison-charts';
import { formatDuration, formatReportDateTime } from '../report-format';
import { cutText } from '../svg-charts';

type MaybePromise<T> = T | Promise<T>;

/** Runs and their artifacts, as this report reads them (implemented over the store in run-comparison-reader.ts). */
export interface RunComparisonReader {
  /** A run with its experiment's name, or null when there is no such run. */
  getRun(runId: string): MaybePromise<(Run & { experimentName: string }) | null>;
  /** A text artifact of a run (e.g. roc_curve.json), or null when it has none. */
  readArtifactText(runId: string, path: string): MaybePromise<string | null>;
  /** Sibling groups (runs launched together), newest first: the report's listed targets. */
  listComparisons(): MaybePromise<Array<{ runIds: string[]; names: string[]; date: string }>>;
}

declare module '../report-definition' {
  interface ReportDataReader {
    tracking?: RunComparisonReader;
  }
}

/** Runs per side-by-side table: more would not fit the width of an A4 page. */
export const RUNS_PER_TABLE = 5;
/** Values longer than this are cut in the tables (the full value is on the run page). */
const MAX_CELL_CHARS = 60;
/** Metric axes besides the chosen one in the parallel-coordinates chart. */
const HEADLINE_METRICS = ['accuracy', 'f1_macro', 'roc_auc', 'r2', 'rmse', 'mae', 'log_loss'];
const MAX_METRIC_AXES = 4;
/** Tags the header or another row already shows, or too long for a cell. */
const HIDDEN_TAGS = new Set<string>([SYSTEM_TAGS.runName, SYSTEM_TAGS.note]);

const TEXT = {
  en: {
    title: 'Run comparison',
    kicker: 'Run comparison',
    runsOf: (n: number, exp: string) => `${n} runs of ${exp}`,
    experiment: 'Experiment',
    experiments: 'Experiments',
    runs: 'Runs',
    bestBy: 'Best by',
    bestRun: 'Best run',
    none: 'none',
    workspace: 'Workspace',
    generated: 'Generated',
    higher: 'higher is better',
    lower: 'lower is better',
    summary: 'Runs',
    run: 'Run',
    status: 'Status',
    model: 'Model',
    dataset: 'Dataset',
    started: 'Started',
    duration: 'Duration',
    best: (metric: string) => `Best run by ${metric}`,
    bestText: (name: string, metric: string, value: string, better: string) => `${name} has the best ${metric}: ${value} (${better}).`,
    noBest: (metric: string) => `No run has a numeric value of ${metric}, so none is marked best.`,
    noMetric: 'The runs have no metrics to compare.',
    missingMetric: (names: string, metric: string) => `Without a value of ${metric}: ${names}.`,
    rank: 'Rank',
    value: 'Value',
    sideBySide: 'Side by side',
    sideBySideIntro: 'Rows marked ≠ differ between the runs; ★ marks the best run. Long values are cut (…).',
    params: 'Params',
    metrics: 'Metrics',
    tags: 'Tags',
    key: 'Key',
    noneLogged: 'None logged.',
    runsRange: (from: number, to: number, total: number) => `Runs ${from}–${to} of ${total}`,
    parallel: 'Parallel coordinates',
    parallelCaption: (metric: string, better: string) =>
      `One line per run across the params that differ and the chosen metrics; colour by ${metric} (${better}): yellow is best, dark is worst. ★ is the best run.`,
    noParallel: 'No param or metric to plot.',
    roc: 'ROC curves',
    rocCaption: 'False positive rate → true positive rate on the test split; the dashed diagonal is chance.',
    noRoc: 'None of these runs is a binary classification with a ROC curve.',
    fpr: 'False positive rate',
    tpr: 'True positive rate',
    statuses: { RUNNING: 'running', SCHEDULED: 'scheduled', FINISHED: 'finished', FAILED: 'failed', KILLED: 'cancelled' } as Record<
      string,
      string
    >,
    listLabel: (names: string[]) => `Comparison: ${names.join(', ')}`,
  },
  ja: {
    title: 'ラン比較',
    kicker: 'ラン比較',
    runsOf: (n: number, exp: string) => `${exp} の ${n} ラン`,
    experiment: '実験',
    experiments: '実験',
    runs: 'ラン',
    bestBy: '評価指標',
    bestRun: 'ベストラン',
    none: 'なし',
    workspace: 'ワークスペース',
    generated: '作成日',
    higher: '大きいほど良い',
    lower: '小さいほど良い',
    summary: 'ラン一覧',
    run: 'ラン',
    status: '状態',
    model: 'モデル',
    dataset: 'データセット',
    started: '開始',
    duration: '所要時間',
    best: (metric: string) => `${metric} によるベストラン`,
    bestText: (name: string, metric: string, value: string, better: string) => `${metric} が最も良いのは ${name}：${value}（${better}）。`,
    noBest: (metric: string) => `${metric} の数値を持つランがないため、ベストランはありません。`,
    noMetric: '比較できるメトリクスがありません。',
    missingMetric: (names: string, metric: string) => `${metric} の値がないラン：${names}。`,
    rank: '順位',
    value: '値',
    sideBySide: '並べて比較',
    sideBySideIntro: '≠ の行はランによって値が異なります。★ はベストランです。長い値は省略（…）しています。',
    params: 'パラメータ',
    metrics: 'メトリクス',
    tags: 'タグ',
    key: 'キー',
    noneLogged: '記録なし。',
    runsRange: (from: number, to: number, total: number) => `ラン ${from}–${to}（全 ${total}）`,
    parallel: '平行座標プロット',
    parallelCaption: (metric: string, better: string) =>
      `ランごとに1本の線で、異なるパラメータと選んだメトリクスを結びます。色は ${metric}（${better}）：黄色が最良、濃い色が最悪。★ はベストラン。`,
    noParallel: '描画できるパラメータ・メトリクスがありません。',
    roc: 'ROC 曲線',
    rocCaption: 'テスト分割での偽陽性率 → 真陽性率。破線の対角線はランダムな分類です。',
    noRoc: 'ROC 曲線を持つ二値分類のランがありません。',
    fpr: '偽陽性率',
    tpr: '真陽性率',
    statuses: { RUNNING: '実行中', SCHEDULED: '予定', FINISHED: '完了', FAILED: '失敗', KILLED: 'キャンセル' } as Record<string, string>,
    listLabel: (names: string[]) => `比較：${names.join('、')}`,
  },
};

type Text = (typeof TEXT)['en'];

/** The run as the comparison helpers read it (metrics by key). */
function toCompared(run: Run): ComparedRun {
  return {
    runId: run.info.runId,
    name: run.info.name,
    params: run.params,
    tags: run.tags,
    metrics: Object.fromEntries(run.metrics.map((m) => [m.key, m.value])),
  };
}

/** Side-by-side tables of one section (params, metrics or tags), RUNS_PER_TABLE runs each. */
function sideBySideTables(
  t: Text,
  runs: ComparedRun[],
  keys: string[],
  valueOf: (run: ComparedRun, key: string) => string | undefined,
  show: (run: ComparedRun, key: string) => string,
  best: number | null,
): ReportBlock[] {
  if (keys.length === 0) return [{ type: 'paragraph', text: t.noneLogged, tone: 'muted' }];
  const blocks: ReportBlock[] = [];
  for (let from = 0; from < runs.length; from += RUNS_PER_TABLE) {
    const chunk = runs.slice(from, from + RUNS_PER_TABLE);
    const keyWidth = chunk.length >= 4 ? '24%' : '30%';
    blocks.push({
      type: 'table',
      compact: true,
      caption: runs.length > RUNS_PER_TABLE ? t.runsRange(from + 1, from + chunk.length, runs.length) : undefined,
      columns: [
        { label: t.key, width: keyWidth },
        ...chunk.map((r, i) => ({ label: `${from + i === best ? '★ ' : ''}${cutText(r.name, 40)}`, align: 'right' as const })),
      ],
      rows: keys.map((key): TableCell[] => {
        // A difference is judged over all the runs, not only this table's.
        const differ = valuesDiffer(runs.map((r) => valueOf(r, key)));
        return [
          differ ? { text: `≠ ${cutText(key, 50)}`, tone: 'warn' } : { text: cutText(key, 50), tone: 'muted' },
          ...chunk.map((r, i): TableCell => {
            const text = cutText(show(r, key), MAX_CELL_CHARS);
            return from + i === best ? { text, tone: 'good' } : text;
          }),
        ];
      }),
    });
  }
  return blocks;
}

async function loadRuns(reader: RunComparisonReader, runIds: string[]): Promise<Array<Run & { experimentName: string }>> {
  const runs = await Promise.all(runIds.map((id) => reader.getRun(id)));
  const missing = runIds.filter((_, i) => !runs[i]);
  if (missing.length > 0) throw new ReportTargetNotFoundError(`No run ${missing.join(', ')} in this workspace (see \`mlwb runs search\`).`);
  return runs as Array<Run & { experimentName: string }>;
}

export const runComparisonReport: ReportDefinition = {
  id: 'run-comparison',
  title: { en: 'Run comparison report', ja: 'ラン比較レポート' },
  description: {
    en: '2–20 runs side by side: params, metrics and tags with the differences marked, the best run by a metric, parallel coordinates and ROC curves.',
    ja: '2〜20 のランを並べて比較：差分を示したパラメータ・メトリクス・タグ、指標によるベストラン、平行座標プロット、ROC 曲線。',
  },
  async listTargets(ctx) {
    if (!ctx.data.tracking) return [];
    const t = TEXT[ctx.locale];
    const groups = await ctx.data.tracking.listComparisons();
    return groups.map((g) => ({
      reportId: 'run-comparison',
      id: g.runIds.join(','),
      label: cutText(t.listLabel(g.names), 120),
      date: g.date.slice(0, 10),
    }));
  },
  async build(ctx: ReportContext, params) {
    const reader = ctx.data.tracking;
    if (!reader) throw new ReportUnavailableError('Experiment tracking is not available in this workspace.');
    const parsed = comparisonTargetSchema.safeParse(params.id);
    if (!parsed.success) throw new AppError('bad_input', `Bad comparison id: ${formatZodIssues(parsed.error.issues)}`);
    const target = parsed.data;
    const locale = ctx.locale;
    const t = TEXT[locale];
    const runs = await loadRuns(reader, target.runIds);
    const compared = runs.map(toCompared);
    const metric = target.metric ?? defaultCompareMetric(compared);
    const better: Better = target.better ?? (metric ? defaultBetter(metric) : 'higher');
    const betterText = better === 'higher' ? t.higher : t.lower;
    const best = metric ? bestRun(compared, metric, better) : null;
    const bestIndex = best ? compared.indexOf(best.run) : null;
    const experiments = [...new Set(runs.map((r) => r.experimentName))];
    const generatedAt = ctx.now.toISOString();
    const num = (v: Parameters<typeof formatCompareNumber>[0]) => formatCompareNumber(v, locale);

    const blocks: ReportBlock[] = [
      {
        type: 'cover',
        kicker: t.kicker,
        title: t.runsOf(runs.length, experiments.join(', ')),
        subtitle: best && metric ? t.bestText(best.run.name, metric, num(best.value), betterText) : undefined,
        facts: [
          [experiments.length > 1 ? t.experiments : t.experiment, experiments.join(', ')],
          [t.runs, runs.map((r) => r.info.name).join(', ')],
          [t.bestBy, metric ? `${metric} (${betterText})` : t.none],
          [t.bestRun, best ? best.run.name : t.none],
          [t.workspace, ctx.workspaceName],
          [t.generated, formatReportDate(generatedAt, locale)],
        ],
      },
    ];

    // Runs and the best one.
    blocks.push(
      { type: 'heading', level: 1, text: t.summary },
      {
        type: 'table',
        compact: true,
        columns: [
          { label: t.run, width: '24%' },
          { label: t.status },
          { label: t.model },
          { label: t.dataset },
          { label: t.started },
          { label: t.duration, align: 'right' },
          ...(metric ? [{ label: cutText(metric, 30), align: 'right' as const }] : []),
        ],
        rows: runs.map((r, i): TableCell[] => {
          const mark = i === bestIndex;
          const c = compared[i];
          return [
            mark ? { text: `★ ${cutText(r.info.name, 50)}`, tone: 'good' } : cutText(r.info.name, 50),
            { text: t.statuses[r.info.status] ?? r.info.status, tone: r.info.status === 'FAILED' ? 'bad' : 'neutral' },
            r.tags[SYSTEM_TAGS.modelType] ?? r.params.model ?? '—',
            cutText(r.tags[SYSTEM_TAGS.dataset] ?? '—', 40),
            formatReportDateTime(r.info.startTime, locale),
            r.info.endTime !== null ? formatDuration(r.info.endTime - r.info.startTime) : '—',
            ...(metric ? [mark ? { text: num(c.metrics[metric]), tone: 'good' as const } : num(c.metrics[metric])] : []),
          ];
        }),
      },
    );
    const bestBlocks: ReportBlock[] = [{ type: 'heading', level: 2, text: metric ? t.best(metric) : t.bestRun }];
    if (!metric) bestBlocks.push({ type: 'callout', tone: 'neutral', text: t.noMetric });
    else {
      bestBlocks.push(
        best
          ? { type: 'callout', tone: 'good', title: '★', text: t.bestText(best.run.name, metric, num(best.value), betterText) }
          : { type: 'callout', tone: 'warn', text: t.noBest(metric) },
      );
      const ranked = rankRuns(compared, metric, better);
      const without = compared.filter((c) => !ranked.some((r) => r.run === c));
      if (ranked.length > 0) {
        bestBlocks.push({
          type: 'table',
          compact: true,
          columns: [{ label: t.rank, width: '10%' }, { label: t.run }, { label: cutText(metric, 30), align: 'right', width: '22%' }],
          rows: ranked.map((r, i): TableCell[] => [
            String(i + 1),
            i === 0 ? { text: `★ ${cutText(r.run.name, 60)}`, tone: 'good' } : cutText(r.run.name, 60),
            num(r.value),
          ]),
        });
      }
      if (without.length > 0)
        bestBlocks.push({
          type: 'paragraph',
          tone: 'muted',
          text: t.missingMetric(without.map((c) => `${c.name} (${num(c.metrics[metric])})`).join(', '), metric),
        });
    }
    blocks.push({ type: 'group', blocks: bestBlocks });

    // Side by side.
    const paramKeys = [...new Set(compared.flatMap((c) => Object.keys(c.params)))].sort();
    const metricKeys = [...new Set(compared.flatMap((c) => Object.keys(c.metrics)))].sort();
    const tagKeys = [...new Set(compared.flatMap((c) => Object.keys(c.tags)))].filter((k) => !HIDDEN_TAGS.has(k)).sort();
    const metricText = (c: ComparedRun, k: string) => {
      const v = c.metrics[k];
      // NaN and the infinities compare as their names; numbers by value.
      return v === undefined ? undefined : String(fromWireNumber(v));
    };
    blocks.push(
      { type: 'heading', level: 1, text: t.sideBySide },
      { type: 'paragraph', text: t.sideBySideIntro, tone: 'muted' },
      { type: 'heading', level: 2, text: t.params },
      ...sideBySideTables(
        t,
        compared,
        paramKeys,
        (c, k) => c.params[k],
        (c, k) => c.params[k] ?? '—',
        bestIndex,
      ),
      { type: 'heading', level: 2, text: t.metrics },
      ...sideBySideTables(t, compared, metricKeys, metricText, (c, k) => num(c.metrics[k]), bestIndex),
      { type: 'heading', level: 2, text: t.tags },
      ...sideBySideTables(
        t,
        compared,
        tagKeys,
        (c, k) => c.tags[k],
        (c, k) => c.tags[k] ?? '—',
        bestIndex,
      ),
    );

    // Parallel coordinates: the varying params, the headline metrics the runs share, the chosen metric last.
    const shared = sharedMetricKeys(compared);
    const others = HEADLINE_METRICS.filter((k) => k !== metric && shared.includes(k)).slice(0, MAX_METRIC_AXES - 1);
    const dims = parallelDimensions(compared, metric ? [...others, metric] : others);
    const parallel: ReportBlock[] = [{ type: 'heading', level: 1, text: t.parallel }];
    if (dims.length === 0) parallel.push({ type: 'paragraph', text: t.noParallel, tone: 'muted' });
    else
      parallel.push({
        type: 'figure',
        svg: renderParallelCoordinatesSvg(dims, {
          language: locale,
          colorBy: metric ? dims.length - 1 : -1,
          better,
          best: bestIndex,
          runNames: compared.map((c) => c.name),
          title: t.parallel,
        }),
        caption: metric ? t.parallelCaption(metric, betterText) : undefined,
      });
    blocks.push({ type: 'group', blocks: parallel });

    // ROC curves of the binary classification runs.
    const curves = await Promise.all(
      runs.map(async (r) =>
        r.artifacts.some((a) => a.path === 'roc_curve.json')
          ? parseRocCurve(await reader.readArtifactText(r.info.runId, 'roc_curve.json'))
          : null,
      ),
    );
    const series = runs.flatMap((r, i) => {
      const curve = curves[i];
      if (!curve) return [];
      const auc = compared[i].metrics.roc_auc;
      return [{ label: auc !== undefined ? `${r.info.name} (AUC ${num(auc)})` : r.info.name, curve, best: i === bestIndex }];
    });
    const roc: ReportBlock[] = [{ type: 'heading', level: 1, text: t.roc }];
    if (series.length === 0) roc.push({ type: 'paragraph', text: t.noRoc, tone: 'muted' });
    else
      roc.push({ type: 'figure', svg: renderRocOverlaySvg(series, { title: t.roc, xLabel: t.fpr, yLabel: t.tpr }), caption: t.rocCaption });
    blocks.push({ type: 'group', blocks: roc });

    return {
      reportId: 'run-comparison',
      title: `${t.title} — ${cutText(runs.map((r) => r.info.name).join(', '), 80)}`,
      lang: locale,
      workspaceName: ctx.workspaceName,
      generatedAt,
      fileStem: toFileStem('run-comparison', experiments[0] ?? '', `${runs.length}-runs`, generatedAt.slice(0, 10)),
      blocks,
    };
  },
};
