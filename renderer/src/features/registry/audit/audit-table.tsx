import { useState } from 'react';
import { AUDIT_ACTIONS, MODEL_STAGES, type AuditAction, type AuditEntry, type AuditFilter } from '../../../../../shared/registry';
import { reportError } from '../../../app/errors-store';
import { useT } from '../../../i18n';
import { api, downloadFile } from '../../../lib/api';
import { useQuery } from '../../../lib/use-query';
import { countKey, safeFileStem } from '../registry-format';
import { useDebouncedValue } from '../use-debounced-value';

/** Local midnight of a `YYYY-MM-DD` date input, or the last millisecond of that day. */
export function dayBound(value: string, end: boolean): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const start = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
  return end ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1).getTime() - 1 : start;
}

/** A row's structured detail as one short line: gate reports by their checks, other fields as `key value`. */
export function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  if (typeof detail !== 'object') return clip(String(detail));
  const checksOf = (v: unknown) => {
    const checks = (v as { checks?: { id: string; passed: boolean }[] } | null)?.checks;
    return Array.isArray(checks) ? checks.map((c) => `${c.id} ${c.passed ? '✓' : '✗'}`).join(' · ') : null;
  };
  const own = checksOf(detail);
  if (own !== null) return own;
  const parts = Object.entries(detail as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => {
      const checks = checksOf(v);
      if (checks !== null) return checks;
      return `${k} ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`;
    });
  return clip(parts.join(' · '));
}

function clip(text: string): string {
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/**
 * The audit log, read-only: filter by model (when not fixed), action, actor
 * and day; export the same rows as CSV. There is no edit or delete, here or in
 * the store.
 */
export function AuditTable({ model }: { model?: string }) {
  const t = useT();
  const [modelFilter, setModelFilter] = useState('');
  const [action, setAction] = useState<AuditAction | ''>('');
  const [actor, setActor] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const typedModel = useDebouncedValue(modelFilter.trim());
  const typedActor = useDebouncedValue(actor.trim());
  const filter: AuditFilter = {
    ...(model ? { model } : typedModel ? { model: typedModel } : {}),
    ...(action ? { action } : {}),
    ...(typedActor ? { actor: typedActor } : {}),
    ...(dayBound(from, false) !== undefined ? { from: dayBound(from, false) } : {}),
    ...(dayBound(to, true) !== undefined ? { to: dayBound(to, true) } : {}),
    limit: 1000,
  };
  const rows = useQuery('registry:audit', filter, ['registry', 'serving']);
  const models = useQuery('registry:models', {}, ['registry'], { enabled: !model });
  const exportCsv = () =>
    api.call('registry:auditCsv', { ...filter, limit: 10_000 }).then((csv) => {
      const day = new Date().toISOString().slice(0, 10);
      downloadFile(`audit-${safeFileStem(model ?? (typedModel || 'all'))}-${day}.csv`, csv, 'text/csv');
    }, reportError);
  const list = rows.data ?? [];
  return (
    <section className="reg-audit" aria-label={t('reg.audit.heading')}>
      <div className="form-row reg-audit__filters">
        {!model && (
          <label>
            {t('reg.audit.model')}
            <input list="reg-audit-models" value={modelFilter} onChange={(e) => setModelFilter(e.target.value)} maxLength={256} />
            <datalist id="reg-audit-models">
              {(models.data ?? []).map((m) => (
                <option key={m.name} value={m.name} />
              ))}
            </datalist>
          </label>
        )}
        <label>
          {t('reg.audit.action')}
          <select value={action} onChange={(e) => setAction(e.target.value as AuditAction | '')}>
            <option value="">{t('reg.audit.anyAction')}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(`reg.action.${a}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('reg.audit.actor')}
          <input value={actor} onChange={(e) => setActor(e.target.value)} maxLength={256} />
        </label>
        <label>
          {t('reg.audit.from')}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('reg.audit.to')}
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="button" className="btn reg-audit__export" onClick={exportCsv}>
          {t('reg.audit.csv')}
        </button>
      </div>
      {rows.error && (
        <p className="reg-error" role="alert">
          {rows.error.message}
        </p>
      )}
      <p className="muted reg-audit__count" data-testid="audit-count">
        {rows.data ? t(countKey('reg.audit.count', list.length), { n: list.length }) : t('reg.loading')}
      </p>
      {list.length > 0 && (
        <div className="reg-table-scroll">
          <table className="table reg-table reg-audit__table">
            <thead>
              <tr>
                <th>{t('reg.audit.when')}</th>
                <th>{t('reg.audit.who')}</th>
                <th>{t('reg.audit.action')}</th>
                {!model && <th>{t('reg.audit.model')}</th>}
                <th>{t('reg.audit.version')}</th>
                <th>{t('reg.audit.change')}</th>
                <th>{t('reg.audit.comment')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((e) => (
                <AuditRow key={e.id} entry={e} showModel={!model} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AuditRow({ entry: e, showModel }: { entry: AuditEntry; showModel: boolean }) {
  const t = useT();
  const detail = detailText(e.detail);
  const stageName = (s: string) => ((MODEL_STAGES as readonly string[]).includes(s) ? t(`reg.stage.${s}`) : s);
  return (
    <tr data-audit-action={e.action} data-audit-id={e.id}>
      <td className="reg-nowrap">{t.dateTime(new Date(e.at).toISOString(), { dateStyle: 'short', timeStyle: 'medium' })}</td>
      <td className="reg-nowrap">
        {e.actor} <span className="muted">({e.via})</span>
      </td>
      <td>
        <span className={`reg-action reg-action--${e.action}`}>{t(`reg.action.${e.action}`)}</span>
      </td>
      {showModel && (
        <td>
          <a href={`#/registry/${encodeURIComponent(e.model)}`}>{e.model}</a>
        </td>
      )}
      <td>{e.version === null ? '—' : <a href={`#/registry/${encodeURIComponent(e.model)}/${e.version}`}>v{e.version}</a>}</td>
      <td className="reg-nowrap">{e.from || e.to ? `${e.from ? stageName(e.from) : ''} → ${e.to ? stageName(e.to) : '—'}` : ''}</td>
      <td className="reg-wrap">
        {e.comment}
        {detail && <div className="muted reg-audit__detail">{detail}</div>}
      </td>
    </tr>
  );
}
