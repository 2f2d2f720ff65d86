/**
 * Renders a ReportDocument to one self-contained print HTML file: inline
 * CSS, inline SVG charts, no scripts, no external requests (a CSP meta tag
 * forbids them), A4 or Letter via @page, and page furniture (title,
 * workspace, date, "page X of Y") in CSS page-margin boxes. Margin boxes are
 * printed by Chromium ≥ 131 — Electron's printToPDF, Playwright's page.pdf()
 * and a browser's own "Print" of the saved HTML all number pages the same way.
 */
import type { Locale } from '../../../shared/maturity';
import type { Paper, ReportBlock, ReportDocument, TableCell, Tone } from './report-document';
import { escapeXml } from './svg-charts';

export interface RenderOptions {
  paper: Paper;
}

/**
 * Font stacks per report language. English prefers a Latin font: embedding a
 * subset of the CJK collection costs seconds per PDF, so CJK fonts are only
 * reached for Japanese glyphs (e.g. a Japanese note in an English report).
 */
// Japanese: the OS's own fonts first (macOS, Windows); on Linux IPA Gothic, which Chromium
// embeds about 3x faster than the large Noto CJK collection.
const FONT_STACKS: Record<Locale, string> = {
  en: '"Liberation Sans", Arial, Helvetica, "DejaVu Sans", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif',
  ja: '"Hiragino Sans", "Yu Gothic", Meiryo, "IPAPGothic", "IPAGothic", "Noto Sans CJK JP", "Liberation Sans", Arial, sans-serif',
};

const FURNITURE: Record<Locale, { page: string; of: string }> = {
  en: { page: 'Page', of: 'of' },
  ja: { page: 'ページ', of: '/' },
};

