/**
 * Maturity self-assessment: domain types and zod schemas shared by main,
 * renderer, CLI and the JSON exchange format. No Node or DOM imports.
 */
import { z } from 'zod';

/** UI / content languages. */
export const localeSchema = z.enum(['en', 'ja']);
export type Locale = z.infer<typeof localeSchema>;

/** A text in every supported language. */
export interface LocalizedText {
  en: string;
  ja: string;
}

/** The chapter's three levels (Google's MLOps maturity model). */
export const maturityLevelSchema = z.union([z.literal(0), z.literal(1), z.literal(2)]);
export type MaturityLevel = z.infer<typeof maturityLevelSchema>;
export const MATURITY_LEVELS: readonly MaturityLevel[] = [0, 1, 2];

/** The chapter's four areas, in the chapter's order. */
export const maturityAreaSchema = z.enum(['data', 'model', 'deployment', 'monitoring']);
export type MaturityArea = z.infer<typeof maturityAreaSchema>;
export const MATURITY_AREAS: readonly MaturityArea[] = ['data', 'model', 'deployment', 'monitoring'];

/** Workbench pages an item's next step can point to. */
export const workbenchPageSchema = z.enum(['data', 'experiments', 'registry', 'monitoring', 'pipelines', 'reports']);
export type WorkbenchPage = z.infer<typeof workbenchPageSchema>;

/**
 * The four answers. `unsure` is an explicit "not sure"; an item with no
 * answer at all is simply absent from the answer map.
 */
export const answerValueSchema = z.enum(['yes', 'partly', 'no', 'unsure']);
export type AnswerValue = z.infer<typeof answerValueSchema>;
export const ANSWER_VALUES: readonly AnswerValue[] = ['yes', 'partly', 'no', 'unsure'];

/** Longest note kept per item; workshops write short notes, this bounds imports. */
export const MAX_NOTE_LENGTH = 4000;

export const itemAnswerSchema = z
  .object({
    value: answerValueSchema.nullable(),
    note: z.string().max(MAX_NOTE_LENGTH).default(''),
  })
  .strict();
export type ItemAnswer = z.infer<typeof itemAnswerSchema>;

/** itemId → answer. Items never touched are absent. */
export type AnswerMap = Record<string, ItemAnswer>;

/** Facilitator's scoring choices, stored with the assessment. */
export const scoringSettingsSchema = z
  .object({
    /** Chapter default is yes/no only: `partly` counts 0 unless this is on, then 0.5. */
    partlyCountsHalf: z.boolean().default(false),
  })
  .strict();
export type ScoringSettings = z.infer<typeof scoringSettingsSchema>;
export const DEFAULT_SCORING_SETTINGS: ScoringSettings = { partlyCountsHalf: false };

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** Who took part and when; entered on the "new assessment" form. */
export const assessmentMetaSchema = z
  .object({
    organisation: z.string().trim().min(1, 'organisation / team name is required').max(200),
    team: z.string().trim().max(200).default(''),
    facilitator: z.string().trim().max(200).default(''),
    participants: z.array(z.string().trim().min(1).max(200)).max(200).default([]),
    date: isoDate,
  })
  .strict();
export type AssessmentMeta = z.infer<typeof assessmentMetaSchema>;

export const assessmentStatusSchema = z.enum(['in-progress', 'completed']);
export type AssessmentStatus = z.infer<typeof assessmentStatusSchema>;

/** One assessment as stored and as exchanged. */
export const assessmentSchema = z
  .object({
    id: z.string().min(1).max(100),
    meta: assessmentMetaSchema,
    settings: scoringSettingsSchema,
    answers: z.record(z.string(), itemAnswerSchema),
    status: assessmentStatusSchema,
    /** Index of the item the wizard was on, for pause/resume. */
    cursor: z.number().int().min(0).default(0),
    contentVersion: z.number().int().min(1),
    createdAt: z.string().min(1),
    updatedAt: z.string().min(1),
  })
  .strict();
