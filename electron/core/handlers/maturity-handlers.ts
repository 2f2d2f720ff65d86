import fs from 'node:fs';
import type { maturityChannels, AssessmentSummary } from '../../../shared/contracts/maturity';
import { AppError } from '../../../shared/errors';
import type { Assessment } from '../../../shared/maturity';
import { findMaturityItem } from '../../../shared/maturity-content';
import type { AppContext } from '../app-context';
import { compareAssessments } from '../maturity/compare-assessments';
import { findDisagreements } from '../maturity/evidence';
import { collectWorkspaceEvidence } from '../maturity/evidence-providers';
import { AssessmentImportError, MAX_IMPORT_BYTES, exportAssessmentJson, parseAssessmentJson } from '../maturity/exchange-assessment';
import { scoreAssessment } from '../maturity/score-assessment';
import { toFileStem } from '../reports/report-definition';
import type { HandlersFor } from './handler-types';

function summarise(assessment: Assessment): AssessmentSummary {
  const result = scoreAssessment(assessment.answers, assessment.settings);
  return {
    id: assessment.id,
    organisation: assessment.meta.organisation,
    team: assessment.meta.team,
    facilitator: assessment.meta.facilitator,
    date: assessment.meta.date,
    status: assessment.status,
    answeredCount: result.answeredCount,
    totalItems: result.totalItems,
    level: result.level,
    scores: [result.levelScores[0].score, result.levelScores[1].score, result.levelScores[2].score],
    updatedAt: assessment.updatedAt,
  };
}

/** IPC handlers of the maturity workshop. */
export function createMaturityHandlers(ctx: AppContext): HandlersFor<keyof typeof maturityChannels> {
  const repo = () => ctx.store.maturity;
  const changed = () => ctx.events.emit('changed', { topic: 'maturity' });
  return {
    'maturity:list': () =>
      repo()
        .listAssessments()
        .map(summarise)
        .sort((a, b) => b.date.localeCompare(a.date) || b.updatedAt.localeCompare(a.updatedAt)),
    'maturity:get': ({ id }) => repo().getAssessment(id),
    'maturity:create': ({ meta, settings }) => {
      const created = repo().createAssessment(meta, settings);
      changed();
      return created;
    },
    'maturity:update': ({ id, meta, settings }) => {
      const updated = repo().updateAssessmentMeta(id, { meta, settings });
      changed();
      return updated;
    },
    'maturity:answer': ({ id, itemId, value, note, cursor }) => {
      if (!findMaturityItem(itemId)) throw new AppError('bad_input', `Unknown assessment item "${itemId}".`);
      const updated = repo().saveAnswer(id, itemId, { value, note }, cursor);
      changed();
      return updated;
    },
    'maturity:progress': ({ id, cursor, status }) => {
      const updated = repo().saveProgress(id, { cursor, status });
      changed();
      return updated;
    },
    'maturity:delete': ({ id }) => {
      const deleted = repo().deleteAssessment(id);
      if (deleted) changed();
      return { deleted };
    },
    'maturity:result': async ({ id }) => {
      const assessment = repo().getAssessment(id);
      const evidence = await collectWorkspaceEvidence(ctx.store);
      return {
        assessment,
        result: scoreAssessment(assessment.answers, assessment.settings),
        evidence,
        disagreements: findDisagreements(assessment.answers, evidence),
      };
    },
    'maturity:evidence': () => collectWorkspaceEvidence(ctx.store),
    'maturity:compare': ({ beforeId, afterId }) => {
      const before = repo().getAssessment(beforeId);
      const after = repo().getAssessment(afterId);
      return { before, after, comparison: compareAssessments(before, after) };
    },
    'maturity:exportJson': ({ id }) => {
      const assessment = repo().getAssessment(id);
      return {
        fileName: `${toFileStem('maturity', assessment.meta.organisation, assessment.meta.team, assessment.meta.date)}.json`,
        json: exportAssessmentJson(assessment, { name: 'MLOps Workbench', version: ctx.appVersion }),
      };
    },
    'maturity:importJson': ({ path }) => {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(path);
      } catch {
        throw new AppError('not_found', `Cannot read ${path}: the file does not exist.`);
      }
      if (stat.size > MAX_IMPORT_BYTES) throw new AppError('bad_input', `${path} is too large for an assessment (${stat.size} bytes).`);
      let assessment: Assessment;
      try {
        assessment = parseAssessmentJson(fs.readFileSync(path, 'utf8'));
      } catch (error) {
        if (error instanceof AssessmentImportError) throw new AppError('bad_input', error.message);
        throw error;
      }
      const imported = repo().insertImportedAssessment(assessment);
      changed();
      return imported;
    },
  };
}
