import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ANSWER_VALUES, MATURITY_AREAS, type AnswerMap, type AnswerValue, type Evidence } from '../../../../shared/maturity';
import { ANSWER_LABELS, ITEM_PROMPTS, MATURITY_AREA_NAMES, MATURITY_LEVEL_INFO, WIZARD_ITEMS } from '../../../../shared/maturity-content';
import { reportError } from '../../app/errors-store';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { answerTone } from './answer-text';

const TOTAL = WIZARD_ITEMS.length;
const KEY_TO_ANSWER: Record<string, AnswerValue> = { '1': 'yes', '2': 'partly', '3': 'no', '4': 'unsure' };

/**
 * The step-by-step workshop: one item at a time, area by area, with its
 * explanation, the four answers, a note and the workbench's evidence.
 * Keyboard-only: 1–4 answer, Enter/→ next, ← previous, N note, Esc leaves the note.
 * Every answer is saved at once (with the position), so closing the window
 * or pausing loses nothing; "Resume" reopens at the saved position.
 */
export function AssessmentWizard({ id }: { id: string }) {
  const t = useT();
  const lang = t.language;
  const { navigate } = useRouter();
  const loaded = useQuery('maturity:get', { id }, []);
  const evidence = useQuery('maturity:evidence', {}, ['datasets', 'validation', 'training']);
  const [answers, setAnswers] = useState<AnswerMap | null>(null);
  const [index, setIndex] = useState(0);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(0);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const noteRef = useRef<HTMLTextAreaElement>(null);

  // Seed local state once from the store; afterwards the wizard owns it and saves through a queue.
  useEffect(() => {
    if (loaded.data && answers === null) {
      setAnswers(loaded.data.answers);
      const start = Math.min(loaded.data.cursor, TOTAL - 1);
      setIndex(start);
      setNote(loaded.data.answers[WIZARD_ITEMS[start].id]?.note ?? '');
    }
  }, [loaded.data, answers]);

  /** Runs saves one after another so a fast "1, Enter" never lands out of order. */
  const enqueue = useCallback((call: () => Promise<unknown>) => {
    setSaving((n) => n + 1);
    const next = queue.current.then(call).catch(reportError).finally(() => setSaving((n) => n - 1));
    queue.current = next;
    return next;
  }, []);

  const item = WIZARD_ITEMS[index];
  const current = answers?.[item.id];

  const choose = useCallback(
    (value: AnswerValue) => {
      setAnswers((a) => ({ ...(a ?? {}), [item.id]: { value, note } }));
      void enqueue(() => api.call('maturity:answer', { id, itemId: item.id, value, note, cursor: index }));
    },
    [enqueue, id, index, item.id, note],
  );

  /** Saves a changed note before leaving the item. */
  const flushNote = useCallback(() => {
    const saved = answers?.[item.id];
    if ((saved?.note ?? '') === note) return;
    setAnswers((a) => ({ ...(a ?? {}), [item.id]: { value: saved?.value ?? null, note } }));
    void enqueue(() => api.call('maturity:answer', { id, itemId: item.id, value: saved?.value ?? null, note, cursor: index }));
  }, [answers, enqueue, id, index, item.id, note]);

  const goTo = useCallback(
    (target: number) => {
      flushNote();
      const clamped = Math.max(0, Math.min(TOTAL - 1, target));
      setIndex(clamped);
      setNote(answers?.[WIZARD_ITEMS[clamped].id]?.note ?? '');
      void enqueue(() => api.call('maturity:progress', { id, cursor: clamped }));
    },
    [answers, enqueue, flushNote, id],
  );

  const finish = useCallback(async () => {
    flushNote();
    await enqueue(() => api.call('maturity:progress', { id, cursor: TOTAL - 1, status: 'completed' }));
    navigate('maturity', 'a', id, 'result');
  }, [enqueue, flushNote, id, navigate]);

  const next = useCallback(() => (index === TOTAL - 1 ? void finish() : goTo(index + 1)), [finish, goTo, index]);

  const pause = useCallback(async () => {
    flushNote();
    await enqueue(() => api.call('maturity:progress', { id, cursor: index }));
    navigate('maturity');
  }, [enqueue, flushNote, id, index, navigate]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = target && (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT' || target.tagName === 'SELECT');
      if (typing) {
        if (e.key === 'Escape') target.blur();
        return;
      }
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (KEY_TO_ANSWER[e.key]) {
        e.preventDefault();
        choose(KEY_TO_ANSWER[e.key]);
      } else if (e.key === 'Enter' || e.key === 'ArrowRight') {
        // Enter on a focused button activates that button instead.
        if (e.key === 'Enter' && target?.tagName === 'BUTTON') return;
        e.preventDefault();
        next();
      } else if (e.key === 'ArrowLeft') {
        e.preventDefault();
        goTo(index - 1);
      } else if (e.key === 'n' || e.key === 'N') {
        e.preventDefault();
        noteRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [choose, goTo, index, next]);

  const itemEvidence = useMemo(() => (evidence.data ?? []).filter((e: Evidence) => e.itemIds.includes(item.id)), [evidence.data, item.id]);

  if (!loaded.data || answers === null) return <div className="page muted">{t('common.loading')}</div>;
  const meta = loaded.data.meta;
  const answeredCount = WIZARD_ITEMS.filter((i) => (answers[i.id]?.value ?? null) !== null).length;
  const suggested: AnswerValue = item.polarity === 'absence' ? 'no' : 'yes';
  const disagrees = itemEvidence.length > 0 && current?.value === (suggested === 'yes' ? 'no' : 'yes');
  const level = MATURITY_LEVEL_INFO[item.level];

  return (
    <div className="page">
      <h1>
        {meta.organisation}
        {meta.team ? ` — ${meta.team}` : ''} <span className="muted">({meta.date})</span>
      </h1>
      <div className="wizard-progress">
        <div className="progress" role="progressbar" aria-label={t('maturity.wizard.progress', { n: answeredCount, total: TOTAL })} aria-valuemin={0} aria-valuemax={TOTAL} aria-valuenow={answeredCount}>
          <div className="progress__fill" style={{ width: `${(answeredCount / TOTAL) * 100}%` }} />
        </div>
        <span data-testid="wizard-progress">{t('maturity.wizard.progress', { n: answeredCount, total: TOTAL })}</span>
        <span className="muted" aria-live="polite">
          {saving > 0 ? '…' : t('maturity.wizard.saved')}
        </span>
      </div>
      <div className="wizard-areas" role="tablist" aria-label={t('maturity.area')}>
        {MATURITY_AREAS.map((area) => {
          const first = WIZARD_ITEMS.findIndex((i) => i.area === area);
          const inArea = WIZARD_ITEMS.filter((i) => i.area === area);
          const done = inArea.filter((i) => (answers[i.id]?.value ?? null) !== null).length;
          return (
            <button key={area} type="button" role="tab" aria-selected={item.area === area} className={`wizard-area${item.area === area ? ' wizard-area--on' : ''}`} onClick={() => goTo(first)} tabIndex={-1}>
              {MATURITY_AREA_NAMES[area][lang]} {done}/{inArea.length}
            </button>
          );
        })}
      </div>
      <section className="card wizard-item" aria-labelledby="wizard-statement">
        <div className={`wizard-item__level wizard-item__level--${item.level}`}>
          {t('maturity.wizard.item', { n: index + 1, total: TOTAL })} · {t('maturity.wizard.level', { level: item.level, name: level.name[lang] })} · {MATURITY_AREA_NAMES[item.area][lang]}
        </div>
        <h2 className="wizard-item__statement" id="wizard-statement">
          {item.statement[lang]}
        </h2>
        <div className="wizard-item__explain">
          <strong>{t('maturity.wizard.whatItMeans')}: </strong>
          {item.explanation[lang]}
        </div>
        <p className="wizard-item__prompt">{ITEM_PROMPTS[item.polarity][lang]}</p>
        <div className="answer-buttons" role="radiogroup" aria-label={ITEM_PROMPTS[item.polarity][lang]}>
          {ANSWER_VALUES.map((value, i) => {
            const tone = answerTone(item, value);
            return (
              <button
                key={value}
                type="button"
                role="radio"
                aria-checked={current?.value === value}
                className={`answer-button${tone === 'good' ? ' answer-button--good' : tone === 'bad' ? ' answer-button--bad' : ''}`}
                onClick={(e) => {
                  choose(value);
                  // Back to the page so Enter moves on instead of pressing this button again.
                  e.currentTarget.blur();
                }}
              >
                <kbd>{i + 1}</kbd>
                {ANSWER_LABELS[item.polarity][value][lang]}
              </button>
            );
          })}
        </div>
        {itemEvidence.length > 0 && (
          <div className={`evidence-box${disagrees ? ' evidence-box--disagree' : ''}`} data-testid="item-evidence">
            <strong>{t('maturity.wizard.evidence')}: </strong>
            {itemEvidence.map((e) => e.summary[lang]).join(' · ')}
            {disagrees && <div>{t('maturity.wizard.disagrees', { answer: ANSWER_LABELS[item.polarity][suggested][lang] })}</div>}
          </div>
        )}
        <label style={{ display: 'flex' }}>
          {t('maturity.wizard.note')}
          <textarea ref={noteRef} className="wizard-note" value={note} placeholder={t('maturity.wizard.notePlaceholder')} maxLength={4000} onChange={(e) => setNote(e.target.value)} onBlur={flushNote} />
        </label>
        <div className="wizard-nav">
          <button type="button" className="btn" onClick={() => goTo(index - 1)} disabled={index === 0}>
            {t('maturity.wizard.prev')}
          </button>
          <button type="button" className="btn" onClick={() => void pause()}>
            {t('maturity.wizard.pause')}
          </button>
          {index === TOTAL - 1 ? (
            <button type="button" className="btn btn--primary" onClick={() => void finish()}>
              {t('maturity.wizard.finish')}
            </button>
          ) : (
            <button type="button" className="btn btn--primary" onClick={next}>
              {t('maturity.wizard.next')}
            </button>
          )}
        </div>
        <p className="wizard-keys muted">{t('maturity.wizard.keys')}</p>
      </section>
    </div>
  );
}
