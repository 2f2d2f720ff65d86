import { useState, type FormEvent, type ReactNode } from 'react';
import { isMlflowSource, SYSTEM_TAGS, type RunDetail } from '../../../../../shared/tracking';
import { reportError } from '../../../app/errors-store';
import { useT } from '../../../i18n';
import { api, downloadFile } from '../../../lib/api';
import { formatDuration, statusWord } from '../run-text';
import { artifactBytes } from './run-format';

const MODEL_PATH = 'model/model.json';

/** The name a file download gets: the run's name with unsafe characters replaced. */
function fileStem(name: string): string {
  const safe = [...name].map((c) => (c.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(c) ? '_' : c)).join('');
  return safe.slice(0, 80) || 'run';
}

/** The run's name (renamed inline), status, facts and actions (reproduce, download the model, trash or restore). */
export function RunHeader({
  run,
  now,
  onReproduce,
  reproduceBusy,
  reproduceBlocked,
  actions,
}: {
  run: RunDetail;
  now: number;
  onReproduce(): void;
  reproduceBusy: boolean;
  /** Why the run cannot be reproduced, when that is known before asking. */
  reproduceBlocked: string | null;
  /** More buttons beside Reproduce (the registry's "Register model"). */
  actions?: ReactNode;
}) {
  const t = useT();
  const { info, tags } = run;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(info.name);
  const [renameError, setRenameError] = useState<string | null>(null);
  const status = statusWord(info.status);
  const deleted = info.lifecycleStage === 'deleted';
  const model = run.artifacts.find((a) => a.path === MODEL_PATH);
  const reproducedFrom = tags[SYSTEM_TAGS.reproducedFrom];
  const end = info.endTime ?? (info.status === 'RUNNING' ? now : null);

  const rename = (e: FormEvent) => {
    e.preventDefault();
    api.call('runs:rename', { runId: info.runId, name }).then(
      () => {
        setEditing(false);
        setRenameError(null);
      },
      (err: Error) => setRenameError(err.message),
    );
  };
  const downloadModel = () =>
    api
      .call('runs:artifact', { runId: info.runId, path: MODEL_PATH })
      .then(
        (a) => downloadFile(`${fileStem(info.name)}-${a.sha256.slice(0, 12)}.model.json`, artifactBytes(a) as BlobPart, a.mediaType),
        reportError,
      );
  const trash = () => api.call(deleted ? 'runs:restore' : 'runs:delete', { runId: info.runId }).catch(reportError);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const when = (ms: number | null) => t.dateTime(iso(ms), { dateStyle: 'medium', timeStyle: 'medium' });
  const source = t(`run.source.${info.source}`);

  return (
    <header className="run-head">
      <p className="run-head__crumb">
        <a href={`#/experiments/exp/${info.experimentId}`}>← {run.experimentName}</a>
      </p>
      <div className="run-head__title">
        {editing ? (
          <form
            className="run-rename"
            onSubmit={rename}
            onKeyDown={(e) => e.key === 'Escape' && (setEditing(false), setName(info.name), setRenameError(null))}
          >
            <input aria-label={t('run.name')} value={name} onChange={(e) => setName(e.target.value)} autoFocus maxLength={500} />
            <button type="submit" className="btn btn--primary btn--small">
              {t('run.save')}
            </button>
            <button type="button" className="btn btn--small" onClick={() => (setEditing(false), setName(info.name), setRenameError(null))}>
              {t('run.cancel')}
            </button>
            {renameError && (
              <span className="run-inline-error" role="alert">
                {renameError}
              </span>
            )}
          </form>
        ) : (
          <>
            <h1 className="run-head__name" title={info.name}>
              {info.name}
            </h1>
            <button
              type="button"
              className="btn btn--ghost btn--small"
              onClick={() => (setName(info.name), setEditing(true))}
              aria-label={t('run.rename')}
            >
              ✎ {t('run.rename')}
            </button>
          </>
        )}
        <span className={`badge run-status run-status--${status}`} data-status={status}>
          {t(`run.status.${status}`)}
        </span>
        {deleted && <span className="badge run-status run-status--deleted">{t('run.inTrash')}</span>}
        <div className="run-head__actions">
          <button
            type="button"
            className="btn btn--primary"
            onClick={onReproduce}
            disabled={reproduceBusy || reproduceBlocked !== null || info.status === 'RUNNING'}
            title={reproduceBlocked ?? undefined}
          >
            {reproduceBusy ? t('run.reproducing') : t('run.reproduce')}
          </button>
          {actions}
          <button type="button" className="btn" onClick={downloadModel} disabled={!model}>
            {t('run.downloadModel')}
          </button>
          <button
            type="button"
            className={`btn${deleted ? '' : ' btn--danger'}`}
            onClick={trash}
            disabled={!deleted && info.status === 'RUNNING'}
          >
            {deleted ? t('run.restore') : t('run.delete')}
          </button>
        </div>
      </div>
      {reproduceBlocked && (
        <p className="run-head__note muted" data-testid="reproduce-blocked">
          {reproduceBlocked}
        </p>
      )}
      {info.error && (
        <div className="run-error" role="alert">
          <strong>{info.status === 'KILLED' ? t('run.cancelledTitle') : t('run.failedTitle')}</strong> {info.error}
        </div>
      )}
      <dl className="run-facts">
        <div>
          <dt>{t('run.started')}</dt>
          <dd>{when(info.startTime)}</dd>
        </div>
        <div>
          <dt>{t('run.ended')}</dt>
          <dd>{info.endTime === null ? '—' : when(info.endTime)}</dd>
        </div>
        <div>
          <dt>{t('run.duration')}</dt>
          <dd>{end === null ? '—' : formatDuration(end - info.startTime, t.number)}</dd>
        </div>
        <div>
          <dt>{t('run.author')}</dt>
          <dd>{info.userId || '—'}</dd>
        </div>
        <div>
          <dt>{t('run.sourceLabel')}</dt>
          <dd>
            {source}
            {reproducedFrom && (
              <>
                {' · '}
                <a href={`#/experiments/run/${reproducedFrom}`}>{t('run.reproducedFrom', { id: reproducedFrom.slice(0, 8) })}</a>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('run.dataset')}</dt>
          <dd data-testid="run-dataset">
            {run.dataset ? (
              <a href={`#/data/version/${run.dataset.versionId}`} title={run.dataset.sha256}>
                {run.dataset.label}
              </a>
            ) : tags[SYSTEM_TAGS.dataset] ? (
              <span>
                {tags[SYSTEM_TAGS.dataset]}{' '}
                <span className="muted">
                  {info.datasetVersionId === null && !isMlflowSource(info.source) ? t('run.datasetGone') : ''}
                </span>
              </span>
            ) : (
              '—'
            )}
          </dd>
        </div>
        {tags[SYSTEM_TAGS.modelType] && (
          <div>
            <dt>{t('run.model')}</dt>
            <dd>
              {tags[SYSTEM_TAGS.modelType]}
              {tags[SYSTEM_TAGS.task] ? ` · ${tags[SYSTEM_TAGS.task]}` : ''}
            </dd>
          </div>
        )}
        <div>
          <dt>{t('run.id')}</dt>
          <dd>
            <code>{info.runId}</code>
          </dd>
        </div>
      </dl>
    </header>
  );
}
