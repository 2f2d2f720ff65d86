/**
 * Content of the maturity self-assessment: the source chapter's 36 items
 * (section 1.5 and exercise 5, `MLOpsMaturityAssessment`), its
 * recommendations and its level comparison table, in English and Japanese.
 *
 * The Japanese statements are the chapter's own wording, with the damaged
 * characters of the seed restored (e.g. 恈熟度 → 成熟度, 管灆 → 管理,
 * デプぃイ → デプロイ, 偓質 → 品質, 偆訓練 → 再訓練, 特徴遇 → 特徴量,
 * 偯観測性 → 可観測性, 聦模 → 規模). Explanations and next steps are ours.
 *
 * Level 0 and polarity: the chapter's level-0 items describe the ABSENCE of
 * practice ("no data versioning"). We keep the chapter's statements and its
 * scoring unchanged — a "yes" on a level-0 item means "this describes us",
 * and the level-0 score is how well the manual-process profile fits (it does
 * not take part in the level rule, exactly as in the chapter). Every level-0
 * item is marked `polarity: 'absence'`, which the UI uses to phrase the
 * question ("Does this describe your team today?") and the answer buttons
 * ("Yes — this is us"), and which next steps and evidence use to read a
 * level-0 "yes" as a gap.
 *
 * Pure data: imported by main and renderer; no Node or DOM imports.
 */
import type { LocalizedText, MaturityArea, MaturityLevel, WorkbenchPage, AnswerValue } from './maturity';

/** Bumped when items are added, removed or re-identified (stored with each assessment). */
export const MATURITY_CONTENT_VERSION = 1;

export type ItemPolarity = 'presence' | 'absence';

export interface MaturityItem {
  /** Stable id: `l<level>-<area>-<slug>`. Never reuse an id for a different statement. */
  id: string;
  level: MaturityLevel;
  area: MaturityArea;
  /** Position within its area (1..3), the chapter's order. */
  order: number;
  /** `absence` for level 0 (statement describes a missing practice). */
  polarity: ItemPolarity;
  /** The chapter's statement. */
  statement: LocalizedText;
  /** What it means in practice, so a workshop can answer consistently. */
  explanation: LocalizedText;
  /** The concrete next step when this item shows a gap. */
  nextStep: LocalizedText;
  /** Workbench page that helps with the next step (null: outside the workbench). */
  page: WorkbenchPage | null;
  /** Level-0 only: the level-1 item that is the practice this trait lacks. */
  counterpartId?: string;
}

export interface LevelInfo {
  level: MaturityLevel;
  name: LocalizedText;
  /** The chapter's one-line description used in the level verdict. */
  verdict: LocalizedText;
  /** How to read this level's score on the result page. */
  scoreMeaning: LocalizedText;
}

export const MATURITY_LEVEL_INFO: readonly LevelInfo[] = [
  {
    level: 0,
    name: { en: 'Manual process', ja: '手動プロセス' },
    verdict: { en: 'Manual process — improvement needed', ja: '手動プロセス・改善が必要' },
    scoreMeaning: {
      en: 'How well the manual-process profile describes you (higher = more manual). Not used for the level.',
      ja: '手動プロセスの特徴がどの程度当てはまるか（高いほど手動）。レベル判定には使いません。',
    },
  },
  {
    level: 1,
    name: { en: 'ML pipeline automation', ja: 'MLパイプライン自動化' },
    verdict: { en: 'ML pipeline automation — ready to scale', ja: 'MLパイプライン自動化・スケール可能' },
    scoreMeaning: {
      en: 'Share of level-1 practices in place. 70% or more reaches level 1.',
      ja: 'Level 1の実践が満たされている割合。70%以上でLevel 1達成。',
    },
  },
  {
    level: 2,
    name: { en: 'CI/CD pipeline automation', ja: 'CI/CDパイプライン自動化' },
    verdict: { en: 'Full CI/CD automation — enterprise ready', ja: 'CI/CD完全自動化・エンタープライズ対応' },
    scoreMeaning: {
      en: 'Share of level-2 practices in place. 70% or more reaches level 2.',
      ja: 'Level 2の実践が満たされている割合。70%以上でLevel 2達成。',
    },
  },
];

export const MATURITY_AREA_NAMES: Record<MaturityArea, LocalizedText> = {
  data: { en: 'Data management', ja: 'データ管理' },
  model: { en: 'Model development', ja: 'モデル開発' },
  deployment: { en: 'Deployment', ja: 'デプロイメント' },
  monitoring: { en: 'Monitoring', ja: 'モニタリング' },
};