export type Assessment = z.infer<typeof assessmentSchema>;

/** The JSON exchange envelope (file a facilitator carries between machines). */
export const MATURITY_EXPORT_FORMAT = 'mlops-workbench/maturity-assessment';
export const MATURITY_EXPORT_VERSION = 1;

export const maturityExportSchema = z
  .object({
    format: z.literal(MATURITY_EXPORT_FORMAT),
    formatVersion: z.literal(MATURITY_EXPORT_VERSION),
    exportedAt: z.string().min(1),
    app: z.object({ name: z.string(), version: z.string() }).strict().optional(),
    assessment: assessmentSchema,
  })
  .strict();
export type MaturityExport = z.infer<typeof maturityExportSchema>;

/** Score of one level, as the chapter prints it. */
export interface LevelScore {
  level: MaturityLevel;
  /** Items in the level (12). */
  items: number;
  yes: number;
  partly: number;
  no: number;
  unsure: number;
  unanswered: number;
  /** yes (+ partly/2 if the facilitator chose so). */
  points: number;
  /** points / items × 100. */
  score: number;
  /** Filled cells of the chapter's 20-cell bar: int(score / 5). */
  cells: number;
}

/** Score of one area within one level (3 items). */
export interface AreaLevelScore {
  area: MaturityArea;
  level: MaturityLevel;
  items: number;
  points: number;
  score: number;
}

export type GapKind = 'no' | 'manual-trait';

/** A concrete next step derived from an answer that shows a gap. */
export interface NextStep {
  itemId: string;
  level: MaturityLevel;
  area: MaturityArea;
  /** `no` for a level-1/2 practice answered no; `manual-trait` for a level-0 trait answered yes. */
  gap: GapKind;
  page: WorkbenchPage | null;
  /** Level-0 items whose gap this step also closes (merged to avoid duplicates). */
  alsoCovers: string[];
}

export interface MaturityResult {
  level: MaturityLevel;
  levelScores: LevelScore[];
  areaScores: AreaLevelScore[];
  /** Recommendation texts of the determined level, in the chapter's order. */
  recommendations: LocalizedText[];
  nextSteps: NextStep[];
  /** Items answered "not sure" or not answered: worth a second look. */
  openItems: string[];
  answeredCount: number;
  totalItems: number;
  settings: ScoringSettings;
}

export interface LevelDelta {
  level: MaturityLevel;
  before: number;
  after: number;
  delta: number;
}
export interface AreaDelta {
  area: MaturityArea;
  level: MaturityLevel;
  before: number;
  after: number;
  delta: number;
}
export interface ItemChange {
  itemId: string;
  before: AnswerValue | null;
  after: AnswerValue | null;
}
export interface MaturityComparison {
  beforeLevel: MaturityLevel;
  afterLevel: MaturityLevel;
  levels: LevelDelta[];
  areas: AreaDelta[];
  changedItems: ItemChange[];
}

/** What the workbench itself knows about an item (see electron/core/maturity/evidence.ts). */
export interface Evidence {
  /** Stable id of the provider that produced it. */
  providerId: string;
  itemIds: string[];
  /** Short human summary, e.g. "12 runs tracked in the last 30 days". */
  summary: LocalizedText;
  /** The counts behind the summary, for tables and tests. */
  facts: Record<string, number>;
  page: WorkbenchPage;
}

/** An item where the human answer and the workbench's evidence point different ways. */
export interface EvidenceDisagreement {
  itemId: string;
  answer: AnswerValue | null;
  /** The answer the evidence suggests (practice present → yes for level 1/2, no for level 0). */
  suggested: AnswerValue;
  evidence: Evidence[];
  /** `contradicts` = answered the other way; `unanswered` = not sure / no answer but evidence exists. */
  kind: 'contradicts' | 'unanswered';
}
