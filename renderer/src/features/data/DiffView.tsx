import { useT } from '../../i18n';
import { useQuery } from '../../lib/use-query';
import { formatStat } from './format';

/** Two versions side by side: schema changes, row count change and every statistic that moved. */
export function DiffView({ a, b }: { a: number; b: number }) {
  const t = useT();
  const va = useQuery('datasets:version', { id: a });
  const vb = useQuery('datasets:version', { id: b });
  const diff = useQuery('datasets:diff', { a, b });
  const label = (v: typeof va.data) => (v ? `${v.datasetName}@${v.tag}` : '…');
  const d = diff.data;
  return (
    <div className="page">
      <p>
        <a href="#/data">{t('data.back')}</a>
      </p>
      <h1>{t('data.diff.title', { a: label(va.data), b: label(vb.data) })}</h1>
      {d && (
        <>
          <section className="card">
            <p>{t('data.diff.rows', { before: t.number(d.rowsBefore), after: t.number(d.rowsAfter), delta: `${d.rowDelta >= 0 ? '+' : ''}${t.number(d.rowDelta)}` })}</p>
            <p>{t('data.diff.duplicates', { before: t.number(d.duplicateRowsBefore), after: t.number(d.duplicateRowsAfter) })}</p>
            {d.added.length > 0 && (
              <p>
                <strong>{t('data.diff.added')}:</strong> {d.added.map((c) => `${c.name} (${c.type})`).join(', ')}
              </p>
            )}
            {d.removed.length > 0 && (
              <p>
                <strong>{t('data.diff.removed')}:</strong> {d.removed.map((c) => `${c.name} (${c.type})`).join(', ')}
              </p>
            )}
            {d.retyped.length > 0 && (
              <p>
                <strong>{t('data.diff.retyped')}:</strong> {d.retyped.map((c) => `${c.name}: ${c.before} → ${c.after}`).join(', ')}
              </p>
            )}
            {!d.added.length && !d.removed.length && !d.retyped.length && !d.columns.length && d.rowDelta === 0 && <p>{t('data.diff.none')}</p>}
          </section>
          {d.columns.length > 0 && (
            <section className="card">
              <h2>{t('data.diff.stats')}</h2>
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('data.rule.column')}</th>
                    <th>{t('data.diff.stat')}</th>
                    <th>{t('data.diff.before')}</th>
                    <th>{t('data.diff.after')}</th>
                    <th>{t('data.diff.change')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.columns.flatMap((c) =>
                    c.changes.map((x) => (
                      <tr key={`${c.name}-${x.stat}`}>
                        <td>{c.name}</td>
                        <td>{x.stat}</td>
                        <td>{formatStat(x.before)}</td>
                        <td>{formatStat(x.after)}</td>
                        <td>{x.relative !== null ? `${x.relative >= 0 ? '+' : ''}${(x.relative * 100).toFixed(1)}%` : formatStat(x.delta)}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </section>
          )}
        </>
      )}
    </div>
  );
}
