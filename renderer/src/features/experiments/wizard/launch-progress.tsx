import { useEffect, useState } from 'react';
import type { JobRecord } from '../../../../../shared/jobs';
import { SYSTEM_TAGS, type RunSummary } from '../../../../../shared/tracking';
import { reportError } from '../../../app/errors-store';
import { ProgressBar } from '../../../components/ProgressBar';
import { useT } from '../../../i18n';
import { api } from '../../../lib/api';
import { useQuery } from '../../../lib/use-query';
import type { Launched } from './wizard-store';

const active = (j: JobRecord) => j.status === 'running' || j.status === 'queued';

/** Live job records of some jobs: stored rows (refetched when jobs change), overlaid with the `job` progress events. */
function useJobs(initial: JobRecord[]): JobRecord[] {
  const [jobs, setJobs] = useState<Record<number, JobRecord>>(() => Object.fromEntries(initial.map((j) => [j.id, j])));
  const ids = initial.map((j) => j.id).join(',');
  useEffect(() => {
    const wanted = new Set(ids.split(',').map(Number));
    const refresh = () =>
      Promise.all([...wanted].map((id) => api.call('jobs:get', { id }))).then(
        (list) => setJobs((cur) => ({ ...cur, ...Object.fromEntries(list.map((j) => [j.id, j])) })),
        reportError,
      );
    refresh();
    return api.onEvent((name, payload) => {
      if (name === 'job' && wanted.has((payload as JobRecord).id)) {
        const j = payload as JobRecord;
        // A progress event never brings an ended job back to running.
        setJobs((cur) => (cur[j.id] && !active(cur[j.id]) && active(j) ? cur : { ...cur, [j.id]: j }));
      } else if (name === 'changed' && (payload as { topic: string }).topic === 'jobs') refresh();
    });
  }, [ids]);
  return initial.map((j) => jobs[j.id] ?? j);
}

/**
 * After Launch: one row per run with its job's progress bar and Cancel, a link to the run once
 * it exists, and Compare when two or more finished. The jobs go on when the user leaves the page
 * (the job tray follows them too).
 */
export function LaunchProgress({ launched, onAgain, onNew }: { launched: Launched; onAgain(): void; onNew(): void }) {
  const t = useT();
  const jobs = useJobs(launched.jobs);
  // Each job records one run; sibling runs share the comparison tag.
  const runs = useQuery(
    'runs:search',
    {
      experimentIds: [launched.experimentId],
      filter: launched.comparison ? `tags.${SYSTEM_TAGS.comparison} = '${launched.comparison}'` : '',
      orderBy: ['attributes.start_time DESC'],
      maxResults: launched.comparison ? 50 : 20,
    },
    ['tracking'],
  );
  const byJob = new Map<number, RunSummary>();
  for (const r of runs.data?.runs ?? []) if (r.info.jobId !== null) byJob.set(r.info.jobId, r);
  const runIdOf = (j: JobRecord): string | null => byJob.get(j.id)?.info.runId ?? ((j.result as { runId?: string } | null)?.runId || null);
  const finished = jobs
    .filter((j) => j.status === 'succeeded')
    .map(runIdOf)
    .filter((id): id is string => !!id);
  const running = jobs.filter(active).length;
  const cancel = (id: number) => api.call('jobs:cancel', { id }).catch(reportError);

  return (
    <section className="card wiz-launch" aria-label={t('wizard.launched.title')}>
      <div className="wiz-launch__head">
        <h1>{t('wizard.launched.title')}</h1>
        <span className="muted" data-testid="launch-summary">
          {running > 0 ? t('wizard.launched.running', { running, total: jobs.length }) : t('wizard.launched.done', { total: jobs.length })}
        </span>
      </div>
      <p className="muted wiz-note">{t('wizard.launched.note')}</p>
      <ul className="wiz-runs">
        {jobs.map((j, i) => {
          const run = byJob.get(j.id);
          const runId = runIdOf(j);
          const name = run?.info.name ?? launched.models[i]?.name ?? launched.jobs[i].title;
          const algorithm = launched.models[i]?.algorithm;
          return (
            <li key={j.id} className={`wiz-run wiz-run--${j.status}`} data-job-id={j.id} data-status={j.status} aria-label={name}>
              <div className="wiz-run__name">
                {runId ? (
                  <a href={`#/experiments/run/${runId}`} title={name}>
                    {name}
                  </a>
                ) : (
                  <span title={name}>{name}</span>
                )}
                {algorithm && <span className="muted wiz-run__model">{t(`exp.algo.${algorithm}`)}</span>}
              </div>
              <ProgressBar
                done={j.status === 'succeeded' ? 1 : j.progressDone}
                total={j.status === 'succeeded' ? 1 : j.progressTotal}
                label={t('wizard.launched.progressOf', { name })}
              />
              <span className={`wiz-run__status status--${j.status}`}>{t(`jobs.status.${j.status}`)}</span>
              <span className="muted wiz-run__message">
                {active(j)
                  ? (j.progressMessage ?? t('exp.run.waiting'))
                  : j.status === 'failed'
                    ? j.error
                    : j.status === 'succeeded' && j.startedAt && j.finishedAt
                      ? t('jobs.duration', { seconds: Number(((Date.parse(j.finishedAt) - Date.parse(j.startedAt)) / 1000).toFixed(1)) })
                      : ''}
              </span>
              <span className="wiz-run__action">
                {active(j) && (
                  <button
                    type="button"
                    className="btn btn--small"
                    onClick={() => cancel(j.id)}
                    aria-label={t('wizard.launched.cancelOf', { name })}
                  >
                    {t('jobs.cancel')}
                  </button>
                )}
              </span>
            </li>
          );
        })}
      </ul>
      <div className="wiz-nav">
        {finished.length >= 2 && (
          <a className="btn btn--primary" href={`#/experiments/compare/${finished.join(',')}`}>
            {t('wizard.launched.compare', { count: finished.length })}
          </a>
        )}
        <button type="button" className="btn" onClick={onAgain}>
          {t('wizard.launched.again')}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onNew}>
          {t('wizard.launched.new')}
        </button>
        <a className="btn btn--ghost" href={`#/experiments/exp/${launched.experimentId}`}>
          {t('wizard.launched.allRuns')}
        </a>
      </div>
    </section>
  );
}
