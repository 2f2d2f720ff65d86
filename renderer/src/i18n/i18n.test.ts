import { describe, expect, it } from 'vitest';
import { CATALOGS } from './catalogs';
import { formatNumber, translate } from './index';

describe('i18n', () => {
  it('has every key in both English and Japanese, none empty', () => {
    for (const catalog of CATALOGS) {
      expect(Object.keys(catalog.ja).sort()).toEqual(Object.keys(catalog.en).sort());
      for (const text of [...Object.values(catalog.en), ...Object.values(catalog.ja)]) expect(text.trim()).not.toBe('');
    }
  });

  it('keeps placeholders identical across languages', () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const catalog of CATALOGS) for (const key of Object.keys(catalog.en)) expect(placeholders(catalog.ja[key])).toEqual(placeholders(catalog.en[key]));
  });

  it('translates with placeholders and locale number formatting', () => {
    expect(translate('en', 'nav.data')).toBe('Data');
    expect(translate('ja', 'nav.data')).toBe('データ');
    expect(translate('en', 'jobs.running', { count: 1234 })).toBe('1,234 running');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
    expect(formatNumber('ja', 1234.5)).toBe('1,234.5');
  });
});
