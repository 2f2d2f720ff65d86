import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import type { ColumnProfile, DatasetProfile } from '../../../../shared/datasets';
import { MISSING_WARN_SHARE } from '../../../../shared/datasets';
import { useT } from '../../i18n';
import { formatShare, formatStat } from './format';

/** Histogram for numbers, bar chart of top values otherwise. */
function ColumnChart({ column }: { column: ColumnProfile }) {
  const data = column.histogram
    ? column.histogram.map((b) => ({ label: formatStat((b.lo + b.hi) / 2), count: b.count }))
    : (column.topValues ?? []).map((v) => ({ label: v.value, count: v.count }));
  if (data.length === 0) return null;
  return (
    <BarChart width={340} height={150} data={data} margin={{ top: 4, right: 8, bottom: 4, left: 0 }}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="label" tick={{ fontSize: 10 }} interval="preserveStartEnd" />
      <YAxis tick={{ fontSize: 10 }} width={44} />
      <Tooltip />
      <Bar dataKey="count" fill={column.histogram ? '#4f7cac' : '#7a9e5f'} isAnimationActive={false} />
    </BarChart>
  );
}

/** The readable profile: one card per column with its statistics and a chart. */
export function ProfileView({ profile }: { profile: DatasetProfile }) {
  const t = useT();
  return (
    <div className="profile">
      {profile.warnings.length > 0 && (
        <section className="card data-notes">
          <h2>{t('data.profile.warnings')}</h2>
          <ul>
            {profile.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      )}
      <div className="grid profile-grid">
        {profile.columns.map((c) => {
          const numeric = c.mean !== undefined;
          return (
            <section key={c.name} className="card profile-column" aria-label={c.name}>
              <h3>
                {c.name} <span className="badge">{c.type}</span>
                {c.missingShare > MISSING_WARN_SHARE && <span className="badge badge--warn">{t('data.profile.highMissing')}</span>}
              </h3>
              <dl className="facts facts--compact">
                <dt>{t('data.profile.missing')}</dt>
                <dd>
                  {formatShare(c.missingShare)} ({t.number(c.missing)})
                </dd>
                <dt>{t('data.profile.distinct')}</dt>
                <dd>{c.distinctCapped ? t('data.profile.atLeast', { n: c.distinct }) : t.number(c.distinct)}</dd>
                {c.invalid > 0 && (
                  <>
                    <dt>{t('data.profile.invalid')}</dt>
                    <dd>{t.number(c.invalid)}</dd>
                  </>
                )}
                {numeric && (
                  <>
                    <dt>{t('data.profile.min')}</dt>
                    <dd>{formatStat(c.min)}</dd>
                    <dt>{t('data.profile.q25')}</dt>
                    <dd>{formatStat(c.q25)}</dd>
                    <dt>{t('data.profile.median')}</dt>
                    <dd>{formatStat(c.median)}</dd>
                    <dt>{t('data.profile.q75')}</dt>
                    <dd>{formatStat(c.q75)}</dd>
                    <dt>{t('data.profile.max')}</dt>
                    <dd>{formatStat(c.max)}</dd>
                    <dt>{t('data.profile.mean')}</dt>
                    <dd>{formatStat(c.mean)}</dd>
                    <dt>{t('data.profile.std')}</dt>
                    <dd>{formatStat(c.std)}</dd>
                  </>
                )}
                {c.minText !== undefined && (
                  <>
                    <dt>{t('data.profile.min')}</dt>
                    <dd>{c.minText}</dd>
                    <dt>{t('data.profile.max')}</dt>
                    <dd>{c.maxText}</dd>
                  </>
                )}
              </dl>
              {c.quantilesApproximate && <p className="muted">{t('data.profile.approx')}</p>}
              <ColumnChart column={c} />
            </section>
          );
        })}
      </div>
    </div>
  );
}
