/**
 * The model-card report (the registry page's "Export card", `mlwb models
 * card`, `mlwb report model-card NAME/VERSION`): one registered version's
 * card — what it is, intended use and limitations, training data (name@tag,
 * hash, rows), recipe, params, metrics with their CV spread, feature
 * importances, the gates it passed, and its lineage (dataset version →
 * recipe → run → model version → stages) with the stage history.
 *
 * Target id: a model reference as the CLI writes it — `NAME/3` (a version),
 * `NAME/Production` (the newest version in a stage), `NAME@champion`, or
 * `NAME` (Production); shared/registry.ts parses it.
 */
import { parseModelReference, type ModelCard, type VersionSelector } from '../../../../shared/registry';
import { formatStatNumber } from '../../../../shared/format-number';
import { SYSTEM_TAGS } from '../../../../shared/tracking';
import { AppError } from '../../../../shared/errors';
import {
  ReportTargetNotFoundError,
  ReportUnavailableError,
  toFileStem,
  type ReportContext,
  type ReportDefinition,
} from '../report-definition';
import type { ReportBlock, TableCell } from '../report-document';
import { formatReportDate } from '../render-report-html';
import { renderCvSpreadSvg, renderImportanceBarsSvg, renderLineageSvg } from './model-card-charts';
import { formatDuration, formatReportDateTime } from '../report-format';
import { cutText } from '../svg-charts';

type MaybePromise<T> = T | Promise<T>;

/** Registered versions as this report reads them (implemented over the store in model-card-reader.ts). */
export interface ModelCardReader {
  /** The card of the version a selector names, or null when there is no such model or version. */
  getCard(name: string, selector: VersionSelector): MaybePromise<ModelCard | null>;
  /** Registered versions, newest first: the report's listed targets. */
  listVersions(): MaybePromise<Array<{ name: string; version: number; stage: string; createdAt: number }>>;
}

declare module '../report-definition' {
  interface ReportDataReader {
    registry?: ModelCardReader;
  }
}

/** Metrics the CV spread chart shows, when the run has them (precision/recall per average would repeat the story). */
const SPREAD_METRICS = ['accuracy', 'f1_macro', 'roc_auc', 'precision_macro', 'recall_macro', 'log_loss', 'r2', 'rmse', 'mae'];
const MAX_SPREAD_ROWS = 12;
/** Most feature importances drawn (the run page lists them all). */
const MAX_IMPORTANCE_BARS = 20;
const MAX_CELL_CHARS = 80;
/** Params that the training-data section already shows. */
const DATA_PARAMS = new Set(['target', 'test_size', 'cv_folds', 'seed', 'recipe', 'stratify']);

