import { useRef, useState } from 'react';
import { MATURITY_LEVEL_INFO } from '../../../../shared/maturity-content';
import { reportError } from '../../app/errors-store';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { AssessmentForm } from './AssessmentForm';
import { AssessmentResult } from './AssessmentResult';
import { AssessmentWizard } from './AssessmentWizard';
import { CompareAssessments } from './CompareAssessments';
import './maturity.css';

/**
 * Maturity workshop. Routes: #/maturity (history), #/maturity/new,
 * #/maturity/a/ID (wizard), #/maturity/a/ID/result, #/maturity/compare/A/B.
 */
export default function MaturityPage() {
  const { route } = useRouter();
  const [first, second, third] = route.segments;
  if (first === 'new') return <AssessmentForm />;
  if (first === 'a' && second && third === 'result') return <AssessmentResult id={second} />;
  if (first === 'a' && second) return <AssessmentWizard key={second} id={second} />;
  if (first === 'compare' && second && third) return <CompareAssessments beforeId={second} afterId={third} />;
  return <AssessmentHistory />;
}

function AssessmentHistory() {
  const t = useT();
  const { navigate } = useRouter();
  const list = useQuery('maturity:list', {}, ['maturity']);
  const [selected, setSelected] = useState<string[]>([]);
  const [status, setStatus] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);

  const importFile = async (file: File) => {
    try {
      const path = await api.stageFile(file);
      const imported = await api.call('maturity:importJson', { path });
      setStatus(t('maturity.imported', { org: imported.meta.organisation, date: imported.meta.date }));
    } catch (err) {
      reportError(err);
    }
  };
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s.slice(-1), id]));
  const compare = () => {
    const rows = (list.data ?? []).filter((a) => selected.includes(a.id)).sort((a, b) => a.date.localeCompare(b.date) || a.updatedAt.localeCompare(b.updatedAt));
    if (rows.length === 2) navigate('maturity', 'compare', rows[0].id, rows[1].id);
  };
  const remove = async (id: string, org: string, date: string) => {
    if (!window.confirm(t('maturity.deleteConfirm', { org, date }))) return;
    await api.call('maturity:delete', { id }).catch(reportError);
  };

  return (
    <div className="page">
      <h1>{t('maturity.title')}</h1>
      <p className="muted">{t('maturity.intro')}</p>
      <div className="maturity-actions">
        <button type="button" className="btn btn--primary" onClick={() => navigate('maturity', 'new')}>
          {t('maturity.new')}
        </button>
        <button type="button" className="btn" onClick={() => fileInput.current?.click()}>
          {t('maturity.import')}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label={t('maturity.import')}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importFile(file);
          }}
        />
        <button type="button" className="btn" disabled={selected.length !== 2} onClick={compare}>
          {t('maturity.compareSelected')}
        </button>
      </div>
      {status && (
        <p className="maturity-status" role="status">
          {status}
        </p>
      )}
      <section className="card">
        <h2>{t('maturity.history')}</h2>
        {list.data && list.data.length === 0 && <div className="empty-state">{t('maturity.empty')}</div>}
        {list.data && list.data.length > 0 && (
          <>
            <p className="muted">{t('maturity.compareHint')}</p>
            <table className="table" aria-label={t('maturity.history')}>
              <thead>
                <tr>
                  <th>{t('maturity.col.compare')}</th>
                  <th>{t('maturity.col.date')}</th>
                  <th>{t('maturity.col.organisation')}</th>
                  <th>{t('maturity.col.facilitator')}</th>
                  <th className="num">{t('maturity.col.progress')}</th>
                  <th>{t('maturity.col.level')}</th>
                  <th className="num">{t('maturity.col.scores')}</th>
                  <th>{t('maturity.col.status')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.data.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <input type="checkbox" aria-label={`${t('maturity.col.compare')} ${a.organisation} ${a.date}`} checked={selected.includes(a.id)} onChange={() => toggle(a.id)} />
                    </td>
                    <td>{a.date}</td>
                    <td>
                      {a.organisation}
                      {a.team ? ` — ${a.team}` : ''}
                    </td>
                    <td>{a.facilitator || '—'}</td>
                    <td className="num">
                      {a.answeredCount}/{a.totalItems}
                    </td>
                    <td>
                      Level {a.level} <span className="muted">{MATURITY_LEVEL_INFO[a.level].name[t.language]}</span>
                    </td>
                    <td className="num">{a.scores.map((s) => `${t.number(s, { maximumFractionDigits: 0 })}%`).join(' · ')}</td>
                    <td>{t(`maturity.status.${a.status}`)}</td>
                    <td style={{ whiteSpace: 'nowrap' }}>
                      <button type="button" className="btn btn--small" onClick={() => navigate('maturity', 'a', a.id)}>
                        {t('maturity.resume')}
                      </button>{' '}
                      <button type="button" className="btn btn--small" onClick={() => navigate('maturity', 'a', a.id, 'result')}>
                        {t('maturity.open')}
                      </button>{' '}
                      <button type="button" className="btn btn--small btn--danger" onClick={() => remove(a.id, a.organisation, a.date)}>
                        {t('maturity.delete')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </div>
  );
}
