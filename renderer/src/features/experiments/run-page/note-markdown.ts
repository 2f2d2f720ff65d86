/**
 * A run's Markdown notes as safe HTML. Two independent layers, so a hole in
 * one is not enough for a note to run anything:
 * 1. marked renders with a renderer that escapes every raw HTML token (block
 *    and inline), drops images to their alt text and writes links only for
 *    http(s) and mailto addresses;
 * 2. DOMPurify then keeps only an allow-list of plain text-formatting tags
 *    and attributes (no `style`, no event handlers, no `src`), and forces
 *    every remaining link to open outside with rel="noopener noreferrer".
 */
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

/** Tags a rendered note may contain: what Markdown (with GFM tables) produces, nothing that loads or runs. */
const ALLOWED_TAGS = [
  'a',
  'blockquote',
  'br',
  'code',
  'del',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'strong',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
  'input',
];
/** Attributes kept: link targets, table alignment, task-list checkboxes. */
const ALLOWED_ATTR = ['href', 'title', 'align', 'type', 'checked', 'disabled', 'start', 'target', 'rel'];

const SAFE_URL = /^(?:https?:|mailto:)/i;

/** True when a link target may be followed from a note: http(s) or mailto only (no javascript:, data:, file:, relative). */
export function isSafeNoteUrl(href: string): boolean {
  // Browsers ignore control characters and spaces inside a scheme ("java\tscript:"); so do we before checking.
  const compact = [...href].filter((c) => c.charCodeAt(0) > 0x20 && (c.charCodeAt(0) < 0x7f || c.charCodeAt(0) > 0x9f)).join('');
  return SAFE_URL.test(compact);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    // Raw HTML in a note is shown as the text the user typed.
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    // No images: a note never makes the app fetch anything.
    image({ text }: Tokens.Image) {
      return escapeHtml(text);
    },
    link(this: { parser: { parseInline(tokens: Tokens.Link['tokens']): string } }, { href, title, tokens }: Tokens.Link) {
      const label = this.parser.parseInline(tokens);
      if (!isSafeNoteUrl(href)) return label;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href)}"${titleAttr} target="_blank" rel="noopener noreferrer">${label}</a>`;
    },
  },
});

let purifier: ReturnType<typeof DOMPurify> | undefined;
/**
 * The notes' own DOMPurify instance (its hooks do not leak to other users of
 * the library): the last word on links (only http(s)/mailto, opening
 * outside) and inputs (disabled task-list checkboxes only).
 */
function notePurifier(): ReturnType<typeof DOMPurify> {
  if (purifier) return purifier;
  purifier = DOMPurify(window);
  purifier.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') {
      const href = node.getAttribute('href');
      if (!href || !isSafeNoteUrl(href)) node.removeAttribute('href');
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
    if (node.nodeName === 'INPUT') {
      if (node.getAttribute('type') !== 'checkbox') node.parentNode?.removeChild(node);
      else node.setAttribute('disabled', '');
    }
  });
  return purifier;
}

/** The second layer alone: HTML cut down to the notes' allow-list (exported so it can be tested without marked's escaping). */
export function sanitizeNoteHtml(html: string): string {
  // URI checks on href are the hook's (DOMPurify's ALLOWED_URI_REGEXP would also judge plain values such as align="right").
  return notePurifier().sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
  });
}

/** A note's Markdown as HTML that is safe to put in the page (see the module comment for how). */
export function renderNoteHtml(markdown: string): string {
  return sanitizeNoteHtml(marked.parse(markdown, { async: false }));
}