const TEXT = {
  en: {
    title: 'Model card',
    kicker: 'Model card',
    stage: 'Stage',
    aliases: 'Aliases',
    none: 'none',
    model: 'Model',
    algorithm: 'Algorithm',
    task: 'Task',
    tasks: { classification: 'classification', regression: 'regression' } as Record<string, string>,
    trainingData: 'Training data',
    sourceRun: 'Source run',
    registered: 'Registered',
    registeredBy: (when: string, who: string) => (who ? `${when} by ${who}` : when),
    workspace: 'Workspace',
    generated: 'Generated',
    subtitle: (algorithm: string, task: string, data: string) => `A ${algorithm} ${task} model trained on ${data}.`,
    overview: 'What it is',
    registeredModel: 'Registered model',
    version: 'Version',
    description: 'Description',
    versionTags: 'Version tags',
    target: 'Target',
    modelFile: 'Model file (SHA-256)',
    source: 'Source',
    experiment: 'Experiment',
    trained: 'Trained',
    duration: 'Training time',
    intended: 'Intended use and limitations',
    intendedUse: 'Intended use',
    limitations: 'Limitations',
    notWritten: 'Not written yet: describe it on the registry page (model card, Edit).',
    dataset: 'Dataset',
    datasetVersion: 'Dataset version',
    sha: 'SHA-256',
    rows: 'Rows',
    columns: 'Columns',
    split: 'Hold-out test share',
    folds: 'Cross-validation folds',
    seed: 'Seed',
    recipe: 'Recipe',
    noRecipe: 'none (built-in encoding)',
    notWorkspace: 'not a workspace dataset (a file)',
    params: 'Parameters',
    key: 'Key',
    value: 'Value',
    noneLogged: 'None logged.',
    metrics: 'Metrics',
    metric: 'Metric',
    test: 'Test',
    cvMean: 'CV mean',
    cvStd: 'CV std',
    cvSpread: 'Cross-validation spread',
    cvCaption:
      'The band is the CV mean ± one standard deviation, the dot the CV mean, the diamond the held-out test value. Metrics between 0 and 1 where higher is better share the axis; the others (losses, errors) each have their own scale.',
    cvLegend: { cv: 'CV mean ± std', test: 'test value' },
    noCv: 'The run has no cross-validation results.',
    importance: 'Feature importance',
    importanceCaption: (n: number, total: number) =>
      n < total
        ? `The ${n} most important of ${total} features (impurity-based for trees, |coefficient| for linear models).`
        : 'Impurity-based for trees, |coefficient| for linear models.',
    noImportance: 'The run recorded no feature importances.',
    feature: 'Feature',
    gates: 'Registration gates',
    noGates: 'Registered without gates.',
    gatesPassed: 'Every gate passed at registration.',
    gatesFailed: 'A gate failed at registration.',
    check: 'Check',
    result: 'Result',
    detail: 'Detail',
    passed: 'passed',
    failed: 'failed',
    gateNames: { metric: 'Metric threshold', 'cv-gap': 'Overfitting (|test − CV|)', 'beat-production': 'Beats Production' } as Record<
      string,
      string
    >,
    lineage: 'Lineage',
    lineageCaption:
      'Where this version comes from: the dataset version it was trained on, the recipe, the run, the version and the stage it is in now.',
    kinds: { dataset: 'Dataset version', recipe: 'Recipe', run: 'Run', version: 'Model version', stage: 'Stage' },
    history: 'Stage history',
    noHistory: 'No stage changes recorded.',
    when: 'When',
    who: 'Who',
    change: 'Change',
    comment: 'Comment',
    registeredEvent: 'registered',
    listLabel: (name: string, version: number, stage: string) => `${name} v${version} (${stage})`,
    badId: (id: string) => `"${id}" is not a model reference: use NAME/VERSION, NAME/STAGE, NAME@ALIAS or NAME.`,
    notFound: (id: string) => `No registered model version ${id} in this workspace (see \`mlwb models list\`).`,
  },
  ja: {
    title: 'モデルカード',
    kicker: 'モデルカード',
    stage: 'ステージ',
    aliases: 'エイリアス',
    none: 'なし',
    model: 'モデル',
    algorithm: 'アルゴリズム',
    task: 'タスク',
    tasks: { classification: '分類', regression: '回帰' } as Record<string, string>,
    trainingData: '学習データ',
    sourceRun: '元のラン',
    registered: '登録',
    registeredBy: (when: string, who: string) => (who ? `${when}（${who}）` : when),
    workspace: 'ワークスペース',
    generated: '作成日',
    subtitle: (algorithm: string, task: string, data: string) => `${data} で学習した ${algorithm} の${task}モデル。`,
    overview: '概要',
    registeredModel: '登録モデル',
    version: 'バージョン',
    description: '説明',
    versionTags: 'バージョンタグ',
    target: 'ターゲット',
    modelFile: 'モデルファイル（SHA-256）',
    source: 'ソース',
    experiment: '実験',
    trained: '学習日時',
    duration: '学習時間',
    intended: '想定用途と制約',
    intendedUse: '想定用途',
    limitations: '制約',
    notWritten: '未記入：レジストリ画面のモデルカード（編集）で記入してください。',
    dataset: 'データセット',
    datasetVersion: 'データセットバージョン',
    sha: 'SHA-256',
    rows: '行数',
    columns: '列数',
    split: 'テスト分割の割合',
    folds: '交差検証の分割数',
    seed: 'シード',
    recipe: 'レシピ',
    noRecipe: 'なし（組み込みのエンコーディング）',
    notWorkspace: 'ワークスペースのデータセットではありません（ファイル）',
    params: 'パラメータ',
    key: 'キー',
    value: '値',
    noneLogged: '記録なし。',
    metrics: 'メトリクス',
    metric: 'メトリクス',
    test: 'テスト',
    cvMean: 'CV 平均',
    cvStd: 'CV 標準偏差',
    cvSpread: '交差検証のばらつき',
    cvCaption:
      '帯は CV 平均 ± 標準偏差、点は CV 平均、ひし形はテストでの値。大きいほど良い 0〜1 のメトリクスは共通の軸、その他（損失・誤差）はそれぞれの目盛り。',
    cvLegend: { cv: 'CV 平均 ± 標準偏差', test: 'テストの値' },
    noCv: 'このランには交差検証の結果がありません。',
    importance: '特徴量の重要度',
    importanceCaption: (n: number, total: number) =>
      n < total
        ? `${total} 個の特徴量のうち重要度の高い ${n} 個（木は不純度、線形モデルは係数の絶対値）。`
        : '木は不純度、線形モデルは係数の絶対値による重要度。',
    noImportance: 'このランには特徴量の重要度の記録がありません。',
    feature: '特徴量',
    gates: '登録ゲート',
    noGates: 'ゲートなしで登録されました。',
    gatesPassed: '登録時にすべてのゲートを通過しました。',
    gatesFailed: '登録時に通過しなかったゲートがあります。',
    check: 'チェック',
    result: '結果',
    detail: '詳細',
    passed: '通過',
    failed: '不合格',
    gateNames: { metric: 'メトリクスのしきい値', 'cv-gap': '過学習（|テスト − CV|）', 'beat-production': 'Production より良い' } as Record<
      string,
      string
    >,
    lineage: '系譜',
    lineageCaption: 'このバージョンの由来：学習に使ったデータセットバージョン、レシピ、ラン、バージョン、現在のステージ。',
    kinds: { dataset: 'データセット', recipe: 'レシピ', run: 'ラン', version: 'モデルバージョン', stage: 'ステージ' },
    history: 'ステージの履歴',
    noHistory: 'ステージの変更は記録されていません。',
    when: '日時',
    who: '実行者',
    change: '変更',
    comment: 'コメント',
    registeredEvent: '登録',
    listLabel: (name: string, version: number, stage: string) => `${name} v${version}（${stage}）`,
    badId: (id: string) => `"${id}" はモデル参照ではありません：NAME/VERSION、NAME/STAGE、NAME@ALIAS、NAME のいずれかを指定してください。`,
    notFound: (id: string) => `このワークスペースに登録モデルのバージョン ${id} はありません（\`mlwb models list\` を参照）。`,
  },
};

