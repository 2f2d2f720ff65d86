import { useEffect, useState } from 'react';
import { MONITORING_LIMITS, type StartDriftCheckRequest } from '../../../../shared/monitoring';
import type { JobRecord } from '../../../../shared/jobs';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { isFinished, useJob } from '../data/use-job';
import { parsePreset } from './monitoring-format';

type BaselineKind = 'model' | 'dataset';
type CurrentKind = 'dataset' | 'file' | 'predictions';

/** A datetime-local field's value as epoch ms (local time), or undefined when empty. */
const toEpoch = (s: string) => (s ? new Date(s).getTime() : undefined);

/**
 * `#/monitoring/new`: baseline (a model version's training data or a dataset version) against a
 * current set (another dataset version, a CSV, or a model's logged predictions over a time window),
 * the method and thresholds; Start runs the check as a job and opens its report when it is done.
 */
export default function NewCheckPage() {
  const t = useT();
  const navigate = useRouter((s) => s.navigate);
  const [preset] = useState(() => parsePreset(window.location.hash));
  const models = useQuery('registry:models', {}, ['registry']);
  const datasets = useQuery('datasets:list', {}, ['datasets']);
  const [baselineKind, setBaselineKind] = useState<BaselineKind>(preset.baseline?.kind ?? 'dataset');
  const [model, setModel] = useState(preset.baseline?.kind === 'model' ? preset.baseline.name : '');
  const [modelVersion, setModelVersion] = useState<number | ''>(preset.baseline?.kind === 'model' ? preset.baseline.version : '');
  const [baselineVersion, setBaselineVersion] = useState<number | ''>(preset.baseline?.kind === 'dataset' ? preset.baseline.versionId : '');
  const [currentKind, setCurrentKind] = useState<CurrentKind>('dataset');
  const [currentVersion, setCurrentVersion] = useState<number | ''>(preset.current?.versionId ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [predModel, setPredModel] = useState(preset.baseline?.kind === 'model' ? preset.baseline.name : '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [rule, setRule] = useState<'chapter' | 'evidently'>('chapter');
  const [pThreshold, setPThreshold] = useState(String(MONITORING_LIMITS.defaultPThreshold));
  const [shareThreshold, setShareThreshold] = useState(String(MONITORING_LIMITS.defaultDriftShareThreshold));
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<JobRecord | null>(null);
  const job = useJob(started);

  const modelList = models.data ?? [];
  const chosenModel = model || modelList[0]?.name || '';
  const detail = useQuery('registry:model', { name: chosenModel }, ['registry'], {
    enabled: baselineKind === 'model' && chosenModel !== '',
  });
  const versions = detail.data?.model.name === chosenModel ? detail.data.versions : [];
  const chosenModelVersion: number | '' =
    modelVersion !== '' && versions.some((v) => v.version === modelVersion) ? modelVersion : versions.length > 0 ? versions[0].version : '';
  const datasetVersions = (datasets.data ?? []).flatMap((d) =>
    d.versions.map((v) => ({ id: v.id, label: `${d.name}@${v.tag}`, rows: v.rows })),
  );
  const chosenPredModel = predModel || chosenModel;

  useEffect(() => {
    if (job?.status === 'succeeded') {
      const checkId = (job.result as { checkId?: number } | null)?.checkId;
      if (typeof checkId === 'number') navigate('monitoring', 'check', checkId);
    }
  }, [job, navigate]);

  const p = Number(pThreshold);
  const share = Number(shareThreshold);
  // Why Start cannot run yet, in the order a user fills the form; null when it can.
  const missing = (() => {
    if (baselineKind === 'model' && (chosenModel === '' || chosenModelVersion === '')) return t('mon.new.why.model');
    if (baselineKind === 'dataset' && baselineVersion === '') return t('mon.new.why.baseline');
    if (currentKind === 'dataset' && currentVersion === '') return t('mon.new.why.current');
    if (currentKind === 'dataset' && baselineKind === 'dataset' && currentVersion === baselineVersion) return t('mon.new.why.same');
    if (currentKind === 'file' && !file) return t('mon.new.why.file');
    if (currentKind === 'predictions' && chosenPredModel === '') return t('mon.new.why.predictions');
    if (currentKind === 'predictions' && from && to && toEpoch(from)! > toEpoch(to)!) return t('mon.new.why.window');
    if (!(p > 0 && p < 1)) return t('mon.new.why.p');
    if (!(share > 0 && share < 1)) return t('mon.new.why.share');
    return null;
  })();
  const running = !!job && !isFinished(job);

  const start = async () => {
    if (missing) return;
    setError(null);
    try {
      const request: StartDriftCheckRequest = {
        baseline:
          baselineKind === 'model'
            ? { kind: 'model', name: chosenModel, version: Number(chosenModelVersion) }
            : { kind: 'dataset', versionId: Number(baselineVersion) },
        current:
          currentKind === 'dataset'
            ? { kind: 'dataset', versionId: Number(currentVersion) }
            : currentKind === 'file'
              ? { kind: 'file', path: await api.stageFile(file!) }
              : { kind: 'predictions', name: chosenPredModel, from: toEpoch(from), to: toEpoch(to) },
        rule,
        pThreshold: p,
        driftShareThreshold: share,
      };
      setStarted(await api.call('monitoring:startCheck', request));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const versionOptions = (placeholder: string) => (
    <>
      <option value="">{placeholder}</option>
      {datasetVersions.map((v) => (
        <option key={v.id} value={v.id}>
          {v.label} · {t('mon.new.rows', { n: v.rows })}
        </option>
      ))}
    </>
  );

  return (
    <div className="page mon-page mon-new">
      <p className="mon-crumb">
        <a href="#/monitoring">{t('mon.title')}</a>
      </p>
      <h1>{t('mon.new.title')}</h1>
      <p className="muted">{t('mon.new.subtitle')}</p>
      <form
        className="mon-form"
        // The fields are checked here (the Start line says what is missing); the browser's bubbles would only repeat it.
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <div className="mon-columns">
          <fieldset className="card mon-fieldset">
            <legend>{t('mon.new.baseline')}</legend>
            <label className="mon-check">
              <input type="radio" name="baseline" checked={baselineKind === 'dataset'} onChange={() => setBaselineKind('dataset')} />
              {t('mon.new.baselineDataset')}
            </label>
            <select
              aria-label={t('mon.new.baselineDataset')}
              value={baselineVersion}
              disabled={baselineKind !== 'dataset'}
              onChange={(e) => setBaselineVersion(e.target.value ? Number(e.target.value) : '')}
            >
              {versionOptions(t('mon.new.choose'))}
            </select>
            <label className="mon-check">
              <input type="radio" name="baseline" checked={baselineKind === 'model'} onChange={() => setBaselineKind('model')} />
              {t('mon.new.baselineModel')}
            </label>
            <div className="mon-pair">
              <select
                aria-label={t('mon.new.model')}
                value={chosenModel}
                disabled={baselineKind !== 'model' || modelList.length === 0}
                onChange={(e) => (setModel(e.target.value), setModelVersion(''))}
              >
                {modelList.length === 0 && <option value="">{t('mon.new.noModels')}</option>}
                {modelList.map((m) => (
                  <option key={m.name} value={m.name}>
                    {m.name}
                  </option>
                ))}
              </select>
              {versions.length > 0 && (
                <select
                  aria-label={t('mon.new.modelVersion')}
                  value={chosenModelVersion}
                  disabled={baselineKind !== 'model' || versions.length === 0}
                  onChange={(e) => setModelVersion(Number(e.target.value))}
                >
                  {versions.map((v) => (
                    <option key={v.version} value={v.version}>
                      v{v.version} · {t(`reg.stage.${v.stage}`)}
                    </option>
                  ))}
                </select>
              )}
            </div>
            <p className="muted mon-hint">{t('mon.new.baselineHint')}</p>
          </fieldset>

          <fieldset className="card mon-fieldset">
            <legend>{t('mon.new.current')}</legend>
            <label className="mon-check">
              <input type="radio" name="current" checked={currentKind === 'dataset'} onChange={() => setCurrentKind('dataset')} />
              {t('mon.new.currentDataset')}
            </label>
            <select
              aria-label={t('mon.new.currentDataset')}
              value={currentVersion}
              disabled={currentKind !== 'dataset'}
              onChange={(e) => setCurrentVersion(e.target.value ? Number(e.target.value) : '')}
            >
              {versionOptions(t('mon.new.choose'))}
            </select>
            <label className="mon-check">
              <input type="radio" name="current" checked={currentKind === 'file'} onChange={() => setCurrentKind('file')} />
              {t('mon.new.currentFile')}
            </label>
            <input
              type="file"
              accept=".csv,text/csv"
              aria-label={t('mon.new.currentFile')}
              disabled={currentKind !== 'file'}
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
            <label className="mon-check">
              <input type="radio" name="current" checked={currentKind === 'predictions'} onChange={() => setCurrentKind('predictions')} />
              {t('mon.new.currentPredictions')}
            </label>
            <div className="mon-pair">
              <select
                aria-label={t('mon.new.predictionsModel')}
                value={chosenPredModel}
                disabled={currentKind !== 'predictions' || modelList.length === 0}
                onChange={(e) => setPredModel(e.target.value)}
              >
                {modelList.length === 0 && <option value="">{t('mon.new.noModels')}</option>}
                {modelList.map((m) => (
                  <option key={m.name} value={m.name}>
                    {m.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="mon-pair">
              <label className="mon-inline">
                {t('mon.new.from')}
                <input
                  type="datetime-local"
                  value={from}
                  disabled={currentKind !== 'predictions'}
                  onChange={(e) => setFrom(e.target.value)}
                />
              </label>
              <label className="mon-inline">
                {t('mon.new.to')}
                <input type="datetime-local" value={to} disabled={currentKind !== 'predictions'} onChange={(e) => setTo(e.target.value)} />
              </label>
            </div>
          </fieldset>
        </div>

        <fieldset className="card mon-fieldset">
          <legend>{t('mon.new.method')}</legend>
          <div className="form-row">
            <label>
              {t('mon.new.rule')}
              <select value={rule} onChange={(e) => setRule(e.target.value as 'chapter' | 'evidently')}>
                <option value="chapter">{t('mon.rule.chapter')}</option>
                <option value="evidently">{t('mon.rule.evidently')}</option>
              </select>
            </label>
            <label>
              {t('mon.new.pThreshold')}
              <input
                type="number"
                step="0.01"
                min="0.0001"
                max="0.9999"
                value={pThreshold}
                onChange={(e) => setPThreshold(e.target.value)}
              />
            </label>
            <label>
              {t('mon.new.shareThreshold')}
              <input
                type="number"
                step="0.05"
                min="0.01"
                max="0.99"
                value={shareThreshold}
                onChange={(e) => setShareThreshold(e.target.value)}
              />
            </label>
          </div>
          <p className="muted mon-hint">{t(`mon.rule.${rule}.hint`)}</p>
        </fieldset>

        <div className="form-row mon-start">
          <button type="submit" className="btn btn--primary" disabled={!!missing || running} aria-describedby="mon-start-why">
            {t('mon.new.start')}
          </button>
          <span id="mon-start-why" className={missing ? 'mon-why' : 'muted'} role="status" data-testid="start-why">
            {missing ?? (job ? jobLine(job, t) : t('mon.new.ready'))}
          </span>
          {running && job && (
            <button type="button" className="btn" onClick={() => void api.call('jobs:cancel', { id: job.id }).catch(() => {})}>
              {t('mon.new.cancel')}
            </button>
          )}
        </div>
        {(error || job?.status === 'failed') && (
          <p className="mon-error" role="alert" data-testid="start-error">
            {error ?? job?.error}
          </p>
        )}
      </form>
    </div>
  );
}

function jobLine(job: JobRecord, t: ReturnType<typeof useT>): string {
  if (job.status === 'succeeded') return t('mon.new.done');
  if (job.status === 'failed') return t('mon.new.failed');
  if (job.status === 'cancelled') return t('mon.new.cancelled');
  const pct = job.progressTotal > 0 ? ` ${Math.round((job.progressDone / job.progressTotal) * 100)}%` : '';
  return `${t('mon.new.running')}${pct}${job.progressMessage ? ` · ${job.progressMessage}` : ''}`;
}
