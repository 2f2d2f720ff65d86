import { useState } from 'react';
import type { JobRecord } from '../../../../shared/jobs';
import { reportError } from '../../app/errors-store';
import { useRouter } from '../../app/router';
import { ProgressBar } from '../../components/ProgressBar';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { isFinished, useJob } from './use-job';

/** The Data page's home: datasets with their versions, or an empty state offering the sample. */
export function DatasetList() {
  const t = useT();
  const navigate = useRouter((s) => s.navigate);
  const list = useQuery('datasets:list', {}, ['datasets']);
  const [selected, setSelected] = useState<number[]>([]);
  const [sampleJob, setSampleJob] = useState<JobRecord | null>(null);
  const sample = useJob(sampleJob);

  const importSample = () => api.call('datasets:importSample', {}).then(setSampleJob, reportError);
  const toggle = (id: number) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s.slice(-1), id]));

  const datasets = list.data ?? [];
  return (
    <div className="page">
      <h1>{t('data.title')}</h1>
      <div className="form-row">
        <button type="button" className="btn btn--primary" onClick={() => navigate('data', 'import')}>
          {t('data.import')}
        </button>
        {datasets.length > 0 && (
          <button type="button" className="btn" disabled={selected.length !== 2} onClick={() => navigate('data', 'diff', selected[0], selected[1])}>
            {t('data.compare')}
          </button>
        )}
        {datasets.length > 0 && <span className="muted">{t('data.compare.help')}</span>}
      </div>
      {!list.loading && datasets.length === 0 && (
        <section className="card empty-state">
          <h2>{t('data.empty.title')}</h2>
          <p>{t('data.empty.body')}</p>
          <button type="button" className="btn btn--primary" disabled={!!sample && !isFinished(sample)} onClick={importSample}>
            {t('data.importSample')}
          </button>
          {sample && !isFinished(sample) && <ProgressBar done={sample.progressDone} total={sample.progressTotal} label={t('data.importSample')} />}
          {sample?.status === 'failed' && (
            <p className="data-error" role="alert">
              {sample.error}
            </p>
          )}
        </section>
      )}
      {datasets.map((d) => (
        <section key={d.id} className="card" aria-label={d.name}>
          <h2>{d.name}</h2>
          <table className="table">
            <thead>
              <tr>
                <th />
                <th>{t('data.col.tag')}</th>
                <th>{t('data.col.rows')}</th>
                <th>{t('data.col.columns')}</th>
                <th>{t('data.col.size')}</th>
                <th>{t('data.col.hash')}</th>
                <th>{t('data.col.source')}</th>
                <th>{t('data.col.imported')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {d.versions.map((v) => (
                <tr key={v.id}>
                  <td>
                    <input type="checkbox" aria-label={t('data.select', { name: d.name, tag: v.tag })} checked={selected.includes(v.id)} onChange={() => toggle(v.id)} />
                  </td>
                  <td>
                    <a href={`#/data/version/${v.id}`}>{v.tag}</a>
                  </td>
                  <td>{t.number(v.rows)}</td>
                  <td>{v.columns}</td>
                  <td>{t.bytes(v.size)}</td>
                  <td>
                    <code title={v.sha256}>{v.sha256.slice(0, 12)}</code>
                  </td>
                  <td>{v.sourceName}</td>
                  <td>{t.dateTime(v.createdAt)}</td>
                  <td>
                    <button type="button" className="btn btn--small" onClick={() => navigate('data', 'version', v.id)}>
                      {t('data.open')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
