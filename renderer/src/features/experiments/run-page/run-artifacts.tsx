import type { RunDetail } from '../../../../../shared/tracking';
import { reportError } from '../../../app/errors-store';
import { useT } from '../../../i18n';
import { api, downloadFile } from '../../../lib/api';
import { artifactBytes } from './run-format';
import { useCall } from './use-run-data';

/**
 * A JSON artifact of the run, parsed (undefined while loading or when the run
 * has none). Keyed by the artifact's hash, so it is read once per content.
 */
export function useArtifactJson<T>(run: RunDetail, path: string): { data: T | undefined; error: Error | undefined; present: boolean } {
  const entry = run.artifacts.find((a) => a.path === path);
  const state = useCall<T>(entry ? `${run.info.runId}|${path}|${entry.sha256}` : null, () =>
    api.call('runs:artifact', { runId: run.info.runId, path }).then((a) => JSON.parse(a.text ?? 'null') as T),
  );
  return { ...state, present: !!entry };
}

interface ClassificationReport {
  classes: { label: string; precision: number; recall: number; f1: number; support: number }[];
  accuracy: number;
  macroAvg: { precision: number; recall: number; f1: number; support: number };
  weightedAvg: { precision: number; recall: number; f1: number; support: number };
}

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : String(v));

/** classification_report.json as scikit-learn prints it: per class, then accuracy and the averages. */
function ReportTable({ report }: { report: ClassificationReport }) {
  const t = useT();
  const row = (label: string, r: { precision: number; recall: number; f1: number; support: number }, cls?: string) => (
    <tr key={label} className={cls}>
      <th scope="row">{label}</th>
      <td className="num">{f3(r.precision)}</td>
      <td className="num">{f3(r.recall)}</td>
      <td className="num">{f3(r.f1)}</td>
      <td className="num">{t.number(r.support)}</td>
    </tr>
  );
  return (
    <table className="table run-report" aria-label={t('run.report')}>
      <thead>
        <tr>
          <th>{t('run.reportClass')}</th>
          <th className="num">{t('run.precision')}</th>
          <th className="num">{t('run.recall')}</th>
          <th className="num">{t('run.f1')}</th>
          <th className="num">{t('run.support')}</th>
        </tr>
      </thead>
      <tbody>
        {report.classes.map((c) => row(c.label, c))}
        <tr className="run-report__sep">
          <th scope="row">{t('run.accuracy')}</th>
          <td />
          <td />
          <td className="num">{f3(report.accuracy)}</td>
          <td className="num">{t.number(report.macroAvg.support)}</td>
        </tr>
        {row(t('run.macroAvg'), report.macroAvg)}
        {row(t('run.weightedAvg'), report.weightedAvg)}
      </tbody>
    </table>
  );
}

/** The run's artifacts (path, size, hash) with a download each, and the classification report as a table. */
export function ArtifactsCard({ run }: { run: RunDetail }) {
  const t = useT();
  const report = useArtifactJson<ClassificationReport>(run, 'classification_report.json');
  const download = (path: string) =>
    api
      .call('runs:artifact', { runId: run.info.runId, path })
      .then((a) => downloadFile(a.name, artifactBytes(a) as BlobPart, a.mediaType), reportError);
  return (
    <section className="card run-card" aria-label={t('run.artifacts')}>
      <h2>
        {t('run.artifacts')} <span className="muted run-count">{run.artifacts.length}</span>
      </h2>
      {run.artifacts.length === 0 ? (
        <p className="muted">{t('run.noArtifacts')}</p>
      ) : (
        <table className="table run-artifacts">
          <thead>
            <tr>
              <th>{t('run.path')}</th>
              <th className="num">{t('run.size')}</th>
              <th>SHA-256</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {run.artifacts.map((a) => (
              <tr key={a.path} data-artifact={a.path}>
                <td className="run-artifacts__path">{a.path}</td>
                <td className="num">{t.bytes(a.size)}</td>
                <td>
                  <code title={a.sha256} data-sha256={a.sha256}>
                    {a.sha256.slice(0, 12)}
                  </code>
                </td>
                <td className="run-kv__actions">
                  <button
                    type="button"
                    className="btn btn--small"
                    onClick={() => download(a.path)}
                    aria-label={t('run.downloadArtifact', { path: a.path })}
                  >
                    {t('run.download')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.present && (
        <div className="run-report-wrap">
          <h3>{t('run.report')}</h3>
          {report.error && <p className="run-inline-error">{report.error.message}</p>}
          {report.data ? <ReportTable report={report.data} /> : !report.error && <p className="muted">{t('run.loading')}</p>}
        </div>
      )}
    </section>
  );
}
