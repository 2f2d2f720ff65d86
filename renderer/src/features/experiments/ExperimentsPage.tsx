import { reportError } from '../../app/errors-store';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { RunView } from './RunView';
import { TrainForm } from './TrainForm';
import './experiments.css';

/** Experiments: #/experiments (train form + recent train jobs), #/experiments/run/JOB (one run). */
export default function ExperimentsPage() {
  const segments = useRouter((s) => s.route.segments);
  const [view, id] = segments;
  if (view === 'run' && Number(id) > 0) return <RunView key={id} jobId={Number(id)} />;
  return <TrainHome />;
}

function TrainHome() {
  const t = useT();
  const navigate = useRouter((s) => s.navigate);
  const sources = useQuery('training:sources', {}, ['datasets']);
  const importSample = () => api.call('datasets:importSample', {}).catch(reportError);
  return (
    <div className="page exp-page">
      <h1>{t('exp.title')}</h1>
      <p className="muted exp-intro">{t('exp.intro')}</p>
      {sources.data && sources.data.length === 0 && (
        <div className="empty-state">
          <h2>{t('exp.empty.title')}</h2>
          <p className="muted">{t('exp.empty.body')}</p>
          <button type="button" className="btn btn--primary" onClick={importSample}>
            {t('exp.empty.sample')}
          </button>{' '}
          <button type="button" className="btn" onClick={() => navigate('data', 'import')}>
            {t('exp.empty.import')}
          </button>
        </div>
      )}
      {sources.data && sources.data.length > 0 && <TrainForm sources={sources.data} />}
      <RecentRuns />
    </div>
  );
}

function RecentRuns() {
  const t = useT();
  const recent = useQuery('training:recent', { limit: 20 }, ['jobs']);
  const rows = recent.data ?? [];
  return (
    <section className="card" aria-label={t('exp.recent.title')}>
      <h2>{t('exp.recent.title')}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t('exp.recent.none')}</p>
      ) : (
        <table className="table exp-recent">
          <thead>
            <tr>
              <th>{t('exp.recent.model')}</th>
              <th>{t('exp.recent.data')}</th>
              <th>{t('exp.recent.status')}</th>
              <th className="num">{t('exp.recent.test')}</th>
              <th className="num">{t('exp.recent.cv')}</th>
              <th>{t('exp.recent.when')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const metricName = r.task === 'regression' ? 'R²' : t('exp.metric.accuracy');
              return (
                <tr key={r.jobId} data-job-id={r.jobId}>
                  <td>
                    <a href={`#/experiments/run/${r.jobId}`}>{r.algorithm ? t(`exp.algo.${r.algorithm}`) : r.title}</a>
                  </td>
                  <td>
                    {r.source} → {r.target}
                    {r.task && <span className="muted"> · {t(`exp.task.${r.task}`)}</span>}
                  </td>
                  <td>
                    <span className={`status--${r.status}`}>{t(`jobs.status.${r.status}`)}</span>
                    {r.error && (
                      <div className="exp-recent__error" title={r.error}>
                        {r.error}
                      </div>
                    )}
                  </td>
                  <td className="num">{r.testScore !== null ? `${metricName} ${r.testScore.toFixed(4)}` : '—'}</td>
                  <td className="num">{r.cvMean !== null ? `${r.cvMean.toFixed(4)} ± ${(r.cvStd ?? 0).toFixed(4)}` : '—'}</td>
                  <td className="muted">{t.dateTime(r.finishedAt ?? r.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
