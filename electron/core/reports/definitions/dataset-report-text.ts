/** Wording of the dataset profile and validation report, in both languages. */
import type { ColumnType, ValidationRule } from '../../../../shared/datasets';
import type { Locale } from '../../../../shared/maturity';

const EN = {
  kicker: 'Dataset profile and validation',
  title: 'Dataset profile and validation report',
  dataset: 'Dataset',
  tag: 'Version tag',
  hash: 'SHA-256',
  rows: 'Rows',
  columns: 'Columns',
  size: 'Size',
  imported: 'Imported',
  source: 'Source file',
  duplicates: 'Duplicate rows',
  validation: 'Validation',
  workspace: 'Workspace',
  generated: 'Generated',
  shape: (rows: string, columns: string) => `${rows} rows × ${columns} columns`,
  notValidated: 'no suite run on this version',
  validationSummary: (suites: number, passed: number) => `${suites} suite(s) run: ${passed} passed, ${suites - passed} failed`,
  summary: 'Summary',
  warnings: 'Warnings',
  noWarnings: 'No warnings: no column is more than 30% missing and every value matches its column type.',
  missingWarning: (column: string, share: string) => `Column “${column}” is ${share} missing (above the 30% threshold).`,
  invalidWarning: (column: string, count: string, type: string, row: number) =>
    `Column “${column}” has ${count} value(s) that are not of type ${type} (first at row ${row}); they count as missing.`,
  skippedWarning: (count: string, lines: string) =>
    `${count} row(s) with the wrong number of fields were skipped at import (lines ${lines}).`,
  profileTable: 'Column profile',
  profileTableCaption:
    'Missing share above 30% is flagged (the chapter’s threshold). Quartiles use linear interpolation (numpy’s default).',
  column: 'Column',
  type: 'Type',
  missing: 'Missing',
  distinct: 'Distinct',
  min: 'Min',
  q25: '25%',
  median: 'Median',
  q75: '75%',
  max: 'Max',
  mean: 'Mean',
  std: 'Std',
  invalid: 'Invalid values',
  topValue: 'Most frequent',
  atLeast: (n: string) => `≥ ${n}`,
  duplicateRows: 'Duplicate rows',
  duplicateText: (count: string, share: string) => `${count} row(s) (${share} of all rows) repeat an earlier row exactly.`,
  noDuplicates: 'No row repeats an earlier row.',
  columnDetails: 'Columns',
  histogramCaption: 'Histogram of the values (missing values left out).',
  topValuesCaption: 'Most frequent values with their count and share of rows.',
  allDistinct: 'Nearly every value is different (an identifier?): no chart.',
  noChart: 'No values to chart.',
  approx: 'Quartiles from a uniform sample (very large file).',
  moreColumns: (n: number) => `${n} more column(s) appear in the column profile table only.`,
  missingCallout: (share: string) => `${share} of the values are missing, above the 30% threshold: impute with care or drop the column.`,
  validationTitle: 'Validation results',
  validationIntro: 'The latest run of each suite on this version.',
  noValidation: 'No validation suite has been run on this version yet (Data page → Validation, or `mlwb data validate`).',
  suiteHeading: (name: string, passed: boolean) => `Suite “${name}” — ${passed ? 'passed' : 'failed'}`,
  suiteFacts: (passed: number, total: number, when: string) => `${passed} of ${total} rules passed · run ${when}`,
  status: 'Result',
  rule: 'Rule',
  observed: 'Observed',
  failing: 'Failing rows',
  examples: 'Examples',
  pass: 'Pass',
  fail: 'Fail',
  row: (row: number, value: string) => `row ${row}: ${value}`,
  typeNames: { number: 'number', integer: 'integer', category: 'category', boolean: 'boolean', date: 'date', text: 'text' } as Record<
    ColumnType,
    string
  >,
};

