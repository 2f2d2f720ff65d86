import { DEFAULT_SETTINGS, settingsPatchSchema, type Settings } from '../../../shared/settings';
import type { Db } from './database';

/** Typed access to the key/value settings table. */
export function createSettingsRepo(db: Db) {
  return {
    getSettings(): Settings {
      const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
      const settings: Settings = { ...DEFAULT_SETTINGS };
      // Each stored value is kept only when it still passes today's rules (a bad row falls back to the default).
      for (const r of rows) {
        const key = r.key as keyof Settings;
        if (!(key in DEFAULT_SETTINGS)) continue;
        const parsed = settingsPatchSchema.shape[key].safeParse(JSON.parse(r.value));
        if (parsed.success && parsed.data !== undefined) (settings as unknown as Record<string, unknown>)[key] = parsed.data;
      }
      return settings;
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
