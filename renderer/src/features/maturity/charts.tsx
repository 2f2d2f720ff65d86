import { Bar, BarChart, CartesianGrid, Cell, Legend, PolarAngleAxis, PolarGrid, PolarRadiusAxis, Radar, RadarChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { LEVEL_THRESHOLD } from '../../../../shared/maturity-content';

const COLORS = { l0: '#98a2b3', l1: '#2f6fed', l2: '#1f9d55', before: '#98a2b3' };

/** The chapter's 20-cell bar for one level, as cells (filled = int(score / 5)). */
export function CellBar({ score, color, label }: { score: number; color: string; label: string }) {
  const filled = Math.max(0, Math.min(20, Math.floor(score / 5 + 1e-9)));
  return (
    <div className="cell-bar" role="img" aria-label={`${label}: ${score.toFixed(1)}%`}>
      {Array.from({ length: 20 }, (_, i) => (
        <span key={i} className={`cell-bar__cell${i === 13 ? ' cell-bar__cell--threshold' : ''}`} style={i < filled ? { background: color } : undefined} />
      ))}
      <span className="cell-bar__value">{score.toFixed(1)}%</span>
    </div>
  );
}

/** One bar per level (0–100) with the 70% threshold line. */
export function LevelBarsChart({ scores, labels, thresholdLabel }: { scores: number[]; labels: string[]; thresholdLabel: string }) {
  const data = scores.map((score, i) => ({ name: labels[i], score: Number(score.toFixed(1)), fill: [COLORS.l0, COLORS.l1, COLORS.l2][i] }));
  return (
    <BarChart width={420} height={240} data={data} margin={{ top: 10, right: 16, bottom: 4, left: 0 }}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="name" tick={{ fontSize: 12 }} />
      <YAxis domain={[0, 100]} ticks={[0, 25, 50, 70, 100]} tick={{ fontSize: 11 }} unit="%" />
      <Tooltip formatter={(v) => `${v}%`} />
      <ReferenceLine y={LEVEL_THRESHOLD} stroke="#d92d20" strokeDasharray="4 3" label={{ value: thresholdLabel, position: 'insideTopRight', fontSize: 11, fill: '#d92d20' }} />
      <Bar dataKey="score" isAnimationActive={false} label={{ position: 'top', fontSize: 12, formatter: (v: unknown) => `${v}%` }}>
        {data.map((d) => (
          <Cell key={d.name} fill={d.fill} />
        ))}
      </Bar>
    </BarChart>
  );
}

export interface RadarSeriesSpec {
  key: string;
  label: string;
  color: string;
  dashed?: boolean;
}

/** Radar over the four areas, 0–100. */
export function AreaRadarChart({ data, series }: { data: Array<Record<string, string | number>>; series: RadarSeriesSpec[] }) {
  return (
    <RadarChart width={460} height={300} data={data} outerRadius={95} margin={{ top: 10, right: 70, bottom: 10, left: 70 }}>
      <PolarGrid />
      <PolarAngleAxis dataKey="area" tick={{ fontSize: 12 }} />
      <PolarRadiusAxis domain={[0, 100]} tickCount={5} tick={{ fontSize: 10 }} angle={90} />
      {series.map((s) => (
        <Radar key={s.key} name={s.label} dataKey={s.key} stroke={s.color} fill={s.color} fillOpacity={0.18} strokeDasharray={s.dashed ? '5 3' : undefined} isAnimationActive={false} />
      ))}
      <Legend wrapperStyle={{ fontSize: 12 }} />
      <Tooltip />
    </RadarChart>
  );
}

/** Before/after bars per level. */
export function CompareBarsChart({ data, beforeLabel, afterLabel, thresholdLabel }: { data: Array<{ name: string; before: number; after: number }>; beforeLabel: string; afterLabel: string; thresholdLabel: string }) {
  return (
    <BarChart width={460} height={250} data={data} margin={{ top: 10, right: 16, bottom: 4, left: 0 }}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="name" tick={{ fontSize: 12 }} />
      <YAxis domain={[0, 100]} ticks={[0, 25, 50, 70, 100]} tick={{ fontSize: 11 }} unit="%" />
      <Tooltip />
      <Legend wrapperStyle={{ fontSize: 12 }} />
      <ReferenceLine y={LEVEL_THRESHOLD} stroke="#d92d20" strokeDasharray="4 3" label={{ value: thresholdLabel, position: 'insideTopRight', fontSize: 11, fill: '#d92d20' }} />
      <Bar dataKey="before" name={beforeLabel} fill={COLORS.before} isAnimationActive={false} />
      <Bar dataKey="after" name={afterLabel} fill={COLORS.l1} isAnimationActive={false} />
    </BarChart>
  );
}

export const LEVEL_COLORS = [COLORS.l0, COLORS.l1, COLORS.l2];
