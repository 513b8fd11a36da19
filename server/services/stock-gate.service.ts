import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { redisClient } from '../http/limits';

// The stock gate: in a flash sale most buyers lose, and a loser should be told at once,
// without a session lookup, an offer read or a database connection. PostgreSQL stays the
// only source of truth: the gate only remembers what an order's own statement saw (the
// units left), and can therefore only ever refuse early, never sell.
//
// Never turning away a buyer while stock remains: every change that gives units back
// (a refund, a cancellation, a failed group, a raised quantity) bumps the offer's epoch
// after it commits, and a remembered "units left" counts only while the epoch it was seen
// at is still the current one. A request reads the epoch before its statement and writes
// what it saw only if the epoch has not moved meanwhile, so a late writer can never hide
// stock that came back. The one window left is the few milliseconds between a refund's
// commit and its bump, during which a buyer may hear "sold out" for a unit just returned.
//
// Shared through Redis when REDIS_URL is set (every app process sees one gate); in memory
// otherwise (one process). While Redis is unreachable the gate lets everyone through.
//
// A repeated request (the same Idempotency-Key of a buyer who won) is never refused by the
// gate: winners' keys are remembered for an hour, so a buyer retrying after a lost answer
// gets their order, not "sold out".

export interface GateCheck {
  /** The offer is known to have fewer than the asked units left: answer sold out. */
  refuse: boolean;
  /** The offer's epoch now, to hand back to `remember`. */
  epoch: string;
}

export interface StockGate {
  check(offerId: string, quantity: number, replayKey: string | null): Promise<GateCheck>;
  /** After an order statement: the units it left (or found) on the offer, seen at `epoch`. */
  remember(offerId: string, remaining: number, epoch: string): Promise<void>;
  /** After a commit that gave units back to the offer. */
  stockReturned(offerId: string): Promise<void>;
  /** A winner's Idempotency-Key, so their retries pass the gate. */
  rememberWinner(replayKey: string): Promise<void>;
}

/** The key under which a buyer's Idempotency-Key is remembered: no raw cookie is stored. */
export function replayKeyOf(sessionToken: string | undefined, key: string | undefined) {
  if (!sessionToken || !key) return null;
  return createHash('sha256').update(`${sessionToken}\0${key}`).digest('base64url');
}

const WINNER_TTL_SECONDS = 3600;
/**
 * How long a remembered "units left" lasts. Short: should a returned unit's bump not reach
 * Redis (it is retried, then given up), the stale figure refuses for at most this long; in a
 * flash sale one request per offer per window reaches the database to learn it again.
 */
const OFFER_TTL_SECONDS = 30;

export function memoryStockGate(): StockGate {
  const offers = new Map<
    string,
    { epoch: number; remaining: number | null; seenAt: number; until: number }
  >();
  const winners = new Map<string, number>();
  const entry = (offerId: string) => {
    let e = offers.get(offerId);
    if (!e) {
      e = { epoch: 0, remaining: null, seenAt: -1, until: 0 };
      offers.set(offerId, e);
      if (offers.size > 10_000) offers.delete(offers.keys().next().value ?? offerId);
    }
    return e;
  };
  return {
    check(offerId, quantity, replayKey) {
      const e = offers.get(offerId);
      const epoch = String(e?.epoch ?? 0);
      const known = replayKey !== null && (winners.get(replayKey) ?? 0) > Date.now();
      const refuse =
        !known &&
        e !== undefined &&
        e.remaining !== null &&
        e.seenAt === e.epoch &&
        e.until > Date.now() &&
        e.remaining < quantity;
      return Promise.resolve({ refuse, epoch });
    },
    remember(offerId, remaining, epoch) {
      const e = entry(offerId);
      if (String(e.epoch) === epoch) {
        e.remaining = remaining;
        e.seenAt = e.epoch;
        e.until = Date.now() + OFFER_TTL_SECONDS * 1000;
      }
      return Promise.resolve();
    },
    stockReturned(offerId) {
      const e = entry(offerId);
      e.epoch += 1;
      e.remaining = null;
      return Promise.resolve();
    },
    rememberWinner(replayKey) {
      winners.set(replayKey, Date.now() + WINNER_TTL_SECONDS * 1000);
      if (winners.size > 100_000) winners.delete(winners.keys().next().value ?? replayKey);
      return Promise.resolve();
    },
  };
}

