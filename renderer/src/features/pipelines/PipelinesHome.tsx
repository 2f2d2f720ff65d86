import { useRef, useState } from 'react';
import type { PipelineNotification, PipelineSummary } from '../../../../shared/pipelines';
import { reportError } from '../../app/errors-store';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { SourceText, StatusPill, useTime } from './pipeline-ui';
import { triggerTexts } from './pipeline-format';

/** `#/pipelines`: every pipeline with its triggers, last and next run; Run now; the unread notifications. */
export default function PipelinesHome() {
  const t = useT();
  const pipelines = useQuery('pipelines:list', {}, ['pipelines']);
  const list = pipelines.data ?? [];
  const fileInput = useRef<HTMLInputElement>(null);
  const navigate = useRouter((s) => s.navigate);
  const [imported, setImported] = useState<string | null>(null);
  const importFile = async (file: File) => {
    try {
      const saved = await api.call('pipelines:import', { text: await file.text() });
      setImported(t('pl.home.imported', { name: saved.name, version: saved.version }));
    } catch (err) {
      reportError(err);
    } finally {
      if (fileInput.current) fileInput.current.value = '';
    }
  };
  return (
    <div className="page pl-page pl-home">
      <div className="pl-title">
        <h1>{t('pl.title')}</h1>
        <div className="pl-title__actions">
          <button type="button" className="btn" onClick={() => fileInput.current?.click()}>
            {t('pl.home.import')}
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".yaml,.yml,.mlwb.yaml,text/yaml"
            hidden
            data-testid="pipeline-import-file"
            onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0])}
          />
          <a className="btn btn--primary" href="#/pipelines/new">
            {t('pl.home.new')}
          </a>
        </div>
      </div>
      <p className="muted">{t('pl.home.subtitle')}</p>
      {imported && (
        <p className="pl-notice" role="status">
          {imported}
        </p>
      )}
      <Notifications />
      {pipelines.error && !pipelines.data && (
        <p className="pl-error" role="alert">
          {pipelines.error.message}
        </p>
      )}
      {pipelines.data && list.length === 0 && (
        <div className="empty-state pl-empty">
          <h2>{t('pl.home.emptyTitle')}</h2>
          <p>{t('pl.home.emptyBody')}</p>
          <p className="muted">{t('pl.home.emptySteps')}</p>
          <button type="button" className="btn btn--primary" onClick={() => navigate('pipelines', 'new')}>
            {t('pl.home.emptyButton')}
          </button>
        </div>
      )}
      {list.length > 0 && (
        <section className="card">
          <table className="table pl-table" data-testid="pipelines-table">
            <thead>
              <tr>
                <th>{t('pl.home.name')}</th>
                <th>{t('pl.home.source')}</th>
                <th>{t('pl.home.triggers')}</th>
                <th>{t('pl.home.enabled')}</th>
                <th>{t('pl.home.lastRun')}</th>
                <th>{t('pl.home.nextRun')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((p) => (
                <PipelineRow key={p.id} p={p} />
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}

function PipelineRow({ p }: { p: PipelineSummary }) {
  const t = useT();
  const time = useTime();
  const navigate = useRouter((s) => s.navigate);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const started = await api.call('pipelines:run', { name: p.name });
      navigate('pipelines', 'run', started.run.id);
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (enabled: boolean) => api.call('pipelines:setEnabled', { name: p.name, enabled }).catch(reportError);
  return (
    <tr data-pipeline={p.name}>
      <td>
        <a href={`#/pipelines/p/${encodeURIComponent(p.name)}`}>{p.name}</a> <span className="muted">v{p.version}</span>
      </td>
      <td className="pl-wrap">
        <SourceText source={p.definition.source} />
      </td>
      <td className="pl-wrap">{triggerTexts(t, p.definition).join(' · ')}</td>
      <td>
        <label className="pl-switch">
          <input
            type="checkbox"
            checked={p.enabled}
            aria-label={t('pl.home.enabledOf', { name: p.name })}
            onChange={(e) => void toggle(e.target.checked)}
          />
          <span>{p.enabled ? t('pl.on') : t('pl.off')}</span>
        </label>
      </td>
      <td className="pl-nowrap">
        {p.running && !p.lastRun ? (
          <StatusPill status="running" />
        ) : p.lastRun ? (
          <a href={`#/pipelines/run/${p.lastRun.id}`} className="pl-plain-link">
            <StatusPill status={p.lastRun.status} /> <span className="muted">{time(p.lastRun.finishedAt ?? p.lastRun.startedAt)}</span>
          </a>
        ) : (
          <span className="muted">{t('pl.home.never')}</span>
        )}
      </td>
      <td className="pl-nowrap">{p.nextDueAt !== null ? time(p.nextDueAt) : <span className="muted">—</span>}</td>
      <td className="pl-nowrap">
        <button type="button" className="btn btn--small" disabled={busy || p.running} onClick={() => void run()}>
          {p.running ? t('pl.running') : t('pl.runNow')}
        </button>
      </td>
    </tr>
  );
}

function Notifications() {
  const t = useT();
  const notes = useQuery('pipelines:notifications', { includeRead: false }, ['pipelines']);
  const list = notes.data ?? [];
  if (list.length === 0) return null;
  const markAll = () => api.call('pipelines:markRead', {}).catch(reportError);
  return (
    <section className="card pl-notes" aria-label={t('pl.notes.heading')}>
      <div className="pl-section-head">
        <h2>
          {t('pl.notes.heading')} <span className="pl-count">{list.length}</span>
        </h2>
        <button type="button" className="btn btn--small" onClick={() => void markAll()}>
          {t('pl.notes.markAll')}
        </button>
      </div>
      <ul className="pl-note-list" data-testid="pipeline-notifications">
        {list.map((n) => (
          <NotificationRow key={n.id} n={n} />
        ))}
      </ul>
    </section>
  );
}

function NotificationRow({ n }: { n: PipelineNotification }) {
  const t = useT();
  const time = useTime();
  const markRead = () => api.call('pipelines:markRead', { id: n.id }).catch(reportError);
  return (
    <li className="pl-note" data-kind={n.kind}>
      <span className={`pl-pill pl-pill--note-${n.kind}`}>{t(`pl.notes.kind.${n.kind}`)}</span>
      <span className="pl-note__text">
        <a href={`#/pipelines/p/${encodeURIComponent(n.pipeline)}`}>{n.pipeline}</a>: {n.message}
        {n.runId !== null && (
          <>
            {' · '}
            <a href={`#/pipelines/run/${n.runId}`}>{t('pl.notes.openRun', { id: n.runId })}</a>
          </>
        )}
      </span>
      <span className="muted pl-nowrap">{time(n.at)}</span>
      <button type="button" className="btn btn--small btn--ghost" onClick={() => void markRead()} aria-label={t('pl.notes.markOne')}>
        ✓
      </button>
    </li>
  );
}
