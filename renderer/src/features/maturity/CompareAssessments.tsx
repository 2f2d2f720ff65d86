import { MATURITY_AREAS } from '../../../../shared/maturity';
import { MATURITY_AREA_NAMES, findMaturityItem } from '../../../../shared/maturity-content';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import { useQuery } from '../../lib/use-query';
import { answerLabel } from './answer-text';
import { AreaRadarChart, CompareBarsChart, LEVEL_COLORS } from './charts';

function Delta({ value, higherIsBetter = true }: { value: number; higherIsBetter?: boolean }) {
  const better = higherIsBetter ? value > 0 : value < 0;
  const cls = value === 0 ? 'muted' : better ? 'delta--up' : 'delta--down';
  return <span className={cls}>{`${value > 0 ? '+' : ''}${value.toFixed(1)}`}</span>;
}

/** Two assessments side by side: per-level and per-area deltas, charts, changed answers. */
export function CompareAssessments({ beforeId, afterId }: { beforeId: string; afterId: string }) {
  const t = useT();
  const lang = t.language;
  const { navigate } = useRouter();
  const q = useQuery('maturity:compare', { beforeId, afterId }, ['maturity']);
  if (!q.data) return <div className="page muted">{t('common.loading')}</div>;
  const { before, after, comparison } = q.data;
  const beforeLabel = `${t('maturity.compare.before')} (${before.meta.date})`;
  const afterLabel = `${t('maturity.compare.after')} (${after.meta.date})`;
  const area = (level: number, name: string, side: 'before' | 'after') => comparison.areas.find((a) => a.level === level && a.area === name)![side];
  return (
    <div className="page">
      <button type="button" className="btn btn--ghost" onClick={() => navigate('maturity')}>
        {t('maturity.back')}
      </button>
      <h1>{t('maturity.compare.title')}</h1>
      <dl className="facts">
        <dt>{t('maturity.compare.before')}</dt>
        <dd>
          {before.meta.organisation}
          {before.meta.team ? ` — ${before.meta.team}` : ''} · {before.meta.date} · Level {comparison.beforeLevel}
        </dd>
        <dt>{t('maturity.compare.after')}</dt>
        <dd>
          {after.meta.organisation}
          {after.meta.team ? ` — ${after.meta.team}` : ''} · {after.meta.date} · Level {comparison.afterLevel}
        </dd>
      </dl>
      <p className="level-callout">{t('maturity.compare.levelChange', { before: comparison.beforeLevel, after: comparison.afterLevel })}</p>
      <div className="charts-row">
        <section className="card">
          <h2>{t('maturity.compare.levels')}</h2>
          <CompareBarsChart
            data={comparison.levels.map((l) => ({ name: `Level ${l.level}`, before: Number(l.before.toFixed(1)), after: Number(l.after.toFixed(1)) }))}
            beforeLabel={beforeLabel}
            afterLabel={afterLabel}
            thresholdLabel={t('maturity.chart.threshold')}
          />
          <table className="table" aria-label={t('maturity.compare.levels')}>
            <thead>
              <tr>
                <th />
                <th className="num">{t('maturity.compare.before')}</th>
                <th className="num">{t('maturity.compare.after')}</th>
                <th className="num">{t('maturity.compare.delta')}</th>
              </tr>
            </thead>
            <tbody>
              {comparison.levels.map((l) => (
                <tr key={l.level}>
                  <td>Level {l.level}</td>
                  <td className="num">{l.before.toFixed(1)}%</td>
                  <td className="num">{l.after.toFixed(1)}%</td>
                  <td className="num">
                    <Delta value={l.delta} higherIsBetter={l.level !== 0} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card">
          <h2>{t('maturity.compare.areas')} (Level 1)</h2>
          <AreaRadarChart
            data={MATURITY_AREAS.map((a) => ({ area: MATURITY_AREA_NAMES[a][lang], before: Math.round(area(1, a, 'before')), after: Math.round(area(1, a, 'after')) }))}
            series={[
              { key: 'before', label: beforeLabel, color: LEVEL_COLORS[0], dashed: true },
              { key: 'after', label: afterLabel, color: LEVEL_COLORS[1] },
            ]}
          />
        </section>
      </div>
      <section className="card">
        <h2>{t('maturity.compare.areas')}</h2>
        <table className="table" aria-label={t('maturity.compare.areas')}>
          <thead>
            <tr>
              <th>{t('maturity.area')}</th>
              {[0, 1, 2].map((l) => (
                <th key={l} className="num">
                  L{l} {t('maturity.compare.delta')}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {MATURITY_AREAS.map((a) => (
              <tr key={a}>
                <td>{MATURITY_AREA_NAMES[a][lang]}</td>
                {[0, 1, 2].map((l) => (
                  <td key={l} className="num">
                    {area(l, a, 'before').toFixed(0)}% → {area(l, a, 'after').toFixed(0)}% (<Delta value={area(l, a, 'after') - area(l, a, 'before')} higherIsBetter={l !== 0} />)
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>{t('maturity.compare.changed', { n: comparison.changedItems.length })}</h2>
        {comparison.changedItems.length === 0 ? (
          <p>{t('maturity.compare.noChanges')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>{t('maturity.item')}</th>
                <th>{t('maturity.compare.before')}</th>
                <th>{t('maturity.compare.after')}</th>
              </tr>
            </thead>
            <tbody>
              {comparison.changedItems.map((c) => {
                const item = findMaturityItem(c.itemId)!;
                return (
                  <tr key={c.itemId}>
                    <td>
                      <span className="muted">
                        L{item.level} · {MATURITY_AREA_NAMES[item.area][lang]} ·{' '}
                      </span>
                      {item.statement[lang]}
                    </td>
                    <td>{answerLabel(item, c.before, lang)}</td>
                    <td>{answerLabel(item, c.after, lang)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
