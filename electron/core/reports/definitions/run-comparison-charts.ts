/**
 * Vector charts of the run-comparison report (plotly does not run in the
 * report's script-free HTML): a parallel-coordinates chart of the varying
 * params and the chosen metrics, coloured by the "best by" metric, and the
 * runs' ROC curves overlaid. Every text is escaped with svg-charts' escapeXml.
 */
import { formatAxisNumber, niceTicks } from '../../../../shared/format-number';
import { metricColor, RUN_COLORS, type Better, type ParallelDimension, type RocCurve } from '../../../../shared/run-comparison';
import type { SafeSvg } from '../report-document';
import { cutText, escapeXml, n, svg } from '../svg-charts';

export interface ParallelChartOptions {
  language: 'en' | 'ja';
  /** The index (in `dimensions`) of the metric the lines are coloured by, or -1. */
  colorBy: number;
  better: Better;
  /** The best run's index, drawn last and thicker, labelled with its name. */
  best: number | null;
  runNames: string[];
  title: string;
}

/**
 * Parallel coordinates: one vertical axis per dimension (numeric axes with
 * nice ticks, categorical ones with their labels), one polyline per run (a
 * missing value runs through a "—" slot under the axis), coloured by the chosen metric from worst
 * (dark) to best (yellow), with a colour bar.
 */