export const WORKBENCH_PAGE_NAMES: Record<WorkbenchPage, LocalizedText> = {
  data: { en: 'Data', ja: 'データ' },
  experiments: { en: 'Experiments', ja: '実験' },
  registry: { en: 'Registry', ja: 'レジストリ' },
  monitoring: { en: 'Monitoring', ja: 'モニタリング' },
  pipelines: { en: 'Pipelines', ja: 'パイプライン' },
  reports: { en: 'Reports', ja: 'レポート' },
};

/** The question asked for every item, by polarity. */
export const ITEM_PROMPTS: Record<ItemPolarity, LocalizedText> = {
  presence: { en: 'Is this in place in your team today?', ja: 'このことは現在、チームで実践されていますか？' },
  absence: {
    en: 'Does this describe your team today? (a manual-process trait: “yes” means this is you)',
    ja: 'これは現在のチームに当てはまりますか？（手動プロセスの特徴：「はい」は当てはまるという意味です）',
  },
};

/** Answer button labels, by polarity, so a level-0 "yes" reads unmistakably. */
export const ANSWER_LABELS: Record<ItemPolarity, Record<AnswerValue, LocalizedText>> = {
  presence: {
    yes: { en: 'Yes, in place', ja: 'はい、実践している' },
    partly: { en: 'Partly', ja: '一部のみ' },
    no: { en: 'No, not yet', ja: 'いいえ、まだ' },
    unsure: { en: 'Not sure', ja: 'わからない' },
  },
  absence: {
    yes: { en: 'Yes, this is us', ja: 'はい、当てはまる' },
    partly: { en: 'Partly true', ja: '一部当てはまる' },
    no: { en: 'No, we are past this', ja: 'いいえ、脱却済み' },
    unsure: { en: 'Not sure', ja: 'わからない' },
  },
};

type ItemSeed = Omit<MaturityItem, 'level' | 'area' | 'order' | 'polarity'>;

function defineItems(level: MaturityLevel, area: MaturityArea, seeds: ItemSeed[]): MaturityItem[] {
  return seeds.map((seed, index) => ({
    ...seed,
    level,
    area,
    order: index + 1,
    polarity: level === 0 ? 'absence' : 'presence',
  }));
}