// One round trip each. Hash fields: e = epoch, r = units left, s = the epoch r was seen at.
const CHECK = `
local e = redis.call('hget', KEYS[1], 'e') or '0'
if ARGV[2] ~= '' and redis.call('exists', KEYS[2]) == 1 then return {0, e} end
local r = redis.call('hget', KEYS[1], 'r')
local s = redis.call('hget', KEYS[1], 's')
if r and s == e and tonumber(r) < tonumber(ARGV[1]) then return {1, e} end
return {0, e}`;
const REMEMBER = `
local e = redis.call('hget', KEYS[1], 'e') or '0'
if e == ARGV[2] then
  redis.call('hset', KEYS[1], 'r', ARGV[1], 's', e)
  redis.call('expire', KEYS[1], ARGV[3])
end
return 0`;

export function redisStockGate(url: string, logger: Logger): StockGate {
  const client = redisClient(url, logger);
  const offerKey = (offerId: string) => `linli:gate:offer:${offerId}`;
  const winnerKey = (replayKey: string) => `linli:gate:winner:${replayKey}`;
  // Redis away: let everyone through (the database still decides), and say so once
  let warned = false;
  const degraded = (err: unknown) => {
    if (!warned) logger.warn({ err }, 'stock gate: Redis unreachable, every order goes through');
    warned = true;
  };
  return {
    async check(offerId, quantity, replayKey) {
      if (!client.isReady) return { refuse: false, epoch: '' };
      try {
        const res = await client.eval(CHECK, {
          keys: [offerKey(offerId), replayKey ? winnerKey(replayKey) : 'linli:gate:none'],
          arguments: [String(quantity), replayKey ?? ''],
        });
        warned = false;
        const [refuse, epoch] = Array.isArray(res) ? res : [0, ''];
        return {
          refuse: refuse === 1,
          epoch: typeof epoch === 'string' || typeof epoch === 'number' ? String(epoch) : '',
        };
      } catch (err) {
        degraded(err);
        return { refuse: false, epoch: '' };
      }
    },
    async remember(offerId, remaining, epoch) {
      if (epoch === '' || !client.isReady) return;
      await client
        .eval(REMEMBER, {
          keys: [offerKey(offerId)],
          arguments: [String(remaining), epoch, String(OFFER_TTL_SECONDS)],
        })
        .catch(degraded);
    },
    async stockReturned(offerId) {
      // must reach Redis, or a remembered "sold out" would outlive the returned units:
      // retried a few times, then the entry is dropped as a last resort
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await client
            .multi()
            .hIncrBy(offerKey(offerId), 'e', 1)
            .hDel(offerKey(offerId), 'r')
            .expire(offerKey(offerId), OFFER_TTL_SECONDS)
            .exec();
          return;
        } catch (err) {
          degraded(err);
          await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
        }
      }
      logger.error({ offerId }, 'stock gate: could not record returned stock');
    },
    async rememberWinner(replayKey) {
      if (!client.isReady) return;
      await client.set(winnerKey(replayKey), '1', { EX: WINNER_TTL_SECONDS }).catch(degraded);
    },
  };
}

const gates = new WeakMap<object, StockGate>();

/**
 * The app's gate: one per Redis URL (shared by every process), else one per database handle
 * (one process; tests that share a handle share a gate).
 */
export function stockGateFor(deps: {
  config: { REDIS_URL?: string | undefined };
  db: object;
  logger: Logger;
}): StockGate {
  const owner = deps.db;
  let gate = gates.get(owner);
  if (!gate) {
    const url = deps.config.REDIS_URL;
    gate = url ? redisStockGate(url, deps.logger) : memoryStockGate();
    gates.set(owner, gate);
  }
  return gate;
}