type Text = (typeof TEXT)['en'];

/** Free text (intended use, limitations) as paragraphs: blank lines separate them. */
function textBlocks(text: string, t: Text): ReportBlock[] {
  const parts = text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean);
  return parts.length > 0 ? parts.map((p) => ({ type: 'paragraph', text: p })) : [{ type: 'paragraph', text: t.notWritten, tone: 'muted' }];
}

/** The first 12 hex digits of a hash (the full one is in the training-data facts). */
const shortHash = (sha: string | null) => (sha ? `${sha.slice(0, 12)}…` : '—');

async function loadCard(reader: ModelCardReader, id: string, t: Text): Promise<ModelCard> {
  const ref = parseModelReference(id.trim());
  if (!ref || !ref.name) throw new AppError('bad_input', t.badId(id));
  const card = await reader.getCard(ref.name, ref.selector);
  if (!card) throw new ReportTargetNotFoundError(t.notFound(id));
  return card;
}

export const modelCardReport: ReportDefinition = {
  id: 'model-card',
  title: { en: 'Model card', ja: 'モデルカード' },
  description: {
    en: 'One registered model version: what it is, intended use and limitations, training data, recipe, params, metrics with CV spread, feature importance, gates and lineage.',
    ja: '登録モデルの1バージョン：概要、想定用途と制約、学習データ、レシピ、パラメータ、CV のばらつき付きメトリクス、特徴量の重要度、ゲート、系譜。',
  },
  async listTargets(ctx) {
    if (!ctx.data.registry) return [];
    const t = TEXT[ctx.locale];
    const versions = await ctx.data.registry.listVersions();
    return versions.map((v) => ({
      reportId: 'model-card',
      id: `${v.name}/${v.version}`,
      label: cutText(t.listLabel(v.name, v.version, v.stage), 120),
      date: new Date(v.createdAt).toISOString().slice(0, 10),
    }));
  },
  async build(ctx: ReportContext, params) {
    const reader = ctx.data.registry;
    if (!reader) throw new ReportUnavailableError('The model registry is not available in this workspace.');
    const locale = ctx.locale;
    const t = TEXT[locale];
    const card = await loadCard(reader, params.id, t);
    const v = card.version;
    const num = (x: number | null | undefined) => formatStatNumber(x, locale);
    const generatedAt = ctx.now.toISOString();
    const taskText = t.tasks[v.task] ?? v.task;
    const algorithm = v.algorithm || card.run.params.model || '—';
    const aliases = v.aliases.length > 0 ? v.aliases.join(', ') : t.none;
    const dataLabel = card.dataset.label || '—';
    const target = card.run.params.target ?? '—';

    const blocks: ReportBlock[] = [
      {
        type: 'cover',
        kicker: t.kicker,
        title: `${v.name} v${v.version}`,
        subtitle: v.description || card.model.description || t.subtitle(algorithm, taskText, dataLabel),
        facts: [
          [t.stage, v.stage],
          [t.aliases, aliases],
          [t.model, `${algorithm} · ${taskText}`],
          [t.trainingData, dataLabel],
          [t.sourceRun, card.run.name],
          [t.registered, t.registeredBy(formatReportDateTime(v.createdAt, locale), v.createdBy)],
          [t.workspace, ctx.workspaceName],
          [t.generated, formatReportDate(generatedAt, locale)],
        ],
      },
    ];

    // What it is.
    const tagText = Object.entries(v.tags)
      .map(([k, val]) => `${k}=${val}`)
      .join(', ');
    blocks.push(
      { type: 'heading', level: 1, text: t.overview },
      {
        type: 'keyValues',
        rows: [
          [t.registeredModel, card.model.name],
          [t.version, String(v.version)],
          [t.stage, v.stage],
          [t.aliases, aliases],
          [t.algorithm, algorithm],
          [t.task, taskText],
          [t.target, target],
          ...(v.description || card.model.description
            ? ([[t.description, cutText(v.description || card.model.description, 600)]] as Array<[string, string]>)
            : []),
          ...(tagText ? ([[t.versionTags, cutText(tagText, 300)]] as Array<[string, string]>) : []),
          [t.registered, t.registeredBy(formatReportDateTime(v.createdAt, locale), v.createdBy)],
          [t.experiment, card.run.experimentName],
          [t.sourceRun, `${card.run.name} (${card.run.id})`],
          [t.trained, formatReportDateTime(card.run.startTime, locale)],
          ...(card.run.endTime !== null
            ? ([[t.duration, formatDuration(card.run.endTime - card.run.startTime)]] as Array<[string, string]>)
            : []),
          [t.source, v.source],
          [t.modelFile, v.modelSha256],
        ],
      },
    );

    // Intended use and limitations.
    blocks.push(
      { type: 'heading', level: 1, text: t.intended },
      { type: 'heading', level: 2, text: t.intendedUse },
      ...textBlocks(v.intendedUse, t),
      { type: 'heading', level: 2, text: t.limitations },
      ...textBlocks(v.limitations, t),
    );

    // Training data and recipe.
    const ds = card.dataset;
    blocks.push(
      { type: 'heading', level: 1, text: t.trainingData },
      {
        type: 'keyValues',
        rows: [
          [t.dataset, dataLabel],
          [t.datasetVersion, ds.versionId !== null ? `#${ds.versionId}` : t.notWorkspace],
          [t.sha, ds.sha256 ?? '—'],
          [t.rows, ds.rows !== null ? num(ds.rows) : '—'],
          [t.columns, ds.columns !== null ? num(ds.columns) : '—'],
          [t.target, target],
          [t.split, card.run.params.test_size ?? '—'],
          [t.folds, card.run.params.cv_folds ?? '—'],
          [t.seed, card.run.params.seed ?? card.run.tags[SYSTEM_TAGS.seed] ?? '—'],
          [t.recipe, card.recipe ? card.recipe.name : t.noRecipe],
        ],
      },
    );

    // Params.
    const paramKeys = Object.keys(card.run.params)
      .filter((k) => !DATA_PARAMS.has(k))
      .sort();
    blocks.push({ type: 'heading', level: 1, text: t.params });
    blocks.push(
      paramKeys.length === 0
        ? { type: 'paragraph', text: t.noneLogged, tone: 'muted' }
        : {
            type: 'table',
            compact: true,
            columns: [{ label: t.key, width: '35%' }, { label: t.value }],
            rows: paramKeys.map((k): TableCell[] => [cutText(k, 60), cutText(card.run.params[k], MAX_CELL_CHARS)]),
          },
    );

    // Metrics with CV spread.
    const metricBlocks: ReportBlock[] = [{ type: 'heading', level: 1, text: t.metrics }];
    if (card.metrics.length === 0) metricBlocks.push({ type: 'paragraph', text: t.noneLogged, tone: 'muted' });
    else
      metricBlocks.push({
        type: 'table',
        compact: true,
        columns: [
          { label: t.metric, width: '34%' },
          { label: t.test, align: 'right' },
          { label: t.cvMean, align: 'right' },
          { label: t.cvStd, align: 'right' },
        ],
        rows: card.metrics.map((m): TableCell[] => [cutText(m.key, 50), num(m.test), num(m.cvMean), num(m.cvStd)]),
      });
    blocks.push({ type: 'group', blocks: metricBlocks });
    // The chart shows the headline metrics (every one with CV when the run has none of them); the table lists all.
    const withCv = card.metrics.filter((m) => m.cvMean !== null && m.cvStd !== null);
    const headline = withCv.filter((m) => SPREAD_METRICS.includes(m.key));
    const spread = (headline.length > 0 ? headline : withCv).slice(0, MAX_SPREAD_ROWS);
    const cvBlocks: ReportBlock[] = [{ type: 'heading', level: 2, text: t.cvSpread }];
    if (spread.length === 0) cvBlocks.push({ type: 'paragraph', text: t.noCv, tone: 'muted' });
    else
      cvBlocks.push({
        type: 'figure',
        svg: renderCvSpreadSvg(
          spread.map((m) => ({ key: m.key, test: m.test, cvMean: m.cvMean!, cvStd: m.cvStd! })),
          { language: locale, title: t.cvSpread, legend: t.cvLegend },
        ),
        caption: t.cvCaption,
      });
    blocks.push({ type: 'group', blocks: cvBlocks });

    // Feature importance.
    const imp = card.featureImportance;
    const impBlocks: ReportBlock[] = [{ type: 'heading', level: 1, text: t.importance }];
    if (imp.length === 0) impBlocks.push({ type: 'paragraph', text: t.noImportance, tone: 'muted' });
    else {
      impBlocks.push({
        type: 'figure',
        svg: renderImportanceBarsSvg(imp, { language: locale, title: t.importance, maxBars: MAX_IMPORTANCE_BARS }),
        caption: t.importanceCaption(Math.min(MAX_IMPORTANCE_BARS, imp.length), imp.length),
      });
    }
    blocks.push({ type: 'group', blocks: impBlocks });

    // Gates.
    const gateBlocks: ReportBlock[] = [{ type: 'heading', level: 1, text: t.gates }];
    if (!v.gates || v.gates.checks.length === 0) gateBlocks.push({ type: 'paragraph', text: t.noGates, tone: 'muted' });
    else {
      gateBlocks.push({ type: 'callout', tone: v.gates.passed ? 'good' : 'bad', text: v.gates.passed ? t.gatesPassed : t.gatesFailed });
      gateBlocks.push({
        type: 'table',
        compact: true,
        columns: [{ label: t.check, width: '30%' }, { label: t.result, width: '14%' }, { label: t.detail }],
        rows: v.gates.checks.map((c): TableCell[] => [
          t.gateNames[c.id] ?? c.id,
          { text: c.passed ? t.passed : t.failed, tone: c.passed ? 'good' : 'bad' },
          cutText(c.message, 200),
        ]),
      });
    }
    blocks.push({ type: 'group', blocks: gateBlocks });

    // Lineage and stage history.
    const lineage: ReportBlock[] = [
      { type: 'heading', level: 1, text: t.lineage },
      {
        type: 'figure',
        svg: renderLineageSvg(
          [
            { kind: t.kinds.dataset, label: dataLabel, detail: ds.sha256 ? `sha256 ${shortHash(ds.sha256)}` : undefined },
            { kind: t.kinds.recipe, label: card.recipe ? card.recipe.name : t.none },
            { kind: t.kinds.run, label: card.run.name, detail: card.run.id },
            { kind: t.kinds.version, label: `${v.name} v${v.version}`, detail: `sha256 ${shortHash(v.modelSha256)}` },
            { kind: t.kinds.stage, label: v.stage, detail: v.aliases.length > 0 ? `@${v.aliases.join(' @')}` : undefined },
          ],
          { title: t.lineage },
        ),
        caption: t.lineageCaption,
      },
    ];
    blocks.push({ type: 'group', blocks: lineage });
    const history: ReportBlock[] = [{ type: 'heading', level: 2, text: t.history }];
    if (card.stages.length === 0) history.push({ type: 'paragraph', text: t.noHistory, tone: 'muted' });
    else
      history.push({
        type: 'table',
        compact: true,
        columns: [{ label: t.when, width: '24%' }, { label: t.who, width: '14%' }, { label: t.change, width: '26%' }, { label: t.comment }],
        rows: card.stages.map((s): TableCell[] => [
          formatReportDateTime(s.at, locale),
          s.actor || '—',
          s.from === null ? `${t.registeredEvent} → ${s.to ?? 'None'}` : `${s.from} → ${s.to ?? '—'}`,
          cutText(s.comment || '—', 300),
        ]),
      });
    blocks.push({ type: 'group', blocks: history });

    return {
      reportId: 'model-card',
      title: `${t.title} — ${v.name} v${v.version}`,
      lang: locale,
      workspaceName: ctx.workspaceName,
      generatedAt,
      fileStem: toFileStem('model-card', v.name, `v${v.version}`, generatedAt.slice(0, 10)),
      blocks,
    };
  },
};
