import { useState } from 'react';
import type { RegisteredModel } from '../../../../shared/registry';
import { useT } from '../../i18n';
import { useQuery } from '../../lib/use-query';
import { useMinuteClock } from './use-minute-clock';
import { relativeAge } from './registry-format';
import { useDebouncedValue } from './use-debounced-value';

/** `#/registry`: the registered models (searchable), each with its Production and Staging versions, aliases and pending approvals. */
export default function RegistryHome() {
  const t = useT();
  const [query, setQuery] = useState('');
  const settled = useDebouncedValue(query.trim());
  const models = useQuery('registry:models', settled ? { query: settled } : {}, ['registry']);
  const pending = useQuery('registry:approvals', { status: 'pending' }, ['registry']);
  const now = useMinuteClock();
  const pendingBy = new Map<string, number>();
  for (const r of pending.data ?? []) pendingBy.set(r.model, (pendingBy.get(r.model) ?? 0) + 1);
  const list = models.data ?? [];
  return (
    <div className="page reg-page reg-home">
      <div className="reg-title">
        <h1>{t('reg.title')}</h1>
        <div className="reg-title__actions">
          <a className="btn" href="#/registry/audit">
            {t('reg.home.audit')}
          </a>
        </div>
      </div>
      <p className="muted">{t('reg.home.subtitle')}</p>
      <div className="form-row">
        <label className="reg-search">
          {t('reg.home.search')}
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            maxLength={256}
            placeholder={t('reg.home.searchPlaceholder')}
          />
        </label>
      </div>
      {models.error && (
        <p className="reg-error" role="alert">
          {models.error.message}
        </p>
      )}
      {models.data && list.length === 0 ? (
        <div className="empty-state">
          <p>{settled ? t('reg.home.noMatch', { query: settled }) : t('reg.home.empty')}</p>
          {!settled && (
            <p className="muted">
              <a href="#/experiments">{t('reg.home.toExperiments')}</a>
            </p>
          )}
        </div>
      ) : (
        list.length > 0 && (
          <table className="table reg-table reg-models">
            <thead>
              <tr>
                <th>{t('reg.home.model')}</th>
                <th>{t('reg.stage.Production')}</th>
                <th>{t('reg.stage.Staging')}</th>
                <th>{t('reg.home.aliases')}</th>
                <th className="num">{t('reg.home.versions')}</th>
                <th>{t('reg.home.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((m) => (
                <ModelRow key={m.name} model={m} pending={pendingBy.get(m.name) ?? 0} now={now} />
              ))}
            </tbody>
          </table>
        )
      )}
    </div>
  );
}

function ModelRow({ model: m, pending, now }: { model: RegisteredModel; pending: number; now: number }) {
  const t = useT();
  const base = `#/registry/${encodeURIComponent(m.name)}`;
  const versionLink = (v: number) => (
    <a key={v} href={`${base}/${v}`} className="reg-version-link">
      v{v}
    </a>
  );
  const aliases = Object.entries(m.aliases).sort(([a], [b]) => (a < b ? -1 : 1));
  return (
    <tr data-model={m.name}>
      <td className="reg-models__name">
        <a href={base}>
          <strong>{m.name}</strong>
        </a>
        {pending > 0 && (
          <span className="reg-pill reg-pill--pending" title={t('reg.home.pendingTitle')}>
            {t('reg.home.pending', { n: pending })}
          </span>
        )}
        {m.requireApproval && <span className="reg-pill">{t('reg.model.approvalRequired')}</span>}
        {m.description && <div className="muted reg-models__desc">{m.description}</div>}
      </td>
      <td>{m.production.length > 0 ? m.production.map(versionLink) : <span className="muted">—</span>}</td>
      <td>{m.latest.Staging ? versionLink(m.latest.Staging) : <span className="muted">—</span>}</td>
      <td>
        {aliases.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          aliases.map(([a, v]) => (
            <span key={a} className="reg-alias">
              @{a} → v{v}
            </span>
          ))
        )}
      </td>
      <td className="num">{m.versionCount}</td>
      <td className="reg-nowrap" title={new Date(m.updatedAt).toISOString()}>
        {relativeAge(m.updatedAt, now, t.language)}
      </td>
    </tr>
  );
}