export function renderParallelCoordinatesSvg(dimensions: ParallelDimension[], options: ParallelChartOptions): SafeSvg {
  const width = 680;
  const height = 330;
  const left = 34;
  const right = 96;
  const top = 44;
  const bottom = 34;
  const plotH = height - top - bottom;
  // A run without a value on an axis goes through the "—" slot under it, so its line stays whole.
  const missingY = top + plotH + 18;
  const runs = options.runNames.length;
  if (dimensions.length === 0 || runs === 0) return svg(width, 40, '', options.title);
  const gap = dimensions.length > 1 ? (width - left - right) / (dimensions.length - 1) : 0;
  const xAt = (d: number) => (dimensions.length > 1 ? left + d * gap : (width - right + left) / 2);
  // Each axis maps its own range to the plot height.
  const scales = dimensions.map((dim) => {
    if (dim.categories) {
      const count = dim.categories.length;
      return {
        yAt: (v: number) => top + plotH - (count <= 1 ? plotH / 2 : (v / (count - 1)) * plotH),
        ticks: dim.categories.map((c, i) => ({ v: i, label: c })),
      };
    }
    const present = dim.values.filter((v): v is number => v !== null);
    const lo = Math.min(...present);
    const hi = Math.max(...present);
    if (present.length === 0) return { yAt: () => top + plotH / 2, ticks: [] };
    if (lo === hi)
      return { yAt: () => top + plotH / 2, ticks: [{ v: lo, label: formatAxisNumber(lo, Math.abs(lo) / 100 || 0.01, options.language) }] };
    const nice = niceTicks(lo, hi, 5, 0);
    const yAt = (v: number) => top + plotH - ((v - lo) / (hi - lo)) * plotH;
    return {
      yAt,
      ticks: nice.ticks
        .filter((v) => v >= lo - 1e-12 && v <= hi + 1e-12)
        .map((v) => ({ v, label: formatAxisNumber(v, nice.step, options.language) })),
    };
  });
  let body = '';
  // Axes with ticks and labels.
  dimensions.forEach((dim, d) => {
    const x = xAt(d);
    body += `<line x1="${n(x)}" y1="${top}" x2="${n(x)}" y2="${top + plotH}" stroke="#6b7280" stroke-width="1"/>`;
    if (dim.values.some((v) => v === null)) {
      body += `<text x="${n(x - 5)}" y="${missingY + 3}" font-size="8" text-anchor="end" fill="#6b7280">—</text>`;
      body += `<line x1="${n(x - 3)}" y1="${missingY}" x2="${n(x + 3)}" y2="${missingY}" stroke="#9ca3af" stroke-width="0.8"/>`;
    }
    const anchor = d === 0 ? 'start' : d === dimensions.length - 1 ? 'end' : 'middle';
    const labelX = d === 0 ? x - 6 : d === dimensions.length - 1 ? x + 6 : x;
    const weight = d === options.colorBy ? '700' : '600';
    body += `<text x="${n(labelX)}" y="${d % 2 === 0 ? top - 24 : top - 11}" font-size="9.5" font-weight="${weight}" text-anchor="${anchor}" fill="#111827">${escapeXml(cutText(dim.label, 22))}</text>`;
    for (const tick of scales[d].ticks) {
      const y = scales[d].yAt(tick.v);
      body += `<line x1="${n(x - 3)}" y1="${n(y)}" x2="${n(x)}" y2="${n(y)}" stroke="#6b7280" stroke-width="0.8"/>`;
      body += `<text x="${n(x - 5)}" y="${n(y + 3)}" font-size="8" text-anchor="end" fill="#374151" paint-order="stroke" stroke="#ffffff" stroke-width="2.5">${escapeXml(cutText(tick.label, 14))}</text>`;
    }
  });
  // The colour scale runs over the chosen metric's range; worst is dark, best is yellow.
  const colorValues = options.colorBy >= 0 ? dimensions[options.colorBy].values : [];
  const present = colorValues.filter((v): v is number => v !== null);
  const cLo = Math.min(...present);
  const cHi = Math.max(...present);
  const colorOf = (run: number) => {
    const v = colorValues[run];
    if (v === null || v === undefined || present.length === 0) return '#9ca3af';
    const t = cHi === cLo ? 1 : (v - cLo) / (cHi - cLo);
    return metricColor(options.better === 'higher' ? t : 1 - t);
  };
  const order = [...Array(runs).keys()].filter((r) => r !== options.best);
  if (options.best !== null) order.push(options.best);
  for (const r of order) {
    const isBest = r === options.best;
    const points = dimensions.map((dim, d) => {
      const v = dim.values[r];
      return `${n(xAt(d))},${n(v === null || v === undefined ? missingY : scales[d].yAt(v))}`;
    });
    if (points.length > 1)
      body += `<polyline points="${points.join(' ')}" fill="none" stroke="${colorOf(r)}" stroke-width="${isBest ? 3.2 : 1.6}" stroke-opacity="${isBest ? 1 : 0.85}" stroke-linejoin="round"/>`;
    else body += `<circle cx="${points[0].split(',')[0]}" cy="${points[0].split(',')[1]}" r="3" fill="${colorOf(r)}"/>`;
  }
  if (options.best !== null) {
    const lastDim = dimensions.length - 1;
    const v = dimensions[lastDim].values[options.best];
    if (v !== null && v !== undefined) {
      body += `<text x="${n(xAt(lastDim) + 6)}" y="${n(scales[lastDim].yAt(v) + 3)}" font-size="9" font-weight="700" fill="#111827">★ ${escapeXml(cutText(options.runNames[options.best], 12))}</text>`;
    }
  }
  // Colour bar.
  if (present.length > 0) {
    const barX = width - 22;
    body += `<defs><linearGradient id="pc-scale" x1="0" y1="1" x2="0" y2="0">${[0, 0.25, 0.5, 0.75, 1].map((t) => `<stop offset="${t}" stop-color="${metricColor(t)}"/>`).join('')}</linearGradient></defs>`;
    body += `<rect x="${barX}" y="${top}" width="10" height="${plotH}" fill="url(#pc-scale)" stroke="#9ca3af" stroke-width="0.5"/>`;
    const bestValue = options.better === 'higher' ? cHi : cLo;
    const worstValue = options.better === 'higher' ? cLo : cHi;
    const step = Math.abs(cHi - cLo) / 100 || 0.001;
    body += `<text x="${barX + 5}" y="${top - 4}" font-size="8" text-anchor="middle" fill="#374151">${escapeXml(formatAxisNumber(bestValue, step, options.language))}</text>`;
    body += `<text x="${barX + 5}" y="${top + plotH + 11}" font-size="8" text-anchor="middle" fill="#374151">${escapeXml(formatAxisNumber(worstValue, step, options.language))}</text>`;
  }
  return svg(width, height, body, options.title);
}

