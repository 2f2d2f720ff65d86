import { useState } from 'react';
import type { SavedView } from '../../../../../shared/tracking';
import { reportError } from '../../../app/errors-store';
import { useT } from '../../../i18n';
import { api } from '../../../lib/api';

/**
 * Saved views of the experiment: pick one to apply its filter, order and
 * columns; save the current ones under a name (the same name replaces it);
 * delete the picked one.
 */
export function SavedViews({
  experimentId,
  views,
  current,
  viewId,
  onApply,
}: {
  experimentId: number;
  views: SavedView[] | undefined;
  current: { filter: string; orderBy: string[]; columns: string[] };
  viewId: number | null;
  onApply(view: SavedView): void;
}) {
  const t = useT();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const picked = views?.find((v) => v.id === viewId);

  return (
    <div className="runs-views">
      <select
        aria-label={t('runs.views.label')}
        value={picked ? String(picked.id) : ''}
        onChange={(e) => {
          const v = views?.find((x) => String(x.id) === e.target.value);
          if (v) onApply(v);
        }}
      >
        <option value="">{views?.length ? t('runs.views.pick') : t('runs.views.none')}</option>
        {(views ?? []).map((v) => (
          <option key={v.id} value={v.id}>
            {v.name}
          </option>
        ))}
      </select>
      {picked && (
        <button
          type="button"
          className="btn btn--small btn--ghost btn--danger"
          onClick={() => api.call('views:delete', { id: picked.id }).catch(reportError)}
          aria-label={t('runs.views.deleteNamed', { name: picked.name })}
        >
          {t('runs.views.delete')}
        </button>
      )}
      {naming ? (
        <form
          className="runs-views__save"
          onSubmit={(e) => {
            e.preventDefault();
            api
              .call('views:save', { experimentId, name: name.trim(), ...current })
              .then((v) => {
                setNaming(false);
                setName('');
                onApply(v);
              })
              .catch(reportError);
          }}
        >
          <input
            aria-label={t('runs.views.name')}
            placeholder={t('runs.views.name')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={200}
            autoFocus
          />
          <button type="submit" className="btn btn--small btn--primary" disabled={!name.trim()}>
            {t('runs.views.saveNow')}
          </button>
          <button type="button" className="btn btn--small btn--ghost" onClick={() => setNaming(false)}>
            {t('runs.cancel')}
          </button>
        </form>
      ) : (
        <button
          type="button"
          className="btn btn--small"
          onClick={() => {
            setName(picked?.name ?? '');
            setNaming(true);
          }}
        >
          {t('runs.views.save')}
        </button>
      )}
    </div>
  );
}
