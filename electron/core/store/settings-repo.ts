import { LANGUAGES, type Settings } from '../../../shared/settings';
import type { Db } from './database';

const DEFAULTS: Settings = { language: 'en' };

/** Typed access to the key/value settings table. */
export function createSettingsRepo(db: Db) {
  return {
    getSettings(): Settings {
      const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
      const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)]));
      const language = LANGUAGES.includes(stored.language) ? stored.language : DEFAULTS.language;
      return { language };
    },
    updateSettings(patch: Partial<Settings>): Settings {
      const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
      db.transaction(() => {
        for (const [key, value] of Object.entries(patch)) if (value !== undefined) put.run(key, JSON.stringify(value));
      })();
      return this.getSettings();
    },
  };
}
export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
