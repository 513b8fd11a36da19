import { redirect, type Cookies } from '@sveltejs/kit';
import type { Handle, HandleServerError } from '@sveltejs/kit/hooks';
import {
  DEFAULT_LOCALE,
  isLocale,
  LOCALE_COOKIE,
  LOCALE_COOKIE_MAX_AGE_SECONDS,
  LOCALE_QUERY_PARAM,
  type Locale,
} from '#lib/i18n/locales.ts';

function rememberLocale(cookies: Cookies, locale: Locale): void {
  cookies.set(LOCALE_COOKIE, locale, {
    path: '/',
    maxAge: LOCALE_COOKIE_MAX_AGE_SECONDS,
    sameSite: 'lax',
    // The browser-side switcher writes the same cookie, so it cannot be HttpOnly.
    httpOnly: false,
    // A language preference is not sensitive, and behind a proxy this server cannot always
    // tell http from https (adapter-node assumes https), so never risk a Secure cookie that
    // a plain-http browser would drop.
    secure: false,
  });
}

export const handle: Handle = async ({ event, resolve }) => {
  const { url, request, cookies } = event;

  // The language links in the header work without JavaScript: `?lang=en` stores the choice
  // and redirects to the same page without the parameter. With JavaScript the switcher
  // changes language in place and never gets here.
  const requested = url.searchParams.get(LOCALE_QUERY_PARAM);
  if (request.method === 'GET' && isLocale(requested)) {
    rememberLocale(cookies, requested);
    const target = new URL(url);
    target.searchParams.delete(LOCALE_QUERY_PARAM);
    redirect(303, `${target.pathname}${target.search}${target.hash}`);
  }

  const stored = cookies.get(LOCALE_COOKIE);
  const locale: Locale = isLocale(stored) ? stored : DEFAULT_LOCALE;
  event.locals.locale = locale;

  return resolve(event, {
    // app.html says <html lang="%linli.lang%">; the first chunk holds it.
    transformPageChunk: ({ html }) => html.replace('%linli.lang%', locale),
  });
};

export const handleError: HandleServerError = ({ kind, error, event }) => {
  // Expected errors (error(404) etc.) and framework 404s keep their status and safe message.
  // Anything unexpected is logged here and reaches the browser only as a bare 500.
  if (kind === 'unknown') {
    console.error(`[web] unexpected error on ${event.request.method} ${event.url.pathname}`, error);
  }
};
