import { useState } from 'react';
import { DEFAULT_EXPERIMENT_ID, type Experiment } from '../../../../../shared/tracking';
import { reportError } from '../../../app/errors-store';
import { useRouter } from '../../../app/router';
import { useT } from '../../../i18n';
import { api } from '../../../lib/api';
import { useRunsUi } from './runs-ui-store';

/** The left column: the experiments with their run counts, "New experiment", and the trash. */
export function ExperimentsPanel({ experiments, trashCount }: { experiments: Experiment[] | undefined; trashCount: number }) {
  const t = useT();
  const navigate = useRouter((s) => s.navigate);
  const { experimentIds, showTrash, toggleExperiment, setShowTrash, openExperiment } = useRunsUi();
  const [creating, setCreating] = useState(false);

  return (
    <aside className="runs-side" aria-label={t('runs.side.label')}>
      <div className="runs-side__head">
        <h2>{t('runs.side.title')}</h2>
        <button
          type="button"
          className="btn btn--small"
          onClick={() => setCreating((c) => !c)}
          aria-expanded={creating}
          aria-label={t('runs.side.new')}
          title={t('runs.side.new')}
        >
          {t('runs.side.newShort')}
        </button>
      </div>
      {creating && (
        <ExperimentForm
          submitLabel={t('runs.side.create')}
          onCancel={() => setCreating(false)}
          onSubmit={async (name, description) => {
            const e = await api.call('experiments:create', { name, description });
            setCreating(false);
            navigate('experiments', 'exp', e.id);
          }}
        />
      )}
      <ul className="runs-side__list">
        {(experiments ?? []).map((e) => {
          const on = !showTrash && experimentIds.includes(e.id);
          const primary = !showTrash && experimentIds[0] === e.id;
          return (
            <li key={e.id} className={`runs-side__item${on ? ' runs-side__item--on' : ''}`} data-experiment-id={e.id}>
              <input
                type="checkbox"
                checked={on}
                disabled={primary && experimentIds.length === 1}
                aria-label={t('runs.side.include', { name: e.name })}
                title={t('runs.side.includeHint')}
                onChange={() => toggleExperiment(e.id)}
              />
              <a
                href={`#/experiments/exp/${e.id}`}
                className="runs-side__name"
                aria-current={primary ? 'page' : undefined}
                title={e.name}
                onClick={() => openExperiment(e.id)}
              >
                {e.name}
              </a>
              <span className="runs-side__count" title={t('runs.side.runs', { n: e.runCount })}>
                {t.number(e.runCount)}
              </span>
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        className={`btn btn--ghost runs-side__trash${showTrash ? ' runs-side__trash--on' : ''}`}
        aria-pressed={showTrash}
        onClick={() => setShowTrash(!showTrash)}
      >
        {t('runs.side.trash', { n: trashCount })}
      </button>
    </aside>
  );
}

/** Name and description, for creating or editing an experiment; the server's refusal shows in the error area. */
export function ExperimentForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial?: { name: string; description: string };
  submitLabel: string;
  onSubmit(name: string, description: string): Promise<void>;
  onCancel(): void;
}) {
  const t = useT();
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="runs-expform"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        onSubmit(name, description)
          .catch(reportError)
          .finally(() => setBusy(false));
      }}
    >
      <label>
        {t('runs.exp.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={500} autoFocus />
      </label>
      <label>
        {t('runs.exp.description')}
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={3} />
      </label>
      <div className="runs-expform__actions">
        <button type="submit" className="btn btn--primary btn--small" disabled={busy || !name.trim()}>
          {submitLabel}
        </button>
        <button type="button" className="btn btn--small btn--ghost" onClick={onCancel}>
          {t('runs.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The experiment the page is about: its name and description (editable), New run, Delete. */
export function ExperimentHeader({ experiment, others }: { experiment: Experiment; others: number }) {
  const t = useT();
  const navigate = useRouter((s) => s.navigate);
  const [editing, setEditing] = useState(false);
  const isDefault = experiment.id === DEFAULT_EXPERIMENT_ID;
  return (
    <header className="runs-head">
      {editing ? (
        <ExperimentForm
          initial={experiment}
          submitLabel={t('runs.exp.save')}
          onCancel={() => setEditing(false)}
          onSubmit={async (name, description) => {
            await api.call('experiments:update', { id: experiment.id, name, description });
            setEditing(false);
          }}
        />
      ) : (
        <div className="runs-head__text">
          <h1>
            {experiment.name}
            {others > 0 && <span className="badge">{t('runs.head.others', { n: others })}</span>}
          </h1>
          {experiment.description ? (
            <p className="runs-head__desc">{experiment.description}</p>
          ) : (
            <p className="runs-head__desc muted">{t('runs.head.noDescription')}</p>
          )}
        </div>
      )}
      <div className="runs-head__actions">
        {!editing && (
          <button type="button" className="btn" onClick={() => setEditing(true)}>
            {t('runs.head.edit')}
          </button>
        )}
        {!isDefault && (
          <button
            type="button"
            className="btn btn--danger"
            onClick={() =>
              api
                .call('experiments:delete', { id: experiment.id })
                .then(() => navigate('experiments', 'exp', DEFAULT_EXPERIMENT_ID))
                .catch(reportError)
            }
          >
            {t('runs.head.delete')}
          </button>
        )}
        <button type="button" className="btn btn--primary" onClick={() => navigate('experiments', 'new', experiment.id)}>
          {t('runs.head.newRun')}
        </button>
      </div>
    </header>
  );
}

/** Deleted experiments: restore, or delete for good after a confirmation that says how many runs go with it. */
export function TrashView({ deleted }: { deleted: Experiment[] | undefined }) {
  const t = useT();
  const navigate = useRouter((s) => s.navigate);
  const [confirming, setConfirming] = useState<number | null>(null);
  return (
    <section className="runs-trash" aria-label={t('runs.trash.title')}>
      <h1>{t('runs.trash.title')}</h1>
      <p className="muted">{t('runs.trash.intro')}</p>
      {deleted && deleted.length === 0 && <div className="empty-state">{t('runs.trash.empty')}</div>}
      {deleted && deleted.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{t('runs.exp.name')}</th>
              <th>{t('runs.trash.deletedAt')}</th>
              <th className="num">{t('runs.trash.runs')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {deleted.map((e) => (
              <tr key={e.id} data-experiment-id={e.id}>
                <td className="runs-trash__name" title={e.name}>
                  {e.name}
                </td>
                <td>{e.deletedAt ? t.dateTime(new Date(e.deletedAt).toISOString()) : '—'}</td>
                <td className="num">{t.number(e.runCount)}</td>
                <td className="runs-trash__actions">
                  {confirming === e.id ? (
                    <span role="group" aria-label={t('runs.trash.confirmLabel')}>
                      <span className="runs-trash__warn">{t('runs.trash.confirm', { name: e.name, n: e.runCount })}</span>
                      <button
                        type="button"
                        className="btn btn--small btn--danger"
                        onClick={() =>
                          api
                            .call('experiments:purge', { id: e.id })
                            .then(() => setConfirming(null))
                            .catch(reportError)
                        }
                      >
                        {t('runs.trash.purgeNow')}
                      </button>
                      <button type="button" className="btn btn--small btn--ghost" onClick={() => setConfirming(null)}>
                        {t('runs.cancel')}
                      </button>
                    </span>
                  ) : (
                    <>
                      <button
                        type="button"
                        className="btn btn--small"
                        onClick={() =>
                          api
                            .call('experiments:restore', { id: e.id })
                            .then(() => navigate('experiments', 'exp', e.id))
                            .catch(reportError)
                        }
                      >
                        {t('runs.trash.restore')}
                      </button>
                      <button type="button" className="btn btn--small btn--danger" onClick={() => setConfirming(e.id)}>
                        {t('runs.trash.purge')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
