import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../context';
import { AppError } from '../errors';
import { userRowToUser, type User } from '../services/auth.service';
import { sessionCacheFor } from '../services/session-cache';
import { SESSION_COOKIE, createSession, validateSessionToken } from '../services/session.service';

function isSecure(c: Context<AppEnv>): boolean {
  const { config } = c.var.deps;
  if (config.ORIGIN) return config.ORIGIN.startsWith('https:');
  if (config.TRUST_PROXY && c.req.header('x-forwarded-proto') === 'https') return true;
  return new URL(c.req.url).protocol === 'https:';
}

function writeSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecure(c),
    path: '/',
    expires: expiresAt,
  });
}

/** Loads the signed-in user, if any, from the session cookie. */
export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('user', null);
  c.set('sessionId', null);
  const token = getCookie(c, SESSION_COOKIE);
  if (token) {
    const { db, config } = c.var.deps;
    const valid = await validateSessionToken(
      db,
      token,
      config.SESSION_DAYS,
      sessionCacheFor(c.var.deps),
    );
    if (valid) {
      c.set('user', userRowToUser(valid.user));
      c.set('sessionId', valid.sessionId);
      if (valid.renewed) writeSessionCookie(c, token, valid.expiresAt);
    } else {
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
    }
  }
  await next();
};

export async function startSession(c: Context<AppEnv>, userId: string): Promise<void> {
  const { db, config } = c.var.deps;
  const { token, expiresAt } = await createSession(db, userId, config.SESSION_DAYS);
  writeSessionCookie(c, token, expiresAt);
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isSecure(c), httpOnly: true });
}

/** The signed-in user (guests included), or 401. */
export function requireUser(c: Context<AppEnv>): User {
  const user = c.var.user;
  if (!user) throw new AppError('unauthenticated', 'Sign in first.');
  return user;
}

/** A signed-in account holder (not a guest), or 401/403. */
export function requireAccount(c: Context<AppEnv>): User {
  const user = requireUser(c);
  if (user.guest) throw new AppError('forbidden', 'Create an account to do this.');
  return user;
}
