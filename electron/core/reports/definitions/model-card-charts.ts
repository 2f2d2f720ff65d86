/**
 * Vector charts of the model-card report: feature importance bars, the CV
 * spread of each metric (mean ± std with the test value) and the lineage
 * chain (dataset version → recipe → run → model version → stage). Every text
 * is escaped with svg-charts' escapeXml.
 */
import { formatAxisNumber, niceTicks } from '../../../../shared/format-number';
import { defaultBetter } from '../../../../shared/run-comparison';
import type { SafeSvg } from '../report-document';
import { cutText, escapeXml, n, svg } from '../svg-charts';

function numberFormat(language: 'en' | 'ja', digits: number): Intl.NumberFormat {
  return new Intl.NumberFormat(language === 'ja' ? 'ja-JP' : 'en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: Math.min(digits, 2),
  });
}

/**
 * Horizontal bars of the largest importances (at most `maxBars`), the value
 * at the end of each bar, on a shared axis from 0 with nice ticks. Negative
 * values (a permutation importance below chance) are drawn as 0-width bars
 * with their value.
 */
export function renderImportanceBarsSvg(
  rows: ReadonlyArray<{ feature: string; importance: number }>,
  options: { language: 'en' | 'ja'; title: string; maxBars?: number },
): SafeSvg {
  const shown = rows.slice(0, options.maxBars ?? 15);
  const width = 560;
  const rowH = 17;
  const labelW = 170;
  const valueW = 56;
  const top = 4;
  const axisH = 18;
  const height = top + Math.max(1, shown.length) * rowH + axisH;
  const plotW = width - labelW - valueW;
  const max = Math.max(1e-12, ...shown.map((r) => r.importance));
  const ticks = niceTicks(0, max, 5);
  const axisMax = Math.max(max, ticks.ticks.at(-1) ?? max);
  const xAt = (v: number) => labelW + (Math.max(0, v) / axisMax) * plotW;
  const fmt = numberFormat(options.language, 3);
  let body = '';
  for (const t of ticks.ticks) {
    body += `<line x1="${n(xAt(t))}" y1="${top}" x2="${n(xAt(t))}" y2="${top + shown.length * rowH}" stroke="#e5e7eb" stroke-width="0.7"/>`;
    body += `<text x="${n(xAt(t))}" y="${height - 4}" font-size="8.5" text-anchor="middle" fill="#6b7280">${escapeXml(formatAxisNumber(t, ticks.step, options.language))}</text>`;
  }
  shown.forEach((r, i) => {
    const y = top + i * rowH;
    body += `<text x="${labelW - 6}" y="${y + 11.5}" font-size="9" text-anchor="end" fill="#111827">${escapeXml(cutText(r.feature, 30))}</text>`;
    const w = Math.max(0, xAt(r.importance) - labelW);
    body += `<rect x="${labelW}" y="${y + 2.5}" width="${n(Math.max(0.5, w))}" height="${rowH - 5}" fill="#2563eb"/>`;
    body += `<text x="${n(labelW + w + 4)}" y="${y + 11.5}" font-size="8.5" fill="#374151">${escapeXml(fmt.format(r.importance))}</text>`;
  });
  body += `<line x1="${labelW}" y1="${top + shown.length * rowH}" x2="${labelW + plotW}" y2="${top + shown.length * rowH}" stroke="#6b7280" stroke-width="0.8"/>`;
  return svg(width, height, body, options.title);
}

/** One metric row of the CV spread chart. */
export interface CvSpreadRow {
  key: string;
  test: number | null;
  cvMean: number;
  cvStd: number;
}

/** Lowest and highest value a row draws (band ends and test value). */
function rowExtent(r: CvSpreadRow): [number, number] {
  return [Math.min(r.cvMean - r.cvStd, r.test ?? Infinity), Math.max(r.cvMean + r.cvStd, r.test ?? -Infinity)];
}

/**
 * The CV spread of each metric: a band from mean − std to mean + std, a dot
 * at the CV mean, a diamond at the held-out test value. Higher-is-better
 * metrics on the unit scale (accuracy, F1, AUC, R² of a good fit…) share one
 * axis, so their positions compare; the others (log loss, RMSE…) each get
 * their own scale with its ends labelled. A test value far outside the band is the
 * overfitting signal the registration gate checks (|test − CV|).
 */
