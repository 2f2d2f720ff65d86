import { describe, it, expect } from 'vitest';
import {
  escapeXml,
  renderCellBarsSvg,
  renderDeltaBarsSvg,
  renderHistogramSvg,
  renderLineChartSvg,
  renderRadarSvg,
  renderTopValuesSvg,
} from './svg-charts';

const count = (markup: string, needle: string) => markup.split(needle).length - 1;

describe('svg charts', () => {
  it('draws the chapter bars: int(score / 5) filled cells of 20 per level', () => {
    const { markup } = renderCellBarsSvg(
      [
        { label: 'Level 0', score: 90, color: '#111111' },
        { label: 'Level 1', score: 60, color: '#222222' },
        { label: 'Level 2', score: 20, color: '#333333' },
      ],
      { threshold: 70 },
    );
    expect(count(markup, 'fill="#111111"')).toBe(18);
    expect(count(markup, 'fill="#222222"')).toBe(12);
    expect(count(markup, 'fill="#333333"')).toBe(4);
    expect(count(markup, '<rect')).toBe(60);
    expect(markup).toContain('90.0%');
    expect(markup).toContain('>70%<');
    expect(markup.startsWith('<svg')).toBe(true);
  });

  it('escapes every label', () => {
    const evil = '<script>alert(1)</script>&"';
    for (const chart of [
      renderCellBarsSvg([{ label: evil, sublabel: evil, score: 50 }]),
      renderRadarSvg([evil, 'b', 'c'], [{ label: evil, values: [10, 20, 30] }]),
      renderLineChartSvg([evil], [{ label: evil, values: [50] }]),
      renderDeltaBarsSvg([{ label: evil, delta: 5 }]),
    ]) {
      expect(chart.markup).not.toContain('<script>');
      expect(chart.markup).toContain(escapeXml(evil));
    }
  });

  it('places radar points by value (100 on the outer ring, 0 at the centre)', () => {
    const { markup } = renderRadarSvg(['a', 'b', 'c', 'd'], [{ label: 's', values: [100, 0, 0, 0], color: '#123456' }]);
    const polygon = markup.match(/<polygon points="([^"]+)" fill="#123456"/);
    expect(polygon).not.toBeNull();
    const [first, second] = polygon![1].split(' ').map((p) => p.split(',').map(Number));
    const outer = markup.match(/<polygon points="([^"]+)" fill="none" stroke="#d1d5db"/g)!.at(-1)!; // 100 ring
    const ringFirst = outer
      .match(/points="([^ ]+)/)![1]
      .split(',')
      .map(Number);
    expect(first).toEqual(ringFirst);
    expect(second[0]).toBeCloseTo(280, 5); // centre x of the 560-wide canvas
  });

  it('colours deltas by direction, inverting where a fall is better', () => {
    const { markup } = renderDeltaBarsSvg([
      { label: 'up', delta: 25 },
      { label: 'down', delta: -25 },
      { label: 'manual traits down', delta: -25, higherIsBetter: false },
    ]);
    expect(count(markup, 'fill="#16a34a"')).toBe(4); // bar + value text for "up" and for the inverted one
    expect(count(markup, 'fill="#dc2626"')).toBe(2);
    expect(markup).toContain('+25.0');
  });

  it('draws a histogram with one bar per non-empty bin and locale tick labels', () => {
    const bins = [
      { lo: 20, hi: 22.45, count: 10 },
      { lo: 22.45, hi: 24.9, count: 0 },
      { lo: 24.9, hi: 27.35, count: 1234 },
    ];
    const { markup } = renderHistogramSvg(bins, { language: 'en', color: '#123456' });
    expect(count(markup, 'fill="#123456"')).toBe(2);
    expect(markup).toContain('>1,000<'); // y ticks grouped in the locale
    expect(markup).not.toMatch(/>\d+\.\d{3,}</); // no raw bin edges like 22.45 as labels
    expect(markup).toMatch(/>2[0-7]</);
  });

  it('draws top values as horizontal bars with counts and shares, labels escaped and cut', () => {
    const { markup } = renderTopValuesSvg(
      [
        { label: 'Month-to-month', count: 2760 },
        { label: '<b>a very long category name indeed</b>', count: 5 },
      ],
      { total: 5000, language: 'en', color: '#654321' },
    );
    expect(count(markup, 'fill="#654321"')).toBe(2);
    expect(markup).toContain('2,760 (55.2%)');
    expect(markup).toContain('&lt;b&gt;a very long ca…');
    expect(markup).not.toContain('<b>');
  });
});