/** Formats an ISO time as a long local date in the report language. */
export function formatReportDate(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

/** A CSS string literal (for `content:`), escaped so any title is safe. */
function cssString(value: string): string {
  return `"${value
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/[\n\r]/g, ' ')
    .replace(/</g, '\\3C ')}"`;
}

const TONE_CLASS: Record<Tone, string> = { neutral: '', good: 'tone-good', warn: 'tone-warn', bad: 'tone-bad', muted: 'tone-muted' };

function renderCell(cell: TableCell, align?: string): string {
  const style = align && align !== 'left' ? ` style="text-align:${align}"` : '';
  if (typeof cell === 'string') return `<td${style}>${escapeXml(cell)}</td>`;
  const note = cell.note ? `<div class="cell-note">${escapeXml(cell.note)}</div>` : '';
  return `<td class="${TONE_CLASS[cell.tone ?? 'neutral']}"${style}>${escapeXml(cell.text)}${note}</td>`;
}

function renderBlock(block: ReportBlock): string {
  switch (block.type) {
    case 'cover':
      return `<section class="cover"><div class="cover-kicker">${escapeXml(block.kicker)}</div><h1 class="cover-title">${escapeXml(block.title)}</h1>${
        block.subtitle ? `<div class="cover-subtitle">${escapeXml(block.subtitle)}</div>` : ''
      }<dl class="cover-facts">${block.facts.map(([k, v]) => `<dt>${escapeXml(k)}</dt><dd>${escapeXml(v)}</dd>`).join('')}</dl></section>`;
    case 'heading':
      return `<h${block.level + 1}>${escapeXml(block.text)}</h${block.level + 1}>`;
    case 'paragraph':
      return `<p class="${TONE_CLASS[block.tone ?? 'neutral']}">${escapeXml(block.text)}</p>`;
    case 'keyValues':
      return `<dl class="kv">${block.rows.map(([k, v]) => `<dt>${escapeXml(k)}</dt><dd>${escapeXml(v)}</dd>`).join('')}</dl>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      return `<${tag}>${block.items.map((item) => `<li>${escapeXml(item)}</li>`).join('')}</${tag}>`;
    }
    case 'table': {
      const widths = block.columns.some((c) => c.width)
        ? `<colgroup>${block.columns.map((c) => `<col${c.width ? ` style="width:${escapeXml(c.width)}"` : ''}>`).join('')}</colgroup>`
        : '';
      const head = `<thead><tr>${block.columns.map((c) => `<th${c.align && c.align !== 'left' ? ` style="text-align:${c.align}"` : ''}>${escapeXml(c.label)}</th>`).join('')}</tr></thead>`;
      const body = `<tbody>${block.rows.map((row) => `<tr>${row.map((cell, i) => renderCell(cell, block.columns[i]?.align)).join('')}</tr>`).join('')}</tbody>`;
      const caption = block.caption ? `<caption>${escapeXml(block.caption)}</caption>` : '';
      return `<table class="${block.compact ? 'compact' : ''}">${caption}${widths}${head}${body}</table>`;
    }
    case 'figure':
      return `<figure class="${block.width === 'half' ? 'half' : ''}">${block.svg.markup}${block.caption ? `<figcaption>${escapeXml(block.caption)}</figcaption>` : ''}</figure>`;
    case 'figureRow':
      return `<div class="figure-row">${block.figures
        .map((f) => `<figure>${f.svg.markup}${f.caption ? `<figcaption>${escapeXml(f.caption)}</figcaption>` : ''}</figure>`)
        .join('')}</div>`;
    case 'callout':
      return `<div class="callout ${TONE_CLASS[block.tone]}">${block.title ? `<strong>${escapeXml(block.title)}</strong> ` : ''}${escapeXml(block.text)}</div>`;
    case 'columns':
      return `<div class="columns">${block.columns
        .map(
          (column, i) =>
            `<div class="column"${block.widths?.[i] ? ` style="flex: 0 0 ${escapeXml(block.widths[i])}"` : ''}>${column.map(renderBlock).join('')}</div>`,
        )
        .join('')}</div>`;
    case 'group':
      return `<div class="keep-together">${block.blocks.map(renderBlock).join('')}</div>`;
    case 'pageBreak':
      return '<div class="page-break"></div>';
  }
}

/** Renders the document to a complete HTML file. */
export function renderReportHtml(doc: ReportDocument, options: RenderOptions): string {
  const words = FURNITURE[doc.lang];
  const FONT_STACK = FONT_STACKS[doc.lang];
  const date = formatReportDate(doc.generatedAt, doc.lang);
  const pageLabel =
    doc.lang === 'ja'
      ? `counter(page) " / " counter(pages)`
      : `${cssString(`${words.page} `)} counter(page) " ${words.of} " counter(pages)`;
  const css = `
@page {
  size: ${options.paper === 'Letter' ? 'letter' : 'A4'};
  margin: 20mm 16mm 20mm 16mm;
  @top-left { content: ${cssString(doc.title)}; font: 8.5pt ${FONT_STACK}; color: #6b7280; }
  @top-right { content: ${cssString(doc.workspaceName)}; font: 8.5pt ${FONT_STACK}; color: #6b7280; }
  @bottom-left { content: ${cssString(`${doc.workspaceName} · ${date}`)}; font: 8.5pt ${FONT_STACK}; color: #6b7280; }
  @bottom-right { content: ${pageLabel}; font: 8.5pt ${FONT_STACK}; color: #6b7280; }
}
@page :first { @top-left { content: none; } @top-right { content: none; } }
* { box-sizing: border-box; }
html { font-family: ${FONT_STACK}; font-size: 10pt; line-height: 1.45; color: #111827; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; }
h2 { font-size: 15pt; margin: 0 0 8pt; padding-bottom: 3pt; border-bottom: 1.5pt solid #2563eb; break-after: avoid; }
h3 { font-size: 12pt; margin: 14pt 0 6pt; break-after: avoid; }
h4 { font-size: 10.5pt; margin: 10pt 0 4pt; break-after: avoid; }
p { margin: 0 0 6pt; }
ol, ul { margin: 0 0 8pt; padding-left: 18pt; break-inside: avoid; }
li { margin-bottom: 2pt; }
.cover { height: 240mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }
.cover-kicker { font-size: 11pt; letter-spacing: 0.08em; text-transform: uppercase; color: #2563eb; font-weight: 700; }
.cover-title { font-size: 28pt; line-height: 1.15; margin: 8pt 0 6pt; }
.cover-subtitle { font-size: 14pt; color: #374151; margin-bottom: 24pt; }
.cover-facts, .kv { display: grid; grid-template-columns: max-content 1fr; gap: 3pt 14pt; margin: 0 0 10pt; }
.cover-facts { font-size: 11pt; border-top: 1pt solid #d1d5db; padding-top: 12pt; }
dt { color: #6b7280; } dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; margin: 4pt 0 12pt; font-size: 9pt; }
table.compact { font-size: 8.5pt; }
caption { text-align: left; font-weight: 600; margin-bottom: 3pt; }
thead { display: table-header-group; }
th { text-align: left; background: #f3f4f6; border-bottom: 1pt solid #9ca3af; padding: 4pt 5pt; font-weight: 700; }
td { border-bottom: 0.5pt solid #e5e7eb; padding: 3.5pt 5pt; vertical-align: top; }
tr { break-inside: avoid; }
.cell-note { color: #4b5563; font-size: 8pt; margin-top: 1.5pt; font-style: italic; }
.tone-good { color: #15803d; } .tone-warn { color: #b45309; } .tone-bad { color: #b91c1c; } .tone-muted { color: #6b7280; }
figure { margin: 6pt 0 12pt; break-inside: avoid; }
figure.half { width: 60%; }
figcaption { font-size: 8.5pt; color: #6b7280; margin-top: 3pt; }
.figure-row { display: flex; gap: 12pt; align-items: flex-start; break-inside: avoid; }
.figure-row figure { flex: 1; }
.callout { border-left: 3pt solid #2563eb; background: #eff6ff; padding: 6pt 9pt; margin: 6pt 0 10pt; break-inside: avoid; }
.callout.tone-good { border-color: #16a34a; background: #f0fdf4; color: #111827; }
.callout.tone-warn { border-color: #d97706; background: #fffbeb; color: #111827; }
.callout.tone-bad { border-color: #dc2626; background: #fef2f2; color: #111827; }
.columns { display: flex; gap: 14pt; align-items: center; break-inside: avoid; margin-bottom: 8pt; }
.column { flex: 1; min-width: 0; }
.page-break { break-after: page; }
.keep-together { break-inside: avoid; }
@media screen { body { max-width: 190mm; margin: 12mm auto; } .cover { height: auto; min-height: 60vh; } }
`;
  return `<!DOCTYPE html>
<html lang="${doc.lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="MLOps Workbench">
<title>${escapeXml(doc.title)}</title>
<style>${css}</style>
</head>
<body>
${doc.blocks.map(renderBlock).join('\n')}
</body>
</html>
`;
}
