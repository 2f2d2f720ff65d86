/**
 * Small SVG chart functions for print reports. Inline SVG keeps charts as
 * vector graphics in the PDF (Chromium prints SVG as paths and text) and
 * keeps the HTML self-contained. Every text is escaped here.
 */
import { formatAxisNumber, niceTicks } from '../../../shared/format-number';
import type { SafeSvg } from './report-document';

/** Escapes text for HTML/SVG content and attribute values. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** An SVG element with its accessible label (the one way report charts are wrapped). */
export function svg(width: number, height: number, body: string, label: string): SafeSvg {
  return {
    kind: 'safe-svg',
    markup: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeXml(label)}" font-family="inherit">${body}</svg>`,
  };
}

/** A coordinate rounded to 2 decimals (shorter markup, same picture). */
export const n = (value: number) => Number(value.toFixed(2));

/** Cuts a text to `max` characters with an ellipsis (the full text is in the tables). */
export function cutText(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/** Palette shared by charts (print-safe, distinguishable in grey). */
export const CHART_COLORS = ['#2563eb', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

export interface CellBar {
  label: string;
  sublabel?: string;
  /** 0..100 */
  score: number;
  color?: string;
}

/**
 * The chapter's 20-cell level bars as a vector chart: one row per level,
 * `cells` filled squares for int(score / 5), the percentage, and a dashed
 * marker at the threshold (70%).
 */
export function renderCellBarsSvg(bars: CellBar[], options: { cells?: number; threshold?: number; title?: string } = {}): SafeSvg {
  const cells = options.cells ?? 20;
  const cell = 20;
  const gap = 4;
  const rowHeight = 58;
  const top = 4;
  const barsWidth = cells * (cell + gap) - gap;
  const width = barsWidth + 74;
  const height = top + bars.length * rowHeight + 14;
  let body = '';
  bars.forEach((bar, row) => {
    const y = top + row * rowHeight;
    const filled = Math.max(0, Math.min(cells, Math.floor(bar.score / (100 / cells) + 1e-9)));
    const color = bar.color ?? CHART_COLORS[row % CHART_COLORS.length];
    // Label above the bar so long (and Japanese) level names never collide with the cells.
    body += `<text x="0" y="${y + 12}" font-size="12.5" font-weight="700" fill="#111827">${escapeXml(bar.label)}`;
    if (bar.sublabel) body += `<tspan font-size="10" font-weight="400" fill="#6b7280" dx="8">${escapeXml(bar.sublabel)}</tspan>`;
    body += '</text>';
    for (let i = 0; i < cells; i += 1) {
      const x = i * (cell + gap);
      body += `<rect x="${x}" y="${y + 20}" width="${cell}" height="${cell + 6}" rx="2" fill="${i < filled ? color : '#e5e7eb'}"/>`;
    }
    body += `<text x="${barsWidth + 10}" y="${y + 39}" font-size="14" font-weight="700" fill="#111827">${escapeXml(bar.score.toFixed(1))}%</text>`;
  });
  if (options.threshold !== undefined) {
    const x = (options.threshold / 100) * cells * (cell + gap) - gap / 2;
    body += `<line x1="${n(x)}" y1="${top + 16}" x2="${n(x)}" y2="${height - 14}" stroke="#dc2626" stroke-width="1.2" stroke-dasharray="4 3"/>`;
    body += `<text x="${n(x)}" y="${height - 2}" font-size="10" text-anchor="middle" fill="#dc2626">${options.threshold}%</text>`;
  }
  return svg(width, height, body, options.title ?? 'Level scores');
}

export interface RadarSeries {
  label: string;
  /** One value per axis, 0..100. */
  values: number[];
  color?: string;
  dashed?: boolean;
}

/** A radar chart on 0..100 with rings at 25/50/75/100 and an optional threshold ring. */
export function renderRadarSvg(axes: string[], series: RadarSeries[], options: { threshold?: number; title?: string } = {}): SafeSvg {
  const width = 560;
  const size = 360;
  const cx = width / 2;
  const cy = size / 2 - 8;
  const radius = 122;
  const point = (axis: number, value: number) => {
    const angle = -Math.PI / 2 + (axis * 2 * Math.PI) / axes.length;
    const r = (Math.max(0, Math.min(100, value)) / 100) * radius;
    return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)] as const;
  };
  const ring = (value: number) => axes.map((_, i) => point(i, value).map(n).join(',')).join(' ');
  let body = '';
  for (const value of [25, 50, 75, 100]) {
    body += `<polygon points="${ring(value)}" fill="none" stroke="#d1d5db" stroke-width="0.8"/>`;
    const [, y] = point(0, value);
    body += `<text x="${cx - 4}" y="${n(y + 11)}" font-size="9" text-anchor="end" fill="#9ca3af">${value}</text>`;
  }
  if (options.threshold !== undefined)
    body += `<polygon points="${ring(options.threshold)}" fill="none" stroke="#dc2626" stroke-width="0.9" stroke-dasharray="4 3"/>`;
  axes.forEach((label, i) => {
    const [x, y] = point(i, 100);
    body += `<line x1="${cx}" y1="${cy}" x2="${n(x)}" y2="${n(y)}" stroke="#d1d5db" stroke-width="0.8"/>`;
    const [lx, ly] = point(i, 112);
    const anchor = Math.abs(lx - cx) < 4 ? 'middle' : lx > cx ? 'start' : 'end';
    body += `<text x="${n(lx)}" y="${n(ly + (ly > cy + 10 ? 12 : ly < cy - 10 ? -4 : 4))}" font-size="13" font-weight="600" text-anchor="${anchor}" fill="#111827">${escapeXml(label)}</text>`;
  });
  series.forEach((s, index) => {
    const color = s.color ?? CHART_COLORS[index % CHART_COLORS.length];
    const pts = s.values.map((v, i) => point(i, v).map(n).join(',')).join(' ');
    body += `<polygon points="${pts}" fill="${color}" fill-opacity="0.16" stroke="${color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
    s.values.forEach((v, i) => {
      const [x, y] = point(i, v);
      body += `<circle cx="${n(x)}" cy="${n(y)}" r="2.6" fill="${color}"/>`;
    });
  });
  // Legend along the bottom.
  let lx = 12;
  series.forEach((s, index) => {
    const color = s.color ?? CHART_COLORS[index % CHART_COLORS.length];
    body += `<rect x="${lx}" y="${size - 14}" width="14" height="10" fill="${color}" fill-opacity="0.5" stroke="${color}"${s.dashed ? ' stroke-dasharray="3 2"' : ''}/>`;
    body += `<text x="${lx + 19}" y="${size - 5}" font-size="12" fill="#374151">${escapeXml(s.label)}</text>`;
    lx += 36 + s.label.length * 7;
  });
  return svg(width, size, body, options.title ?? 'Radar chart');
}

export interface LineSeries {
  label: string;
  values: Array<number | null>;
  color?: string;
  dashed?: boolean;
}

/** A line chart over categorical x labels (e.g. assessment dates), y on 0..100. */
export function renderLineChartSvg(xLabels: string[], series: LineSeries[], options: { threshold?: number; title?: string } = {}): SafeSvg {
  const width = 640;
  const height = 260;
  const left = 40;
  const right = 16;
  const top = 14;
  const bottom = 58;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  // Points are inset so the first and last x labels are not clipped.
  const inset = 36;
  const xAt = (i: number) =>
    left + inset + (xLabels.length <= 1 ? (plotW - 2 * inset) / 2 : (i * (plotW - 2 * inset)) / (xLabels.length - 1));
  const yAt = (v: number) => top + plotH - (Math.max(0, Math.min(100, v)) / 100) * plotH;
  let body = '';
  for (const v of [0, 25, 50, 75, 100]) {
    body += `<line x1="${left}" y1="${n(yAt(v))}" x2="${width - right}" y2="${n(yAt(v))}" stroke="#e5e7eb" stroke-width="0.8"/>`;
    body += `<text x="${left - 6}" y="${n(yAt(v) + 3.5)}" font-size="9.5" text-anchor="end" fill="#6b7280">${v}%</text>`;
  }
  if (options.threshold !== undefined) {
    body += `<line x1="${left}" y1="${n(yAt(options.threshold))}" x2="${width - right}" y2="${n(yAt(options.threshold))}" stroke="#dc2626" stroke-width="1" stroke-dasharray="4 3"/>`;
  }
  xLabels.forEach((label, i) => {
    body += `<text x="${n(xAt(i))}" y="${height - bottom + 16}" font-size="9.5" text-anchor="middle" fill="#374151">${escapeXml(label)}</text>`;
  });
  series.forEach((s, index) => {
    const color = s.color ?? CHART_COLORS[index % CHART_COLORS.length];
    const points = s.values
      .map((v, i) => (v === null ? null : ([xAt(i), yAt(v)] as const)))
      .filter((p): p is readonly [number, number] => p !== null);
    if (points.length > 1) {
      body += `<polyline points="${points.map((p) => p.map(n).join(',')).join(' ')}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
    }
    for (const [x, y] of points) body += `<circle cx="${n(x)}" cy="${n(y)}" r="3" fill="${color}"/>`;
  });
  let lx = left;
  series.forEach((s, index) => {
    const color = s.color ?? CHART_COLORS[index % CHART_COLORS.length];
    body += `<rect x="${lx}" y="${height - 16}" width="12" height="3" fill="${color}"/>`;
    body += `<text x="${lx + 16}" y="${height - 11.5}" font-size="10" fill="#374151">${escapeXml(s.label)}</text>`;
    lx += 28 + s.label.length * 6.2;
  });
  return svg(width, height, body, options.title ?? 'Line chart');
}

