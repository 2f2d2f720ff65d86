import { useState } from 'react';
import type { ModelVersion } from '../../../../../shared/registry';
import { TRACKING_LIMITS } from '../../../../../shared/tracking';
import { useT } from '../../../i18n';
import { api } from '../../../lib/api';
import { InlineError } from '../dialog';

/** A version's tags: set (a new key or a new value for one) and delete. Main checks keys and values with the tracking limits. */
export function VersionTags({ version: v }: { version: ModelVersion }) {
  const t = useT();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const tags = Object.entries(v.tags).sort(([a], [b]) => (a < b ? -1 : 1));
  const ref = { name: v.name, version: v.version };
  const act = (p: Promise<unknown>, after?: () => void) =>
    p.then(
      () => (setError(null), after?.()),
      (err: Error) => setError(err.message),
    );
  return (
    <section className="card reg-tags" aria-label={t('reg.tags.heading')}>
      <h2>{t('reg.tags.heading')}</h2>
      {tags.length === 0 ? (
        <p className="muted">{t('reg.tags.none')}</p>
      ) : (
        <table className="table reg-table reg-kv">
          <tbody>
            {tags.map(([k, val]) => (
              <tr key={k} data-tag={k}>
                <th scope="row">{k}</th>
                <td className="reg-wrap">{val}</td>
                <td className="num">
                  <button type="button" className="btn btn--small" onClick={() => (setKey(k), setValue(val))}>
                    {t('reg.tags.edit')}
                  </button>{' '}
                  <button
                    type="button"
                    className="btn btn--small btn--danger"
                    aria-label={t('reg.tags.deleteLabel', { key: k })}
                    onClick={() => void act(api.call('registry:deleteVersionTag', { ...ref, key: k }))}
                  >
                    {t('reg.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          void act(api.call('registry:setVersionTag', { ...ref, key, value }), () => (setKey(''), setValue('')));
        }}
      >
        <label>
          {t('reg.tags.key')}
          <input value={key} onChange={(e) => (setKey(e.target.value), setError(null))} maxLength={TRACKING_LIMITS.maxKeyLength} />
        </label>
        <label className="reg-grow">
          {t('reg.tags.value')}
          <input value={value} onChange={(e) => (setValue(e.target.value), setError(null))} maxLength={TRACKING_LIMITS.maxTagValueLength} />
        </label>
        <button type="submit" className="btn">
          {key in v.tags ? t('reg.tags.update') : t('reg.tags.add')}
        </button>
      </form>
      <InlineError message={error} testId="tag-error" />
    </section>
  );
}
