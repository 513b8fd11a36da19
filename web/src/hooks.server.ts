import { redirect, type Cookies } from '@sveltejs/kit';
import { sequence, type Handle, type HandleServerError } from '@sveltejs/kit/hooks';
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

// Security headers of the pages. The CSP itself comes from SvelteKit (vite.config.ts
// `csp`, with its nonces); what depends on the deployment is read here once, from the same
// environment the API reads (server/config.ts), because the page process is the API's.
// process.env: this file runs in that one Node process (adapter-node).
const env = process.env;

/** `ws://h:p` and `http://h:p` (or wss/https) for a ws(s) or http(s) URL; [] if unparsable. */
function socketAndHttpOrigins(raw: string | undefined): string[] {
  if (!raw) return [];
  try {
    const url = new URL(raw);
    const secure = url.protocol === 'wss:' || url.protocol === 'https:';
    return [`${secure ? 'wss' : 'ws'}://${url.host}`, `${secure ? 'https' : 'http'}://${url.host}`];
  } catch {
    return [];
  }
}

/**
 * What connect-src adds to 'self': the LiveKit server browsers are handed (the media
 * service's publicUrl: LIVEKIT_PUBLIC_URL, else LIVEKIT_URL, else the embedded server on
 * LIVEKIT_PORT), as ws(s) for signalling and http(s) for livekit-client's /rtc/validate; and
 * the public origin's ws(s) form for socket.io, for browsers whose 'self' does not cover it.
 */
const CONNECT_SOURCES = [
  ...socketAndHttpOrigins(
    env.LIVEKIT_PUBLIC_URL || env.LIVEKIT_URL || `ws://127.0.0.1:${env.LIVEKIT_PORT || '7880'}`,
  ),
  ...socketAndHttpOrigins(env.ORIGIN).filter((source) => source.startsWith('ws')),
];

/** HSTS only when the public origin is https: on plain http it would strand the browser. */
const HTTPS = env.ORIGIN?.startsWith('https://') ?? false;

/**
 * Camera and microphone for this origin only, on every page: no third-party frame gets them.
 * Not narrower per path: the policy belongs to the document, and SvelteKit navigates in the
 * same document (dashboard → studio, shop → watch page, orders → pickup), so a page loaded
 * with camera=() would leave the studio, the co-host stage and the QR scanner without one.
 */
const PERMISSIONS_POLICY = 'camera=(self), microphone=(self), geolocation=(), payment=(), usb=()';

function withConnectSources(csp: string): string {
  if (CONNECT_SOURCES.length === 0) return csp;
  return csp.replace(
    /(^|;\s*)connect-src ([^;]*)/,
    (_, start: string, sources: string) =>
      `${start}connect-src ${sources} ${CONNECT_SOURCES.join(' ')}`,
  );
}

const securityHeaders: Handle = async ({ event, resolve }) => {
  let response = await resolve(event);
  // an endpoint may hand back a fetch() response, whose headers are read-only
  try {
    response.headers.set('x-frame-options', 'DENY');
  } catch {
    response = new Response(response.body, response);
  }
  const set = (name: string, value: string) => {
    if (!response.headers.has(name)) response.headers.set(name, value);
  };
  const csp = response.headers.get('content-security-policy');
  // Pages get SvelteKit's CSP; anything else it answers (data, endpoints, the static error
  // page) at least may not be framed.
  response.headers.set(
    'content-security-policy',
    csp ? withConnectSources(csp) : "frame-ancestors 'none'",
  );
  response.headers.set('x-frame-options', 'DENY');
  set('x-content-type-options', 'nosniff');
  set('referrer-policy', 'strict-origin-when-cross-origin');
  set('permissions-policy', PERMISSIONS_POLICY);
  if (HTTPS) set('strict-transport-security', 'max-age=31536000; includeSubDomains');
  return response;
};

/**
 * The watch page's first script (lib/live/early-boot.ts) and the chunks it imports, deepest
 * first. The build writes their hashed names over this placeholder once the client is built
 * (web/build-plugins/early-boot.ts); a dev server leaves it a string.
 */
const EARLY_BOOT_FILES: unknown = '__LINLI_EARLY_BOOT_FILES__';
/** Where app.html's <head> takes the watch page's first script. */
const EARLY_BOOT_MARK = '<!--linli:early-boot-->';

/** SvelteKit's start script, as it begins in the page: `import("…/entry/start.….js").then(`. */
const SVELTEKIT_START = /import\(("[^"]*\/entry\/start\.[^"]*\.js")\)\.then\(/;
/** The longest SvelteKit's start waits for the early room's script to release it. */
const HELD_START_MAX_MS = 3000;

/**
 * A live stream's watch page (locals.earlyRoom) loads the early room's script first of all,
 * and nothing else of the app ahead of time: the browser asks for livekit-client before
 * SvelteKit's own files, and compiles and runs it while the page is otherwise idle, so the
 * room joins without competing with the app. SvelteKit's start script (in the page, with
 * this request's nonce) then waits until the early room releases it once the picture shows
 * (lib/live/early-boot.ts), at most HELD_START_MAX_MS, and only then fetches and runs the
 * app; hydration waits for the picture anyway (hooks.client.ts). Were SvelteKit's start
 * ever written differently, it would simply not wait. Ordinary module scripts from our
 * origin: the CSP's 'self' covers them.
 */
function withEarlyBoot(html: string, earlyRoom: boolean): string {
  if (!html.includes(EARLY_BOOT_MARK)) return html;
  let tags = '';
  if (earlyRoom && Array.isArray(EARLY_BOOT_FILES)) {
    // the app is served at the root (no paths.base)
    const files = EARLY_BOOT_FILES.map((file) => `/${String(file)}`);
    const boot = files.pop();
    tags =
      files.map((file) => `<link rel="modulepreload" href="${file}">`).join('') +
      `<script type="module" src="${boot}"></script>`;
    const nonce = /<script nonce="([^"]+)"/.exec(html)?.[1];
    if (nonce && SVELTEKIT_START.test(html)) {
      tags += `<script nonce="${nonce}">globalThis.__linliStart=new Promise(function(go){globalThis.__linliStartNow=go;setTimeout(go,${HELD_START_MAX_MS})})</script>`;
      html = html.replace(
        SVELTEKIT_START,
        (_, start: string) =>
          `globalThis.__linliStart.then(function(){return import(${start})}).then(`,
      );
    }
  }
  return html.replace(EARLY_BOOT_MARK, tags);
}

const rememberedLocale: Handle = async ({ event, resolve }) => {
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
    // app.html says <html lang="%linli.lang%">; the first chunk holds it, and the <head>.
    transformPageChunk: ({ html }) =>
      withEarlyBoot(html.replace('%linli.lang%', locale), event.locals.earlyRoom === true),
    // SvelteKit's default (every file the page needs), but for a page that starts its room
    // early: the page's code waits for the picture, so it need not compete with it.
    preload: ({ type }) => type === 'css' || (type === 'js' && event.locals.earlyRoom !== true),
  });
};

export const handle = sequence(securityHeaders, rememberedLocale);

export const handleError: HandleServerError = ({ kind, error, event }) => {
  // Expected errors (error(404) etc.) and framework 404s keep their status and safe message.
  // Anything unexpected is logged here and reaches the browser only as a bare 500.
  if (kind === 'unknown') {
    console.error(`[web] unexpected error on ${event.request.method} ${event.url.pathname}`, error);
  }
};
