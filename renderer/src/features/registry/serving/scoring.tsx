import { useState } from 'react';
import type { RegisteredModelDetail } from '../../../../../shared/contracts/registry';
import { reportError } from '../../../app/errors-store';
import { useT } from '../../../i18n';
import { api, downloadFile } from '../../../lib/api';
import { useQuery } from '../../../lib/use-query';
import { Dialog, InlineError } from '../dialog';
import { choiceToSelector, safeFileStem, type SelectorChoice } from '../registry-format';
import { SelectorField } from './selector-field';

/** Batch scoring: the stored prediction sets of this model (download as CSV) and the dialog that starts a new one. */
export function ScoringCard({ detail }: { detail: RegisteredModelDetail }) {
  const t = useT();
  const name = detail.model.name;
  const sets = useQuery('scoring:sets', { name }, ['serving', 'jobs']);
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState('');
  const download = (id: number, version: number) =>
    api
      .call('scoring:csv', { id })
      .then((csv) => downloadFile(`${safeFileStem(name)}-v${version}-scored-${id}.csv`, csv, 'text/csv'), reportError);
  const list = sets.data ?? [];
  return (
    <section className="card reg-scoring" aria-label={t('reg.score.heading')}>
      <div className="reg-section-head">
        <h2>{t('reg.score.heading')}</h2>
        <button type="button" className="btn" onClick={() => setOpen(true)} disabled={detail.versions.length === 0}>
          {t('reg.score.open')}
        </button>
      </div>
      <p className="muted reg-hint" role="status">
        {status || t('reg.score.hint')}
      </p>
      {sets.error && !sets.data && <p className="muted">{sets.error.message}</p>}
      {sets.data && list.length === 0 && <p className="muted">{t('reg.score.none')}</p>}
      {list.length > 0 && (
        <table className="table reg-table">
          <thead>
            <tr>
              <th>{t('reg.score.when')}</th>
              <th>{t('reg.score.version')}</th>
              <th>{t('reg.score.source')}</th>
              <th className="num">{t('reg.score.rows')}</th>
              <th>{t('reg.score.summary')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id} data-prediction-set={s.id}>
                <td className="reg-nowrap">{t.dateTime(new Date(s.createdAt).toISOString())}</td>
                <td>v{s.version}</td>
                <td className="reg-wrap">{s.sourceLabel}</td>
                <td className="num">{t.number(s.rows)}</td>
                <td className="muted">
                  {Object.entries(s.summary)
                    .slice(0, 4)
                    .map(([k, v]) => `${k} ${t.number(v, { maximumFractionDigits: 3 })}`)
                    .join(' · ')}
                </td>
                <td className="num">
                  <button type="button" className="btn btn--small" onClick={() => void download(s.id, s.version)}>
                    {t('reg.score.download')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && (
        <ScoringDialog
          detail={detail}
          onClose={() => setOpen(false)}
          onStarted={(title) => {
            setOpen(false);
            setStatus(t('reg.score.started', { title }));
          }}
        />
      )}
    </section>
  );
}

function ScoringDialog({ detail, onClose, onStarted }: { detail: RegisteredModelDetail; onClose(): void; onStarted(title: string): void }) {
  const t = useT();
  const datasets = useQuery('datasets:list', {}, ['datasets']);
  const [choice, setChoice] = useState<SelectorChoice>(
    detail.model.latest.Production ? 'stage:Production' : `version:${detail.versions[0]?.version ?? 1}`,
  );
  const [source, setSource] = useState<'dataset' | 'file'>('dataset');
  const [versionId, setVersionId] = useState<number | ''>('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const versions = (datasets.data ?? []).flatMap((d) => d.versions.map((v) => ({ id: v.id, label: `${d.name}@${v.tag}`, rows: v.rows })));
  const chosenId = versionId !== '' ? versionId : versions.length > 0 ? versions[0].id : null;

  const submit = async () => {
    const selector = choiceToSelector(choice);
    if (!selector) return setError(t('reg.serve.badSelector'));
    if (source === 'dataset' && chosenId === null) return setError(t('reg.score.pickDataset'));
    if (source === 'file' && !file) return setError(t('reg.score.pickFile'));
    setBusy(true);
    try {
      const job = await api.call('scoring:start', {
        name: detail.model.name,
        selector,
        ...(source === 'dataset' ? { datasetVersionId: Number(chosenId) } : { file: await api.stageFile(file!) }),
      });
      onStarted(job.title);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('reg.score.title', { name: detail.model.name })}
      onClose={onClose}
      onSubmit={() => void submit()}
      testId="scoring-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('reg.cancel')}
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {t('reg.score.start')}
          </button>
        </>
      }
    >
      <SelectorField detail={detail} value={choice} onChange={setChoice} label={t('reg.score.with')} />
      <fieldset className="reg-fieldset">
        <legend>{t('reg.score.what')}</legend>
        <label className="reg-check">
          <input type="radio" name="score-source" checked={source === 'dataset'} onChange={() => setSource('dataset')} />
          {t('reg.score.dataset')}
        </label>
        <select
          aria-label={t('reg.score.dataset')}
          value={chosenId ?? ''}
          onChange={(e) => setVersionId(Number(e.target.value))}
          disabled={source !== 'dataset' || versions.length === 0}
        >
          {versions.length === 0 && <option value="">{t('reg.score.noDatasets')}</option>}
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              {v.label} · {t('reg.score.rowsN', { n: v.rows })}
            </option>
          ))}
        </select>
        <label className="reg-check">
          <input type="radio" name="score-source" checked={source === 'file'} onChange={() => setSource('file')} />
          {t('reg.score.file')}
        </label>
        <input
          type="file"
          accept=".csv,text/csv"
          aria-label={t('reg.score.file')}
          disabled={source !== 'file'}
          onChange={(e) => (setFile(e.target.files?.[0] ?? null), setError(null))}
        />
      </fieldset>
      <p className="muted reg-hint">{t('reg.score.tray')}</p>
      <InlineError message={error} testId="scoring-error" />
    </Dialog>
  );
}
