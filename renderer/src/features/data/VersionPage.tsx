import { useState, type KeyboardEvent } from 'react';
import { reportError } from '../../app/errors-store';
import { useT } from '../../i18n';
import { api, downloadFile } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { newCheckHref } from '../monitoring/monitoring-format';
import { exportAndSaveReport } from '../reports/report-files';
import { ProfileView } from './ProfileView';
import { RecipePanel } from './RecipePanel';
import { ValidationPanel } from './ValidationPanel';

type Tab = 'profile' | 'validation' | 'recipe';
const TABS: Tab[] = ['profile', 'validation', 'recipe'];

/** One version: its facts, export/download, and tabs for profile, validation and recipe. */
export function VersionPage({ id, tab }: { id: number; tab?: string }) {
  const t = useT();
  const version = useQuery('datasets:version', { id }, ['datasets']);
  const [current, setCurrent] = useState<Tab>(tab === 'validation' || tab === 'recipe' ? tab : 'profile');
  const [exported, setExported] = useState<string | null>(null);
  const [paper, setPaper] = useState<'A4' | 'Letter'>('A4');
  const [reportBusy, setReportBusy] = useState(false);
  const [reportStatus, setReportStatus] = useState('');
  const v = version.data;
  if (version.error) {
    return (
      <div className="page">
        <p>
          <a href="#/data">{t('data.back')}</a>
        </p>
        <p className="data-error" role="alert">
          {version.error.message}
        </p>
      </div>
    );
  }
  if (!v) return <div className="page" />;
  // The dataset report goes through the one report pipeline (as the Reports page and the maturity result do).
  const exportReport = async (format: 'pdf' | 'html') => {
    setReportBusy(true);
    setReportStatus(t('data.version.exporting'));
    try {
      const record = await exportAndSaveReport({ reportId: 'dataset', targetId: String(id), format, paper, language: t.language });
      setReportStatus(t('data.version.reportSaved', { file: record.fileName, size: t.bytes(record.size) }));
    } catch (err) {
      setReportStatus('');
      reportError(err);
    } finally {
      setReportBusy(false);
    }
  };
  // Arrow keys move between tabs (the WAI-ARIA tabs pattern); Tab leaves the strip.
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = TABS[(TABS.indexOf(current) + step + TABS.length) % TABS.length];
    setCurrent(next);
    (e.currentTarget.children[TABS.indexOf(next)] as HTMLElement | undefined)?.focus();
  };
  const download = () =>
    api.call('datasets:readText', { id }).then((r) => downloadFile(r.name, r.text, 'text/csv'), reportError);
  return (
    <div className="page">
      <p>
        <a href="#/data">{t('data.back')}</a>
      </p>
      <h1>{t('data.version.title', { name: v.datasetName, tag: v.tag })}</h1>
      <section className="card">
        <dl className="facts">
          <dt>{t('data.version.rows')}</dt>
          <dd>{t.number(v.rows)}</dd>
          <dt>{t('data.version.columns')}</dt>
          <dd>{v.columns}</dd>
          <dt>{t('data.version.duplicates')}</dt>
          <dd>{t.number(v.profile.duplicateRows)}</dd>
          <dt>{t('data.version.size')}</dt>
          <dd>{t.bytes(v.size)}</dd>
          <dt>{t('data.version.hash')}</dt>
          <dd>
            <code>{v.sha256}</code>
          </dd>
          <dt>{t('data.version.source')}</dt>
          <dd>{v.sourceName}</dd>
          <dt>{t('data.version.imported')}</dt>
          <dd>{t.dateTime(v.createdAt)}</dd>
        </dl>
        <div className="form-row">
          <button type="button" className="btn" onClick={() => api.call('datasets:export', { id }).then((r) => setExported(r.path), reportError)}>
            {t('data.version.export')}
          </button>
          <button type="button" className="btn btn--ghost" onClick={download}>
            {t('data.version.download')}
          </button>
          <a className="btn btn--ghost" href={newCheckHref({ datasetVersion: id })}>
            {t('mon.link.checkDriftAgainst')}
          </a>
          {exported && <span className="muted">{t('data.version.exported', { path: exported })}</span>}
        </div>
        <div className="version-actions">
          <span className="version-actions__label">{t('data.version.report')}</span>
          <button type="button" className="btn btn--primary" disabled={reportBusy} onClick={() => void exportReport('pdf')}>
            {t('data.version.exportPdf')}
          </button>
          <button type="button" className="btn" disabled={reportBusy} onClick={() => void exportReport('html')}>
            {t('data.version.saveHtml')}
          </button>
          <select aria-label={t('data.version.paper')} value={paper} onChange={(e) => setPaper(e.target.value as 'A4' | 'Letter')}>
            <option value="A4">A4</option>
            <option value="Letter">Letter</option>
          </select>
          {reportStatus && (
            <span className="muted" role="status">
              {reportStatus}
            </span>
          )}
        </div>
      </section>
      <div className="tabs" role="tablist" aria-label={t('data.version.facts')} onKeyDown={onTabKey}>
        {TABS.map((x) => (
          <button key={x} type="button" role="tab" aria-selected={current === x} tabIndex={current === x ? 0 : -1} className="tabs__tab" onClick={() => setCurrent(x)}>
            {t(`data.tab.${x}`)}
          </button>
        ))}
      </div>
      {current === 'profile' && <ProfileView profile={v.profile} />}
      {current === 'validation' && <ValidationPanel version={v} />}
      {current === 'recipe' && <RecipePanel version={v} />}
    </div>
  );
}