/** The 36 items, level by level, area by area, in the chapter's order. */
export const MATURITY_ITEMS: readonly MaturityItem[] = [
  // ── Level 0: Manual process (statements describe missing practice) ──
  ...defineItems(0, 'data', [
    {
      id: 'l0-data-local-files',
      statement: { en: 'Data is kept in local files', ja: 'データはローカルファイルで管理' },
      explanation: {
        en: 'Training data lives as files on laptops or shared drives (“final_v2.csv”), copied by hand; nobody can say which file trained which model.',
        ja: '学習データは個人PCや共有ドライブ上のファイル（「final_v2.csv」など）で、手作業でコピーされている。どのファイルでどのモデルを学習したか誰も答えられない。',
      },
      nextStep: {
        en: 'Import the data sets you train on into the workbench so each one becomes a hashed, immutable version.',
        ja: '学習に使うデータセットをワークベンチに取り込み、ハッシュ付きの不変なバージョンとして管理する。',
      },
      page: 'data',
      counterpartId: 'l1-data-versioning',
    },
    {
      id: 'l0-data-no-versioning',
      statement: { en: 'No data versioning', ja: 'データのバージョン管理なし' },
      explanation: {
        en: 'When data changes, the old state is overwritten or lost; you cannot go back to the exact data a past model saw.',
        ja: 'データが変わると古い状態は上書きされるか失われ、過去のモデルが見たデータに正確に戻ることができない。',
      },
      nextStep: {
        en: 'Version every data set you use: import each new extract as a version and tag it.',
        ja: '使うデータセットはすべてバージョン管理する：新しい抽出データをバージョンとして取り込み、タグを付ける。',
      },
      page: 'data',
      counterpartId: 'l1-data-versioning',
    },
    {
      id: 'l0-data-manual-quality',
      statement: { en: 'Data quality is checked by hand', ja: 'データ品質チェックは手動' },
      explanation: {
        en: 'Someone eyeballs the data (or does not): missing values, ranges and types are checked ad hoc, differently each time.',
        ja: '欠損値・値の範囲・型などを、その都度人が目で確認している（あるいは確認していない）。毎回やり方が違う。',
      },
      nextStep: {
        en: 'Write a validation rule suite for your main data set and re-run it on every new version.',
        ja: '主要なデータセットに検証ルールのスイートを作り、新しいバージョンごとに再実行する。',
      },
      page: 'data',
      counterpartId: 'l1-data-auto-quality',
    },
  ]),
  ...defineItems(0, 'model', [
    {
      id: 'l0-model-notebooks',
      statement: { en: 'Models are built in Jupyter notebooks', ja: 'Jupyter Notebookで開発' },
      explanation: {
        en: 'The model that matters was produced by running notebook cells in some order; re-running it from scratch is not routine.',
        ja: '重要なモデルはノートブックのセルをある順序で実行して作られたもので、最初から再実行することは日常的でない。',
      },
      nextStep: {
        en: 'Define training as an experiment (data version, target, model, split, seed) so it can be re-run to identical metrics.',
        ja: '学習を実験（データバージョン・目的変数・モデル・分割・シード）として定義し、同じ指標で再実行できるようにする。',
      },
      page: 'experiments',
      counterpartId: 'l1-deploy-training-pipeline',
    },
    {
      id: 'l0-model-manual-records',
      statement: { en: 'Experiments are recorded by hand (e.g. in a spreadsheet)', ja: '実験の記録は手動（Excelなど）' },
      explanation: {
        en: 'Parameters and scores are copied into a spreadsheet or chat when someone remembers; many runs are never recorded.',
        ja: 'パラメータやスコアは、誰かが思い出したときにスプレッドシートやチャットに書き写される。記録されない実行も多い。',
      },
      nextStep: {
        en: 'Run training through the workbench so every run records its params, metrics and data version automatically.',
        ja: 'ワークベンチで学習を実行し、すべての実行のパラメータ・メトリクス・データバージョンを自動で記録する。',
      },
      page: 'experiments',
      counterpartId: 'l1-model-tracking',
    },
    {
      id: 'l0-model-trial-error',
      statement: { en: 'Hyperparameters are found by trial and error', ja: 'ハイパーパラメータは試行錯誤' },
      explanation: {
        en: 'Settings are changed by hand until the score looks good, without a recorded search or cross-validation.',
        ja: 'スコアが良く見えるまで手で設定を変えており、探索の記録や交差検証はない。',
      },
      nextStep: {
        en: 'Compare several hyperparameter settings with k-fold cross-validation in one experiment and keep the comparison.',
        ja: '1つの実験で複数のハイパーパラメータ設定をk分割交差検証で比較し、その比較を残す。',
      },
      page: 'experiments',
    },
  ]),
  ...defineItems(0, 'deployment', [
    {
      id: 'l0-deploy-manual',
      statement: { en: 'Models are deployed by hand', ja: 'モデルのデプロイは手作業' },
      explanation: {
        en: 'A person copies a model file to a server or hands it to another team; the steps live in someone’s head.',
        ja: '担当者がモデルファイルをサーバーにコピーしたり別チームに渡したりしており、手順は個人の頭の中にある。',
      },
      nextStep: {
        en: 'Register the model and serve the Production version from the registry instead of copying files.',
        ja: 'モデルをレジストリに登録し、ファイルをコピーする代わりにProductionバージョンをレジストリから提供する。',
      },
      page: 'registry',
    },
    {
      id: 'l0-deploy-infrequent',
      statement: { en: 'Deployments happen monthly to yearly', ja: 'デプロイ頻度は月〜年単位' },
      explanation: {
        en: 'A new model reaches users a few times a year at most, because each release is a project of its own.',
        ja: 'リリースのたびに一つのプロジェクトになるため、新しいモデルが利用者に届くのは年に数回程度。',
      },
      nextStep: {
        en: 'Set up a retraining pipeline that registers passing models to Staging, so a release is a promotion, not a project.',
        ja: '基準を満たしたモデルをStagingに登録する再訓練パイプラインを作り、リリースを「プロジェクト」ではなく「昇格」にする。',
      },
      page: 'pipelines',
    },
    {
      id: 'l0-deploy-no-parity',
      statement: { en: 'No consistency check against production', ja: '本番環境との整合性確認なし' },
      explanation: {
        en: 'Nobody checks that production sees the same preprocessing, library versions and data schema as training did.',
        ja: '本番環境で学習時と同じ前処理・ライブラリバージョン・データスキーマが使われているかを誰も確認していない。',
      },
      nextStep: {
        en: 'Record the preprocessing recipe with each run and test the model in Staging before promoting it to Production.',
        ja: '前処理レシピを各実行と一緒に記録し、Productionへ昇格させる前にStagingでモデルをテストする。',
      },
      page: 'registry',
      counterpartId: 'l1-deploy-staging',
    },
  ]),
  ...defineItems(0, 'monitoring', [
    {
      id: 'l0-monitor-none',
      statement: { en: 'No model performance monitoring', ja: 'モデル性能の監視なし' },
      explanation: {
        en: 'Once deployed, nobody measures whether the model is still accurate on today’s data.',
        ja: 'デプロイ後、モデルが今のデータでも正確かどうかを誰も測っていない。',
      },
      nextStep: {
        en: 'Run a drift check comparing new data (or logged predictions) with the training baseline.',
        ja: '新しいデータ（または記録された予測）を学習時のベースラインと比較するドリフトチェックを実行する。',
      },
      page: 'monitoring',
      counterpartId: 'l1-monitor-basic',
    },
    {
      id: 'l0-monitor-no-alerts',
      statement: { en: 'No alerts', ja: 'アラート機能なし' },
      explanation: {
        en: 'Nothing warns you when accuracy drops or the input data changes; you find out from users.',
        ja: '精度の低下や入力データの変化を知らせる仕組みがなく、利用者から聞いて初めて気づく。',
      },
      nextStep: {
        en: 'Set drift and accuracy thresholds so a check flags a problem instead of someone noticing it.',
        ja: 'ドリフトと精度のしきい値を設定し、人が気づく前にチェックが問題を知らせるようにする。',
      },
      page: 'monitoring',
    },
    {
      id: 'l0-monitor-reactive',
      statement: { en: 'Problems are handled after the fact', ja: '問題発生時の対応は事後的' },
      explanation: {
        en: 'Model problems are dealt with after they have hurt a decision or a customer, not before.',
        ja: 'モデルの問題は、意思決定や顧客に影響が出てから対応しており、事前には対応していない。',
      },
      nextStep: {
        en: 'Keep a history of drift checks and act on the retraining recommendation before users notice.',
        ja: 'ドリフトチェックの履歴を残し、利用者が気づく前に再訓練の推奨に基づいて対応する。',
      },
      page: 'monitoring',
    },
  ]),

  // ── Level 1: ML pipeline automation ──
  ...defineItems(1, 'data', [
    {
      id: 'l1-data-versioning',
      statement: { en: 'A data versioning tool is used (DVC or similar)', ja: 'データバージョニングツール使用（DVC等）' },
      explanation: {
        en: 'Every data set used for training is stored as an immutable, content-addressed version you can check out again.',
        ja: '学習に使うすべてのデータセットが、再取得できる不変のバージョン（内容ハッシュで識別）として保存されている。',
      },
      nextStep: {
        en: 'Import your training data as versions on the Data page; the same bytes always give the same version.',
        ja: 'データページで学習データをバージョンとして取り込む。同じ内容なら常に同じバージョンになる。',
      },
      page: 'data',
    },
    {
      id: 'l1-data-auto-quality',
      statement: { en: 'Automated data quality checks', ja: '自動データ品質チェック' },
      explanation: {
        en: 'A saved set of rules (not-null, ranges, allowed values, row counts) runs on each new data version without manual work.',
        ja: '保存されたルール（非NULL・範囲・許容値・行数など）が、新しいデータバージョンごとに手作業なしで実行される。',
      },
      nextStep: {
        en: 'Save a validation suite and re-run it on each new version; fail the pipeline when it fails.',
        ja: '検証スイートを保存して新しいバージョンごとに再実行し、失敗したらパイプラインを止める。',
      },
      page: 'data',
    },
    {
      id: 'l1-data-lineage',
      statement: { en: 'Data lineage is recorded', ja: 'データ系譜の記録' },
      explanation: {
        en: 'For any model you can say which data version (hash) and preprocessing produced it.',
        ja: 'どのモデルについても、どのデータバージョン（ハッシュ）と前処理から作られたかを答えられる。',
      },
      nextStep: {
        en: 'Train only from versioned data sets so each run records the data version hash and recipe.',
        ja: 'バージョン管理されたデータセットからのみ学習し、各実行にデータバージョンのハッシュとレシピを記録する。',
      },
      page: 'data',
    },
  ]),
  ...defineItems(1, 'model', [
    {
      id: 'l1-model-tracking',
      statement: { en: 'An experiment tracking tool is used (MLflow or similar)', ja: '実験管理ツール使用（MLflow等）' },
      explanation: {
        en: 'Every training run is recorded in one place where runs can be searched, sorted and compared.',
        ja: 'すべての学習実行が一か所に記録され、検索・並べ替え・比較ができる。',
      },
      nextStep: {
        en: 'Run experiments from the Experiments page so runs are tracked and comparable side by side.',
        ja: '実験ページから実験を実行し、実行を記録して並べて比較できるようにする。',
      },
      page: 'experiments',
    },
    {
      id: 'l1-model-auto-logging',
      statement: { en: 'Parameters and metrics are logged automatically', ja: 'パラメータとメトリクスの自動記録' },
      explanation: {
        en: 'Nobody types numbers in: the training code itself logs parameters, metrics, seed and versions for each run.',
        ja: '人が数値を書き写すことはなく、学習コード自体が各実行のパラメータ・メトリクス・シード・バージョンを記録する。',
      },
      nextStep: {
        en: 'Use workbench runs, which log params, metrics, seed and library versions without manual steps.',
        ja: 'パラメータ・メトリクス・シード・ライブラリバージョンを手作業なしで記録するワークベンチの実行を使う。',
      },
      page: 'experiments',
    },
    {
      id: 'l1-model-registry',
      statement: { en: 'Versions are kept in a model registry', ja: 'モデルレジストリでバージョン管理' },
      explanation: {
        en: 'Models are registered as numbered versions of a named model, with their stage and history, not as loose files.',
        ja: 'モデルはばらばらのファイルではなく、名前付きモデルの番号付きバージョンとしてステージと履歴付きで登録されている。',
      },
      nextStep: {
        en: 'Register your best run’s model as a version in the Registry.',
        ja: '最良の実行のモデルをレジストリにバージョンとして登録する。',
      },
      page: 'registry',
    },
  ]),
  ...defineItems(1, 'deployment', [
    {
      id: 'l1-deploy-training-pipeline',
      statement: { en: 'The training pipeline is automated', ja: '訓練パイプラインの自動化' },
      explanation: {
        en: 'Data loading, preprocessing, training, evaluation and registration run as one pipeline, on a schedule or trigger, without hand steps.',
        ja: 'データ読み込み・前処理・学習・評価・登録が一つのパイプラインとして、スケジュールやトリガーで手作業なしに実行される。',
      },
      nextStep: {
        en: 'Define a retraining pipeline (data source, recipe, model, gates) with a schedule.',
        ja: 'スケジュール付きの再訓練パイプライン（データソース・レシピ・モデル・ゲート）を定義する。',
      },
      page: 'pipelines',
    },
    {
      id: 'l1-deploy-packaging',
      statement: { en: 'Models are packaged', ja: 'モデルのパッケージング' },
      explanation: {
        en: 'A model ships as a self-contained package (model, preprocessing, versions) that can be served the same way every time.',
        ja: 'モデルは（モデル・前処理・バージョン情報を含む）自己完結したパッケージとして出荷され、毎回同じ方法で提供できる。',
      },
      nextStep: {
        en: 'Serve a registered version through the local endpoint instead of a hand-built script.',
        ja: '手作りのスクリプトではなく、登録済みバージョンをローカルエンドポイントで提供する。',
      },
      page: 'registry',
    },
    {
      id: 'l1-deploy-staging',
      statement: { en: 'Models are tested in a staging environment', ja: 'ステージング環境でのテスト' },
      explanation: {
        en: 'A new version goes to Staging and is checked there before it is promoted to Production.',
        ja: '新しいバージョンはまずStagingに置かれ、そこで確認されてからProductionに昇格する。',
      },
      nextStep: {
        en: 'Promote new versions to Staging first and record a comment when promoting to Production.',
        ja: '新しいバージョンはまずStagingへ昇格させ、Productionへの昇格時にはコメントを記録する。',
      },
      page: 'registry',
    },
  ]),
  ...defineItems(1, 'monitoring', [
    {
      id: 'l1-monitor-basic',
      statement: { en: 'Basic performance monitoring', ja: '基本的な性能監視' },
      explanation: {
        en: 'Accuracy (or another metric) of the production model is measured regularly on new labelled data.',
        ja: '本番モデルの精度（または他の指標）が、新しいラベル付きデータで定期的に測定されている。',
      },
      nextStep: {
        en: 'Run checks on new labelled data with an accuracy threshold on the Monitoring page.',
        ja: 'モニタリングページで、精度のしきい値を設定して新しいラベル付きデータをチェックする。',
      },
      page: 'monitoring',
    },
    {
      id: 'l1-monitor-drift',
      statement: { en: 'Data drift detection', ja: 'データドリフト検出' },
      explanation: {
        en: 'Input distributions are compared with the training data (e.g. KS test, PSI) and drift is flagged.',
        ja: '入力データの分布が学習データと（KS検定やPSIなどで）比較され、ドリフトが検出される。',
      },
      nextStep: {
        en: 'Run a drift check of each new data version against the model’s training baseline.',
        ja: '新しいデータバージョンごとに、モデルの学習時ベースラインとのドリフトチェックを実行する。',
      },
      page: 'monitoring',
    },
    {
      id: 'l1-monitor-manual-retrain',
      statement: { en: 'Retraining is triggered by hand', ja: '手動での再訓練トリガー' },
      explanation: {
        en: 'When monitoring shows a problem, a person starts the (automated) retraining pipeline — retraining is one click, not a project.',
        ja: '監視で問題が見つかったとき、人が（自動化された）再訓練パイプラインを起動する。再訓練はプロジェクトではなくワンクリック。',
      },
      nextStep: {
        en: 'Make retraining a pipeline you can start with one click when a drift check recommends it.',
        ja: 'ドリフトチェックが推奨したときにワンクリックで起動できるよう、再訓練をパイプラインにする。',
      },
      page: 'pipelines',
    },
  ]),

  // ── Level 2: CI/CD pipeline automation ──
  ...defineItems(2, 'data', [
    {
      id: 'l2-data-pipeline',
      statement: { en: 'The data pipeline is fully automated', ja: 'データパイプラインの完全自動化' },
      explanation: {
        en: 'Data is extracted, validated, versioned and made available for training without any manual step.',
        ja: 'データの抽出・検証・バージョン管理・学習への提供が、手作業なしで行われる。',
      },
      nextStep: {
        en: 'Let a pipeline pick up new data versions and validate them before training runs.',
        ja: 'パイプラインが新しいデータバージョンを取り込み、学習前に検証するようにする。',
      },
      page: 'pipelines',
    },
    {
      id: 'l2-data-feature-store',
      statement: { en: 'A feature store is used', ja: '特徴量ストアの活用' },
      explanation: {
        en: 'Features are defined once and served identically for training and prediction, shared between models.',
        ja: '特徴量は一度だけ定義され、学習と予測で同一に提供され、モデル間で共有される。',
      },
      nextStep: {
        en: 'The workbench has no feature store; record a preprocessing recipe with each run so training and prediction use the same features, and evaluate a feature store (e.g. Feast) when several models share features.',
        ja: 'ワークベンチに特徴量ストアはない。各実行に前処理レシピを記録して学習と予測で同じ特徴量を使い、複数のモデルが特徴量を共有するようになったら特徴量ストア（Feastなど）を検討する。',
      },
      page: 'data',
    },
    {
      id: 'l2-data-quality-monitoring',
      statement: { en: 'Data quality is monitored continuously', ja: 'データ品質の継続的監視' },
      explanation: {
        en: 'Quality rules run on every batch of incoming data, with a history, not only before training.',
        ja: '品質ルールが学習前だけでなく、入ってくるデータのバッチごとに実行され、履歴が残る。',
      },
      nextStep: {
        en: 'Run your validation suite on every new version and review the pass/fail history.',
        ja: '新しいバージョンごとに検証スイートを実行し、合否の履歴を確認する。',
      },
      page: 'data',
    },
  ]),
  ...defineItems(2, 'model', [
    {
      id: 'l2-model-cicd',
      statement: { en: 'Integrated into a CI/CD pipeline', ja: 'CI/CDパイプライン統合' },
      explanation: {
        en: 'A code change to the model triggers build, tests, training and evaluation automatically in CI.',
        ja: 'モデルのコード変更により、CIでビルド・テスト・学習・評価が自動的に実行される。',
      },
      nextStep: {
        en: 'Outside the workbench: run the CLI (`mlwb`) from your CI so a code change retrains and gates the model.',
        ja: 'ワークベンチ外：CIからCLI（`mlwb`）を実行し、コード変更で再訓練とゲート判定が行われるようにする。',
      },
      page: 'pipelines',
    },
    {
      id: 'l2-model-auto-tests',
      statement: { en: 'Automated tests (data, model, infrastructure)', ja: '自動テスト（データ・モデル・インフラ）' },
      explanation: {
        en: 'Data rules, model quality gates and serving checks all run automatically before anything reaches production.',
        ja: 'データのルール、モデル品質のゲート、提供環境のチェックがすべて、本番に届く前に自動で実行される。',
      },
      nextStep: {
        en: 'Add registration gates (test metric threshold, |test − CV| < 0.1) and validation suites to your pipeline.',
        ja: 'パイプラインに登録ゲート（テスト指標のしきい値、|test − CV| < 0.1）と検証スイートを加える。',
      },
      page: 'pipelines',
    },
    {
      id: 'l2-model-hpo',
      statement: { en: 'Automated hyperparameter optimisation', ja: '自動ハイパーパラメータ最適化' },
      explanation: {
        en: 'A search over hyperparameters runs automatically with cross-validation, and the best setting is chosen by rule.',
        ja: 'ハイパーパラメータの探索が交差検証付きで自動実行され、最良の設定がルールで選ばれる。',
      },
      nextStep: {
        en: 'Try several settings per model in one experiment with k-fold CV and pick the best by its CV mean.',
        ja: '1つの実験でモデルごとに複数の設定をk分割交差検証で試し、CV平均で最良のものを選ぶ。',
      },
      page: 'experiments',
    },
  ]),
  ...defineItems(2, 'deployment', [
    {
      id: 'l2-deploy-full-auto',
      statement: { en: 'Fully automated from code change to deployment', ja: 'コード変更からデプロイまで完全自動' },
      explanation: {
        en: 'No human step between merging a change and the new model serving traffic (approval gates are automated).',
        ja: '変更のマージから新しいモデルが本番で使われるまで、人手の工程がない（承認ゲートも自動化されている）。',
      },
      nextStep: {
        en: 'Let a pipeline register passing models to Staging automatically; automate promotion once gates are trusted.',
        ja: 'パイプラインで基準を満たしたモデルを自動でStagingに登録し、ゲートが信頼できたら昇格も自動化する。',
      },
      page: 'pipelines',
    },
    {
      id: 'l2-deploy-canary',
      statement: { en: 'Canary deployments / A/B tests', ja: 'カナリアデプロイメント/A/Bテスト' },
      explanation: {
        en: 'A new model first serves a small share of traffic, and is compared with the current one before full rollout.',
        ja: '新しいモデルはまず一部のトラフィックだけを処理し、全面展開の前に現行モデルと比較される。',
      },
      nextStep: {
        en: 'Serve the Staging version beside Production and compare their logged predictions before promoting.',
        ja: 'StagingバージョンをProductionと並べて提供し、昇格前に記録された予測を比較する。',
      },
      page: 'registry',
    },
    {
      id: 'l2-deploy-rollback',
      statement: { en: 'Automatic rollback', ja: '自動ロールバック機能' },
      explanation: {
        en: 'If the new model misbehaves, the previous version is restored automatically, without waiting for a person.',
        ja: '新しいモデルに問題があれば、人を待たずに前のバージョンへ自動的に戻る。',
      },
      nextStep: {
        en: 'Practise rollback (promote the previous version) in the Registry; automate it once monitoring alerts are reliable.',
        ja: 'レジストリでロールバック（前のバージョンの昇格）を練習し、監視のアラートが信頼できたら自動化する。',
      },
      page: 'registry',
    },
  ]),
  ...defineItems(2, 'monitoring', [
    {
      id: 'l2-monitor-observability',
      statement: { en: 'Comprehensive observability', ja: '包括的な可観測性' },
      explanation: {
        en: 'Inputs, predictions, latency, errors and business outcomes are all tracked over time and can be traced to a model version.',
        ja: '入力・予測・レイテンシ・エラー・ビジネス成果がすべて時系列で追跡され、モデルバージョンまで辿れる。',
      },
      nextStep: {
        en: 'Log predictions with the model version and keep a drift history per model.',
        ja: '予測をモデルバージョンと一緒に記録し、モデルごとにドリフトの履歴を残す。',
      },
      page: 'monitoring',
    },
    {
      id: 'l2-monitor-auto-retrain',
      statement: { en: 'Automatic retraining triggers', ja: '自動再訓練トリガー' },
      explanation: {
        en: 'Drift or a performance drop starts retraining by itself; nobody has to notice and click.',
        ja: 'ドリフトや性能低下が起きると、自動的に再訓練が始まる。人が気づいてクリックする必要はない。',
      },
      nextStep: {
        en: 'Set your retraining pipeline to run when a drift check fires.',
        ja: 'ドリフトチェックが検出したときに再訓練パイプラインが実行されるよう設定する。',
      },
      page: 'pipelines',
    },
    {
      id: 'l2-monitor-anomaly',
      statement: { en: 'Anomaly detection with automated response', ja: '異常検知と自動対応' },
      explanation: {
        en: 'Unusual inputs or outputs are detected automatically and trigger a defined response (alert, fallback, rollback).',
        ja: '異常な入力や出力が自動で検出され、定められた対応（アラート・フォールバック・ロールバック）が起動する。',
      },
      nextStep: {
        en: 'Use drift thresholds as the first anomaly signal and wire them to a retraining pipeline.',
        ja: 'まずドリフトのしきい値を異常のシグナルとして使い、再訓練パイプラインにつなげる。',
      },
      page: 'monitoring',
    },
  ]),
];

