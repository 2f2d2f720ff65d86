import { useState } from 'react';
import { LANGUAGES, type Language } from '../../../../shared/settings';
import type { SelfCheckResult } from '../../../../shared/jobs';
import { reportError } from '../../app/errors-store';
import { useLanguage, useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';

/** Settings: language, workspace health, and the self-check job. */
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
            ? t('settings.selfCheck.result', { file: result.file, bytes: t.bytes(result.bytes), sha: `${result.sha256.slice(0, 12)}…`, passes: result.passes, rate: Math.round(result.mbPerSecond) })
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
            <dd>{Object.entries(doctor.data.versions).map(([k, v]) => `${k} ${v}`).join(' · ')}</dd>
          </dl>
        )}
      </section>
    </div>
  );
}
