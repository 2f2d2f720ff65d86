import { useState } from 'react';
import type { RegisteredModelDetail } from '../../../../../shared/contracts/registry';
import { aliasSchema } from '../../../../../shared/registry';
import { useT } from '../../../i18n';
import { api } from '../../../lib/api';
import { InlineError } from '../dialog';

/** Names the alias field suggests (MLflow's convention); any other valid name works too. */
const SUGGESTED_ALIASES = ['champion', 'challenger'];

/** Aliases: each names one version; set a new one, move one to another version, or delete it. */
export function AliasesCard({ detail }: { detail: RegisteredModelDetail }) {
  const t = useT();
  const { model, versions } = detail;
  const [alias, setAlias] = useState('');
  const [version, setVersion] = useState<number | ''>(versions[0]?.version ?? '');
  const [error, setError] = useState<string | null>(null);
  const entries = Object.entries(model.aliases).sort(([a], [b]) => (a < b ? -1 : 1));
  const listId = `aliases-${model.name}`;

  const act = (p: Promise<unknown>) =>
    p.then(
      () => setError(null),
      (err: Error) => setError(err.message),
    );
  const set = () => {
    const parsed = aliasSchema.safeParse(alias);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? null);
    if (version === '') return setError(t('reg.alias.pickVersion'));
    void act(api.call('registry:setAlias', { name: model.name, alias: parsed.data, version }).then(() => setAlias('')));
  };

  return (
    <section className="card reg-aliases" aria-label={t('reg.alias.heading')}>
      <h2>{t('reg.alias.heading')}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t('reg.alias.none')}</p>
      ) : (
        <table className="table reg-table">
          <tbody>
            {entries.map(([name, v]) => (
              <tr key={name} data-alias={name}>
                <td>
                  <span className="reg-alias">@{name}</span>
                </td>
                <td>
                  <select
                    aria-label={t('reg.alias.moveLabel', { alias: name })}
                    value={v}
                    onChange={(e) =>
                      void act(api.call('registry:setAlias', { name: model.name, alias: name, version: Number(e.target.value) }))
                    }
                  >
                    {versions.map((x) => (
                      <option key={x.version} value={x.version}>
                        v{x.version} · {t(`reg.stage.${x.stage}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="num">
                  <button
                    type="button"
                    className="btn btn--small btn--danger"
                    onClick={() => void act(api.call('registry:deleteAlias', { name: model.name, alias: name }))}
                    aria-label={t('reg.alias.deleteLabel', { alias: name })}
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
          set();
        }}
      >
        <label>
          {t('reg.alias.name')}
          <input
            list={listId}
            value={alias}
            onChange={(e) => (setAlias(e.target.value), setError(null))}
            maxLength={256}
            placeholder="champion"
          />
          <datalist id={listId}>
            {SUGGESTED_ALIASES.filter((a) => !(a in model.aliases)).map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <label>
          {t('reg.alias.version')}
          <select value={version} onChange={(e) => setVersion(Number(e.target.value))}>
            {versions.map((x) => (
              <option key={x.version} value={x.version}>
                v{x.version} · {t(`reg.stage.${x.stage}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn" disabled={versions.length === 0}>
          {alias.trim() in model.aliases ? t('reg.alias.move') : t('reg.alias.set')}
        </button>
      </form>
      <InlineError message={error} testId="alias-error" />
    </section>
  );
}
