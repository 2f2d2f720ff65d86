/**
 * The intermediate form every report is built into: a small, print-oriented
 * block model. Report definitions produce it from stored data; one renderer
 * turns it into self-contained print HTML. Keeping definitions away from
 * HTML means every report gets the same escaping, layout and page furniture.
 */
import type { Locale } from '../../../shared/maturity';

/**
 * SVG markup produced by our own chart functions (svg-charts.ts), which
 * escape every text they embed. The brand stops arbitrary strings from
 * reaching the HTML unescaped.
 */
export interface SafeSvg {
  readonly kind: 'safe-svg';
  readonly markup: string;
}

/** Tone of a table cell or callout, rendered as a colour. */
export type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'muted';

export type TableCell = string | { text: string; tone?: Tone; note?: string };

export type ReportBlock =
  | { type: 'cover'; kicker: string; title: string; subtitle?: string; facts: Array<[string, string]> }
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | { type: 'paragraph'; text: string; tone?: Tone }
  | { type: 'keyValues'; rows: Array<[string, string]> }
  | { type: 'list'; ordered: boolean; items: string[] }
  | {
      type: 'table';
      columns: Array<{ label: string; align?: 'left' | 'right' | 'center'; width?: string }>;
      rows: TableCell[][];
      caption?: string;
      compact?: boolean;
    }
  | { type: 'figure'; svg: SafeSvg; caption?: string; width?: 'full' | 'half' }
  | { type: 'figureRow'; figures: Array<{ svg: SafeSvg; caption?: string }> }
  | { type: 'callout'; tone: Tone; title?: string; text: string }
  | { type: 'columns'; columns: ReportBlock[][]; widths?: string[] }
  /** Blocks kept together on one page when they fit (e.g. a heading with its table and chart). */
  | { type: 'group'; blocks: ReportBlock[] }
  | { type: 'pageBreak' };

export type Paper = 'A4' | 'Letter';

/** A built report, ready to render. */
export interface ReportDocument {
  /** Report definition id, e.g. "maturity". */
  reportId: string;
  title: string;
  lang: Locale;
  workspaceName: string;
  /** ISO time the report was built. */
  generatedAt: string;
  /** Suggested file name without extension. */
  fileStem: string;
  blocks: ReportBlock[];
}
