import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import type { JobRecord } from '../../../../shared/jobs';
import type { SyncItem, SyncRemote, SyncResult } from '../../../../shared/mlflow-sync';
import { useT, type Translator } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';

const PUSH_KIND = 'mlflow-push';
const PULL_KIND = 'mlflow-pull';
const ROW_HEIGHT = 30;

const when = (t: Translator, ms: number | null) => (ms === null ? t('sync.never') : t.dateTime(new Date(ms).toISOString()));

/**
 * MLflow page → "Team server": the remotes (name, URI, whether a token is
 * set, where tokens are kept), add and remove; for the open remote, what to
 * push (experiments, registered models) or pull, the job's progress, and the
 * last result item by item.
 */
export function TeamSyncSection() {
  const t = useT();
  const remotes = useQuery('mlflow:remotes', {}, ['mlflow']);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ name: '', uri: '', token: '' });
  const data = remotes.data;
  const current = data?.remotes.find((r) => r.uri === open) ?? null;

  const add = () =>
    api.call('mlflow:addRemote', { name: form.name, uri: form.uri, ...(form.token ? { token: form.token } : {}) }).then(
      (res) => {
        setError(null);
        setForm({ name: '', uri: '', token: '' });
        const added = res.remotes.find((r) => r.name === form.name.trim());
        if (added) setOpen(added.uri);
      },
      (err: Error) => setError(err.message),
    );
  const remove = (r: SyncRemote) => {
    if (!window.confirm(t('sync.removeConfirm', { name: r.name }))) return;
    void api.call('mlflow:removeRemote', { uri: r.uri }).then(
      () => open === r.uri && setOpen(null),
      (err: Error) => setError(err.message),
    );
  };

  return (
    <section className="card sync" aria-label={t('sync.title')} data-testid="team-sync">
      <h2>{t('sync.title')}</h2>
      <p className="muted">{t('sync.help')}</p>
      {data && (
        <p
          className={data.tokenProtection === 'os-keychain' ? 'muted sync-where' : 'sync-where sync-where--warn'}
          data-testid="sync-token-where"
        >
          {t(`sync.tokens.${data.tokenProtection}`)}
        </p>
      )}
      {data && data.remotes.length === 0 && <p className="muted">{t('sync.none')}</p>}
      {data && data.remotes.length > 0 && (
        <table className="table sync-remotes" aria-label={t('sync.remotes')}>
          <thead>
            <tr>
              <th>{t('sync.col.name')}</th>
              <th>{t('sync.col.uri')}</th>
              <th>{t('sync.col.token')}</th>
              <th>{t('sync.col.lastPush')}</th>
              <th>{t('sync.col.lastPull')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.remotes.map((r) => (
              <tr key={r.uri} className={r.uri === open ? 'sync-remotes__open' : undefined}>
                <td>{r.name}</td>
                <td>
                  <code>{r.uri}</code>
                </td>
                <td>{t(r.tokenSet ? 'sync.token.yes' : 'sync.token.no')}</td>
                <td>{when(t, r.lastPushAt)}</td>
                <td>{when(t, r.lastPullAt)}</td>
                <td className="sync-remotes__actions">
                  <button type="button" className="btn btn--small" onClick={() => setOpen(r.uri)} disabled={r.uri === open}>
                    {t('sync.open')}
                  </button>
                  <button type="button" className="btn btn--small btn--danger" onClick={() => remove(r)}>
                    {t('sync.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="form-row sync-add"
        aria-label={t('sync.add')}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label>
          {t('sync.add.name')}
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="team" />
        </label>
        <label className="grow">
          {t('sync.add.uri')}
          <input value={form.uri} onChange={(e) => setForm({ ...form, uri: e.target.value })} placeholder="https://mlflow.example.com" />
        </label>
        <label>
          {t('sync.add.token')}
          <input type="password" autoComplete="off" value={form.token} onChange={(e) => setForm({ ...form, token: e.target.value })} />
        </label>
        <button type="submit" className="btn" disabled={!form.name.trim() || !form.uri.trim()}>
          {t('sync.add.submit')}
        </button>
      </form>
      {error && (
        <p className="sync-alert sync-error" role="alert">
          {error}
        </p>
      )}
      {current && <RemotePanel key={current.uri} remote={current} />}
    </section>
  );
}

function RemotePanel({ remote }: { remote: SyncRemote }) {
  const t = useT();
  const experiments = useQuery('experiments:list', { stage: 'active' }, ['tracking']);
  const models = useQuery('registry:models', {}, ['registry']);
  const pushJobs = useQuery('jobs:list', { kind: PUSH_KIND, limit: 20, includeDismissed: true }, ['jobs']);
  const pullJobs = useQuery('jobs:list', { kind: PULL_KIND, limit: 20, includeDismissed: true }, ['jobs']);
  const [all, setAll] = useState(true);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [chosenModels, setChosenModels] = useState<Set<string>>(new Set());
  const [pullNames, setPullNames] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<number | null>(null);
  const job = useQuery('jobs:get', { id: jobId ?? 1 }, ['jobs'], { enabled: jobId !== null });

  // The job to show: the one started here, else this remote's newest push or pull.
  const mine = (j: JobRecord) => j.title.endsWith(` ${remote.uri}`);
  const latest = [...(pushJobs.data ?? []), ...(pullJobs.data ?? [])].filter(mine).sort((a, b) => b.id - a.id)[0];
  const shown: JobRecord | undefined = (jobId !== null ? job.data : undefined) ?? latest;
  const running = shown && (shown.status === 'queued' || shown.status === 'running');

  const start = (channel: 'mlflow:push' | 'mlflow:pull') => {
    const names = pullNames
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const req =
      channel === 'mlflow:push'
        ? {
            remote: remote.uri,
            ...(all ? {} : { experimentIds: [...chosen] }),
            ...(chosenModels.size ? { models: [...chosenModels] } : {}),
          }
        : { remote: remote.uri, ...(names.length ? { experiments: names } : {}) };
    void api.call(channel, req as never).then(
      (j) => (setError(null), setJobId((j as JobRecord).id)),
      (err: Error) => setError(err.message),
    );
  };
  const saveToken = (value: string) =>
    api.call('mlflow:setRemoteToken', { uri: remote.uri, token: value }).then(
      () => (setError(null), setToken('')),
      (err: Error) => setError(err.message),
    );
  const toggle = <T,>(set: Set<T>, v: T) => {
    const next = new Set(set);
    if (next.has(v)) next.delete(v);
    else next.add(v);
    return next;
  };

  return (
    <div className="sync-panel" data-testid="sync-panel">
      <h3>{t('sync.remote', { name: remote.name })}</h3>
      <form
        className="form-row"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void saveToken(token);
        }}
      >
        <label>
          {t(remote.tokenSet ? 'sync.tokenSet' : 'sync.add.token')}
          <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
        </label>
        <button type="submit" className="btn btn--small" disabled={!token}>
          {t('sync.tokenSave')}
        </button>
        {remote.tokenSet && (
          <button type="button" className="btn btn--small btn--ghost" onClick={() => void saveToken('')}>
            {t('sync.tokenRemove')}
          </button>
        )}
      </form>
      <div className="sync-columns">
        <fieldset className="sync-choose">
          <legend>{t('sync.push.title')}</legend>
          <label className="sync-check">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
            {t('sync.push.allExperiments')}
          </label>
          {!all && (
            <div className="sync-list" aria-label={t('sync.push.experiments')}>
              {(experiments.data ?? []).map((e) => (
                <label key={e.id} className="sync-check">
                  <input type="checkbox" checked={chosen.has(e.id)} onChange={() => setChosen(toggle(chosen, e.id))} />
                  {e.name} <span className="muted">({e.runCount})</span>
                </label>
              ))}
            </div>
          )}
          <p className="muted sync-sub">{t('sync.push.models')}</p>
          <div className="sync-list">
            {(models.data ?? []).length === 0 && <span className="muted">{t('sync.push.noModels')}</span>}
            {(models.data ?? []).map((m) => (
              <label key={m.name} className="sync-check">
                <input type="checkbox" checked={chosenModels.has(m.name)} onChange={() => setChosenModels(toggle(chosenModels, m.name))} />
                {m.name} <span className="muted">({m.versionCount})</span>
              </label>
            ))}
          </div>
          <button
            type="button"
            className="btn btn--primary"
            disabled={!!running || (!all && chosen.size === 0 && chosenModels.size === 0)}
            onClick={() => start('mlflow:push')}
          >
            {t('sync.push')}
          </button>
        </fieldset>
        <fieldset className="sync-choose">
          <legend>{t('sync.pull.title')}</legend>
          <label className="sync-grow">
            {t('sync.pull.experiments')}
            <input value={pullNames} onChange={(e) => setPullNames(e.target.value)} />
          </label>
          <button type="button" className="btn" disabled={!!running} onClick={() => start('mlflow:pull')}>
            {t('sync.pull')}
          </button>
        </fieldset>
      </div>
      {error && (
        <p className="sync-alert" role="alert">
          {error}
        </p>
      )}
      {shown && <JobResult job={shown} />}
    </div>
  );
}

function JobResult({ job }: { job: JobRecord }) {
  const t = useT();
  const direction = job.kind === PULL_KIND ? 'pull' : 'push';
  if (job.status === 'queued' || job.status === 'running')
    return (
      <p className="sync-progress" role="status">
        {t('sync.running', { what: job.title, done: job.progressDone, total: job.progressTotal || '?' })}
      </p>
    );
  if (job.status !== 'succeeded')
    return (
      <p className="sync-alert" role="alert" data-testid="sync-failed">
        {t('sync.failed', { error: job.error ?? job.status })}
      </p>
    );
  const result = job.result as SyncResult;
  return (
    <div className="sync-result" data-testid="sync-result">
      <p>
        {t('sync.result', {
          direction: t(`sync.direction.${direction}`),
          when: t.dateTime(job.finishedAt),
          ...result.counts,
        })}
      </p>
      {result.stopped && (
        <p className="sync-alert" role="alert">
          {t('sync.stopped', { reason: result.stopped })}
        </p>
      )}
      <ItemTable items={result.items} />
    </div>
  );
}

/** The per-item result, virtualised (a push of thousands of runs stays one scroll box). */
function ItemTable({ items }: { items: SyncItem[] }) {
  const t = useT();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  return (
    <div className="sync-items" role="table" aria-label={t('sync.col.item')} aria-rowcount={items.length + 1}>
      <div className="sync-items__row sync-items__head" role="row">
        <span role="columnheader">{t('sync.col.outcome')}</span>
        <span role="columnheader">{t('sync.col.kind')}</span>
        <span role="columnheader">{t('sync.col.item')}</span>
        <span role="columnheader">{t('sync.col.remoteId')}</span>
        <span role="columnheader">{t('sync.col.message')}</span>
      </div>
      <div className="sync-items__body" ref={scroller} style={{ maxHeight: Math.min(items.length, 12) * ROW_HEIGHT + 2 }}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const i = items[v.index];
            return (
              <div
                key={v.index}
                className="sync-items__row"
                role="row"
                data-outcome={i.outcome}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
              >
                <span role="cell">
                  <span className={`sync-badge sync-badge--${i.outcome}`}>{t(`sync.outcome.${i.outcome}`)}</span>
                </span>
                <span role="cell" className="muted">
                  {t(`sync.kind.${i.kind}`)}
                </span>
                <span role="cell" title={i.name}>
                  {i.name}
                </span>
                <span role="cell" className="sync-items__id" title={i.remoteId ?? ''}>
                  {i.remoteId ?? '—'}
                </span>
                <span role="cell" className="sync-items__msg" title={i.message}>
                  {i.message}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
