import { useEffect, useId, useRef, useState } from 'react';
import type { RunKeys } from '../../../../../shared/tracking';
import { useT } from '../../../i18n';
import { ATTRIBUTE_COLUMNS, columnId, type ColumnKind } from './columns';

/**
 * "Columns": a popover listing every attribute and every param, metric and tag
 * key logged in the shown experiments, each a checkbox; a search narrows long
 * lists. Changes apply at once; "Reset" goes back to the defaults.
 */
export function ColumnChooser({
  keys,
  columns,
  onChange,
  onReset,
}: {
  keys: RunKeys | undefined;
  columns: string[];
  onChange(columns: string[]): void;
  onReset(): void;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const box = useRef<HTMLDivElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return undefined;
    const onDown = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const chosen = new Set(columns);
  const toggle = (id: string) => onChange(chosen.has(id) ? columns.filter((c) => c !== id) : [...columns, id]);
  const q = query.trim().toLowerCase();
  const groups: { kind: ColumnKind; title: string; keys: string[] }[] = [
    { kind: 'attributes', title: t('runs.columns.attributes'), keys: Object.keys(ATTRIBUTE_COLUMNS) },
    { kind: 'metrics', title: t('runs.columns.metrics'), keys: keys?.metrics ?? [] },
    { kind: 'params', title: t('runs.columns.params'), keys: keys?.params ?? [] },
    { kind: 'tags', title: t('runs.columns.tags'), keys: keys?.tags ?? [] },
  ];

  return (
    <div className="runs-chooser" ref={box}>
      <button type="button" className="btn" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
        {t('runs.columns.button', { n: columns.length })}
      </button>
      {open && (
        <div className="runs-chooser__panel" id={panelId} role="dialog" aria-label={t('runs.columns.title')}>
          <div className="runs-chooser__top">
            <input
              type="search"
              placeholder={t('runs.columns.search')}
              aria-label={t('runs.columns.search')}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              autoFocus
            />
            <button type="button" className="btn btn--small btn--ghost" onClick={onReset}>
              {t('runs.columns.reset')}
            </button>
          </div>
          <div className="runs-chooser__groups">
            {groups.map((g) => {
              const shown = g.keys.filter(
                (k) => !q || k.toLowerCase().includes(q) || (g.kind === 'attributes' && t(`runs.col.${k}`).toLowerCase().includes(q)),
              );
              if (q && shown.length === 0) return null;
              return (
                <fieldset key={g.kind} className="runs-chooser__group">
                  <legend>
                    {g.title} <span className="muted">{g.keys.length}</span>
                  </legend>
                  {shown.length === 0 && <p className="muted runs-chooser__none">{t('runs.columns.none')}</p>}
                  {shown.map((k) => {
                    const id = columnId(g.kind, k);
                    const label = g.kind === 'attributes' ? t(`runs.col.${k}`) : k;
                    return (
                      <label key={id} className="runs-chooser__item" title={id}>
                        <input type="checkbox" checked={chosen.has(id)} onChange={() => toggle(id)} />
                        <span>{label}</span>
                      </label>
                    );
                  })}
                </fieldset>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
