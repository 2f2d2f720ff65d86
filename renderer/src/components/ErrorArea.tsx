import { useErrors } from '../app/errors-store';
import { useT } from '../i18n';

/** The error area: clear messages, each dismissible, announced to screen readers. */
export function ErrorArea() {
  const t = useT();
  const { errors, dismiss } = useErrors();
  if (!errors.length) return null;
  return (
    <div className="error-area" role="alert" aria-live="assertive">
      {errors.map((e) => (
        <div key={e.id} className="error-area__item" data-code={e.code}>
          <strong>{t('errors.title')}</strong>
          <span className="error-area__message">{e.message}</span>
          <button type="button" className="btn btn--ghost" onClick={() => dismiss(e.id)}>
            {t('errors.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}
