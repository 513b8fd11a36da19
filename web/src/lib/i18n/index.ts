// The UI's only entry point to translations. Every catalogue is bundled and registered
// synchronously with addMessages, so switching language never waits on a network load and
// the server can render any language without awaiting.
import { addMessages, format, init, locale } from 'svelte-i18n';
import { derived, type Readable } from 'svelte/store';
import en from './en.json';
import zhCN from './zh-CN.json';
import { DEFAULT_LOCALE, isLocale, type Locale } from './locales';

export * from './locales';

type Catalogue = typeof zhCN;

type LeafKeys<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : LeafKeys<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every translatable key, e.g. 'auth.login.submit'. A typo is a type error. */
export type MessageKey = LeafKeys<Catalogue>;
export type MessageValues = Record<string, string | number>;

// Both assignments type-check only if the catalogues have the same shape, so a key missing
// from either language fails svelte-check rather than showing a raw key to a user.
const enCatalogue: Catalogue = en;
const zhCatalogue: typeof en = zhCN;

addMessages('zh-CN', zhCatalogue);
addMessages('en', enCatalogue);

// In the browser start from the language the server rendered (<html lang>): svelte-i18n
// writes its locale into <html lang> as soon as it is set, so starting from the default
// would flip the page to Chinese between module load and hydration.
const rendered = typeof document === 'undefined' ? undefined : document.documentElement.lang;

void init({
  fallbackLocale: DEFAULT_LOCALE,
  initialLocale: isLocale(rendered) ? rendered : DEFAULT_LOCALE,
  handleMissingMessage: ({ locale: missingIn, id }) => {
    if (import.meta.env.DEV) console.warn(`[i18n] missing message "${id}" in ${missingIn}`);
    return undefined;
  },
});

/** Typed translate function: `$t('auth.login.submit')`, `$t('validation.passwordTooShort', { min: 8 })`. */
export const t: Readable<(key: MessageKey, values?: MessageValues) => string> = derived(
  format,
  ($format) => (key: MessageKey, values?: MessageValues) =>
    $format(key, values === undefined ? undefined : { values }),
);

/** The active UI locale, narrowed to the locales this app ships. */
export const currentLocale: Readable<Locale> = derived(locale, ($locale) =>
  isLocale($locale) ? $locale : DEFAULT_LOCALE,
);

/**
 * Makes `next` the active UI language. Synchronous because every catalogue is already
 * registered; on the server it must be called during the (synchronous) render so that
 * concurrent requests cannot observe each other's language.
 */
export function setActiveLocale(next: Locale): void {
  void locale.set(next);
}
