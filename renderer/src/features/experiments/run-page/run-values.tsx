import { useState, type FormEvent } from 'react';
import { SYSTEM_TAGS, type MetricHistoryPoint, type RunDetail } from '../../../../../shared/tracking';
import { reportError } from '../../../app/errors-store';
import { useT } from '../../../i18n';
import { api } from '../../../lib/api';
import { LongText } from './long-text';
import { exactMetricValue, foldTable, formatMetricValue, groupMetrics, splitTags } from './run-format';
import { useCall } from './use-run-data';

/** The run's params, sorted by name, as text. */
export function ParamsCard({ run }: { run: RunDetail }) {
  const t = useT();
  const params = Object.entries(run.params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return (
    <section className="card run-card" aria-label={t('run.params')}>
      <h2>
        {t('run.params')} <span className="muted run-count">{params.length}</span>
      </h2>
      {params.length === 0 ? (
        <p className="muted">{t('run.noParams')}</p>
      ) : (
        <table className="run-kv">
          <tbody>
            {params.map(([k, v]) => (
              <tr key={k} data-param={k}>
                <th scope="row">
                  <LongText value={k} limit={60} />
                </th>
                <td>
                  <LongText value={v} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A metric value with its exact digits on hover. */
function Value({ v }: { v: Parameters<typeof formatMetricValue>[0] }) {
  return <span title={exactMetricValue(v)}>{formatMetricValue(v)}</span>;
}

/** Latest metric values, each beside its CV mean ± std, and the per-fold values. */
export function MetricsCard({ run }: { run: RunDetail }) {
  const t = useT();
  const { rows, foldKeys } = groupMetrics(run.metrics, run.seriesKeys);
  const hasCv = rows.some((r) => r.cvMean !== null || r.cvStd !== null);
  const stamp = run.metrics.map((m) => `${m.key}:${m.step}:${m.timestamp}`).join('|');
  const folds = useCall<Record<string, Record<string, MetricHistoryPoint[]>>>(
    foldKeys.length ? `${run.info.runId}|${foldKeys.join(',')}|${stamp}` : null,
    () => api.call('runs:metricHistory', { runIds: [run.info.runId], keys: foldKeys.slice(0, 50) }),
  );
  const table = folds.data ? foldTable(folds.data[run.info.runId] ?? {}, foldKeys.slice(0, 50)) : null;
  return (
    <section className="card run-card" aria-label={t('run.metrics')}>
      <h2>
        {t('run.metrics')} <span className="muted run-count">{rows.length}</span>
      </h2>
      {rows.length === 0 ? (
        <p className="muted">{t('run.noMetrics')}</p>
      ) : (
        <table className="table run-metrics">
          <thead>
            <tr>
              <th>{t('run.metric')}</th>
              <th className="num">{t('run.value')}</th>
              {hasCv && <th className="num">{t('run.cvMeanStd')}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-metric={r.key}>
                <td className="run-metrics__key">
                  <LongText value={r.key} limit={60} />
                  {r.series && r.step !== null && <span className="muted run-step"> {t('run.atStep', { step: r.step })}</span>}
                </td>
                <td className="num">{r.value === null ? <span className="muted">—</span> : <Value v={r.value} />}</td>
                {hasCv && (
                  <td className="num">
                    {r.cvMean === null && r.cvStd === null ? (
                      <span className="muted">—</span>
                    ) : (
                      <>
                        <Value v={r.cvMean} /> <span className="muted">± </span>
                        <span className="muted">
                          <Value v={r.cvStd} />
                        </span>
                      </>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {foldKeys.length > 0 && (
        <details className="run-folds">
          <summary>{t('run.folds', { n: table?.folds.length ?? 0 })}</summary>
          {folds.error && <p className="run-inline-error">{folds.error.message}</p>}
          {table && (
            <div className="run-scroll">
              <table className="table run-metrics">
                <thead>
                  <tr>
                    <th>{t('run.metric')}</th>
                    {table.folds.map((f) => (
                      <th key={f} className="num">
                        {t('run.fold', { k: f })}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {table.rows.map((r) => (
                    <tr key={r.key} data-fold-metric={r.key}>
                      <td>{r.key}</td>
                      {r.values.map((v, i) => (
                        <td key={i} className="num">
                          {v === null ? <span className="muted">—</span> : <Value v={v} />}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </details>
      )}
    </section>
  );
}

/** One free tag: its value, edited in place, and delete. */
function FreeTag({ runId, k, v }: { runId: string; k: string; v: string }) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(v);
  const [error, setError] = useState<string | null>(null);
  const save = (e: FormEvent) => {
    e.preventDefault();
    api.call('runs:setTag', { runId, key: k, value }).then(
      () => (setEditing(false), setError(null)),
      (err: Error) => setError(err.message),
    );
  };
  return (
    <tr data-tag={k}>
      <th scope="row">
        <LongText value={k} limit={60} />
      </th>
      <td>
        {editing ? (
          <form className="run-tag-edit" onSubmit={save}>
            <textarea
              aria-label={t('run.tagValueOf', { key: k })}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              rows={2}
              autoFocus
            />
            <button type="submit" className="btn btn--primary btn--small">
              {t('run.save')}
            </button>
            <button type="button" className="btn btn--small" onClick={() => (setEditing(false), setValue(v), setError(null))}>
              {t('run.cancel')}
            </button>
            {error && (
              <span className="run-inline-error" role="alert">
                {error}
              </span>
            )}
          </form>
        ) : (
          <LongText value={v} />
        )}
      </td>
      <td className="run-kv__actions">
        {!editing && (
          <>
            <button
              type="button"
              className="btn btn--ghost btn--small"
              onClick={() => (setValue(v), setEditing(true))}
              aria-label={t('run.editTag', { key: k })}
            >
              {t('run.edit')}
            </button>
            <button
              type="button"
              className="btn btn--ghost btn--small btn--danger"
              onClick={() => api.call('runs:deleteTag', { runId, key: k }).catch(reportError)}
              aria-label={t('run.deleteTag', { key: k })}
            >
              {t('run.remove')}
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

/** Free tags (added, edited and deleted here) and the system's tags apart. */
export function TagsCard({ run }: { run: RunDetail }) {
  const t = useT();
  const { system, free } = splitTags(run.tags, SYSTEM_TAGS.note);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = (e: FormEvent) => {
    e.preventDefault();
    api.call('runs:setTag', { runId: run.info.runId, key, value }).then(
      () => (setKey(''), setValue(''), setError(null)),
      (err: Error) => setError(err.message),
    );
  };
  return (
    <section className="card run-card" aria-label={t('run.tags')}>
      <h2>
        {t('run.tags')} <span className="muted run-count">{free.length}</span>
      </h2>
      {free.length === 0 ? (
        <p className="muted">{t('run.noTags')}</p>
      ) : (
        <table className="run-kv run-kv--tags">
          <tbody>
            {free.map(([k, v]) => (
              <FreeTag key={`${k}\u0000${v}`} runId={run.info.runId} k={k} v={v} />
            ))}
          </tbody>
        </table>
      )}
      <form className="run-tag-add" onSubmit={add} aria-label={t('run.addTag')}>
        <label>
          {t('run.tagKey')}
          <input value={key} onChange={(e) => setKey(e.target.value)} maxLength={250} />
        </label>
        <label className="run-tag-add__value">
          {t('run.tagValue')}
          <input value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <button type="submit" className="btn btn--small" disabled={key.trim() === ''}>
          {t('run.addTag')}
        </button>
      </form>
      {error && (
        <p className="run-inline-error" role="alert" data-testid="tag-error">
          {error}
        </p>
      )}
      {system.length > 0 && (
        <details className="run-system-tags">
          <summary>{t('run.systemTags', { n: system.length })}</summary>
          <table className="run-kv">
            <tbody>
              {system.map(([k, v]) => (
                <tr key={k} data-tag={k}>
                  <th scope="row">{k}</th>
                  <td>
                    <LongText value={v} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
