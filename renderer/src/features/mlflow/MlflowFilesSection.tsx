import { useState, type FormEvent } from 'react';
import type { JobRecord } from '../../../../shared/jobs';
import { MLFLOW_FILES_KINDS, type MlflowFilesReport } from '../../../../shared/mlflow-files';
import { ProgressBar } from '../../components/ProgressBar';
import { useT, type Translator } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { isFinished, useJob } from '../data/use-job';

const SKIPPED_PAGE = 25;
/** A path as a POSIX shell (and PowerShell) takes it: single-quoted when it holds anything but plain characters. */
const shellQuote = (p: string) => (/^[\w./:\\-]+$/.test(p) ? p : `'${p.replace(/'/g, "'\\''")}'`);

/**
 * The MLflow page's file-store cards: "Import from MLflow" (an mlruns folder
 * by path — the browser host has no folder dialog, so the path is typed) and
 * "Export to an mlruns folder" (experiments to write, the registry or not).
 * Both start a job (its progress is in the job tray); the finished job's
 * report — counts and what was skipped, with reasons — shows under its card.
 */
export function MlflowFilesSection() {
  return (
    <>
      <ImportCard />
      <ExportCard />
    </>
  );
}

function ImportCard() {
  const t = useT();
  const [dir, setDir] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<JobRecord | null>(null);
  const job = useJob(started);
  const busy = !!job && !isFinished(job);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    api.call('mlflow:import', { dir: dir.trim() }).then(setStarted, (err: Error) => (setStarted(null), setError(err.message)));
  };
  return (
    <section className="card mlflow-files" aria-label={t('mlflowFiles.import.title')} data-testid="mlflow-import-card">
      <h2>{t('mlflowFiles.import.title')}</h2>
      <p className="muted">{t('mlflowFiles.import.help')}</p>
      <form className="form-row" noValidate onSubmit={submit}>
        <FolderField label={t('mlflowFiles.import.dir')} placeholder={t('mlflowFiles.import.placeholder')} value={dir} onChange={setDir} />
        <button type="submit" className="btn btn--primary" disabled={!dir.trim() || busy}>
          {t('mlflowFiles.import.start')}
        </button>
      </form>
      {error && (
        <p className="mlflow-files__error" role="alert">
          {error}
        </p>
      )}
      <JobOutcome job={job} t={t} />
    </section>
  );
}

