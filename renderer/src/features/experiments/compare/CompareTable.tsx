import { formatCompareNumber, valuesDiffer } from '../../../../../shared/run-comparison';
import { fromWireNumber, SYSTEM_TAGS } from '../../../../../shared/tracking';
import { useT } from '../../../i18n';
import type { CompareRun } from './use-compare-runs';

type Section = 'params' | 'metrics' | 'tags';

/** Tags already shown as the column headers, or too long for a cell (the notes). */
const HIDDEN_TAGS = new Set<string>([SYSTEM_TAGS.runName, SYSTEM_TAGS.note]);

function rowsOf(runs: CompareRun[], section: Section): Array<{ key: string; raw: Array<string | undefined>; shown: string[] }> {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r[section])))].filter((k) => section !== 'tags' || !HIDDEN_TAGS.has(k)).sort();
  return keys.map((key) => {
    if (section === 'metrics') {
      const values = runs.map((r) => r.metrics[key]);
      // NaN and the infinities compare as their names, numbers by value.
      return {
        key,
        raw: values.map((v) => (v === undefined ? undefined : String(fromWireNumber(v)))),
        shown: values.map((v) => formatCompareNumber(v)),
      };
    }
    const values = runs.map((r) => r[section][key]);
    return { key, raw: values, shown: values.map((v) => (v === undefined ? '—' : v === '' ? '""' : v)) };
  });
}

/**
 * Params, metrics and tags side by side: one column per run (its name links to
 * the run page), the best run's column marked, differing rows marked, long
 * values cut with the full text in a tooltip. "Only differences" hides the
 * rows where every run has the same value.
 */
export function CompareTable({
  runs,
  bestRunId,
  onlyDifferences,
}: {
  runs: CompareRun[];
  bestRunId: string | null;
  onlyDifferences: boolean;
}) {
  const t = useT();
  const sections: Section[] = ['params', 'metrics', 'tags'];
  return (
    <div className="compare-table-wrap">
      <table className="table compare-table">
        <thead>
          <tr>
            <th scope="col" className="compare-table__key">
              {t('compare.table.key')}
            </th>
            {runs.map((r) => (
              <th key={r.runId} scope="col" className={r.runId === bestRunId ? 'compare-best' : undefined} title={r.name}>
                <a href={`#/experiments/run/${r.runId}`}>{r.name}</a>
                {r.runId === bestRunId && <span className="badge compare-best__badge">★ {t('compare.best.badge')}</span>}
              </th>
            ))}
          </tr>
        </thead>
        {sections.map((section) => {
          const rows = rowsOf(runs, section).map((row) => ({ ...row, differs: valuesDiffer(row.raw) }));
          const shown = onlyDifferences ? rows.filter((r) => r.differs) : rows;
          return (
            <tbody key={section}>
              <tr className="compare-table__section">
                <th scope="rowgroup" colSpan={runs.length + 1}>
                  {t(`compare.section.${section}`)}{' '}
                  <span className="muted">{t('compare.section.count', { shown: shown.length, total: rows.length })}</span>
                </th>
              </tr>
              {shown.length === 0 && (
                <tr>
                  <td colSpan={runs.length + 1} className="muted">
                    {rows.length === 0 ? t('compare.section.none') : t('compare.section.allSame')}
                  </td>
                </tr>
              )}
              {shown.map((row) => (
                <tr key={row.key} className={row.differs ? 'compare-row--differs' : undefined}>
                  <th scope="row" className="compare-table__key" title={row.key}>
                    {row.differs && (
                      <span className="compare-differs" aria-label={t('compare.table.differs')} title={t('compare.table.differs')}>
                        ≠
                      </span>
                    )}
                    {row.key}
                  </th>
                  {row.shown.map((value, i) => (
                    <td key={runs[i].runId} className={runs[i].runId === bestRunId ? 'compare-best' : undefined} title={value}>
                      {value}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          );
        })}
      </table>
    </div>
  );
}
