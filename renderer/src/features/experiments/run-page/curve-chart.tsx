import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { thinCurve } from '../charts';

const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : String(v));

/**
 * A curve in the unit square (ROC: FPR → TPR with the chance diagonal; PR:
 * recall → precision). charts.tsx's CurveChart at a width of our choosing, so
 * the confusion matrix, ROC and PR fit one row of the run page.
 */
export function UnitCurveChart({
  points,
  xLabel,
  yLabel,
  diagonal,
  label,
  color = '#2f6fed',
  width = 280,
}: {
  points: { x: number; y: number }[];
  xLabel: string;
  yLabel: string;
  diagonal?: boolean;
  label: string;
  color?: string;
  width?: number;
}) {
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div role="img" aria-label={label}>
      <LineChart width={width} height={250} data={thinCurve(points)} margin={{ top: 8, right: 12, bottom: 22, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="x"
          type="number"
          domain={[0, 1]}
          ticks={ticks}
          tick={{ fontSize: 11 }}
          label={{ value: xLabel, position: 'insideBottom', offset: -12, fontSize: 12 }}
        />
        <YAxis
          dataKey="y"
          type="number"
          domain={[0, 1]}
          ticks={ticks}
          tick={{ fontSize: 11 }}
          width={44}
          label={{ value: yLabel, angle: -90, position: 'insideLeft', offset: 10, fontSize: 12 }}
        />
        {diagonal && (
          <ReferenceLine
            segment={[
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ]}
            stroke="#98a2b3"
            strokeDasharray="4 3"
          />
        )}
        <Tooltip formatter={fmt} labelFormatter={(v) => `${xLabel} ${fmt(v)}`} />
        <Line type="linear" dataKey="y" name={yLabel} stroke={color} dot={false} strokeWidth={2} isAnimationActive={false} />
      </LineChart>
    </div>
  );
}
