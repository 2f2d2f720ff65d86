import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { DriftChart } from '../../../../shared/drift';
import { formatShare, formatStat, histogramSteps, overlayPoints } from './monitoring-format';

const BASELINE = '#2f6fed';
const CURRENT = '#f79009';

/** Both sides of a column overlaid as shares: histogram bins on shared edges, or the top categories. */
export function OverlayChart({
  chart,
  label,
  names,
}: {
  chart: DriftChart;
  label: string;
  names: { baseline: string; current: string; other: string };
}) {
  if (chart.kind === 'histogram') {
    // Both histograms as translucent steps on the shared edges, so where they overlap shows.
    const steps = histogramSteps(chart);
    return (
      <div role="img" aria-label={label} className="mon-overlay" data-chart="histogram">
        <AreaChart width={640} height={220} data={steps} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="x"
            type="number"
            domain={['dataMin', 'dataMax']}
            tickFormatter={(v: number) => formatStat(v)}
            tick={{ fontSize: 10 }}
          />
          <YAxis tick={{ fontSize: 11 }} tickFormatter={(v: number) => formatShare(v)} width={52} />
          <Tooltip labelFormatter={(v) => formatStat(Number(v))} formatter={(v, n) => [formatShare(Number(v)), n]} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Area
            type="stepAfter"
            dataKey="baseline"
            name={names.baseline}
            stroke={BASELINE}
            fill={BASELINE}
            fillOpacity={0.35}
            isAnimationActive={false}
          />
          <Area
            type="stepAfter"
            dataKey="current"
            name={names.current}
            stroke={CURRENT}
            fill={CURRENT}
            fillOpacity={0.35}
            isAnimationActive={false}
          />
        </AreaChart>
      </div>
    );
  }
  const data = overlayPoints(chart, names.other);
  return (
    <div role="img" aria-label={label} className="mon-overlay" data-chart="bars">
      <BarChart width={640} height={220} data={data} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 10 }} interval="preserveStartEnd" />
        <YAxis tick={{ fontSize: 11 }} tickFormatter={(v: number) => formatShare(v)} width={52} />
        <Tooltip formatter={(v, n) => [formatShare(typeof v === 'number' ? v : Number(v)), n]} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="baseline" name={names.baseline} fill={BASELINE} isAnimationActive={false} />
        <Bar dataKey="current" name={names.current} fill={CURRENT} isAnimationActive={false} />
      </BarChart>
    </div>
  );
}

/** One series over time as a line, with an optional threshold line. */
export function TimeLineChart({
  points,
  label,
  seriesName,
  threshold,
  thresholdLabel,
  percent,
  formatTime,
}: {
  points: { at: number; value: number | null }[];
  label: string;
  seriesName: string;
  threshold?: number | null;
  thresholdLabel?: string;
  percent?: boolean;
  formatTime(at: number): string;
}) {
  const fmt = (v: number) => (percent ? formatShare(v) : formatStat(v));
  return (
    <div role="img" aria-label={label} className="mon-line">
      <LineChart width={560} height={200} data={points} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="at" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={formatTime} tick={{ fontSize: 10 }} />
        <YAxis tick={{ fontSize: 11 }} tickFormatter={fmt} width={52} domain={percent ? [0, 1] : ['auto', 'auto']} />
        <Tooltip labelFormatter={(v) => formatTime(Number(v))} formatter={(v) => [fmt(Number(v)), seriesName]} />
        {threshold !== undefined && threshold !== null && (
          <ReferenceLine
            y={threshold}
            stroke="#d92d20"
            strokeDasharray="4 3"
            label={{ value: thresholdLabel ?? '', fontSize: 10, position: 'insideTopRight' }}
          />
        )}
        <Line dataKey="value" name={seriesName} stroke={BASELINE} dot={{ r: 3 }} isAnimationActive={false} connectNulls />
      </LineChart>
    </div>
  );
}

/** Class shares per window as stacked bars (the chapter's prediction distribution over time). */
export function ClassSharesChart({
  windows,
  label,
  formatTime,
}: {
  windows: { start: number; classShares: Record<string, number> | null }[];
  label: string;
  formatTime(at: number): string;
}) {
  const classes = [...new Set(windows.flatMap((w) => Object.keys(w.classShares ?? {})))].sort();
  const data = windows.map((w) => ({ at: formatTime(w.start), ...(w.classShares ?? {}) }));
  const palette = [BASELINE, CURRENT, '#12b76a', '#7a5af8', '#f04438', '#667085'];
  return (
    <div role="img" aria-label={label} className="mon-line">
      <BarChart width={560} height={200} data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="at" tick={{ fontSize: 10 }} />
        <YAxis tick={{ fontSize: 11 }} tickFormatter={(v: number) => formatShare(v)} width={52} domain={[0, 1]} />
        <Tooltip formatter={(v, n) => [formatShare(Number(v)), n]} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {classes.map((c, i) => (
          <Bar key={c} dataKey={c} stackId="shares" fill={palette[i % palette.length]} isAnimationActive={false} />
        ))}
      </BarChart>
    </div>
  );
}

/** Shares per class or histogram bin: the test split's predictions beside the served ones (prediction drift). */
export function PredictionBarsChart({
  bars,
  label,
  names,
}: {
  bars: { label: string; test: number; logged: number }[];
  label: string;
  names: { test: string; logged: string };
}) {
  return (
    <div role="img" aria-label={label} className="mon-overlay" data-chart="prediction-bars">
      <BarChart width={520} height={200} data={bars} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 10 }} interval="preserveStartEnd" />
        <YAxis tick={{ fontSize: 11 }} tickFormatter={(v: number) => formatShare(v)} width={52} />
        <Tooltip formatter={(v, n) => [formatShare(Number(v)), n]} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="test" name={names.test} fill={BASELINE} isAnimationActive={false} />
        <Bar dataKey="logged" name={names.logged} fill={CURRENT} isAnimationActive={false} />
      </BarChart>
    </div>
  );
}
