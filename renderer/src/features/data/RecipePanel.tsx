import { useState } from 'react';
import type { DatasetVersion, RecipePreview } from '../../../../shared/contracts/datasets';
import type { RecipeSpec } from '../../../../shared/datasets';
import type { JobRecord } from '../../../../shared/jobs';
import { reportError } from '../../app/errors-store';
import { ProgressBar } from '../../components/ProgressBar';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { formatStat } from './format';
import { isFinished, useJob } from './use-job';

const DEFAULT_SPEC: RecipeSpec = {
  drop: [],
  numericImpute: 'median',
  numericConstant: 0,
  categoricalImpute: 'mode',
  categoricalConstant: 'missing',
  scale: true,
  oneHot: true,
  topK: 10,
};

/** The recipe editor: options, a preview on the first rows, and saving (fitted on the whole version by a job). */
export function RecipePanel({ version }: { version: DatasetVersion }) {
  const t = useT();
  const saved = useQuery('recipes:list', { datasetId: version.datasetId }, ['recipes']);
  const lastColumn = version.schema[version.schema.length - 1]?.name;
  const [spec, setSpec] = useState<RecipeSpec>({ ...DEFAULT_SPEC, target: lastColumn });
  const [preview, setPreview] = useState<RecipePreview | null>(null);
  const [name, setName] = useState('default');
  const [saveJob, setSaveJob] = useState<JobRecord | null>(null);
  const job = useJob(saveJob);
  const set = (patch: Partial<RecipeSpec>) => setSpec((s) => ({ ...s, ...patch }));

  const runPreview = () => api.call('recipes:preview', { versionId: version.id, spec, rows: 10 }).then(setPreview, reportError);
  const save = () => api.call('recipes:save', { versionId: version.id, name, spec }).then(setSaveJob, reportError);

  return (
    <div className="recipe">
      <section className="card">
        <h2>{t('data.recipe.title')}</h2>
        <p className="muted">{t('data.recipe.help')}</p>
        <div className="form-row">
          <label>
            {t('data.recipe.target')}
            <select value={spec.target ?? ''} onChange={(e) => set({ target: e.target.value || undefined })}>
              <option value="">{t('data.recipe.none')}</option>
              {version.schema.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('data.recipe.numericImpute')}
            <select value={spec.numericImpute} onChange={(e) => set({ numericImpute: e.target.value as RecipeSpec['numericImpute'] })}>
              <option value="median">median</option>
              <option value="mean">mean</option>
              <option value="constant">constant</option>
            </select>
          </label>
          {spec.numericImpute === 'constant' && (
            <label>
              {t('data.recipe.numericConstant')}
              <input type="number" value={spec.numericConstant} onChange={(e) => set({ numericConstant: Number(e.target.value) || 0 })} />
            </label>
          )}
          <label>
            {t('data.recipe.categoricalImpute')}
            <select value={spec.categoricalImpute} onChange={(e) => set({ categoricalImpute: e.target.value as RecipeSpec['categoricalImpute'] })}>
              <option value="mode">mode</option>
              <option value="constant">constant</option>
            </select>
          </label>
          {spec.categoricalImpute === 'constant' && (
            <label>
              {t('data.recipe.categoricalConstant')}
              <input type="text" value={spec.categoricalConstant} onChange={(e) => set({ categoricalConstant: e.target.value })} />
            </label>
          )}
        </div>
        <div className="form-row">
          <label>
            <input type="checkbox" checked={spec.scale} onChange={(e) => set({ scale: e.target.checked })} /> {t('data.recipe.scale')}
          </label>
          <label>
            <input type="checkbox" checked={spec.oneHot} onChange={(e) => set({ oneHot: e.target.checked })} /> {t('data.recipe.oneHot')}
          </label>
          <label>
            {t('data.recipe.topK')}
            <input type="number" min={1} max={1000} value={spec.topK} onChange={(e) => set({ topK: Math.max(1, Math.min(1000, Math.round(Number(e.target.value) || 1))) })} />
          </label>
        </div>
        <fieldset className="drop-columns">
          <legend>{t('data.recipe.drop')}</legend>
          {version.schema.map((c) => (
            <label key={c.name}>
              <input
                type="checkbox"
                checked={spec.drop.includes(c.name)}
                onChange={(e) => set({ drop: e.target.checked ? [...spec.drop, c.name] : spec.drop.filter((x) => x !== c.name) })}
              />{' '}
              {c.name}
            </label>
          ))}
        </fieldset>
        <div className="form-row">
          <button type="button" className="btn" onClick={runPreview}>
            {t('data.recipe.preview')}
          </button>
          <label>
            {t('data.recipe.name')}
            <input type="text" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="button" className="btn btn--primary" disabled={!name.trim() || (!!job && !isFinished(job))} onClick={save}>
            {t('data.recipe.save')}
          </button>
        </div>
        {job && !isFinished(job) && <ProgressBar done={job.progressDone} total={job.progressTotal} label={t('data.recipe.save')} />}
        {job?.status === 'failed' && (
          <p className="data-error" role="alert">
            {job.error}
          </p>
        )}
      </section>
      {preview && (
        <section className="card" aria-label={t('data.recipe.preview')}>
          <h2>
            {t('data.recipe.preview')} · {t('data.recipe.features', { n: preview.recipe.featureNames.length })}
          </h2>
          <p className="muted">{t('data.recipe.previewNote', { n: preview.fittedOnRows })}</p>
          <div className="table-scroll">
            <table className="table recipe-output">
              <thead>
                <tr>
                  {preview.recipe.featureNames.map((f) => (
                    <th key={f}>{f}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.output.map((r, i) => (
                  <tr key={i}>
                    {r.map((x, j) => (
                      <td key={j}>{formatStat(x)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {saved.data && saved.data.length > 0 && (
        <section className="card">
          <h2>{t('data.recipe.saved')}</h2>
          <table className="table">
            <tbody>
              {saved.data.map((r) => (
                <tr key={r.id}>
                  <td>{r.name}</td>
                  <td>{t('data.recipe.features', { n: r.recipe.featureNames.length })}</td>
                  <td className="muted">{r.recipe.dropped.join(', ')}</td>
                  <td>{t.dateTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
