import { createHash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Database } from '../../db/database';
import type { UserRow } from '../../db/schema';
import {
  deleteSession,
  extendSession,
  findSessionWithUser,
  insertSession,
} from '../../db/repositories/session.repository';
import { existingSessionCache, type SessionCache } from './session-cache';

// Server-side sessions as laid out in the Copenhagen Book (the successor of Lucia): the
// cookie holds a random token, the database only its SHA-256, so a leaked sessions table
// cannot be replayed. Expiry slides forward once half of the lifetime has passed.

export const SESSION_COOKIE = 'linli_session';

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  db: Database,
  userId: string,
  days: number,
): Promise<{ token: string; expiresAt: Date }> {
  const token = generateSessionToken();
  const expiresAt = new Date(Date.now() + days * 86_400_000);
  await insertSession(db, { id: sessionIdFromToken(token), userId, expiresAt });
  return { token, expiresAt };
}

export interface ValidSession {
  sessionId: string;
  user: UserRow;
  expiresAt: Date;
  /** True when the expiry moved and the cookie should be sent again. */
  renewed: boolean;
}

/**
 * The session and its user for a cookie's token, or null. Read from the process's session
 * cache when it has it (session-cache.ts; `cache` defaults to the one already made for this
 * database), else from the database.
 */
export async function validateSessionToken(
  db: Database,
  token: string,
  days: number,
  cache: SessionCache | undefined = existingSessionCache(db),
): Promise<ValidSession | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const sessionId = sessionIdFromToken(token);
  let found = cache?.get(sessionId);
  if (!found) {
    const generation = cache?.generation() ?? 0;
    found = await findSessionWithUser(db, sessionId);
    if (!found) return null;
    cache?.put(sessionId, found, generation);
  }
  const now = Date.now();
  const lifetime = days * 86_400_000;
  if (found.session.expires_at.getTime() <= now) {
    cache?.forget(sessionId);
    await deleteSession(db, sessionId);
    return null;
  }
  if (found.session.expires_at.getTime() - now < lifetime / 2) {
    const expiresAt = new Date(now + lifetime);
    await extendSession(db, sessionId, expiresAt);
    // the row's new expiry, so the cache does not renew it again
    found.session = { ...found.session, expires_at: expiresAt };
    return { sessionId, user: found.user, expiresAt, renewed: true };
  }
  return { sessionId, user: found.user, expiresAt: found.session.expires_at, renewed: false };
}

// Sockets are signed in once, at their handshake; a session that ends must also end the
// connections it signed in. The realtime layer listens here (socket.ts) and disconnects the
// session's sockets on every process; this module knows nothing of sockets.
type SessionEndedListener = (sessionId: string) => void;
const sessionEndedListeners = new Set<SessionEndedListener>();

/** Calls `listener` with each session this process ends. Answers how to stop listening. */
export function onSessionEnded(listener: SessionEndedListener): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

/**
 * Signs a session out: its cookie signs no one in, on any process (the session caches are
 * told), and the sockets it signed in are closed.
 */
export async function invalidateSession(db: Database, sessionId: string): Promise<void> {
  await deleteSession(db, sessionId);
  await existingSessionCache(db)?.ended(sessionId);
  for (const listener of sessionEndedListeners) listener(sessionId);
}
