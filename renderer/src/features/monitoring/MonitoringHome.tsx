import { useState } from 'react';
import type { MonitoringAlert } from '../../../../shared/monitoring';
import { reportError } from '../../app/errors-store';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { TimeLineChart } from './drift-charts';
import { formatShare } from './monitoring-format';

/** `#/monitoring`: open alerts first, the recent drift checks, and the drift trend of one model or dataset. */
export default function MonitoringHome() {
  const t = useT();
  const checks = useQuery('monitoring:checks', { limit: 50 }, ['monitoring']);
  const list = checks.data ?? [];
  return (
    <div className="page mon-page mon-home">
      <div className="mon-title">
        <h1>{t('mon.title')}</h1>
        <div className="mon-title__actions">
          <a className="btn btn--primary" href="#/monitoring/new">
            {t('mon.home.new')}
          </a>
        </div>
      </div>
      <p className="muted">{t('mon.home.subtitle')}</p>
      <Alerts />
      <section className="card" aria-label={t('mon.home.recent')}>
        <h2>{t('mon.home.recent')}</h2>
        {checks.error && !checks.data && <p className="mon-error">{checks.error.message}</p>}
        {checks.data && list.length === 0 && (
          <p className="muted">
            {t('mon.home.noChecks')} <a href="#/monitoring/new">{t('mon.home.new')}</a>
          </p>
        )}
        {list.length > 0 && (
          <table className="table mon-table" data-testid="recent-checks">
            <thead>
              <tr>
                <th>{t('mon.home.when')}</th>
                <th>{t('mon.home.baseline')}</th>
                <th>{t('mon.home.current')}</th>
                <th>{t('mon.home.method')}</th>
                <th className="num">{t('mon.home.drifting')}</th>
                <th>{t('mon.home.verdict')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.id} data-check={c.id}>
                  <td className="mon-nowrap">
                    <a href={`#/monitoring/check/${c.id}`}>{t.dateTime(new Date(c.createdAt).toISOString())}</a>
                  </td>
                  <td className="mon-wrap">{c.baselineLabel}</td>
                  <td className="mon-wrap">{c.currentLabel}</td>
                  <td>{t(`mon.rule.${c.rule}`)}</td>
                  <td className="num">
                    {c.summary.drifted} / {c.summary.tested} ({formatShare(c.summary.driftShare)})
                  </td>
                  <td>
                    <Verdict drift={c.summary.datasetDrift} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <Trend />
    </div>
  );
}

/** The dataset-drift verdict as a coloured pill. */
export function Verdict({ drift }: { drift: boolean }) {
  const t = useT();
  return (
    <span className={`mon-pill ${drift ? 'mon-pill--drift' : 'mon-pill--ok'}`}>{drift ? t('mon.verdict.drift') : t('mon.verdict.ok')}</span>
  );
}

function Alerts() {
  const t = useT();
  const [all, setAll] = useState(false);
  const alerts = useQuery('monitoring:alerts', { includeAcknowledged: all }, ['monitoring']);
  // Unacknowledged first, newest first within each group.
  const list = [...(alerts.data ?? [])].sort(
    (a, b) => Number(a.acknowledgedAt !== null) - Number(b.acknowledgedAt !== null) || b.at - a.at,
  );
  const open = list.filter((a) => a.acknowledgedAt === null).length;
  return (
    <section className="card mon-alerts" aria-label={t('mon.alerts.heading')}>
      <div className="mon-section-head">
        <h2>
          {t('mon.alerts.heading')}
          {open > 0 && <span className="mon-pill mon-pill--drift">{open}</span>}
        </h2>
        <label className="mon-check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          {t('mon.alerts.showAcknowledged')}
        </label>
      </div>
      {alerts.error && !alerts.data && <p className="mon-error">{alerts.error.message}</p>}
      {alerts.data && list.length === 0 && <p className="muted">{t('mon.alerts.none')}</p>}
      {list.length > 0 && (
        <ul className="mon-alert-list">
          {list.map((a) => (
            <AlertRow key={a.id} alert={a} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AlertRow({ alert: a }: { alert: MonitoringAlert }) {
  const t = useT();
  const acknowledge = () => api.call('monitoring:acknowledge', { id: a.id }).catch(reportError);
  const done = a.acknowledgedAt !== null;
  return (
    <li className={`mon-alert${done ? ' mon-alert--done' : ''}`} data-alert={a.id}>
      <span className={`mon-pill mon-pill--${a.kind}`}>{t(`mon.alert.${a.kind}`)}</span>
      <span className="mon-alert__text">
        {a.message}
        {a.model && (
          <>
            {' · '}
            <a href={`#/monitoring/model/${encodeURIComponent(a.model)}`}>
              {a.model}
              {a.modelVersion !== null ? ` v${a.modelVersion}` : ''}
            </a>
          </>
        )}
        {a.checkId !== null && (
          <>
            {' · '}
            <a href={`#/monitoring/check/${a.checkId}`}>{t('mon.alerts.report')}</a>
          </>
        )}
        {a.windowStart !== null && a.windowSize !== null && (
          <>
            {' · '}
            <span className="mon-nowrap" data-testid="alert-window">
              {t('mon.alerts.window', { size: t(`mon.window.${a.windowSize}`), start: t.dateTime(new Date(a.windowStart).toISOString()) })}
            </span>
          </>
        )}
      </span>
      <span className="muted mon-nowrap">{t.dateTime(new Date(a.at).toISOString())}</span>
      {done ? (
        <span className="muted mon-nowrap">{t('mon.alerts.acknowledgedBy', { who: a.acknowledgedBy ?? '—' })}</span>
      ) : (
        <button type="button" className="btn btn--small" onClick={() => void acknowledge()}>
          {t('mon.alerts.acknowledge')}
        </button>
      )}
    </li>
  );
}

/** The drift share over time and the columns that drift most often, for one model or one dataset. */
function Trend() {
  const t = useT();
  const checks = useQuery('monitoring:checks', { limit: 1000 }, ['monitoring']);
  const datasets = useQuery('datasets:list', {}, ['datasets']);
  const datasetOf = new Map<number, { id: number; name: string }>();
  for (const d of datasets.data ?? []) for (const v of d.versions) datasetOf.set(v.id, { id: d.id, name: d.name });
  const scopes = new Map<string, string>();
  for (const c of checks.data ?? []) {
    if (c.model) scopes.set(`model:${c.model}`, t('mon.trend.model', { name: c.model }));
    for (const id of [c.baselineVersionId, c.currentVersionId]) {
      const d = id !== null ? datasetOf.get(id) : undefined;
      if (d) scopes.set(`dataset:${d.id}`, t('mon.trend.dataset', { name: d.name }));
    }
  }
  const options = [...scopes.entries()].sort(([, a], [, b]) => (a < b ? -1 : 1));
  const [picked, setPicked] = useState('');
  const chosen = scopes.has(picked) ? picked : (options[0]?.[0] ?? '');
  const [kind, value] = [chosen.split(':')[0], chosen.slice(chosen.indexOf(':') + 1)];
  const request = kind === 'model' ? { model: value } : { datasetId: Number(value) };
  const trend = useQuery('monitoring:trend', request, ['monitoring'], { enabled: chosen !== '' });
  const fmtDay = (at: number) => t.dateTime(new Date(at).toISOString(), { month: 'short', day: 'numeric' });
  if (options.length === 0) return null;
  const points = trend.data?.points ?? [];
  return (
    <section className="card mon-trend" aria-label={t('mon.trend.heading')}>
      <div className="mon-section-head">
        <h2>{t('mon.trend.heading')}</h2>
        <label className="mon-inline">
          {t('mon.trend.scope')}
          <select value={chosen} onChange={(e) => setPicked(e.target.value)}>
            {options.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {trend.error && !trend.data && <p className="mon-error">{trend.error.message}</p>}
      {trend.data && (
        <div className="mon-columns">
          <div>
            <h3>{t('mon.trend.share')}</h3>
            {points.length === 0 ? (
              <p className="muted">{t('mon.trend.noPoints')}</p>
            ) : (
              <TimeLineChart
                points={points.map((p) => ({ at: p.at, value: p.driftShare }))}
                label={t('mon.trend.share')}
                seriesName={t('mon.trend.shareSeries')}
                percent
                formatTime={fmtDay}
              />
            )}
          </div>
          <div>
            <h3>{t('mon.trend.top')}</h3>
            {trend.data.topColumns.length === 0 ? (
              <p className="muted">{t('mon.trend.noTop')}</p>
            ) : (
              <table className="table mon-table" data-testid="top-columns">
                <thead>
                  <tr>
                    <th>{t('mon.report.column')}</th>
                    <th className="num">{t('mon.trend.drifted')}</th>
                  </tr>
                </thead>
                <tbody>
                  {trend.data.topColumns.slice(0, 5).map((c) => (
                    <tr key={c.column}>
                      <td>{c.column}</td>
                      <td className="num">{t('mon.trend.driftedOf', { n: c.drifted, of: c.checks })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