/** The chapter's recommendations for the determined level (generate_recommendations). */
export const MATURITY_RECOMMENDATIONS: Record<MaturityLevel, readonly LocalizedText[]> = {
  0: [
    { en: 'Introduce an experiment tracking tool (MLflow)', ja: '実験管理ツール（MLflow）の導入' },
    { en: 'Start data versioning (DVC)', ja: 'データバージョニング（DVC）の開始' },
    { en: 'Turn the training pipeline into scripts', ja: '訓練パイプラインのスクリプト化' },
    { en: 'Build a model registry', ja: 'モデルレジストリの構築' },
  ],
  1: [
    { en: 'Build a CI/CD pipeline', ja: 'CI/CDパイプラインの構築' },
    { en: 'Implement automated tests', ja: '自動テストの実装' },
    { en: 'Strengthen the model monitoring system', ja: 'モデルモニタリングシステムの強化' },
    { en: 'Build an automatic retraining mechanism', ja: '自動再訓練の仕組み構築' },
  ],
  2: [
    { en: 'An advanced A/B testing framework', ja: '高度なA/Bテストフレームワーク' },
    { en: 'Optimise multi-model management', ja: 'マルチモデル管理の最適化' },
    { en: 'Integrate an MLOps platform', ja: 'MLOpsプラットフォームの統合' },
    { en: 'Spread best practice across the organisation', ja: '組織全体へのベストプラクティス展開' },
  ],
};