export function renderCvSpreadSvg(
  rows: readonly CvSpreadRow[],
  options: { language: 'en' | 'ja'; title: string; legend: { cv: string; test: string } },
): SafeSvg {
  const width = 560;
  const rowH = 24;
  const labelW = 130;
  const right = 84;
  const legendH = 22;
  const axisH = 18;
  const plotW = width - labelW - right;
  const fmt = numberFormat(options.language, 4);
  // Losses and errors read the other way (lower is better): they keep their own scale even when below 1.
  const unit = rows.filter((r) => {
    const [lo, hi] = rowExtent(r);
    return lo >= 0 && hi <= 1 && defaultBetter(r.key) === 'higher';
  });
  const own = rows.filter((r) => !unit.includes(r));
  const unitTop = legendH;
  const ownTop = unitTop + (unit.length > 0 ? unit.length * rowH + axisH + 8 : 0);
  const height = ownTop + own.length * (rowH + 6) + 4;
  let body = '';
  // Legend.
  body += `<line x1="${labelW}" y1="10" x2="${labelW + 24}" y2="10" stroke="#93c5fd" stroke-width="6"/><circle cx="${labelW + 12}" cy="10" r="3.2" fill="#1d4ed8"/>`;
  body += `<text x="${labelW + 30}" y="13" font-size="9" fill="#374151">${escapeXml(options.legend.cv)}</text>`;
  const lx = labelW + 200;
  body += `<path d="M ${lx} 5.5 L ${lx + 4.5} 10 L ${lx} 14.5 L ${lx - 4.5} 10 Z" fill="#ea580c"/>`;
  body += `<text x="${lx + 9}" y="13" font-size="9" fill="#374151">${escapeXml(options.legend.test)}</text>`;

  const drawRow = (r: CvSpreadRow, y: number, h: number, xAt: (v: number) => number, shade: boolean) => {
    const mid = y + h / 2;
    if (shade) body += `<rect x="0" y="${y}" width="${width}" height="${h}" fill="#f9fafb"/>`;
    body += `<text x="${labelW - 8}" y="${mid + 3.5}" font-size="9.5" text-anchor="end" fill="#111827">${escapeXml(cutText(r.key, 24))}</text>`;
    body += `<line x1="${labelW}" y1="${mid}" x2="${labelW + plotW}" y2="${mid}" stroke="#d1d5db" stroke-width="0.8"/>`;
    const x0 = xAt(r.cvMean - r.cvStd);
    const x1 = xAt(r.cvMean + r.cvStd);
    body += `<rect x="${n(x0)}" y="${n(mid - 4)}" width="${n(Math.max(1, x1 - x0))}" height="8" rx="2" fill="#93c5fd"/>`;
    body += `<circle cx="${n(xAt(r.cvMean))}" cy="${mid}" r="3.5" fill="#1d4ed8"/>`;
    if (r.test !== null) {
      const tx = xAt(r.test);
      body += `<path d="M ${n(tx)} ${n(mid - 5.5)} L ${n(tx + 5)} ${mid} L ${n(tx)} ${n(mid + 5.5)} L ${n(tx - 5)} ${mid} Z" fill="#ea580c" stroke="#fff" stroke-width="0.8"/>`;
    }
    body += `<text x="${labelW + plotW + 8}" y="${mid + 3.5}" font-size="8.5" fill="#374151">${escapeXml(`${fmt.format(r.cvMean)} ± ${fmt.format(r.cvStd)}`)}</text>`;
  };

  if (unit.length > 0) {
    // One axis over the unit-scale rows: their range padded, never beyond [0, 1].
    const lo0 = Math.min(...unit.map((r) => rowExtent(r)[0]));
    const hi0 = Math.max(...unit.map((r) => rowExtent(r)[1]));
    const pad = Math.max(0.01, (hi0 - lo0) * 0.1);
    const lo = Math.max(0, lo0 - pad);
    const hi = Math.min(1, hi0 + pad);
    const xAt = (v: number) => labelW + ((v - lo) / (hi - lo || 1)) * plotW;
    const ticks = niceTicks(lo, hi, 6);
    const bottom = unitTop + unit.length * rowH;
    unit.forEach((r, i) => drawRow(r, unitTop + i * rowH, rowH, xAt, i % 2 === 0));
    for (const t of ticks.ticks) {
      body += `<line x1="${n(xAt(t))}" y1="${unitTop}" x2="${n(xAt(t))}" y2="${bottom + 3}" stroke="#e5e7eb" stroke-width="0.7"/>`;
      body += `<text x="${n(xAt(t))}" y="${bottom + 13}" font-size="8.5" text-anchor="middle" fill="#6b7280">${escapeXml(formatAxisNumber(t, ticks.step, options.language))}</text>`;
    }
    body += `<line x1="${labelW}" y1="${bottom}" x2="${labelW + plotW}" y2="${bottom}" stroke="#6b7280" stroke-width="0.8"/>`;
  }
  own.forEach((r, i) => {
    // Each on its own scale, ends labelled under the row.
    const [lo0, hi0] = rowExtent(r);
    const pad = (hi0 - lo0 || Math.abs(r.cvMean) || 1) * 0.15;
    const lo = lo0 - pad;
    const hi = hi0 + pad;
    const y = ownTop + i * (rowH + 6);
    drawRow(r, y, rowH, (v) => labelW + ((v - lo) / (hi - lo)) * plotW, false);
    body += `<text x="${labelW}" y="${y + rowH + 4}" font-size="7.5" fill="#9ca3af">${escapeXml(fmt.format(lo))}</text>`;
    body += `<text x="${labelW + plotW}" y="${y + rowH + 4}" font-size="7.5" text-anchor="end" fill="#9ca3af">${escapeXml(fmt.format(hi))}</text>`;
  });
  return svg(width, height, body, options.title);
}

