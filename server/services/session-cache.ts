import type { Logger } from 'pino';
import type { Database } from '../../db/database';
import type { SessionRow, UserRow } from '../../db/schema';
import { redisClient } from '../http/limits';

// Every API request with a cookie needs its session, and in a sale the same few hundred
// buyers send request after request: looking the session up in PostgreSQL each time was a
// round trip, a query to build and rows to parse per order. So each process keeps the
// sessions it has just read for a few seconds (FRESH_MS).
//
// A session that ends must stop working at once, on every process. Sessions end only
// through invalidateSession (sign-out, or a new sign-in replacing the session) and by
// expiring (checked against the cached expiry, as against the row). Users are never
// updated in place, so a cached user is the user. When one process ends a session it
// forgets it and, with REDIS_URL, publishes its id on SESSION_ENDED_CHANNEL: every other
// process forgets it before it answers another request (Redis delivers the message to their
// subscriptions before it answers the PUBLISH, so before the sign-out's own answer leaves).
// A process whose subscription is not live (Redis away, or just back and maybe having
// missed messages) uses no cached session at all until it has been live for RESYNC_MS, and
// starts again from empty. A lookup that began before a session ended never caches what it
// read (the generation check), so no ended session is put back.

/** How long a session read from the database is used without reading it again. */
const FRESH_MS = 10_000;
/** After the subscription comes (back), this long before the cache is trusted again. */
const RESYNC_MS = 500;
const MAX_ENTRIES = 50_000;
export const SESSION_ENDED_CHANNEL = 'linli:session:ended';

export interface FoundSession {
  session: SessionRow;
  user: UserRow;
}

export interface SessionCache {
  /** The session read within FRESH_MS, if this process may trust its cache now. */
  get(sessionId: string): FoundSession | undefined;
  /** Call before reading from the database; pass the answer to `put` with it. */
  generation(): number;
  /** Keeps what the database said, unless a session ended since `generation`. */
  put(sessionId: string, found: FoundSession, generation: number): void;
  /** This process ended the session: forget it here and tell the other processes. */
  ended(sessionId: string): Promise<void>;
  /** Forgets a session here only (expired, or another process ended it). */
  forget(sessionId: string): void;
}

function cacheOver(
  live: () => boolean,
  publish: (sessionId: string) => Promise<void>,
): SessionCache & { clear(): void } {
  const entries = new Map<string, { found: FoundSession; until: number }>();
  let generation = 0;
  const forget = (sessionId: string) => {
    generation += 1;
    entries.delete(sessionId);
  };
  return {
    get(sessionId) {
      if (!live()) return undefined;
      const entry = entries.get(sessionId);
      if (!entry) return undefined;
      if (entry.until > Date.now()) return entry.found;
      entries.delete(sessionId);
      return undefined;
    },
    generation: () => generation,
    put(sessionId, found, seen) {
      if (seen !== generation || !live()) return;
      entries.set(sessionId, { found, until: Date.now() + FRESH_MS });
      if (entries.size > MAX_ENTRIES) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
    },
    async ended(sessionId) {
      forget(sessionId);
      await publish(sessionId);
    },
    forget,
    clear() {
      generation += 1;
      entries.clear();
    },
  };
}

/** One process, no Redis: ending a session here is ending it everywhere. */
function memoryCache(): SessionCache {
  return cacheOver(
    () => true,
    () => Promise.resolve(),
  );
}

/** Several processes sharing Redis: sign-outs are published, and heard from the others. */
function redisCache(url: string, logger: Logger): SessionCache {
  const commands = redisClient(url, logger);
  const subscriber = commands.duplicate();
  // trusted from this time on (Infinity: not now)
  let liveFrom = Infinity;
  const cache = cacheOver(
    () => subscriber.isReady && Date.now() >= liveFrom,
    async (sessionId) => {
      try {
        await commands.publish(SESSION_ENDED_CHANNEL, sessionId);
      } catch (err) {
        // the others cannot be told: they keep it at most FRESH_MS
        logger.warn({ err }, 'could not tell the other processes a session ended');
      }
    },
  );
  subscriber.on('error', () => {
    // reported by the commands connection; this one just stops trusting its cache
    liveFrom = Infinity;
  });
  subscriber.on('end', () => (liveFrom = Infinity));
  subscriber.on('ready', () => {
    // messages sent while it was away are lost: start again from empty, a little later
    cache.clear();
    liveFrom = Date.now() + RESYNC_MS;
  });
  subscriber
    .connect()
    .then(() => subscriber.subscribe(SESSION_ENDED_CHANNEL, (id) => cache.forget(id)))
    .catch(() => {
      // reconnects by itself; not trusted meanwhile
    });
  subscriber.unref();
  return cache;
}

const caches = new WeakMap<object, SessionCache>();

/** The process's session cache for this database (made on the first request). */
export function sessionCacheFor(deps: {
  config: { REDIS_URL?: string | undefined };
  db: Database;
  logger: Logger;
}): SessionCache {
  let cache = caches.get(deps.db);
  if (!cache) {
    const url = deps.config.REDIS_URL;
    cache = url ? redisCache(url, deps.logger) : memoryCache();
    caches.set(deps.db, cache);
  }
  return cache;
}

/** The cache already made for this database, if any (sign-out, the socket handshake). */
export function existingSessionCache(db: Database): SessionCache | undefined {
  return caches.get(db);
}