export interface RocChartSeries {
  label: string;
  curve: RocCurve;
  best?: boolean;
}

/** Thins a curve to at most `max` points, keeping the first and the last. */
function thin<T>(points: T[], max = 300): T[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]);
}

/** ROC curves of several runs in one unit square with the chance diagonal and a legend beside it. */
export function renderRocOverlaySvg(series: RocChartSeries[], options: { title: string; xLabel: string; yLabel: string }): SafeSvg {
  const size = 260;
  const left = 40;
  const top = 10;
  const legendW = 300;
  const width = left + size + 24 + legendW;
  const height = Math.max(top + size + 40, 20 + series.length * 15);
  const xAt = (v: number) => left + v * size;
  const yAt = (v: number) => top + size - v * size;
  let body = `<rect x="${left}" y="${top}" width="${size}" height="${size}" fill="none" stroke="#9ca3af" stroke-width="0.8"/>`;
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    body += `<line x1="${n(xAt(v))}" y1="${top}" x2="${n(xAt(v))}" y2="${top + size}" stroke="#e5e7eb" stroke-width="0.6"/>`;
    body += `<line x1="${left}" y1="${n(yAt(v))}" x2="${left + size}" y2="${n(yAt(v))}" stroke="#e5e7eb" stroke-width="0.6"/>`;
    body += `<text x="${n(xAt(v))}" y="${top + size + 12}" font-size="8.5" text-anchor="middle" fill="#374151">${v}</text>`;
    body += `<text x="${left - 4}" y="${n(yAt(v) + 3)}" font-size="8.5" text-anchor="end" fill="#374151">${v}</text>`;
  }
  body += `<line x1="${xAt(0)}" y1="${yAt(0)}" x2="${xAt(1)}" y2="${yAt(1)}" stroke="#9ca3af" stroke-dasharray="4 3" stroke-width="0.9"/>`;
  body += `<text x="${left + size / 2}" y="${top + size + 28}" font-size="9.5" text-anchor="middle" fill="#111827">${escapeXml(options.xLabel)}</text>`;
  body += `<text x="12" y="${top + size / 2}" font-size="9.5" text-anchor="middle" fill="#111827" transform="rotate(-90 12 ${top + size / 2})">${escapeXml(options.yLabel)}</text>`;
  const ordered = series.map((s, i) => ({ s, i })).sort((a, b) => Number(!!a.s.best) - Number(!!b.s.best));
  for (const { s, i } of ordered) {
    const points = thin(s.curve.fpr.map((x, k) => [x, s.curve.tpr[k]] as const));
    body += `<polyline points="${points.map(([x, y]) => `${n(xAt(x))},${n(yAt(y))}`).join(' ')}" fill="none" stroke="${RUN_COLORS[i % RUN_COLORS.length]}" stroke-width="${s.best ? 2.8 : 1.5}"/>`;
  }
  series.forEach((s, i) => {
    const y = top + 8 + i * 15;
    const x = left + size + 24;
    body += `<rect x="${x}" y="${y - 6}" width="14" height="3.5" fill="${RUN_COLORS[i % RUN_COLORS.length]}"/>`;
    body += `<text x="${x + 20}" y="${y}" font-size="9" font-weight="${s.best ? 700 : 400}" fill="#111827">${escapeXml(cutText(`${s.best ? '★ ' : ''}${s.label}`, 52))}</text>`;
  });
  return svg(width, height, body, options.title);
}
