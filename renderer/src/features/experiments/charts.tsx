import { Bar, BarChart, CartesianGrid, ErrorBar, Tooltip, XAxis, YAxis } from 'recharts';

/** At most `max` points of a curve, always keeping the first and last. */
export function thinCurve<T>(points: T[], max = 400): T[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]);
}

const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : String(v));

/** Horizontal bars of feature importance (largest first), with ± std whiskers when given. */
export function ImportanceChart({
  rows,
  label,
  valueLabel,
}: {
  rows: { name: string; value: number; std?: number }[];
  label: string;
  valueLabel: string;
}) {
  const height = 40 + rows.length * 24;
  const short = (s: string) => (s.length > 30 ? `${s.slice(0, 29)}…` : s);
  const data = rows.map((r) => ({ ...r, err: r.std ?? 0 }));
  return (
    <div role="img" aria-label={label}>
      <BarChart width={620} height={height} data={data} layout="vertical" margin={{ top: 4, right: 40, bottom: 4, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tick={{ fontSize: 11 }} tickFormatter={(v: number) => v.toFixed(2)} />
        <YAxis
          type="category"
          dataKey="name"
          width={210}
          interval={0}
          // One line per feature (recharts would wrap long names into the next bar's row).
          tick={({ x, y, payload }: { x: number | string; y: number | string; payload: { value: string } }) => (
            <text x={x} y={y} dy={4} textAnchor="end" fontSize={11} fill="#475467">
              <title>{payload.value}</title>
              {short(payload.value)}
            </text>
          )}
        />
        <Tooltip formatter={(v) => [fmt(v), valueLabel]} />
        <Bar dataKey="value" fill="#2f6fed" isAnimationActive={false}>
          {rows.some((r) => r.std !== undefined) && <ErrorBar dataKey="err" width={4} stroke="#475467" direction="x" />}
        </Bar>
      </BarChart>
    </div>
  );
}

/** Confusion matrix as a table: rows = true class, columns = predicted; shading by the row's share. */
export function ConfusionMatrix({
  matrix,
  classes,
  trueLabel,
  predictedLabel,
  caption,
}: {
  matrix: number[][];
  classes: string[];
  trueLabel: string;
  predictedLabel: string;
  caption: string;
}) {
  return (
    <table className="confusion" aria-label={caption}>
      <thead>
        <tr>
          <th className="confusion__corner" rowSpan={2} colSpan={2} aria-hidden="true" />
          <th colSpan={classes.length} className="confusion__axis">
            {predictedLabel}
          </th>
        </tr>
        <tr>
          {classes.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.map((row, i) => {
          const total = row.reduce((a, b) => a + b, 0);
          return (
            <tr key={classes[i] ?? i}>
              {i === 0 && (
                <th rowSpan={matrix.length} className="confusion__axis confusion__axis--rows">
                  {trueLabel}
                </th>
              )}
              <th scope="row">{classes[i] ?? i}</th>
              {row.map((n, j) => {
                const share = total > 0 ? n / total : 0;
                const tint = i === j ? '31, 157, 85' : '217, 45, 32';
                return (
                  <td
                    key={j}
                    className="confusion__cell"
                    style={{ background: `rgba(${tint}, ${(0.08 + 0.6 * share).toFixed(3)})` }}
                    data-true={classes[i]}
                    data-predicted={classes[j]}
                  >
                    <strong>{n}</strong>
                    <span className="confusion__share">{(100 * share).toFixed(1)}%</span>
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
