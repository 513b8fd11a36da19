// Locale constants shared by the server hook and the browser. Kept free of svelte-i18n and
// the message catalogues so hooks.server.ts stays light.

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** Cookie holding the visitor's explicit language choice. Readable by scripts on purpose. */
export const LOCALE_COOKIE = 'linli_lang';
export const LOCALE_COOKIE_MAX_AGE_SECONDS = 60 * 60 * 24 * 365;

/** Query parameter that switches language without JavaScript (see hooks.server.ts). */
export const LOCALE_QUERY_PARAM = 'lang';

/** Each language's name written in that language, so a visitor can always find their own. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  'zh-CN': '中文',
  en: 'English',
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
