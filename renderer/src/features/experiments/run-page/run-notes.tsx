import { useMemo, useState } from 'react';
import { SYSTEM_TAGS, TRACKING_LIMITS, type RunDetail } from '../../../../../shared/tracking';
import { useT } from '../../../i18n';
import { api } from '../../../lib/api';
import { renderNoteHtml } from './note-markdown';

/** Markdown rendered by note-markdown (escaped raw HTML, then DOMPurify's allow-list): the only HTML the page inserts. */
function NoteHtml({ markdown, label }: { markdown: string; label: string }) {
  const html = useMemo(() => renderNoteHtml(markdown), [markdown]);
  return <div className="run-note" aria-label={label} data-testid="note-rendered" dangerouslySetInnerHTML={{ __html: html }} />;
}

/** The run's notes (MLflow's mlflow.note.content): read rendered, edited as Markdown beside a live preview. */
export function NotesCard({ run }: { run: RunDetail }) {
  const t = useT();
  const note = run.tags[SYSTEM_TAGS.note] ?? '';
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const save = () => {
    if (draft === null) return;
    setSaving(true);
    api
      .call('runs:setNote', { runId: run.info.runId, note: draft })
      .then(
        () => (setDraft(null), setError(null)),
        (err: Error) => setError(err.message),
      )
      .finally(() => setSaving(false));
  };
  return (
    <section className="card run-card" aria-label={t('run.notes')}>
      <div className="run-card__head">
        <h2>{t('run.notes')}</h2>
        {draft === null && (
          <button type="button" className="btn btn--small" onClick={() => setDraft(note)}>
            {note ? t('run.editNotes') : t('run.writeNotes')}
          </button>
        )}
      </div>
      {draft === null ? (
        note ? (
          <NoteHtml markdown={note} label={t('run.notes')} />
        ) : (
          <p className="muted">{t('run.noNotes')}</p>
        )
      ) : (
        <div className="run-note-edit">
          <label className="run-note-edit__source">
            {t('run.notesMarkdown')}
            <textarea
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              rows={12}
              maxLength={TRACKING_LIMITS.maxNoteLength}
              autoFocus
            />
          </label>
          <div className="run-note-edit__preview">
            <span className="run-note-edit__label">{t('run.preview')}</span>
            {draft.trim() ? <NoteHtml markdown={draft} label={t('run.preview')} /> : <p className="muted">{t('run.noNotes')}</p>}
          </div>
          <div className="run-note-edit__actions">
            <button type="button" className="btn btn--primary" onClick={save} disabled={saving}>
              {t('run.saveNotes')}
            </button>
            <button type="button" className="btn" onClick={() => (setDraft(null), setError(null))}>
              {t('run.cancel')}
            </button>
            <span className="muted run-note-edit__hint">{t('run.notesHint')}</span>
          </div>
          {error && (
            <p className="run-inline-error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
