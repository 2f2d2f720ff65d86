import { z } from 'zod';
import { defineChannel } from '../contract';
import {
  answerValueSchema,
  assessmentMetaSchema,
  assessmentStatusSchema,
  scoringSettingsSchema,
  MAX_NOTE_LENGTH,
  type Assessment,
  type Evidence,
  type EvidenceDisagreement,
  type MaturityComparison,
  type MaturityLevel,
  type MaturityResult,
} from '../maturity';

const idSchema = z.string().trim().min(1).max(100);

/** One row of the assessment list. */
export interface AssessmentSummary {
  id: string;
  organisation: string;
  team: string;
  facilitator: string;
  date: string;
  status: Assessment['status'];
  answeredCount: number;
  totalItems: number;
  level: MaturityLevel;
  scores: [number, number, number];
  updatedAt: string;
}

/** The result page's data. */
export interface AssessmentResultView {
  assessment: Assessment;
  result: MaturityResult;
  evidence: Evidence[];
  disagreements: EvidenceDisagreement[];
}

export const maturityChannels = {
  'maturity:list': defineChannel(z.object({}).strict())<AssessmentSummary[]>(),
  'maturity:get': defineChannel(z.object({ id: idSchema }).strict())<Assessment>(),
  'maturity:create': defineChannel(
    z.object({ meta: assessmentMetaSchema, settings: scoringSettingsSchema.default({ partlyCountsHalf: false }) }).strict(),
  )<Assessment>(),
  'maturity:update': defineChannel(
    z.object({ id: idSchema, meta: assessmentMetaSchema.optional(), settings: scoringSettingsSchema.optional() }).strict(),
  )<Assessment>(),
  'maturity:answer': defineChannel(
    z
      .object({
        id: idSchema,
        itemId: z.string().min(1).max(100),
        value: answerValueSchema.nullable(),
        note: z.string().max(MAX_NOTE_LENGTH).default(''),
        cursor: z.number().int().min(0).max(1000).optional(),
      })
      .strict(),
  )<Assessment>(),
  'maturity:progress': defineChannel(
    z.object({ id: idSchema, cursor: z.number().int().min(0).max(1000).optional(), status: assessmentStatusSchema.optional() }).strict(),
  )<Assessment>(),
  'maturity:delete': defineChannel(z.object({ id: idSchema }).strict())<{ deleted: boolean }>(),
  'maturity:result': defineChannel(z.object({ id: idSchema }).strict())<AssessmentResultView>(),
  'maturity:evidence': defineChannel(z.object({}).strict())<Evidence[]>(),
  'maturity:compare': defineChannel(z.object({ beforeId: idSchema, afterId: idSchema }).strict())<{
    before: Assessment;
    after: Assessment;
    comparison: MaturityComparison;
  }>(),
  'maturity:exportJson': defineChannel(z.object({ id: idSchema }).strict())<{ fileName: string; json: string }>(),
  'maturity:importJson': defineChannel(z.object({ path: z.string().min(1).max(4096) }).strict())<Assessment>(),
};
