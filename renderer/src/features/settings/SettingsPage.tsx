import { useState } from 'react';
import { SERVING_LIMITS } from '../../../../shared/serving';
import { LANGUAGES, type Language, type Settings } from '../../../../shared/settings';
import type { SelfCheckResult } from '../../../../shared/jobs';
import { reportError } from '../../app/errors-store';
import { useLanguage, useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import './settings.css';
import { MlflowSettingsCard } from './MlflowSettingsCard';

/** Registry and serving rules: self-approval, the prediction log's cap (with what it holds now), non-loopback binds. */
function RegistrySettingsCard() {
  const t = useT();
  const settings = useQuery('settings:get', {}, ['settings']);
  const stats = useQuery('serving:logStats', {}, ['serving', 'settings']);
  const [cap, setCap] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const s = settings.data;
  if (!s) return null;
  const update = (patch: Partial<Settings>) =>
    api.call('settings:update', patch).then(
      () => (setError(null), setCap(null)),
      (err: Error) => setError(err.message),
    );
  const capText = cap ?? String(s.predictionLogCap);
  return (
    <section className="card" aria-label={t('settings.registry')}>
      <h2>{t('settings.registry')}</h2>
      <label className="settings-check">
        <input type="checkbox" checked={s.allowSelfApproval} onChange={(e) => void update({ allowSelfApproval: e.target.checked })} />
        {t('settings.registry.selfApproval')}
      </label>
      <p className="muted settings-hint">{t('settings.registry.selfApprovalHelp')}</p>
      <form
        className="form-row"
        // The contract's own limits speak (the same words as the CLI), not the browser's bubble.
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void update({ predictionLogCap: Number(capText) });
        }}
      >
        <label>
          {t('settings.registry.logCap')}
          <input
            type="number"
            min={SERVING_LIMITS.minPredictionLogCap}
            max={SERVING_LIMITS.maxPredictionLogCap}
            value={capText}
            onChange={(e) => setCap(e.target.value)}
          />
        </label>
        <button type="submit" className="btn" disabled={capText === String(s.predictionLogCap)}>
          {t('settings.registry.save')}
        </button>
        <span className="muted" data-testid="prediction-log-stats">
          {stats.data
            ? t('settings.registry.logStats', { rows: stats.data.rows, cap: stats.data.cap })
            : stats.error
              ? stats.error.message
              : ''}
        </span>
      </form>
      <label className="settings-check">
        <input type="checkbox" checked={s.allowNonLoopback} onChange={(e) => void update({ allowNonLoopback: e.target.checked })} />
        {t('settings.registry.nonLoopback')}
      </label>
      {s.allowNonLoopback ? (
        <p className="settings-warning" role="alert">
          {t('settings.registry.nonLoopbackWarning')}
        </p>
      ) : (
        <p className="muted settings-hint">{t('settings.registry.nonLoopbackHelp')}</p>
      )}
      {error && (
        <p className="settings-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** Settings: language, registry and serving rules, workspace health, and the self-check job. */
export default function SettingsPage() {
  const t = useT();
  const setLanguage = useLanguage((s) => s.setLanguage);
  const doctor = useQuery('app:doctor', {}, ['jobs']);
  const info = useQuery('app:info', {});
  const checks = useQuery('jobs:list', { limit: 50, kind: 'self-check', includeDismissed: true }, ['jobs']);
  const [passes, setPasses] = useState(20);
  const lastCheck = checks.data?.find((j) => j.status === 'succeeded');
  const result = lastCheck?.result as SelfCheckResult | undefined;

  const changeLanguage = async (language: Language) => {
    try {
      const s = await api.call('settings:update', { language });
      setLanguage(s.language);
    } catch (err) {
      reportError(err);
    }
  };

  return (
    <div className="page">
      <h1>{t('settings.title')}</h1>
      <section className="card">
        <h2>{t('settings.language')}</h2>
        <div className="segmented" role="radiogroup" aria-label={t('settings.language')}>
          {LANGUAGES.map((l) => (
            <label key={l} className={`segmented__item${t.language === l ? ' segmented__item--on' : ''}`}>
              <input type="radio" name="language" value={l} checked={t.language === l} onChange={() => changeLanguage(l)} />
              {t(`settings.language.${l}`)}
            </label>
          ))}
        </div>
      </section>
      <RegistrySettingsCard />
      <MlflowSettingsCard />
      <section className="card">
        <h2>{t('settings.selfCheck')}</h2>
        <p className="muted">{t('settings.selfCheck.help')}</p>
        <div className="form-row">
          <label>
            {t('settings.selfCheck.passes')}
            <input type="number" min={1} max={100000} value={passes} onChange={(e) => setPasses(Number(e.target.value))} />
          </label>
          <button type="button" className="btn btn--primary" onClick={() => api.call('jobs:startSelfCheck', { passes }).catch(reportError)}>
            {t('settings.selfCheck.run')}
          </button>
        </div>
        <p className="self-check-result">
          {result
            ? t('settings.selfCheck.result', {
                file: result.file,
                bytes: t.bytes(result.bytes),
                sha: `${result.sha256.slice(0, 12)}…`,
                passes: result.passes,
                rate: Math.round(result.mbPerSecond),
              })
            : t('settings.selfCheck.none')}
        </p>
      </section>
      <section className="card">
        <h2>{t('settings.workspace')}</h2>
        {doctor.data && (
          <dl className="facts">
            <dt>{t('settings.workspace.path')}</dt>
            <dd>{doctor.data.workspace}</dd>
            {info.data && (
              <>
                <dt>{t('settings.workspace.log')}</dt>
                <dd>{info.data.logFile ?? t('settings.workspace.log.none')}</dd>
              </>
            )}
            <dt>{t('settings.workspace.database')}</dt>
            <dd>{doctor.data.databasePath}</dd>
            <dt>{t('settings.workspace.schema')}</dt>
            <dd>{doctor.data.schemaVersion}</dd>
            <dt>{t('settings.workspace.integrity')}</dt>
            <dd>{doctor.data.integrity}</dd>
            <dt>{t('settings.workspace.versions')}</dt>
            <dd>
              {Object.entries(doctor.data.versions)
                .map(([k, v]) => `${k} ${v}`)
                .join(' · ')}
            </dd>
          </dl>
        )}
      </section>
    </div>
  );
}
