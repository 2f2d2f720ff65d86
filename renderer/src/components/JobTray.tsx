import { useEffect, useState } from 'react';
import type { JobRecord } from '../../../shared/jobs';
import { api } from '../lib/api';
import { useQuery } from '../lib/use-query';
import { reportError } from '../app/errors-store';
import { useT } from '../i18n';
import { ProgressBar } from './ProgressBar';

/**
 * The job tray: running and finished background jobs with live progress and a
 * cancel button. The list comes from the store; live progress from `job` events.
 */
export function JobTray() {
  const t = useT();
  const [open, setOpen] = useState(true);
  const { data } = useQuery('jobs:list', { limit: 30 }, ['jobs']);
  const [live, setLive] = useState<Record<number, JobRecord>>({});
  useEffect(() => api.onEvent((name, payload) => name === 'job' && setLive((l) => ({ ...l, [(payload as JobRecord).id]: payload as JobRecord }))), []);
  const jobs = (data ?? []).map((j) => {
    const l = live[j.id];
    // A live event is newer unless the stored row has already ended.
    return l && (j.status === 'running' || j.status === 'queued') ? { ...j, ...l } : j;
  });
  const running = jobs.filter((j) => j.status === 'running' || j.status === 'queued').length;
  const cancel = (id: number) => api.call('jobs:cancel', { id }).catch(reportError);
  const clear = () => api.call('jobs:clearFinished', {}).catch(reportError);
  return (
    <section className={`job-tray${open ? '' : ' job-tray--closed'}`} aria-label={t('jobs.title')}>
      <header className="job-tray__header">
        <button type="button" className="btn btn--ghost" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? '▾' : '▸'} {t('jobs.title')}
          {running > 0 && <span className="badge">{t('jobs.running', { count: running })}</span>}
        </button>
        {open && jobs.some((j) => j.status !== 'running' && j.status !== 'queued') && (
          <button type="button" className="btn btn--ghost" onClick={clear}>
            {t('jobs.clear')}
          </button>
        )}
      </header>
      {open && (
        <ul className="job-tray__list">
          {jobs.length === 0 && <li className="muted">{t('jobs.empty')}</li>}
          {jobs.map((j) => (
            <li key={j.id} className={`job job--${j.status}`} data-job-id={j.id} data-status={j.status}>
              <span className="job__title">{j.title}</span>
              <span className={`job__status status--${j.status}`}>{t(`jobs.status.${j.status}`)}</span>
              {(j.status === 'running' || j.status === 'queued') && (
                <>
                  <ProgressBar done={j.progressDone} total={j.progressTotal} label={j.title} />
                  <span className="job__message muted">{j.progressMessage}</span>
                  <button type="button" className="btn btn--small" onClick={() => cancel(j.id)}>
                    {t('jobs.cancel')}
                  </button>
                </>
              )}
              {j.status === 'failed' && <span className="job__error">{j.error}</span>}
              {j.status === 'succeeded' && j.startedAt && j.finishedAt && (
                <span className="muted">{t('jobs.duration', { seconds: Number(((Date.parse(j.finishedAt) - Date.parse(j.startedAt)) / 1000).toFixed(1)) })}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