export interface DeltaBar {
  label: string;
  delta: number;
  /** False when a fall is the improvement (e.g. level 0's manual traits). */
  higherIsBetter?: boolean;
}

/** Horizontal bars around zero for score deltas (after − before), in percentage points. */
export function renderDeltaBarsSvg(bars: DeltaBar[], options: { title?: string } = {}): SafeSvg {
  const labelWidth = 210;
  const plotW = 300;
  const rowH = 22;
  const width = labelWidth + plotW + 60;
  const height = bars.length * rowH + 24;
  const zero = labelWidth + plotW / 2;
  let body = `<line x1="${zero}" y1="4" x2="${zero}" y2="${height - 16}" stroke="#9ca3af" stroke-width="1"/>`;
  bars.forEach((bar, i) => {
    const y = 6 + i * rowH;
    const w = (Math.max(-100, Math.min(100, bar.delta)) / 100) * (plotW / 2);
    const better = (bar.higherIsBetter ?? true) ? bar.delta > 0 : bar.delta < 0;
    const color = bar.delta === 0 ? '#9ca3af' : better ? '#16a34a' : '#dc2626';
    body += `<text x="0" y="${y + 12}" font-size="10.5" fill="#111827">${escapeXml(bar.label)}</text>`;
    body += `<rect x="${n(Math.min(zero, zero + w))}" y="${y + 2}" width="${n(Math.max(1, Math.abs(w)))}" height="13" fill="${color}"/>`;
    const sign = bar.delta > 0 ? '+' : '';
    body += `<text x="${labelWidth + plotW + 8}" y="${y + 12}" font-size="10.5" font-weight="600" fill="${color}">${sign}${bar.delta.toFixed(1)}</text>`;
  });
  body += `<text x="${labelWidth}" y="${height - 3}" font-size="9" fill="#6b7280">−100</text><text x="${zero}" y="${height - 3}" font-size="9" text-anchor="middle" fill="#6b7280">0</text><text x="${labelWidth + plotW}" y="${height - 3}" font-size="9" text-anchor="end" fill="#6b7280">+100</text>`;
  return svg(width, height, body, options.title ?? 'Score changes');
}

