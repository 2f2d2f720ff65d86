import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ColumnProfile, DatasetProfile } from '../../../../shared/datasets';
import { MISSING_WARN_SHARE } from '../../../../shared/datasets';
import { formatAxisNumber, formatSharePercent, formatStatNumber, niceTicks } from '../../../../shared/format-number';
import { useT, type Translator } from '../../i18n';

/** Identifier-like columns (over 90% distinct values): a top-values chart of them says nothing. */
function isNearlyUnique(c: ColumnProfile): boolean {
  return c.count > 0 && c.distinct / c.count > 0.9;
}

/** Cuts long category labels so the axis keeps its width (the tooltip has the full value). */
function shortLabel(value: string): string {
  const chars = [...value];
  return value === '' ? '""' : chars.length > 14 ? `${chars.slice(0, 13).join('')}…` : value;
}

/**
 * Histogram of a numeric column on a numeric x axis: bars span their bins,
 * ticks sit at "nice" values formatted in the locale (never 21.225), and the
 * tooltip gives each bin's exact range.
 */
function HistogramChart({ column, t }: { column: ColumnProfile; t: Translator }) {
  const bins = column.histogram ?? [];
  const lo = bins[0]?.lo ?? 0;
  const hi = bins[bins.length - 1]?.hi ?? 0;
  const { ticks, step } = niceTicks(lo, hi, 6, column.type === 'integer' ? 1 : 0);
  const stat = (x: number) => formatStatNumber(x, t.language);
  const data = bins.map((b) => ({ mid: (b.lo + b.hi) / 2, range: `${stat(b.lo)} – ${stat(b.hi)}`, count: b.count }));
  return (
    <ResponsiveContainer width="100%" height={170}>
      <BarChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: 0 }} barCategoryGap={1} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis
          type="number"
          dataKey="mid"
          domain={hi > lo ? [lo, hi] : ['auto', 'auto']}
          ticks={hi > lo ? ticks : undefined}
          tickFormatter={(v: number) => formatAxisNumber(v, step, t.language)}
          tick={{ fontSize: 11 }}
          interval={0}
          allowDataOverflow
        />
        <YAxis tick={{ fontSize: 11 }} width={44} allowDecimals={false} tickFormatter={(v: number) => t.number(v)} />
        <Tooltip labelFormatter={(_, payload) => (payload?.[0]?.payload as { range?: string } | undefined)?.range ?? ''} formatter={(v) => [t.number(Number(v)), t('data.version.rows')]} />
        <Bar dataKey="count" fill="#4f7cac" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Most frequent values as horizontal bars, every label readable. */
function TopValuesChart({ column, t }: { column: ColumnProfile; t: Translator }) {
  const values = (column.topValues ?? []).slice(0, 8);
  const data = values.map((v) => ({ label: shortLabel(v.value), value: v.value === '' ? '""' : v.value, count: v.count }));
  return (
    <ResponsiveContainer width="100%" height={Math.max(60, 24 + data.length * 22)}>
      <BarChart data={data} layout="vertical" margin={{ top: 2, right: 12, bottom: 0, left: 0 }} barCategoryGap={3} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tick={{ fontSize: 11 }} allowDecimals={false} tickFormatter={(v: number) => t.number(v)} />
        <YAxis type="category" dataKey="label" tick={{ fontSize: 11 }} width={104} interval={0} />
        <Tooltip labelFormatter={(_, payload) => (payload?.[0]?.payload as { value?: string } | undefined)?.value ?? ''} formatter={(v) => [t.number(Number(v)), t('data.version.rows')]} />
        <Bar dataKey="count" fill="#7a9e5f" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

function ColumnChart({ column, t }: { column: ColumnProfile; t: Translator }) {
  if (column.histogram && column.histogram.length > 0) {
    return (
      <figure className="profile-column__chart" aria-label={t('data.profile.histogram', { column: column.name })}>
        <HistogramChart column={column} t={t} />
      </figure>
    );
  }
  if (!column.topValues || column.topValues.length === 0) return null;
  if (isNearlyUnique(column)) return <p className="muted profile-column__note">{t('data.profile.nearlyUnique')}</p>;
  return (
    <figure className="profile-column__chart" aria-label={t('data.profile.topChart', { column: column.name })}>
      <TopValuesChart column={column} t={t} />
    </figure>
  );
}

/** Statistics of one column, as a compact two-column list beside the chart. */
function ColumnStats({ c, t }: { c: ColumnProfile; t: Translator }) {
  const stat = (x: number | undefined) => formatStatNumber(x, t.language);
  const numeric = c.mean !== undefined;
  const top = c.topValues?.[0];
  return (
    <dl className="facts facts--compact profile-stats">
      <dt>{t('data.profile.missing')}</dt>
      <dd className={c.missingShare > MISSING_WARN_SHARE ? 'profile-stats__warn' : undefined}>
        {formatSharePercent(c.missingShare, t.language)} ({t.number(c.missing)})
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
          <dd>{stat(c.min)}</dd>
          <dt>{t('data.profile.q25')}</dt>
          <dd>{stat(c.q25)}</dd>
          <dt>{t('data.profile.median')}</dt>
          <dd>{stat(c.median)}</dd>
          <dt>{t('data.profile.q75')}</dt>
          <dd>{stat(c.q75)}</dd>
          <dt>{t('data.profile.max')}</dt>
          <dd>{stat(c.max)}</dd>
          <dt>{t('data.profile.mean')}</dt>
          <dd>{stat(c.mean)}</dd>
          <dt>{t('data.profile.std')}</dt>
          <dd>{stat(c.std)}</dd>
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
      {!numeric && top && top.count > 1 && !isNearlyUnique(c) && (
        <>
          <dt>{t('data.profile.mostFrequent')}</dt>
          <dd>
            {top.value === '' ? '""' : top.value} ({t.number(top.count)})
          </dd>
        </>
      )}
    </dl>
  );
}

/** The readable profile: one compact card per column, statistics beside the chart. */
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
      <div className="profile-grid">
        {profile.columns.map((c) => {
          const highMissing = c.missingShare > MISSING_WARN_SHARE;
          return (
            <section key={c.name} className={`card profile-column${highMissing ? ' profile-column--warn' : ''}`} aria-label={c.name}>
              <header className="profile-column__head">
                <h3 title={c.name}>{c.name}</h3>
                <span className="badge">{c.type}</span>
              </header>
              {highMissing && (
                <p className="profile-column__warning" role="note" title={t('data.profile.highMissing')}>
                  {t('data.profile.missingWarning', { share: formatSharePercent(c.missingShare, t.language) })}
                </p>
              )}
              <div className="profile-column__body">
                <div>
                  <ColumnStats c={c} t={t} />
                  {c.quantilesApproximate && <p className="muted profile-column__note">{t('data.profile.approx')}</p>}
                </div>
                <ColumnChart column={c} t={t} />
              </div>
            </section>
          );
        })}
      </div>
    </div>
  );
}
