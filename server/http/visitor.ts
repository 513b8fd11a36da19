import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../context';
import { publicOrigin } from './origin';

// The visitor cookie: a long-lived random id for someone who may not have signed in yet,
// so a leader's link click can be credited to the order that follows, and a watcher
// without a session is counted once. Read by the HTTP routes and the socket handshake.

export const VISITOR_COOKIE = 'linli_vid';

/** A visitor cookie value as this server writes it (anything else is ignored). */
export function isVisitorKey(value: string | undefined): value is string {
  return value !== undefined && /^[a-z0-9-]{16,64}$/.test(value);
}

/** Ids given out during a request, so a limit and the route agree on a first visit. */
const given = new WeakMap<Request, string>();

/** The request's visitor id, set as a cookie on first sight (once per request). */
export function visitorKey(c: Context<AppEnv>): string {
  const existing = getCookie(c, VISITOR_COOKIE);
  if (isVisitorKey(existing)) return existing;
  const already = given.get(c.req.raw);
  if (already) return already;
  const key = crypto.randomUUID();
  given.set(c.req.raw, key);
  setCookie(c, VISITOR_COOKIE, key, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: 400 * 86_400,
    secure: publicOrigin(c).startsWith('https:'),
  });
  return key;
}