export interface ComparisonRow {
  aspect: LocalizedText;
  values: [LocalizedText, LocalizedText, LocalizedText];
}

/** The chapter's level comparison table (成熟度レベルの比較). */
export const MATURITY_LEVEL_COMPARISON: readonly ComparisonRow[] = [
  {
    aspect: { en: 'Deployment frequency', ja: 'デプロイ頻度' },
    values: [
      { en: 'Months to years', ja: '月〜年単位' },
      { en: 'Weeks to months', ja: '週〜月単位' },
      { en: 'Days to weeks', ja: '日〜週単位' },
    ],
  },
  {
    aspect: { en: 'Reproducibility', ja: '再現性' },
    values: [
      { en: 'Low', ja: '低い' },
      { en: 'Medium', ja: '中程度' },
      { en: 'High', ja: '高い' },
    ],
  },
  {
    aspect: { en: 'Automation', ja: '自動化' },
    values: [
      { en: 'None', ja: 'なし' },
      { en: 'Training only', ja: '訓練のみ' },
      { en: 'End to end', ja: 'エンドツーエンド' },
    ],
  },
  {
    aspect: { en: 'Monitoring', ja: 'モニタリング' },
    values: [
      { en: 'None / manual', ja: 'なし/手動' },
      { en: 'Basic', ja: '基本的' },
      { en: 'Comprehensive', ja: '包括的' },
    ],
  },
  {
    aspect: { en: 'Testing', ja: 'テスト' },
    values: [
      { en: 'None', ja: 'なし' },
      { en: 'Model only', ja: 'モデルのみ' },
      { en: 'Every component', ja: '全コンポーネント' },
    ],
  },
  {
    aspect: { en: 'Scale', ja: '適用規模' },
    values: [
      { en: '1–2 models', ja: '1-2モデル' },
      { en: 'A few models', ja: '数モデル' },
      { en: 'Many models', ja: '多数のモデル' },
    ],
  },
];