function ExportCard() {
  const t = useT();
  const experiments = useQuery('experiments:list', { stage: 'all' }, ['tracking']);
  const [dir, setDir] = useState('');
  const [all, setAll] = useState(true);
  const [chosen, setChosen] = useState<ReadonlySet<number>>(new Set());
  const [models, setModels] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<JobRecord | null>(null);
  const job = useJob(started);
  const busy = !!job && !isFinished(job);
  const list = experiments.data ?? [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!all && chosen.size === 0) return setError(t('mlflowFiles.export.none'));
    setError(null);
    api
      .call('mlflow:export', { dir: dir.trim(), models, ...(all ? {} : { experimentIds: [...chosen] }) })
      .then(setStarted, (err: Error) => (setStarted(null), setError(err.message)));
  };
  const toggle = (id: number, on: boolean) =>
    setChosen((cur) => {
      const next = new Set(cur);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <section className="card mlflow-files" aria-label={t('mlflowFiles.export.title')} data-testid="mlflow-export-card">
      <h2>{t('mlflowFiles.export.title')}</h2>
      <p className="muted">{t('mlflowFiles.export.help')}</p>
      <form noValidate onSubmit={submit}>
        <fieldset className="mlflow-files__experiments">
          <legend>{t('mlflowFiles.export.choose')}</legend>
          <label>
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
            {t('mlflowFiles.export.all', { n: list.length })}
          </label>
          {!all && (
            <ul className="mlflow-files__list">
              {list.map((x) => (
                <li key={x.id}>
                  <label>
                    <input type="checkbox" checked={chosen.has(x.id)} onChange={(e) => toggle(x.id, e.target.checked)} />
                    {x.name} {x.lifecycleStage === 'deleted' && <span className="muted">{t('mlflowFiles.export.trashed')}</span>}
                  </label>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
        <div className="form-row">
          <FolderField
            label={t('mlflowFiles.export.dir')}
            placeholder={t('mlflowFiles.export.placeholder')}
            value={dir}
            onChange={setDir}
          />
          <label className="mlflow-files__check">
            <input type="checkbox" checked={models} onChange={(e) => setModels(e.target.checked)} />
            {t('mlflowFiles.export.models')}
          </label>
          <button type="submit" className="btn btn--primary" disabled={!dir.trim() || busy}>
            {t('mlflowFiles.export.start')}
          </button>
        </div>
      </form>
      {error && (
        <p className="mlflow-files__error" role="alert">
          {error}
        </p>
      )}
      <JobOutcome job={job} t={t} />
    </section>
  );
}

function JobOutcome({ job, t }: { job: JobRecord | null; t: Translator }) {
  if (!job) return null;
  if (!isFinished(job))
    return (
      <div className="mlflow-files__progress" aria-live="polite">
        <ProgressBar done={job.progressDone} total={job.progressTotal} label={job.title} />
        <span className="muted">{job.progressMessage ?? t('mlflowFiles.running')}</span>
      </div>
    );
  if (job.status === 'failed')
    return (
      <p className="mlflow-files__error" role="alert">
        {t('mlflowFiles.failed', { error: job.error ?? '' })}
      </p>
    );
  if (job.status === 'cancelled')
    return <p className="muted">{t(job.kind === 'mlflow-export' ? 'mlflowFiles.cancelledExport' : 'mlflowFiles.cancelled')}</p>;
  return <Report report={job.result as MlflowFilesReport} t={t} />;
}

function Report({ report, t }: { report: MlflowFilesReport; t: Translator }) {
  const [shown, setShown] = useState(SKIPPED_PAGE);
  const counts = MLFLOW_FILES_KINDS.filter((k) => report.counts[k] > 0 || k === 'run');
  const rows = report.skipped.slice(0, shown);
  const hiddenHere = report.skipped.length - rows.length;
  const beyondCap = report.skippedCount - report.skipped.length;
  return (
    <div className="mlflow-files__report" data-testid="mlflow-files-report">
      <p>
        <strong>
          {t(report.direction === 'import' ? 'mlflowFiles.report.import' : 'mlflowFiles.report.export', {
            dir: report.dir,
            seconds: t.number(report.elapsedMs / 1000, { maximumFractionDigits: 1 }),
          })}
        </strong>
        {report.direction === 'import' && report.counts.run > 0 && (
          <>
            {' '}
            <a href="#/experiments">{t('mlflowFiles.report.openRuns')}</a>
          </>
        )}
      </p>
      {report.direction === 'export' && (
        <p className="muted">
          {t('mlflowFiles.report.openUi')} <code>mlflow ui --backend-store-uri {shellQuote(report.dir)}</code>
        </p>
      )}
      <dl className="mlflow-files__counts">
        {counts.map((k) => (
          <div key={k}>
            <dt>{t(`mlflowFiles.count.${k}`)}</dt>
            <dd>{t.number(report.counts[k])}</dd>
          </div>
        ))}
      </dl>
      {report.skippedCount === 0 ? (
        <p className="muted">{t('mlflowFiles.skipped.none')}</p>
      ) : (
        <>
          <h3>{t('mlflowFiles.skipped.title', { n: t.number(report.skippedCount) })}</h3>
          <table className="table mlflow-files__skipped">
            <thead>
              <tr>
                <th>{t('mlflowFiles.skipped.kind')}</th>
                <th>{t('mlflowFiles.skipped.item')}</th>
                <th>{t('mlflowFiles.skipped.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s, i) => (
                <tr key={i}>
                  <td>{t(`mlflowFiles.kind.${s.kind}`)}</td>
                  <td>
                    <code>{s.item}</code>
                    {s.file && <div className="muted mlflow-files__file">{s.file}</div>}
                  </td>
                  <td>{s.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {hiddenHere > 0 && (
            <button type="button" className="btn btn--small btn--ghost" onClick={() => setShown((n) => n + SKIPPED_PAGE * 4)}>
              {t('mlflowFiles.skipped.showMore', { n: t.number(Math.min(hiddenHere, SKIPPED_PAGE * 4)) })}
            </button>
          )}
          {hiddenHere === 0 && beyondCap > 0 && <p className="muted">{t('mlflowFiles.skipped.more', { n: t.number(beyondCap) })}</p>}
        </>
      )}
    </div>
  );
}

/** A folder typed as a path (the browser host has no native folder dialog). */
function FolderField(props: { label: string; placeholder: string; value: string; onChange: (dir: string) => void }) {
  return (
    <label className="mlflow-files__dir">
      {props.label}
      <input
        type="text"
        value={props.value}
        spellCheck={false}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}