export interface HistogramSvgBin {
  lo: number;
  hi: number;
  count: number;
}

/**
 * A histogram of a numeric column: adjacent bars over the value axis, x
 * ticks at "nice" values formatted in the report's locale (so 21.225 never
 * shows as a label), y ticks on counts.
 */
export function renderHistogramSvg(
  bins: HistogramSvgBin[],
  options: { language: 'en' | 'ja'; title?: string; color?: string; integer?: boolean; width?: number; height?: number },
): SafeSvg {
  const width = options.width ?? 360;
  const height = options.height ?? 170;
  const left = 40;
  const right = 12;
  const top = 8;
  const bottom = 24;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const color = options.color ?? '#2563eb';
  if (bins.length === 0) return svg(width, height, '', options.title ?? 'Histogram');
  const lo = bins[0].lo;
  const hi = bins[bins.length - 1].hi;
  const span = hi - lo || 1;
  const xAt = (v: number) => left + ((v - lo) / span) * plotW;
  const maxCount = Math.max(1, ...bins.map((b) => b.count));
  const yTicks = niceTicks(0, maxCount, 4, 1);
  const yMax = Math.max(maxCount, yTicks.ticks[yTicks.ticks.length - 1] ?? maxCount);
  const yAt = (c: number) => top + plotH - (c / yMax) * plotH;
  let body = '';
  for (const v of yTicks.ticks) {
    body += `<line x1="${left}" y1="${n(yAt(v))}" x2="${width - right}" y2="${n(yAt(v))}" stroke="#e5e7eb" stroke-width="0.7"/>`;
    body += `<text x="${left - 4}" y="${n(yAt(v) + 3)}" font-size="8.5" text-anchor="end" fill="#6b7280">${escapeXml(formatAxisNumber(v, yTicks.step, options.language))}</text>`;
  }
  for (const bin of bins) {
    const x0 = xAt(bin.lo);
    const x1 = hi === lo ? left + plotW : xAt(bin.hi);
    const w = Math.max(0.5, x1 - x0 - 0.8);
    if (bin.count > 0)
      body += `<rect x="${n(x0 + 0.4)}" y="${n(yAt(bin.count))}" width="${n(w)}" height="${n(top + plotH - yAt(bin.count))}" fill="${color}"/>`;
  }
  body += `<line x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}" stroke="#6b7280" stroke-width="0.8"/>`;
  const xTicks = hi === lo ? { ticks: [lo], step: 1 } : niceTicks(lo, hi, 7, options.integer ? 1 : 0);
  for (const v of xTicks.ticks) {
    const x = hi === lo ? left + plotW / 2 : xAt(v);
    body += `<line x1="${n(x)}" y1="${top + plotH}" x2="${n(x)}" y2="${top + plotH + 3}" stroke="#6b7280" stroke-width="0.8"/>`;
    body += `<text x="${n(x)}" y="${top + plotH + 13}" font-size="8.5" text-anchor="middle" fill="#374151">${escapeXml(formatAxisNumber(v, xTicks.step, options.language))}</text>`;
  }
  return svg(width, height, body, options.title ?? 'Histogram');
}

