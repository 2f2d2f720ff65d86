import { useState } from 'react';
import type { JobRecord } from '../../../../../shared/jobs';
import type { ReproductionVerdict, RunDetail } from '../../../../../shared/tracking';
import { reportError } from '../../../app/errors-store';
import { ProgressBar } from '../../../components/ProgressBar';
import { useT, type Translator } from '../../../i18n';
import { api } from '../../../lib/api';
import { useQuery } from '../../../lib/use-query';
import { exactMetricValue, formatMetricValue } from './run-format';
export { reproduceBlockedReason } from './run-format';
import { jobEnded, useFollowJob } from './use-run-data';

/** A reproduction in progress or done: the job that runs it, or the server's refusal. */
export interface ReproduceState {
  job: JobRecord | null;
  error: string | null;
  busy: boolean;
  start(): void;
}

/** Starts runs:reproduce and follows its job. */
export function useReproduce(runId: string): ReproduceState {
  const [started, setStarted] = useState<JobRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const job = useFollowJob(started?.id ?? null, started);
  const start = () => {
    setAsking(true);
    setError(null);
    api
      .call('runs:reproduce', { runId })
      .then(setStarted, (err: Error) => setError(err.message))
      .finally(() => setAsking(false));
  };
  const current = job ?? started;
  return { job: current, error, busy: asking || (!!current && !jobEnded(current)), start };
}

