import crypto from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { AnswerValue, Assessment, AssessmentMeta, AssessmentStatus, ItemAnswer, ScoringSettings } from '../../../shared/maturity';
import { MATURITY_CONTENT_VERSION } from '../../../shared/maturity-content';
import type { Db } from './database';

interface AssessmentRow {
  id: string;
  organisation: string;
  team: string;
  facilitator: string;
  participants: string;
  assessed_on: string;
  partly_counts_half: number;
  status: AssessmentStatus;
  cursor: number;
  content_version: number;
  created_at: string;
  updated_at: string;
}

interface AnswerRow {
  assessment_id: string;
  item_id: string;
  value: AnswerValue | null;
  note: string;
}

const now = () => new Date().toISOString();

function toAssessment(row: AssessmentRow, answers: AnswerRow[]): Assessment {
  return {
    id: row.id,
    meta: {
      organisation: row.organisation,
      team: row.team,
      facilitator: row.facilitator,
      participants: JSON.parse(row.participants) as string[],
      date: row.assessed_on,
    },
    settings: { partlyCountsHalf: row.partly_counts_half === 1 },
    answers: Object.fromEntries(answers.map((a) => [a.item_id, { value: a.value, note: a.note }])),
    status: row.status,
    cursor: row.cursor,
    contentVersion: row.content_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Typed access to maturity assessments and their answers. */
export function createMaturityRepo(db: Db) {
  const selectOne = db.prepare('SELECT * FROM maturity_assessments WHERE id = ?');
  const selectAnswers = db.prepare('SELECT * FROM maturity_answers WHERE assessment_id = ?');
  const touch = db.prepare('UPDATE maturity_assessments SET updated_at = ? WHERE id = ?');
  const upsertAnswer = db.prepare(
    `INSERT INTO maturity_answers (assessment_id, item_id, value, note, updated_at) VALUES (@assessmentId, @itemId, @value, @note, @at)
     ON CONFLICT(assessment_id, item_id) DO UPDATE SET value = excluded.value, note = excluded.note, updated_at = excluded.updated_at`,
  );
  const insertAssessment = db.prepare(
    `INSERT INTO maturity_assessments (id, organisation, team, facilitator, participants, assessed_on, partly_counts_half, status, cursor, content_version, created_at, updated_at)
     VALUES (@id, @organisation, @team, @facilitator, @participants, @date, @half, @status, @cursor, @contentVersion, @createdAt, @updatedAt)`,
  );

  const repo = {
    /** Every assessment with its answers, oldest workshop first. */
    listAssessments(): Assessment[] {
      const rows = db.prepare('SELECT * FROM maturity_assessments ORDER BY assessed_on, created_at').all() as AssessmentRow[];
      const answers = db.prepare('SELECT * FROM maturity_answers').all() as AnswerRow[];
      const byAssessment = new Map<string, AnswerRow[]>();
      for (const a of answers) byAssessment.set(a.assessment_id, [...(byAssessment.get(a.assessment_id) ?? []), a]);
      return rows.map((row) => toAssessment(row, byAssessment.get(row.id) ?? []));
    },
    /** One assessment, or null. */
    findAssessment(id: string): Assessment | null {
      const row = selectOne.get(id) as AssessmentRow | undefined;
      return row ? toAssessment(row, selectAnswers.all(id) as AnswerRow[]) : null;
    },
    /** One assessment; AppError not_found if missing. */
    getAssessment(id: string): Assessment {
      const found = repo.findAssessment(id);
      if (!found) throw new AppError('not_found', `No assessment with id "${id}".`);
      return found;
    },
    /** Starts a new assessment (no answers yet). */
    createAssessment(meta: AssessmentMeta, settings: ScoringSettings): Assessment {
      const at = now();
      const id = crypto.randomUUID();
      insertAssessment.run({
        id,
        organisation: meta.organisation,
        team: meta.team,
        facilitator: meta.facilitator,
        participants: JSON.stringify(meta.participants),
        date: meta.date,
        half: settings.partlyCountsHalf ? 1 : 0,
        status: 'in-progress',
        cursor: 0,
        contentVersion: MATURITY_CONTENT_VERSION,
        createdAt: at,
        updatedAt: at,
      });
      return repo.getAssessment(id);
    },
    /** Stores an imported assessment as is (id, answers, times); conflict if the id exists. */
    insertImportedAssessment(assessment: Assessment): Assessment {
      if (selectOne.get(assessment.id)) {
        throw new AppError('conflict', `This assessment is already in the workspace (${assessment.meta.organisation}, ${assessment.meta.date}, id ${assessment.id}).`);
      }
      db.transaction(() => {
        insertAssessment.run({
          id: assessment.id,
          organisation: assessment.meta.organisation,
          team: assessment.meta.team,
          facilitator: assessment.meta.facilitator,
          participants: JSON.stringify(assessment.meta.participants),
          date: assessment.meta.date,
          half: assessment.settings.partlyCountsHalf ? 1 : 0,
          status: assessment.status,
          cursor: assessment.cursor,
          contentVersion: assessment.contentVersion,
          createdAt: assessment.createdAt,
          updatedAt: assessment.updatedAt,
        });
        for (const [itemId, answer] of Object.entries(assessment.answers)) {
          upsertAnswer.run({ assessmentId: assessment.id, itemId, value: answer.value, note: answer.note, at: assessment.updatedAt });
        }
      })();
      return repo.getAssessment(assessment.id);
    },
    /** Changes who/when and the scoring choice. */
    updateAssessmentMeta(id: string, patch: { meta?: AssessmentMeta; settings?: ScoringSettings }): Assessment {
      const current = repo.getAssessment(id);
      const meta = patch.meta ?? current.meta;
      const settings = patch.settings ?? current.settings;
      db.prepare(
        `UPDATE maturity_assessments SET organisation = ?, team = ?, facilitator = ?, participants = ?, assessed_on = ?, partly_counts_half = ?, updated_at = ? WHERE id = ?`,
      ).run(meta.organisation, meta.team, meta.facilitator, JSON.stringify(meta.participants), meta.date, settings.partlyCountsHalf ? 1 : 0, now(), id);
      return repo.getAssessment(id);
    },
    /** Records one answer (and the wizard position) in one transaction. */
    saveAnswer(id: string, itemId: string, answer: ItemAnswer, cursor?: number): Assessment {
      repo.getAssessment(id);
      const at = now();
      db.transaction(() => {
        upsertAnswer.run({ assessmentId: id, itemId, value: answer.value, note: answer.note, at });
        if (cursor !== undefined) db.prepare('UPDATE maturity_assessments SET cursor = ? WHERE id = ?').run(cursor, id);
        touch.run(at, id);
      })();
      return repo.getAssessment(id);
    },
    /** Saves the wizard position and/or status (pause, resume, complete). */
    saveProgress(id: string, progress: { cursor?: number; status?: AssessmentStatus }): Assessment {
      const current = repo.getAssessment(id);
      db.prepare('UPDATE maturity_assessments SET cursor = ?, status = ?, updated_at = ? WHERE id = ?').run(
        progress.cursor ?? current.cursor,
        progress.status ?? current.status,
        now(),
        id,
      );
      return repo.getAssessment(id);
    },
    /** Deletes an assessment and its answers; false if it did not exist. */
    deleteAssessment(id: string): boolean {
      return db.prepare('DELETE FROM maturity_assessments WHERE id = ?').run(id).changes > 0;
    },
  };
  return repo;
}
export type MaturityRepo = ReturnType<typeof createMaturityRepo>;
