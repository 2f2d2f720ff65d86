import { useT } from '../../i18n';

/** Placeholder for a capability that has not landed yet. */
export function ComingSoon({ labelKey }: { labelKey: string }) {
  const t = useT();
  return (
    <div className="page">
      <h1>{t(labelKey)}</h1>
      <div className="empty-state">
        <h2>{t('soon.title', { page: t(labelKey) })}</h2>
        <p className="muted">{t('soon.body')}</p>
      </div>
    </div>
  );
}
