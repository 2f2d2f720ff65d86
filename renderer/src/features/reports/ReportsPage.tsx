import { useState } from 'react';
import type { Language } from '../../../../shared/settings';
import { reportError } from '../../app/errors-store';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { exportAndSaveReport, saveReportFile } from './report-files';

/** Reports: everything the pipeline can export, and everything exported so far. */
export default function ReportsPage() {
  const t = useT();
  const lang = t.language;
  const overview = useQuery('reports:overview', {}, ['reports', 'maturity', 'datasets']);
  const [paper, setPaper] = useState<'A4' | 'Letter'>('A4');
  const [language, setLanguage] = useState<Language>(lang);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (reportId: string, targetId: string, name: string, format: 'pdf' | 'html') => {
    setBusy(true);
    setStatus(t('reports.exporting', { name }));
    try {
      const record = await exportAndSaveReport({ reportId, targetId, format, paper, language });
      setStatus(t('reports.done', { file: record.fileName, size: t.bytes(record.size), ms: Math.round(record.durationMs) }));
    } catch (err) {
      setStatus('');
      reportError(err);
    } finally {
      setBusy(false);
    }
  };

  const data = overview.data;
  return (
    <div className="page">
      <h1>{t('reports.title')}</h1>
      <p className="muted">{t('reports.intro')}</p>
      {data && !data.canPrintPdf && <p className="answer--warn">{t('reports.noPrinter')}</p>}
      <div className="form-row">
        <label>
          {t('reports.paper')}
          <select value={paper} onChange={(e) => setPaper(e.target.value as 'A4' | 'Letter')}>
            <option value="A4">A4</option>
            <option value="Letter">Letter</option>
          </select>
        </label>
        <label>
          {t('reports.language')}
          <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
            <option value="en">English</option>
            <option value="ja">日本語</option>
          </select>
        </label>
      </div>
      {status && (
        <p className="muted" role="status">
          {status}
        </p>
      )}
      <section className="card">
        <h2>{t('reports.exportable')}</h2>
        {data && data.targets.length === 0 && <div className="empty-state">{t('reports.none')}</div>}
        {data && data.targets.length > 0 && (
          <table className="table" aria-label={t('reports.exportable')}>
            <thead>
              <tr>
                <th>{t('reports.col.report')}</th>
                <th>{t('reports.col.subject')}</th>
                <th>{t('reports.col.date')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.targets.map((target) => {
                const kind = data.kinds.find((k) => k.id === target.reportId);
                const name = kind ? kind.title[lang] : target.reportId;
                const label = target.id === 'all' ? t('reports.allOrganisations') : target.label;
                return (
                  <tr key={`${target.reportId}:${target.id}`}>
                    <td title={kind?.description[lang]}>{name}</td>
                    <td>{label}</td>
                    <td>{target.date}</td>
                    <td style={{ whiteSpace: 'nowrap' }}>
                      <button type="button" className="btn btn--small btn--primary" disabled={busy || !data.canPrintPdf} aria-label={`${t('reports.exportPdf')}: ${name} — ${label}`} onClick={() => void run(target.reportId, target.id, `${name} — ${label}`, 'pdf')}>
                        {t('reports.exportPdf')}
                      </button>{' '}
                      <button type="button" className="btn btn--small" disabled={busy} aria-label={`${t('reports.saveHtml')}: ${name} — ${label}`} onClick={() => void run(target.reportId, target.id, `${name} — ${label}`, 'html')}>
                        {t('reports.saveHtml')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <section className="card">
        <h2>{t('reports.exported')}</h2>
        {data && data.exported.length === 0 && <p className="muted">{t('reports.noneExported')}</p>}
        {data && data.exported.length > 0 && (
          <table className="table" aria-label={t('reports.exported')}>
            <thead>
              <tr>
                <th>{t('reports.col.when')}</th>
                <th>{t('reports.col.report')}</th>
                <th>{t('reports.col.file')}</th>
                <th>{t('reports.col.format')}</th>
                <th className="num">{t('reports.col.size')}</th>
                <th className="num">{t('reports.col.time')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.exported.map((e) => (
                <tr key={e.id}>
                  <td>{t.dateTime(e.createdAt)}</td>
                  <td>{e.title}</td>
                  <td>{e.fileName}</td>
                  <td>
                    {e.format.toUpperCase()} · {e.paper} · {e.language}
                  </td>
                  <td className="num">{t.bytes(e.size)}</td>
                  <td className="num">{t.number(Math.round(e.durationMs))} ms</td>
                  <td style={{ whiteSpace: 'nowrap' }}>
                    <button type="button" className="btn btn--small" onClick={() => api.call('reports:download', { id: e.id }).then(saveReportFile).catch(reportError)}>
                      {t('reports.download')}
                    </button>{' '}
                    <button type="button" className="btn btn--small btn--danger" onClick={() => api.call('reports:deleteExport', { id: e.id }).catch(reportError)}>
                      {t('reports.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
