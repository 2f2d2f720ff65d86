// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { isSafeNoteUrl, renderNoteHtml, sanitizeNoteHtml } from './note-markdown';

/** Renders a note into a detached element, as the page does, and returns it. */
function rendered(markdown: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = renderNoteHtml(markdown);
  return div;
}

/** Every attribute of every element, as "tag attr=value". */
function attributes(el: HTMLElement): string[] {
  return [...el.querySelectorAll('*')].flatMap((n) => [...n.attributes].map((a) => `${n.tagName.toLowerCase()} ${a.name}=${a.value}`));
}

function expectInert(el: HTMLElement): void {
  expect(el.querySelectorAll('script, iframe, img, svg, object, embed, style, form, video, audio, math, link, meta, base').length).toBe(0);
  for (const attr of attributes(el)) {
    expect(attr).not.toMatch(/ on\w+=/i);
    expect(attr).not.toMatch(/ (style|src|srcset|formaction|xlink:href)=/i);
  }
  for (const a of el.querySelectorAll('a')) {
    const href = a.getAttribute('href');
    if (href !== null) expect(href).toMatch(/^(https?:|mailto:)/i);
  }
}

describe('run notes in Markdown', () => {
  it('shows a <script> as text and runs nothing', () => {
    const el = rendered('Before <script>window.pwned = 1</script> after\n\n<script>\nwindow.pwned = 2\n</script>');
    expectInert(el);
    expect(el.textContent).toContain('<script>window.pwned = 1</script>');
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('strips an <img onerror> and images in Markdown syntax', () => {
    const el = rendered('<img src=x onerror=alert(1)>\n\n![tracker](https://example.com/pixel.png)');
    expectInert(el);
    expect(el.querySelector('img')).toBeNull();
    expect(el.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(el.textContent).toContain('tracker');
  });

  it('drops javascript:, data: and other unsafe link targets but keeps the label', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:x',
      'file:///etc/passwd',
    ]) {
      const el = rendered(`[click me](${href})`);
      expectInert(el);
      expect(el.textContent).toContain('click me');
      expect(el.querySelector('a[href]')).toBeNull();
    }
  });

  it('escapes <iframe>, <a onclick>, SVG with script and <style>', () => {
    const el = rendered(
      [
        '<iframe src="https://evil.example"></iframe>',
        '<a href="https://ok.example" onclick="alert(1)">x</a>',
        '<svg><script>alert(1)</script><circle onload="alert(1)"/></svg>',
        '<style>body{display:none}</style>',
        '<details open ontoggle=alert(1)>',
        'inline <b onmouseover="alert(1)">bold</b> html',
      ].join('\n\n'),
    );
    expectInert(el);
    expect(el.querySelector('iframe, svg, b, details')).toBeNull();
    expect(el.textContent).toContain('<iframe src="https://evil.example"></iframe>');
    expect(el.textContent).toContain('<svg><script>alert(1)</script>');
  });

  it('renders ordinary Markdown: headings, lists, code, tables, emphasis, safe links', () => {
    const el = rendered(
      [
        '# Result',
        '## Setup',
        '- first',
        '- **second** and _third_',
        '1. one',
        '2. two',
        '```',
        'const x = a < b && c > d;',
        '```',
        'inline `code <b>` here',
        '',
        '| metric | value |',
        '| --- | ---: |',
        '| accuracy | 0.91 |',
        '',
        '[docs](https://mlflow.org/docs "MLflow") and <https://example.com> and [mail](mailto:a@b.example)',
        '> quoted',
      ].join('\n'),
    );
    expectInert(el);
    expect(el.querySelector('h1')?.textContent).toBe('Result');
    expect(el.querySelector('h2')?.textContent).toBe('Setup');
    expect(el.querySelectorAll('ul li')).toHaveLength(2);
    expect(el.querySelector('ul li strong')?.textContent).toBe('second');
    expect(el.querySelector('ul li em')?.textContent).toBe('third');
    expect(el.querySelectorAll('ol li')).toHaveLength(2);
    expect(el.querySelector('pre code')?.textContent).toBe('const x = a < b && c > d;\n');
    expect(el.querySelector('p code')?.textContent).toBe('code <b>');
    expect([...el.querySelectorAll('th')].map((th) => th.textContent)).toEqual(['metric', 'value']);
    expect(el.querySelector('td[align="right"]')?.textContent).toBe('0.91');
    expect(el.querySelector('blockquote')?.textContent?.trim()).toBe('quoted');
    const links = [...el.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://mlflow.org/docs', 'https://example.com', 'mailto:a@b.example']);
    expect(links[0].getAttribute('title')).toBe('MLflow');
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    }
  });

  it('keeps unicode and very long notes as text', () => {
    const long = 'データ🚀'.repeat(2500);
    const el = rendered(long);
    expect(el.textContent?.trim()).toBe(long);
  });

  it('cuts hostile HTML down to inert formatting even without the Markdown layer', () => {
    const div = document.createElement('div');
    div.innerHTML = sanitizeNoteHtml(
      [
        '<script>alert(1)</script>',
        '<img src=x onerror=alert(1)>',
        '<a href="javascript:alert(1)" onclick="alert(1)">js</a>',
        '<a href="data:text/html,<script>alert(1)</script>">data</a>',
        '<a href="https://ok.example" style="color:red">ok</a>',
        '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
        '<svg><script>alert(1)</script></svg>',
        '<p style="position:fixed" onmouseover="alert(1)">text</p>',
        '<input type="text" onfocus="alert(1)" autofocus>',
        '<input type="checkbox" checked>',
        '<form action="https://evil.example"><button formaction="javascript:alert(1)">b</button></form>',
      ].join(''),
    );
    expectInert(div);
    expect([...div.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([null, null, 'https://ok.example']);
    expect(div.querySelectorAll('input')).toHaveLength(1);
    expect(div.querySelector('input')?.getAttribute('type')).toBe('checkbox');
    expect(div.querySelector('input')?.hasAttribute('disabled')).toBe(true);
    expect(div.querySelector('p')?.textContent).toBe('text');
  });

  it('accepts only http(s) and mailto link targets', () => {
    expect(isSafeNoteUrl('https://a.example')).toBe(true);
    expect(isSafeNoteUrl('http://a.example')).toBe(true);
    expect(isSafeNoteUrl('mailto:x@y.example')).toBe(true);
    expect(isSafeNoteUrl(' javascript:alert(1)')).toBe(false);
    expect(isSafeNoteUrl('/relative')).toBe(false);
    expect(isSafeNoteUrl('#frag')).toBe(false);
    expect(isSafeNoteUrl('data:text/plain,x')).toBe(false);
  });
});
