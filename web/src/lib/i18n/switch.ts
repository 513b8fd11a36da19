import { setActiveLocale } from './index';
import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE_SECONDS, type Locale } from './locales';

/**
 * Browser-only: switches the UI language in place (no reload) and remembers the choice in
 * the `linli_lang` cookie, which hooks.server.ts reads so the next server render matches.
 */
export function switchLocale(next: Locale): void {
  setActiveLocale(next);
  const secure = window.location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${LOCALE_COOKIE}=${next}; Max-Age=${LOCALE_COOKIE_MAX_AGE_SECONDS}; Path=/; SameSite=Lax${secure}`;
  document.documentElement.lang = next;
}