const JA: typeof EN = {
  kicker: 'データセットのプロファイルと検証',
  title: 'データセット プロファイル・検証レポート',
  dataset: 'データセット',
  tag: 'バージョンタグ',
  hash: 'SHA-256',
  rows: '行数',
  columns: '列数',
  size: 'サイズ',
  imported: '取り込み日時',
  source: '元ファイル',
  duplicates: '重複行',
  validation: '検証',
  workspace: 'ワークスペース',
  generated: '作成日',
  shape: (rows, columns) => `${rows} 行 × ${columns} 列`,
  notValidated: 'このバージョンで実行した検証スイートなし',
  validationSummary: (suites, passed) => `${suites} 件のスイートを実行：合格 ${passed}・不合格 ${suites - passed}`,
  summary: '概要',
  warnings: '警告',
  noWarnings: '警告はありません：欠損率が30%を超える列はなく、すべての値が列の型に合っています。',
  missingWarning: (column, share) => `列「${column}」の欠損率は ${share} です（しきい値 30% 超）。`,
  invalidWarning: (column, count, type, row) =>
    `列「${column}」に型 ${type} に合わない値が ${count} 件あります（最初は ${row} 行目）。欠損として数えています。`,
  skippedWarning: (count, lines) => `フィールド数が合わない ${count} 行を取り込み時にスキップしました（${lines} 行目）。`,
  profileTable: '列のプロファイル',
  profileTableCaption: '欠損率が30%（本章のしきい値）を超える列に印を付けています。四分位数は線形補間（numpy の既定）。',
  column: '列',
  type: '型',
  missing: '欠損',
  distinct: 'ユニーク数',
  min: '最小',
  q25: '25%',
  median: '中央値',
  q75: '75%',
  max: '最大',
  mean: '平均',
  std: '標準偏差',
  invalid: '型に合わない値',
  topValue: '最頻値',
  atLeast: (n) => `${n} 以上`,
  duplicateRows: '重複行',
  duplicateText: (count, share) => `${count} 行（全体の ${share}）が前の行と完全に一致しています。`,
  noDuplicates: '重複した行はありません。',
  columnDetails: '列ごとの詳細',
  histogramCaption: '値のヒストグラム（欠損値を除く）。',
  topValuesCaption: '出現回数の多い値と、その件数・割合。',
  allDistinct: 'ほぼすべての値が異なります（識別子の可能性）。グラフは省略します。',
  noChart: 'グラフにする値がありません。',
  approx: '四分位数は一様サンプルから計算（非常に大きなファイル）。',
  moreColumns: (n) => `残りの ${n} 列は列のプロファイル表にのみ記載しています。`,
  missingCallout: (share) => `値の ${share} が欠損しています（しきい値 30% 超）。補完は慎重に行うか、列の削除を検討してください。`,
  validationTitle: '検証結果',
  validationIntro: 'このバージョンで各スイートを最後に実行した結果です。',
  noValidation: 'このバージョンではまだ検証スイートを実行していません（データ → 検証、または `mlwb data validate`）。',
  suiteHeading: (name, passed) => `スイート「${name}」 — ${passed ? '合格' : '不合格'}`,
  suiteFacts: (passed, total, when) => `${total} ルール中 ${passed} 件合格 · 実行日時 ${when}`,
  status: '結果',
  rule: 'ルール',
  observed: '観測値',
  failing: '違反行数',
  examples: '例',
  pass: '合格',
  fail: '不合格',
  row: (row, value) => `${row} 行目: ${value}`,
  typeNames: { number: '数値', integer: '整数', category: 'カテゴリ', boolean: '真偽値', date: '日付', text: 'テキスト' },
};

/** Report wording in the given language. */
export function datasetText(locale: Locale): typeof EN {
  return locale === 'ja' ? JA : EN;
}

function rangeText(min: number | undefined, max: number | undefined, locale: Locale, fmt: (x: number) => string): string {
  if (min !== undefined && max !== undefined) return locale === 'ja' ? `${fmt(min)}〜${fmt(max)}` : `between ${fmt(min)} and ${fmt(max)}`;
  if (min !== undefined) return locale === 'ja' ? `${fmt(min)} 以上` : `at least ${fmt(min)}`;
  if (max !== undefined) return locale === 'ja' ? `${fmt(max)} 以下` : `at most ${fmt(max)}`;
  return locale === 'ja' ? '制限なし' : 'any value';
}

/** What a rule expects, in words ("age: values between 18 and 99"). */
export function describeRule(rule: ValidationRule, locale: Locale, fmt: (x: number) => string): string {
  const ja = locale === 'ja';
  const col = 'column' in rule ? `${rule.column}: ` : '';
  switch (rule.kind) {
    case 'column_exists':
      return `${col}${ja ? '列が存在する' : 'column exists'}`;
    case 'not_null':
      return rule.maxMissingShare > 0
        ? `${col}${ja ? `欠損率 ${fmt(rule.maxMissingShare * 100)}% 以下` : `at most ${fmt(rule.maxMissingShare * 100)}% missing`}`
        : `${col}${ja ? '欠損なし' : 'no missing values'}`;
    case 'between':
      return `${col}${ja ? `値が ${rangeText(rule.min, rule.max, locale, fmt)}` : `values ${rangeText(rule.min, rule.max, locale, fmt)}`}`;
    case 'in_set': {
      const shown = rule.values.slice(0, 6).join(', ') + (rule.values.length > 6 ? ', …' : '');
      return `${col}${ja ? `値が {${shown}} のいずれか` : `values in {${shown}}`}`;
    }
    case 'unique':
      return `${col}${ja ? '値が一意' : 'values are unique'}`;
    case 'matches_regex':
      return `${col}${ja ? `正規表現 /${rule.pattern}/ に一致` : `values match /${rule.pattern}/`}`;
    case 'type_is':
      return `${col}${ja ? `型が ${datasetText(locale).typeNames[rule.type]}` : `type is ${rule.type}`}`;
    case 'mean_between':
      return `${col}${ja ? `平均が ${rangeText(rule.min, rule.max, locale, fmt)}` : `mean ${rangeText(rule.min, rule.max, locale, fmt)}`}`;
    case 'min_between':
      return `${col}${ja ? `最小値が ${rangeText(rule.min, rule.max, locale, fmt)}` : `minimum ${rangeText(rule.min, rule.max, locale, fmt)}`}`;
    case 'max_between':
      return `${col}${ja ? `最大値が ${rangeText(rule.min, rule.max, locale, fmt)}` : `maximum ${rangeText(rule.min, rule.max, locale, fmt)}`}`;
    case 'row_count_between':
      return ja ? `行数が ${rangeText(rule.min, rule.max, locale, fmt)}` : `row count ${rangeText(rule.min, rule.max, locale, fmt)}`;
  }
}