/** One box of the lineage chain: a kind ("Dataset version") and what it is ("churn@v2"). */
export interface LineageStep {
  kind: string;
  label: string;
  detail?: string;
}

/** The lineage as a chain of boxes joined by arrows, left to right (two rows when there are more than five steps). */
export function renderLineageSvg(steps: readonly LineageStep[], options: { title: string }): SafeSvg {
  const perRow = steps.length > 5 ? Math.ceil(steps.length / 2) : steps.length;
  const width = 680;
  const boxH = 52;
  const gapX = 20;
  const rowGap = 26;
  const rowsN = Math.max(1, Math.ceil(steps.length / perRow));
  const boxW = (width - (perRow - 1) * gapX - 2) / perRow;
  const height = rowsN * boxH + (rowsN - 1) * rowGap + 4;
  const maxChars = Math.max(8, Math.floor((boxW - 12) / 5.8));
  let body =
    '<defs><marker id="mc-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#6b7280"/></marker></defs>';
  const pos = (i: number) => {
    const row = Math.floor(i / perRow);
    const col = i % perRow;
    return { x: 1 + col * (boxW + gapX), y: 2 + row * (boxH + rowGap), row, col };
  };
  steps.forEach((s, i) => {
    const { x, y } = pos(i);
    body += `<rect x="${n(x)}" y="${y}" width="${n(boxW)}" height="${boxH}" rx="5" fill="#eff6ff" stroke="#2563eb" stroke-width="1"/>`;
    body += `<text x="${n(x + 8)}" y="${y + 14}" font-size="8" font-weight="700" fill="#2563eb">${escapeXml(cutText(s.kind.toUpperCase(), maxChars))}</text>`;
    body += `<text x="${n(x + 8)}" y="${y + 30}" font-size="10" font-weight="700" fill="#111827">${escapeXml(cutText(s.label, maxChars - 2))}</text>`;
    if (s.detail)
      body += `<text x="${n(x + 8)}" y="${y + 44}" font-size="8" fill="#6b7280">${escapeXml(cutText(s.detail, maxChars + 2))}</text>`;
    if (i + 1 < steps.length) {
      const next = pos(i + 1);
      if (next.row === pos(i).row) {
        body += `<line x1="${n(x + boxW + 2)}" y1="${y + boxH / 2}" x2="${n(next.x - 3)}" y2="${next.y + boxH / 2}" stroke="#6b7280" stroke-width="1.2" marker-end="url(#mc-arrow)"/>`;
      } else {
        // Down to the next row's first box: right edge → below → left.
        const fromX = x + boxW / 2;
        const midY = y + boxH + rowGap / 2;
        const toX = next.x + boxW / 2;
        body += `<path d="M ${n(fromX)} ${y + boxH + 1} L ${n(fromX)} ${midY} L ${n(toX)} ${midY} L ${n(toX)} ${next.y - 3}" fill="none" stroke="#6b7280" stroke-width="1.2" marker-end="url(#mc-arrow)"/>`;
      }
    }
  });
  return svg(width, height, body, options.title);
}