/**
 * Horizontal bars of the most frequent values (categories, booleans, text),
 * with the count and share at the end of each bar.
 */
export function renderTopValuesSvg(
  values: Array<{ label: string; count: number }>,
  options: { total: number; language: 'en' | 'ja'; title?: string; color?: string; width?: number; maxBars?: number },
): SafeSvg {
  const shown = values.slice(0, options.maxBars ?? 8);
  const width = options.width ?? 360;
  const rowH = 17;
  const labelW = 112;
  const valueW = 78;
  const top = 4;
  const height = top + Math.max(1, shown.length) * rowH + 4;
  const plotW = width - labelW - valueW;
  const max = Math.max(1, ...shown.map((v) => v.count));
  const color = options.color ?? '#16a34a';
  const locale = options.language === 'ja' ? 'ja-JP' : 'en-US';
  const countFmt = new Intl.NumberFormat(locale);
  const shareFmt = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  let body = '';
  shown.forEach((v, i) => {
    const y = top + i * rowH;
    // Long labels are cut so they never run into the bars (full values are in the table).
    const label = [...v.label].length > 18 ? `${[...v.label].slice(0, 17).join('')}…` : v.label;
    body += `<text x="${labelW - 6}" y="${y + 11.5}" font-size="9" text-anchor="end" fill="#111827">${escapeXml(label === '' ? '""' : label)}</text>`;
    body += `<rect x="${labelW}" y="${y + 2.5}" width="${n(Math.max(1, (v.count / max) * plotW))}" height="${rowH - 5}" fill="${color}"/>`;
    const share = options.total > 0 ? ` (${shareFmt.format(v.count / options.total)})` : '';
    body += `<text x="${n(labelW + (v.count / max) * plotW + 4)}" y="${y + 11.5}" font-size="8.5" fill="#374151">${escapeXml(countFmt.format(v.count) + share)}</text>`;
  });
  return svg(width, height, body, options.title ?? 'Top values');
}