function VerdictView({ verdict, t }: { verdict: ReproductionVerdict; t: Translator }) {
  const short = (h: string | null) => (h ? h.slice(0, 12) : '—');
  return (
    <div className={`run-verdict run-verdict--${verdict.identical ? 'same' : 'different'}`} data-testid="verdict">
      <p className="run-verdict__title">
        <strong>{verdict.identical ? t('run.verdict.identical') : t('run.verdict.different')}</strong>{' '}
        <span>{verdict.identical ? t('run.verdict.identicalText') : t('run.verdict.differentText')}</span>
      </p>
      <p className="run-verdict__hash">
        {t('run.verdict.model')} <code title={verdict.modelSha256.original ?? ''}>{short(verdict.modelSha256.original)}</code>
        {' → '}
        <code title={verdict.modelSha256.reproduction ?? ''}>{short(verdict.modelSha256.reproduction)}</code>
        {' · '}
        <a href={`#/experiments/run/${verdict.reproductionRunId}`}>{t('run.verdict.open')}</a>
      </p>
      {verdict.inputDifferences.length > 0 && (
        <>
          <h3>{t('run.verdict.inputs')}</h3>
          <table className="table run-diff">
            <thead>
              <tr>
                <th>{t('run.verdict.what')}</th>
                <th>{t('run.verdict.original')}</th>
                <th>{t('run.verdict.reproduction')}</th>
              </tr>
            </thead>
            <tbody>
              {verdict.inputDifferences.map((d) => (
                <tr key={d.what}>
                  <td>{d.what}</td>
                  <td className="run-diff__value">{d.original || '—'}</td>
                  <td className="run-diff__value">{d.reproduction || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {verdict.metricDifferences.length > 0 && (
        <>
          <h3>{t('run.verdict.metrics')}</h3>
          <table className="table run-diff">
            <thead>
              <tr>
                <th>{t('run.metric')}</th>
                <th className="num">{t('run.verdict.original')}</th>
                <th className="num">{t('run.verdict.reproduction')}</th>
                <th className="num">{t('run.verdict.delta')}</th>
              </tr>
            </thead>
            <tbody>
              {verdict.metricDifferences.map((d) => (
                <tr key={d.key} data-metric-diff={d.key}>
                  <td>{d.key}</td>
                  <td className="num" title={exactMetricValue(d.original)}>
                    {formatMetricValue(d.original)}
                  </td>
                  <td className="num" title={exactMetricValue(d.reproduction)}>
                    {formatMetricValue(d.reproduction)}
                  </td>
                  <td className="num" title={d.delta === null ? '' : String(d.delta)}>
                    {d.delta === null ? '—' : d.delta === 0 ? '0' : d.delta.toExponential(2)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

/** The reproduction started from this page: progress, then the verdict (or why it failed or was refused). */
export function ReproduceCard({ state }: { state: ReproduceState }) {
  const t = useT();
  const { job, error } = state;
  if (!job && !error) return null;
  return (
    <section className="card run-card run-repro" aria-label={t('run.reproduction')}>
      <h2>{t('run.reproduction')}</h2>
      {error && (
        <p className="run-inline-error" role="alert" data-testid="reproduce-error">
          {error}
        </p>
      )}
      {job && !jobEnded(job) && (
        <div className="run-progress">
          <ProgressBar done={job.progressDone} total={job.progressTotal} label={t('run.reproduction')} />
          <button type="button" className="btn btn--small" onClick={() => api.call('jobs:cancel', { id: job.id }).catch(reportError)}>
            {t('run.cancel')}
          </button>
          <span className="muted run-progress__message">{job.progressMessage ?? t('run.waiting')}</span>
        </div>
      )}
      {job?.status === 'failed' && (
        <p className="run-inline-error" role="alert">
          {t('run.reproduceFailed')} {job.error}
        </p>
      )}
      {job?.status === 'cancelled' && <p className="muted">{t('run.reproduceCancelled')}</p>}
      {job?.status === 'succeeded' && job.result !== null && <VerdictView verdict={job.result as ReproductionVerdict} t={t} />}
    </section>
  );
}

/** Earlier reproductions of this run (runs tagged mlwb.reproduced_from = it), with their verdicts. */
export function PastReproductions({ run }: { run: RunDetail }) {
  const t = useT();
  const found = useQuery(
    'runs:search',
    {
      experimentIds: [run.info.experimentId],
      filter: `tags.mlwb.reproduced_from = '${run.info.runId}'`,
      orderBy: ['attributes.start_time DESC'],
      maxResults: 10,
    },
    ['tracking'],
  );
  const runs = found.data?.runs ?? [];
  if (runs.length === 0) return null;
  return (
    <p className="run-past muted" data-testid="past-reproductions">
      {t('run.pastReproductions')}{' '}
      {runs.map((r, i) => {
        const verdict = r.tags['mlwb.reproduction.identical'];
        return (
          <span key={r.info.runId}>
            {i > 0 && ' · '}
            <a href={`#/experiments/run/${r.info.runId}`}>{t.dateTime(new Date(r.info.startTime).toISOString())}</a>{' '}
            <span
              className={`run-past__verdict run-past__verdict--${verdict === 'true' ? 'same' : verdict === 'false' ? 'different' : 'none'}`}
            >
              {verdict === 'true'
                ? t('run.verdict.identical')
                : verdict === 'false'
                  ? t('run.verdict.different')
                  : t(`run.status.${r.info.status === 'KILLED' ? 'cancelled' : r.info.status.toLowerCase()}`)}
            </span>
          </span>
        );
      })}
    </p>
  );
}

/** The job training a running run: progress and Cancel. */
export function RunJobProgress({ jobId }: { jobId: number }) {
  const t = useT();
  const job = useFollowJob(jobId);
  if (!job || jobEnded(job)) return null;
  return (
    <section className="card run-card run-live" aria-label={t('run.progress')}>
      <div className="run-progress">
        <ProgressBar done={job.progressDone} total={job.progressTotal} label={t('run.progress')} />
        <button type="button" className="btn btn--small" onClick={() => api.call('jobs:cancel', { id: job.id }).catch(reportError)}>
          {t('run.cancelRun')}
        </button>
      </div>
      <p className="muted run-progress__message" data-testid="run-progress-message">
        {job.progressMessage ?? t('run.waiting')}
      </p>
    </section>
  );
}
