/**
 * The drift report's per-feature overlay: both sides' shares on one vector
 * chart — a histogram on the shared edges (outlined bars, baseline filled,
 * current outlined) or side-by-side bars of the top categories.
 */
import type { DriftChart } from '../../../../shared/drift';
import type { SafeSvg } from '../report-document';
import { CHART_COLORS, escapeXml, n } from '../svg-charts';

const BASE = CHART_COLORS[0];
const CUR = CHART_COLORS[3];

function frame(width: number, height: number, body: string, label: string): SafeSvg {
  return {
    kind: 'safe-svg',
    markup: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeXml(label)}" font-family="inherit">${body}</svg>`,
  };
}

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(3))));

/** Overlay of one column's two distributions (shares, so unequal sizes compare). */
export function renderDriftOverlaySvg(chart: DriftChart, labels: { baseline: string; current: string; title: string }): SafeSvg {
  const width = 360;
  const height = 170;
  const left = 34;
  const right = 8;
  const top = 18;
  const bottom = 26;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const shares = [...chart.baselineShares, ...chart.currentShares];
  const max = Math.max(1e-9, ...shares);
  const yAt = (s: number) => top + plotH - (s / max) * plotH;
  let body = '';
  body += `<rect x="${left}" y="3" width="9" height="9" fill="${BASE}" fill-opacity="0.45"/><text x="${left + 12}" y="11" font-size="8.5" fill="#374151">${escapeXml(labels.baseline)}</text>`;
  body += `<rect x="${left + 150}" y="3" width="9" height="9" fill="none" stroke="${CUR}" stroke-width="1.4"/><text x="${left + 162}" y="11" font-size="8.5" fill="#374151">${escapeXml(labels.current)}</text>`;
  for (const f of [0, 0.5, 1]) {
    const y = yAt(max * f);
    body += `<line x1="${left}" y1="${n(y)}" x2="${width - right}" y2="${n(y)}" stroke="#e5e7eb" stroke-width="0.6"/>`;
    body += `<text x="${left - 3}" y="${n(y + 3)}" font-size="8" text-anchor="end" fill="#6b7280">${Number((max * f * 100).toFixed(1))}%</text>`;
  }
  if (chart.kind === 'histogram') {
    const k = chart.baselineShares.length;
    const w = plotW / Math.max(1, k);
    for (let i = 0; i < k; i++) {
      const x = left + i * w;
      const b = chart.baselineShares[i];
      const c = chart.currentShares[i];
      if (b > 0)
        body += `<rect x="${n(x + 0.3)}" y="${n(yAt(b))}" width="${n(w - 0.6)}" height="${n(top + plotH - yAt(b))}" fill="${BASE}" fill-opacity="0.45"/>`;
      if (c > 0)
        body += `<rect x="${n(x + 0.3)}" y="${n(yAt(c))}" width="${n(w - 0.6)}" height="${n(top + plotH - yAt(c))}" fill="none" stroke="${CUR}" stroke-width="1.2"/>`;
    }
    const edges = chart.edges;
    for (const i of [0, Math.floor(k / 2), k]) {
      if (edges[i] === undefined) continue;
      body += `<text x="${n(left + i * w)}" y="${top + plotH + 12}" font-size="8" text-anchor="middle" fill="#374151">${escapeXml(fmt(edges[i]))}</text>`;
    }
  } else {
    const k = chart.categories.length;
    const w = plotW / Math.max(1, k);
    for (let i = 0; i < k; i++) {
      const x = left + i * w;
      const bw = Math.max(1, w / 2 - 1.5);
      body += `<rect x="${n(x + 1)}" y="${n(yAt(chart.baselineShares[i]))}" width="${n(bw)}" height="${n(top + plotH - yAt(chart.baselineShares[i]))}" fill="${BASE}" fill-opacity="0.6"/>`;
      body += `<rect x="${n(x + 1 + bw)}" y="${n(yAt(chart.currentShares[i]))}" width="${n(bw)}" height="${n(top + plotH - yAt(chart.currentShares[i]))}" fill="${CUR}" fill-opacity="0.75"/>`;
      const label = [...chart.categories[i]].length > 10 ? `${[...chart.categories[i]].slice(0, 9).join('')}…` : chart.categories[i];
      body += `<text x="${n(x + w / 2)}" y="${top + plotH + 12}" font-size="7.5" text-anchor="middle" fill="#374151">${escapeXml(label)}</text>`;
    }
  }
  body += `<line x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}" stroke="#6b7280" stroke-width="0.8"/>`;
  return frame(width, height, body, labels.title);
}
