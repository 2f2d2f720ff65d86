import { z } from 'zod';
import { defineChannel } from '../contract';
import { paperSchema, reportFormatSchema, type ReportFile, type ReportsOverview } from '../reports';

export const reportChannels = {
  'reports:overview': defineChannel(z.object({}).strict())<ReportsOverview>(),
  /** Builds, prints (PDF) or renders (HTML) a report, logs it, and returns the file. */
  'reports:export': defineChannel(
    z
      .object({
        reportId: z.string().trim().min(1).max(100),
        /** Up to 1,000 characters: a run comparison's id lists up to 20 run ids. */
        targetId: z.string().trim().min(1).max(1000),
        format: reportFormatSchema,
        paper: paperSchema.default('A4'),
        language: z.enum(['en', 'ja']).optional(),
      })
      .strict(),
  )<ReportFile>(),
  /** An exported file again, from the workspace. */
  'reports:download': defineChannel(z.object({ id: z.number().int().min(1) }).strict())<ReportFile>(),
  'reports:deleteExport': defineChannel(z.object({ id: z.number().int().min(1) }).strict())<{ deleted: boolean }>(),
};
