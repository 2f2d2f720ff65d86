import { create } from 'zustand';
import type { Language } from '../../../shared/settings';
import { CATALOGS } from './catalogs';

/** A feature's messages: the same keys in English and Japanese (a test checks they match). */
export interface MessageCatalog {
  en: Record<string, string>;
  ja: Record<string, string>;
}

const merged: Record<Language, Record<string, string>> = { en: {}, ja: {} };
for (const catalog of CATALOGS) {
  Object.assign(merged.en, catalog.en);
  Object.assign(merged.ja, catalog.ja);
}

interface LanguageState {
  language: Language;
  setLanguage(language: Language): void;
}

/** The UI language (loaded from settings at start, changed in Settings). */
export const useLanguage = create<LanguageState>((set) => ({
  language: 'en',
  setLanguage: (language) => {
    document.documentElement.lang = language;
    set({ language });
  },
}));

/** Looks a key up in a language and fills `{name}` placeholders. Unknown keys show as the key itself. */
export function translate(language: Language, key: string, params?: Record<string, string | number>): string {
  const text = merged[language][key] ?? merged.en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? formatValue(language, params[name]) : m));
}

function formatValue(language: Language, value: string | number): string {
  return typeof value === 'number' ? formatNumber(language, value) : value;
}

/** Formats a number for the language's locale. */
export function formatNumber(language: Language, value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(language === 'ja' ? 'ja-JP' : 'en-US', options).format(value);
}

/** Formats an ISO date-time for the language's locale. */
export function formatDateTime(language: Language, iso: string | null | undefined, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-US', options).format(date);
}

/** Formats a byte count (1.2 MB). */
export function formatBytes(language: Language, bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${formatNumber(language, v, { maximumFractionDigits: i === 0 ? 0 : 1 })} ${units[i]}`;
}

/** The translator and formatters for the current language; re-renders on a switch. */
export function useT() {
  const language = useLanguage((s) => s.language);
  const t = (key: string, params?: Record<string, string | number>) => translate(language, key, params);
  t.language = language;
  t.number = (value: number, options?: Intl.NumberFormatOptions) => formatNumber(language, value, options);
  t.dateTime = (iso: string | null | undefined, options?: Intl.DateTimeFormatOptions) => formatDateTime(language, iso, options);
  t.bytes = (bytes: number) => formatBytes(language, bytes);
  return t;
}
export type Translator = ReturnType<typeof useT>;
