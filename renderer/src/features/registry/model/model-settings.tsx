import { useState } from 'react';
import { REGISTRY_LIMITS, type RegisteredModel } from '../../../../../shared/registry';
import { useT } from '../../../i18n';
import { api } from '../../../lib/api';
import { InlineError } from '../dialog';

/** A model's own settings: its description and whether Production needs an approved request. */
export function ModelSettingsCard({ model }: { model: RegisteredModel }) {
  const t = useT();
  const [description, setDescription] = useState(model.description);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  // The box follows the click at once; a refusal puts it back.
  const [approval, setApproval] = useState(model.requireApproval);
  const update = (patch: { description?: string; requireApproval?: boolean }, message: string) =>
    api.call('registry:updateModel', { name: model.name, ...patch }).then(
      () => (setError(null), setSaved(message)),
      (err: Error) => (setError(err.message), setSaved(''), setApproval(model.requireApproval)),
    );
  return (
    <section className="card reg-settings" aria-label={t('reg.settings.heading')}>
      <h2>{t('reg.settings.heading')}</h2>
      <label className="reg-check">
        <input
          type="checkbox"
          checked={approval}
          onChange={(e) => {
            const on = e.target.checked;
            setApproval(on);
            void update({ requireApproval: on }, on ? t('reg.settings.approvalOn') : t('reg.settings.approvalOff'));
          }}
        />
        {t('reg.settings.requireApproval')}
      </label>
      <p className="muted reg-hint">{t('reg.settings.requireApprovalHint')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void update({ description }, t('reg.settings.saved'));
        }}
      >
        <label className="reg-field">
          {t('reg.settings.description')}
          <textarea
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            rows={3}
            maxLength={REGISTRY_LIMITS.maxDescriptionLength}
          />
        </label>
        <div className="form-row">
          <button type="submit" className="btn" disabled={description === model.description}>
            {t('reg.save')}
          </button>
          <span className="muted" role="status">
            {saved}
          </span>
        </div>
      </form>
      <InlineError message={error} />
    </section>
  );
}
