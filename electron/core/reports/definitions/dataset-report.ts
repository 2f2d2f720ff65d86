/**
 * The dataset profile and validation report of one dataset version: cover
 * (name@tag, hash, shape, size, import time, source), warnings, the column
 * profile table, duplicate rows, one section per column with its statistics
 * beside a vector chart (histogram or top values), and the latest result of
 * every validation suite run on the version (pass/fail per rule, observed
 * value, failing example rows).
 *
 * Target id: the version id ("12") or a reference "name@tag" (as the CLI's
 * `mlwb report dataset churn@v1`); a bare name means its newest version.
 */
import type { ColumnProfile, DatasetProfile, RuleResult } from '../../../../shared/datasets';
import { MISSING_WARN_SHARE } from '../../../../shared/datasets';
import type { DatasetSummary, DatasetVersion, ValidationResultRecord } from '../../../../shared/contracts/datasets';
import { formatSharePercent, formatStatNumber, numberLocale } from '../../../../shared/format-number';
import type { Locale } from '../../../../shared/maturity';
import {
  ReportTargetNotFoundError,
  ReportUnavailableError,
  toFileStem,
  type ReportContext,
  type ReportDefinition,
} from '../report-definition';
import type { ReportBlock, TableCell } from '../report-document';
import { formatReportDate } from '../render-report-html';
import { renderHistogramSvg, renderTopValuesSvg } from '../svg-charts';
import { datasetText, describeRule } from './dataset-report-text';

type MaybePromise<T> = T | Promise<T>;

/** Dataset versions and their validation results, as this report reads them (implemented by the store). */
export interface DatasetReportReader {
  /** The version with this id, or null. */
  getVersion(id: number): MaybePromise<DatasetVersion | null>;
  /** The version "name@tag" (or the newest of "name"), or null. */
  findVersionByRef(ref: string): MaybePromise<DatasetVersion | null>;
  listDatasets(): MaybePromise<DatasetSummary[]>;
  /** Stored suite results of a version, newest first. */
  listValidationResults(versionId: number): MaybePromise<ValidationResultRecord[]>;
}

declare module '../report-definition' {
  interface ReportDataReader {
    datasets?: DatasetReportReader;
  }
}

/** Requires the datasets reader or explains why the report cannot be built. */
function requireDatasetReader(ctx: ReportContext): DatasetReportReader {
  if (!ctx.data.datasets) throw new ReportUnavailableError('Datasets are not available in this workspace.');
  return ctx.data.datasets;
}

/** Resolves a target id: digits are a version id, anything else a "name@tag" reference. */
async function resolveVersion(reader: DatasetReportReader, target: string): Promise<DatasetVersion> {
  const version = /^\d+$/.test(target) ? await reader.getVersion(Number(target)) : await reader.findVersionByRef(target);
  if (!version)
    throw new ReportTargetNotFoundError(`No dataset version "${target}" (use a version id or NAME@TAG; see \`mlwb report list\`).`);
  return version;
}

/** The newest result of each suite (results come newest first). */
export function latestResultPerSuite(results: ValidationResultRecord[]): ValidationResultRecord[] {
  const seen = new Set<string>();
  const latest: ValidationResultRecord[] = [];
  for (const r of [...results].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)) {
    const key = r.suiteId !== null ? `id:${r.suiteId}` : `name:${r.suiteName}`;
    if (seen.has(key)) continue;
    seen.add(key);
    latest.push(r);
  }
  return latest.sort((a, b) => a.suiteName.localeCompare(b.suiteName));
}

function formatBytes(bytes: number, locale: Locale): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i += 1;
  }
  return `${new Intl.NumberFormat(numberLocale(locale), { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v)} ${units[i]}`;
}

function formatDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date)} UTC`;
}

/** Very wide tables keep every column in the profile table but a chart section for the first ones only (a PDF page each 3–4). */
export const MAX_COLUMN_SECTIONS = 120;

const isNumeric = (c: ColumnProfile) => c.mean !== undefined || c.histogram !== undefined;

/** Identifier-like columns (over 90% distinct values): a top-values chart of them says nothing. */
const nearlyUnique = (c: ColumnProfile) => c.count > 0 && c.distinct / c.count > 0.9;

/** Localized warnings from the profile's structured fields (the stored texts are English). */
function profileWarnings(profile: DatasetProfile, locale: Locale): string[] {
  const t = datasetText(locale);
  const count = (x: number) => new Intl.NumberFormat(numberLocale(locale)).format(x);
  const warnings: string[] = [];
  for (const c of profile.columns) {
    if (c.missingShare > MISSING_WARN_SHARE) warnings.push(t.missingWarning(c.name, formatSharePercent(c.missingShare, locale)));
    if (c.invalid > 0) warnings.push(t.invalidWarning(c.name, count(c.invalid), t.typeNames[c.type], c.invalidExamples[0] ?? 0));
  }
  if (profile.skippedRows > 0) warnings.push(t.skippedWarning(count(profile.skippedRows), profile.skippedExamples.join(', ')));
  // Other notes (e.g. duplicates counted on a prefix only) are kept as stored.
  const structured = /is [\d.]+% missing|value\(s\) that are not of type|wrong number of fields were skipped/;
  for (const w of profile.warnings) if (!structured.test(w)) warnings.push(w);
  return warnings;
}

function missingCell(c: ColumnProfile, locale: Locale): TableCell {
  const text = formatSharePercent(c.missingShare, locale);
  return c.missingShare > MISSING_WARN_SHARE ? { text: `⚠ ${text}`, tone: 'warn' } : text;
}

function distinctText(c: ColumnProfile, locale: Locale): string {
  const n = new Intl.NumberFormat(numberLocale(locale)).format(c.distinct);
  return c.distinctCapped ? datasetText(locale).atLeast(n) : n;
}

function buildProfileTable(profile: DatasetProfile, locale: Locale): ReportBlock {
  const t = datasetText(locale);
  const stat = (x: number | undefined) => formatStatNumber(x, locale);
  return {
    type: 'table',
    compact: true,
    columns: [
      { label: t.column, width: '20%' },
      { label: t.type, width: '10%' },
      { label: t.missing, align: 'right', width: '9%' },
      { label: t.distinct, align: 'right', width: '9%' },
      { label: t.min, align: 'right' },
      { label: t.median, align: 'right' },
      { label: t.max, align: 'right' },
      { label: t.mean, align: 'right' },
      { label: t.std, align: 'right' },
    ],
    rows: profile.columns.map((c) => {
      const numeric = isNumeric(c);
      return [
        c.name,
        { text: t.typeNames[c.type], tone: 'muted' },
        missingCell(c, locale),
        distinctText(c, locale),
        numeric ? stat(c.min) : (c.minText ?? '—'),
        numeric ? stat(c.median) : '—',
        numeric ? stat(c.max) : (c.maxText ?? '—'),
        numeric ? stat(c.mean) : '—',
        numeric ? stat(c.std) : '—',
      ];
    }),
  };
}

function buildColumnSection(c: ColumnProfile, locale: Locale): ReportBlock[] {
  const t = datasetText(locale);
  const stat = (x: number | undefined) => formatStatNumber(x, locale);
  const count = (x: number) => new Intl.NumberFormat(numberLocale(locale)).format(x);
  const facts: Array<[string, string]> = [
    [t.missing, `${formatSharePercent(c.missingShare, locale)} (${count(c.missing)})`],
    [t.distinct, distinctText(c, locale)],
  ];
  if (c.invalid > 0) facts.push([t.invalid, count(c.invalid)]);
  if (isNumeric(c)) {
    facts.push(
      [t.min, stat(c.min)],
      [t.q25, stat(c.q25)],
      [t.median, stat(c.median)],
      [t.q75, stat(c.q75)],
      [t.max, stat(c.max)],
      [t.mean, stat(c.mean)],
      [t.std, stat(c.std)],
    );
  } else {
    if (c.minText !== undefined) facts.push([t.min, c.minText], [t.max, c.maxText ?? '—']);
    const top = c.topValues?.[0];
    if (top && top.count > 1 && !nearlyUnique(c)) facts.push([t.topValue, `${top.value === '' ? '""' : top.value} (${count(top.count)})`]);
  }
  // `count` is the non-missing values; shares are of all rows, as the caption says.
  const rows = c.count + c.missing;
  let chart: ReportBlock;
  if (c.histogram && c.histogram.length > 0) {
    chart = {
      type: 'figure',
      svg: renderHistogramSvg(c.histogram, {
        language: locale,
        integer: c.type === 'integer',
        title: `${c.name}: ${t.histogramCaption}`,
        color: '#2563eb',
      }),
      caption: t.histogramCaption,
    };
  } else if (c.topValues && c.topValues.length > 0 && c.topValues[0].count > 1 && !nearlyUnique(c)) {
    chart = {
      type: 'figure',
      svg: renderTopValuesSvg(
        c.topValues.map((v) => ({ label: v.value, count: v.count })),
        { total: rows, language: locale, title: `${c.name}: ${t.topValuesCaption}`, color: '#16a34a' },
      ),
      caption: t.topValuesCaption,
    };
  } else {
    chart = { type: 'paragraph', text: c.topValues && c.topValues.length > 0 ? t.allDistinct : t.noChart, tone: 'muted' };
  }
  const left: ReportBlock[] = [{ type: 'keyValues', rows: facts }];
  if (c.quantilesApproximate) left.push({ type: 'paragraph', text: t.approx, tone: 'muted' });
  const blocks: ReportBlock[] = [{ type: 'heading', level: 2, text: `${c.name} · ${t.typeNames[c.type]}` }];
  if (c.missingShare > MISSING_WARN_SHARE)
    blocks.push({ type: 'callout', tone: 'warn', title: '⚠', text: t.missingCallout(formatSharePercent(c.missingShare, locale)) });
  blocks.push({ type: 'columns', widths: ['38%', '58%'], columns: [left, [chart]] });
  // One column's heading, warning, statistics and chart stay on one page.
  return [{ type: 'group', blocks }];
}

function observedText(result: RuleResult, locale: Locale): string {
  const o = result.observed;
  if (o === null) return '—';
  if (typeof o === 'string') return o;
  if (result.rule.kind === 'not_null') return formatSharePercent(o, locale);
  return formatStatNumber(o, locale);
}

function buildValidationBlocks(results: ValidationResultRecord[], locale: Locale): ReportBlock[] {
  const t = datasetText(locale);
  const blocks: ReportBlock[] = [{ type: 'heading', level: 1, text: t.validationTitle }];
  if (results.length === 0) {
    blocks.push({ type: 'callout', tone: 'neutral', text: t.noValidation });
    return blocks;
  }
  blocks.push({ type: 'paragraph', text: t.validationIntro, tone: 'muted' });
  const fmt = (x: number) => formatStatNumber(x, locale);
  const count = (x: number) => new Intl.NumberFormat(numberLocale(locale)).format(x);
  for (const record of results) {
    const rules = record.result.results;
    const passedRules = rules.filter((r) => r.passed).length;
    blocks.push(
      { type: 'heading', level: 2, text: t.suiteHeading(record.suiteName, record.passed) },
      {
        type: 'paragraph',
        text: t.suiteFacts(passedRules, rules.length, formatDateTime(record.createdAt, locale)),
        tone: record.passed ? 'good' : 'bad',
      },
      {
        type: 'table',
        compact: true,
        columns: [
          { label: t.status, width: '10%' },
          { label: t.rule, width: '36%' },
          { label: t.observed, align: 'right', width: '13%' },
          { label: t.failing, align: 'right', width: '11%' },
          { label: t.examples },
        ],
        rows: rules.map((r) => [
          { text: r.passed ? `✓ ${t.pass}` : `✗ ${t.fail}`, tone: r.passed ? 'good' : 'bad' },
          // English reports carry the engine's message as a note; it names the measured values.
          locale === 'en' && !r.passed ? { text: describeRule(r.rule, locale, fmt), note: r.message } : describeRule(r.rule, locale, fmt),
          observedText(r, locale),
          r.passed ? '—' : count(r.failingCount),
          r.failingExamples.length > 0
            ? r.failingExamples
                .slice(0, 5)
                .map((e) => t.row(e.row, e.value === '' ? '""' : e.value))
                .join('; ')
            : '—',
        ]),
      },
    );
  }
  return blocks;
}

export const datasetReport: ReportDefinition = {
  id: 'dataset',
  title: { en: 'Dataset profile and validation report', ja: 'データセット プロファイル・検証レポート' },
  description: {
    en: 'One dataset version: column profiles with charts, duplicate rows, and the latest result of each validation suite.',
    ja: 'データセットの1バージョン：列のプロファイルとグラフ、重複行、各検証スイートの最新結果。',
  },
  async listTargets(ctx) {
    if (!ctx.data.datasets) return [];
    const datasets = await ctx.data.datasets.listDatasets();
    return datasets.flatMap((d) =>
      d.versions.map((v) => ({ reportId: 'dataset', id: String(v.id), label: `${d.name}@${v.tag}`, date: v.createdAt.slice(0, 10) })),
    );
  },
  async build(ctx, params) {
    const reader = requireDatasetReader(ctx);
    const locale = ctx.locale;
    const t = datasetText(locale);
    const version = await resolveVersion(reader, params.id);
    const results = latestResultPerSuite(await reader.listValidationResults(version.id));
    const profile = version.profile;
    const count = (x: number) => new Intl.NumberFormat(numberLocale(locale)).format(x);
    const generatedAt = ctx.now.toISOString();
    const ref = `${version.datasetName}@${version.tag}`;
    const passedSuites = results.filter((r) => r.passed).length;
    const duplicateShare = profile.rows > 0 ? profile.duplicateRows / profile.rows : 0;

    const blocks: ReportBlock[] = [
      {
        type: 'cover',
        kicker: t.kicker,
        title: ref,
        subtitle: t.shape(count(version.rows), count(version.columns)),
        facts: [
          [t.dataset, version.datasetName],
          [t.tag, version.tag],
          [t.hash, version.sha256],
          [t.rows, count(version.rows)],
          [t.columns, count(version.columns)],
          [t.size, formatBytes(version.size, locale)],
          [t.imported, formatDateTime(version.createdAt, locale)],
          [t.source, version.sourceName || '—'],
          [t.duplicates, `${count(profile.duplicateRows)} (${formatSharePercent(duplicateShare, locale)})`],
          [t.validation, results.length === 0 ? t.notValidated : t.validationSummary(results.length, passedSuites)],
          [t.workspace, ctx.workspaceName],
          [t.generated, formatReportDate(generatedAt, locale)],
        ],
      },
      { type: 'heading', level: 1, text: t.summary },
    ];
    const warnings = profileWarnings(profile, locale);
    if (warnings.length > 0)
      blocks.push({ type: 'heading', level: 2, text: t.warnings }, { type: 'list', ordered: false, items: warnings.map((w) => `⚠ ${w}`) });
    else blocks.push({ type: 'callout', tone: 'good', text: t.noWarnings });
    blocks.push(
      { type: 'heading', level: 2, text: t.profileTable },
      buildProfileTable(profile, locale),
      { type: 'paragraph', text: t.profileTableCaption, tone: 'muted' },
      { type: 'heading', level: 2, text: t.duplicateRows },
      {
        type: 'paragraph',
        text:
          profile.duplicateRows > 0
            ? t.duplicateText(count(profile.duplicateRows), formatSharePercent(duplicateShare, locale))
            : t.noDuplicates,
        tone: profile.duplicateRows > 0 ? 'warn' : 'neutral',
      },
      { type: 'pageBreak' },
      { type: 'heading', level: 1, text: t.columnDetails },
      ...profile.columns.slice(0, MAX_COLUMN_SECTIONS).flatMap((c) => buildColumnSection(c, locale)),
      ...(profile.columns.length > MAX_COLUMN_SECTIONS
        ? [{ type: 'paragraph', tone: 'muted', text: t.moreColumns(profile.columns.length - MAX_COLUMN_SECTIONS) } satisfies ReportBlock]
        : []),
      { type: 'pageBreak' },
      ...buildValidationBlocks(results, locale),
    );
    return {
      reportId: 'dataset',
      title: `${t.title} — ${ref}`,
      lang: locale,
      workspaceName: ctx.workspaceName,
      generatedAt,
      fileStem: toFileStem('dataset', version.datasetName, version.tag),
      blocks,
    };
  },
};