/** Header cell of the comparison table (側面). */
export const COMPARISON_ASPECT_HEADER: LocalizedText = { en: 'Aspect', ja: '側面' };

/** Threshold of the chapter's level rule, in percent. */
export const LEVEL_THRESHOLD = 70;

const ITEMS_BY_ID = new Map(MATURITY_ITEMS.map((item) => [item.id, item]));

/** Looks an item up by id (undefined for unknown ids). */
export function findMaturityItem(id: string): MaturityItem | undefined {
  return ITEMS_BY_ID.get(id);
}

/** Items of one level (and optionally one area), in the chapter's order. */
export function listMaturityItems(level?: MaturityLevel, area?: MaturityArea): MaturityItem[] {
  return MATURITY_ITEMS.filter((item) => (level === undefined || item.level === level) && (area === undefined || item.area === area));
}

/** Picks the text of a localized value. */
export function pickText(text: LocalizedText, locale: 'en' | 'ja'): string {
  return text[locale];
}

/**
 * The wizard's order: one area at a time (the issue), and within an area
 * level 0 → 1 → 2 so the group reads as a progression. The scoring does not
 * depend on the order.
 */
export const WIZARD_ITEMS: readonly MaturityItem[] = (['data', 'model', 'deployment', 'monitoring'] as const).flatMap((area) =>
  MATURITY_ITEMS.filter((item) => item.area === area).sort((a, b) => a.level - b.level || a.order - b.order),
);
