import { useState } from 'react';
import { SERVING_LIMITS } from '../../../../shared/serving';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';

/** Settings → "MLflow endpoint": on/off, port, and where it runs (or why it does not). */
export function MlflowSettingsCard() {
  const t = useT();
  const status = useQuery('mlflow:status', {}, ['settings']);
  const [port, setPort] = useState<string | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const s = status.data;
  if (!s) return null;
  const portText = port ?? String(s.port);
  // The saved token never comes back to the page; typing one replaces it.
  const tokenText = token ?? '';
  const configure = (enabled: boolean, newToken: string | undefined = token ?? undefined) =>
    api.call('mlflow:configure', { enabled, port: Number(portText), ...(newToken !== undefined ? { token: newToken } : {}) }).then(
      () => (setError(null), setPort(null), setToken(null)),
      (err: Error) => setError(err.message),
    );
  return (
    <section className="card" aria-label={t('settings.mlflow')} data-testid="mlflow-card">
      <h2>{t('settings.mlflow')}</h2>
      <p className="muted">{t('settings.mlflow.help')}</p>
      <form
        className="form-row"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void configure(s.enabled);
        }}
      >
        <label className="settings-check">
          <input type="checkbox" checked={s.enabled} onChange={(e) => void configure(e.target.checked)} />
          {t('settings.mlflow.enabled')}
        </label>
        <label>
          {t('settings.mlflow.port')}
          <input
            type="number"
            min={SERVING_LIMITS.minPort}
            max={SERVING_LIMITS.maxPort}
            value={portText}
            onChange={(e) => setPort(e.target.value)}
            aria-label={t('settings.mlflow.port')}
          />
        </label>
        <label>
          {t('settings.mlflow.tokenLabel')}
          <input
            type="password"
            autoComplete="off"
            value={tokenText}
            placeholder={t(s.tokenSet ? 'settings.mlflow.tokenSaved' : 'settings.mlflow.tokenNone')}
            onChange={(e) => setToken(e.target.value)}
          />
        </label>
        <button type="submit" className="btn" disabled={portText === String(s.port) && token === null}>
          {t('settings.mlflow.apply')}
        </button>
        {s.tokenSet && (
          <button type="button" className="btn btn--ghost" onClick={() => void configure(s.enabled, '')}>
            {t('settings.mlflow.tokenRemove')}
          </button>
        )}
      </form>
      <p data-testid="mlflow-status">
        {s.running && s.url ? (
          <span className="badge">{t('settings.mlflow.running', { url: s.url })}</span>
        ) : s.enabled && s.error ? (
          <span className="settings-error">{t('settings.mlflow.notRunning', { error: s.error })}</span>
        ) : (
          <span className="muted">{t('settings.mlflow.stopped')}</span>
        )}
      </p>
      {s.running && s.url && (
        <p className="muted settings-hint">
          <code>{t('settings.mlflow.usage', { url: s.url })}</code>
        </p>
      )}
      {s.tokenRequired && <p className="muted settings-hint">{t('settings.mlflow.token')}</p>}
      {s.tokenSet && <p className="muted settings-hint">{t(`settings.mlflow.tokenWhere.${s.tokenProtection}`)}</p>}
      {error && (
        <p className="settings-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
