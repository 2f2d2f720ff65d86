/** Languages the UI ships in. */
export const LANGUAGES = ['en', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

/** User settings stored in the workspace. */
export interface Settings {
  language: Language;
}
