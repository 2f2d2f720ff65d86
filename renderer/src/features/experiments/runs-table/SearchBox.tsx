import { useEffect, useId, useState } from 'react';
import { useT } from '../../../i18n';

/**
 * The filter box: MLflow's filter syntax, applied on Enter or "Search". A
 * refused filter marks the box invalid and shows the server's message beside
 * it, while the table keeps the rows of the last filter that worked.
 */
export function SearchBox({ applied, error, onApply }: { applied: string; error: string | undefined; onApply(filter: string): void }) {
  const t = useT();
  const [draft, setDraft] = useState(applied);
  const errorId = useId();
  // A saved view or "Clear" changes the applied filter from outside: the box follows.
  useEffect(() => setDraft(applied), [applied]);
  return (
    <form
      className="runs-search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft.trim());
      }}
    >
      <div className="runs-search__row">
        <input
          type="search"
          className="runs-search__input"
          aria-label={t('runs.search.label')}
          placeholder={t('runs.search.placeholder')}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          spellCheck={false}
        />
        <button type="submit" className="btn">
          {t('runs.search.button')}
        </button>
        {applied && (
          <button
            type="button"
            className="btn btn--ghost"
            onClick={() => {
              setDraft('');
              onApply('');
            }}
          >
            {t('runs.search.clear')}
          </button>
        )}
      </div>
      {error && (
        <p className="runs-search__error" role="alert" id={errorId}>
          {error}
        </p>
      )}
    </form>
  );
}
