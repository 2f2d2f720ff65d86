/**
 * What a report is: an id (its CLI name), a title, how to list what it can
 * be exported for, and how to build a ReportDocument from stored data.
 *
 * Adding a report = one file in ./definitions exporting a ReportDefinition,
 * plus its line in definitions/index.ts. If it needs data no other report
 * reads, the same file widens ReportDataReader by declaration merging:
 *
 *   declare module '../report-definition' {
 *     interface ReportDataReader { datasets?: DatasetReportReader }
 *   }
 */
import { z } from 'zod';
import type { Assessment, Evidence, LocalizedText, Locale } from '../../../shared/maturity';
import type { ReportDocument } from './report-document';

type MaybePromise<T> = T | Promise<T>;

/** Stored assessments, as the maturity reports read them (implemented by the store). */
export interface MaturityReportReader {
  getAssessment(id: string): MaybePromise<Assessment | null>;
  listAssessments(): MaybePromise<Assessment[]>;
}

/**
 * Everything reports may read, one optional member per capability so a
 * report whose capability has not landed is simply unavailable.
 */
export interface ReportDataReader {
  maturity?: MaturityReportReader;
  /** The workspace's maturity evidence at `nowMs` (electron/core/maturity/evidence-providers.ts). */
  evidence?: (nowMs: number) => Promise<Evidence[]>;
}

export interface ReportContext {
  workspaceName: string;
  locale: Locale;
  now: Date;
  data: ReportDataReader;
}

/** Every report takes one target id (the CLI's `mlwb report NAME ID`); up to 1,000 characters (a run comparison lists 20 run ids). */
export const reportParamsSchema = z
  .object({ id: z.string().trim().min(1, 'a report needs the id of what it reports on').max(1000) })
  .strict();
export type ReportParams = z.infer<typeof reportParamsSchema>;

/** One exportable instance of a report (e.g. the maturity report of assessment X). */
export interface ReportTarget {
  reportId: string;
  id: string;
  label: string;
  /** ISO date of the underlying record, for sorting. */
  date: string;
}

export interface ReportDefinition {
  id: string;
  title: LocalizedText;
  description: LocalizedText;
  listTargets(ctx: ReportContext): Promise<ReportTarget[]>;
  build(ctx: ReportContext, params: ReportParams): Promise<ReportDocument>;
}

/** The target does not exist (unknown id). */
export class ReportTargetNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportTargetNotFoundError';
  }
}

/** The data a report needs is not available in this workspace. */
export class ReportUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportUnavailableError';
  }
}

/** Makes a file-name-safe stem from a label ("Acme / Q3" → "acme-q3"); keeps CJK letters. */
export function toFileStem(...parts: string[]): string {
  const stem = parts
    .join('-')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return stem || 'report';
}
