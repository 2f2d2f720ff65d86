import { useState } from 'react';
import { useT } from '../../../i18n';

/** Values longer than this are cut, with the whole value a click away. */
export const SHORT_LIMIT = 140;

/**
 * A param, tag or artifact value of any length and script, always as text
 * (never HTML): long or multi-line values show their start with an ellipsis
 * and a "Show all" toggle that opens the full value in a scrolling box.
 */
export function LongText({ value, limit = SHORT_LIMIT }: { value: string; limit?: number }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const chars = [...value];
  const firstLine = value.split('\n', 1)[0];
  const long = chars.length > limit || firstLine.length < value.length;
  if (value === '') return <span className="muted run-empty">{t('run.emptyValue')}</span>;
  if (!long) return <span className="run-text">{value}</span>;
  const head = [...firstLine].slice(0, limit).join('');
  return (
    <span className="run-text">
      {open ? <span className="run-text__full">{value}</span> : <span className="run-text__short">{head}…</span>}
      <button type="button" className="btn btn--ghost btn--small run-text__toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t('run.showLess') : t('run.showAll', { n: chars.length })}
      </button>
    </span>
  );
}
