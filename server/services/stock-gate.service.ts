import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../../db/database';
import { idempotencyKeyUsed } from '../../db/repositories/order.repository';
import { redisClient } from '../http/limits';

// The stock gate: in a flash sale most buyers lose, and a loser should be told at once,
// without a session lookup, an offer read or a database connection. PostgreSQL stays the
// only source of truth: the gate knows only what the database said (the units an order's
// statement left, or an offer's stock when it was created or given units back), and can
// therefore only ever refuse early, never sell.
//
// What it knows, per offer, is an upper bound of the units left within an "epoch". Orders
// only lower the real figure, so whatever a statement saw stays an upper bound; every change
// that gives units back (a refund, a cancellation, a failed group, an edit) starts a new
// epoch after it commits, with the figure it committed. A request reads the epoch before its
// statement and writes what it saw only if the epoch has not moved, so a late writer can
// never hide stock that came back. The one window left is the milliseconds between such a
// commit and its new epoch.
//
// On top of that, each process counts the units of the orders it has let through and not
// yet finished ("in flight"). A request that the units left cover only if none of those go
// through waits at the gate (up to QUEUE_MS) for them to finish, and looks again: refused
// when the database then says too few are left, let through when one of them failed. So
// when 1,000 buyers arrive at once for 100 units, about 100 reach the database and the rest
// are told once those are done, and nobody is refused on a guess. The count is per process
// (a crashed process leaks nothing); with several processes a few more reach the database.
//
// Shared through Redis when REDIS_URL is set (every app process sees one figure); in memory
// otherwise (one process). While Redis is unreachable the gate lets everyone through.
//
// A repeated request (the same Idempotency-Key of a buyer who won) is never refused by the
// gate: winners' keys are remembered for an hour (in Redis, which outlives an app restart),
// so a buyer retrying after a lost answer gets their order, not "sold out". A gate in memory
// forgets them when the process restarts, so before refusing a keyed request it asks the
// database whether the key bought something: one indexed lookup by the key alone (no
// session, no offer, no transaction). It need not ask for an offer opened in this process
// within the hour (while no winner was dropped from its record): every winner of that offer
// is in memory. So a flash sale's losers cost no statement, as with Redis. Requests without a
// key cost nothing either way.

/** What the gate let through: handed to the order service, released when the order is done. */
export interface GateTicket {
  offerId: string;
  units: number;
  /** The epoch the figure was read at, for `remember`. '' when the gate knows nothing. */
  epoch: string;
  replayKey: string | null;
  released: boolean;
}

export interface StockGate {
  /**
   * null: refused (sold out as far as the gate knows); else the ticket to release.
   * `key`: the request's Idempotency-Key, looked up (when the gate cannot know from its own
   * record) before a keyed request is refused, in case it already bought something.
   */
  admit(
    offerId: string,
    units: number,
    replayKey: string | null,
    key?: string | null,
  ): Promise<GateTicket | null>;
  /** The order is done (placed or refused): its units are no longer in flight. */
  release(ticket: GateTicket): void;
  /** After an order statement: the units it left (or found) on the offer. */
  remember(ticket: GateTicket, remaining: number): Promise<void>;
  /** After a commit that gave units back, or set them (an edited offer). */
  restocked(offerId: string, remaining: number): Promise<void>;
  /** A new offer, with its stock: every order of it passes this gate from the start. */
  opened(offerId: string, remaining: number): Promise<void>;
  /** A winner's Idempotency-Key, so their retries pass the gate. */
  rememberWinner(replayKey: string): Promise<void>;
}

/** The key under which a buyer's Idempotency-Key is remembered: no raw cookie is stored. */
export function replayKeyOf(sessionToken: string | undefined, key: string | undefined) {
  if (!sessionToken || !key) return null;
  return createHash('sha256').update(`${sessionToken}\0${key}`).digest('base64url');
}

const WINNER_TTL_SECONDS = 3600;
/** How long a request waits at the gate for the orders in flight before it goes through. */
const QUEUE_MS = 2_000;
/**
 * How long a figure lasts unless refreshed. Should a new epoch not reach Redis (it is
 * retried, then given up), the stale figure refuses for at most this long.
 */
const OFFER_TTL_SECONDS = 30;

/** The shared part: the figure per offer, and the winners' keys. */
interface GateStore {
  /**
   * Whether every winner of this offer is in its record, so a key it does not know bought
   * nothing: always in Redis, which outlives an app restart; in memory, only for an offer
   * opened in this process with nothing expired or dropped from the record since. Otherwise
   * the gate asks the database about a key before refusing it.
   */
  knowsEveryWinner(offerId: string): boolean;
  /** The epoch now, and the figure when it was seen in this epoch. */
  read(
    offerId: string,
    replayKey: string | null,
  ): Promise<{
    epoch: string;
    remaining: number | null;
    winner: boolean;
  }>;
  remember(offerId: string, remaining: number, epoch: string): Promise<void>;
  restocked(offerId: string, remaining: number): Promise<void>;
  opened(offerId: string): void;
  rememberWinner(replayKey: string): Promise<void>;
}

function memoryStore(): GateStore {
  const offers = new Map<
    string,
    { epoch: number; remaining: number | null; seenAt: number; until: number }
  >();
  const winners = new Map<string, number>();
  /** When each offer opened in this process; and when a winner was last dropped (full). */
  const openedAt = new Map<string, number>();
  let droppedAt = -1;
  const entry = (offerId: string) => {
    let e = offers.get(offerId);
    if (!e) {
      e = { epoch: 0, remaining: null, seenAt: -1, until: 0 };
      offers.set(offerId, e);
      if (offers.size > 10_000) offers.delete(offers.keys().next().value ?? offerId);
    }
    return e;
  };
  const set = (
    e: { remaining: number | null; seenAt: number; until: number; epoch: number },
    r: number,
  ) => {
    e.remaining = r;
    e.seenAt = e.epoch;
    e.until = Date.now() + OFFER_TTL_SECONDS * 1000;
  };
  return {
    knowsEveryWinner(offerId) {
      const at = openedAt.get(offerId);
      // a winner's key is kept for WINNER_TTL_SECONDS after it won, which was after opening
      return at !== undefined && at > droppedAt && Date.now() - at < WINNER_TTL_SECONDS * 1000;
    },
    opened(offerId) {
      openedAt.set(offerId, Date.now());
      if (openedAt.size > 10_000) openedAt.delete(openedAt.keys().next().value ?? offerId);
    },
    read(offerId, replayKey) {
      const e = offers.get(offerId);
      const fresh = e && e.seenAt === e.epoch && e.until > Date.now();
      return Promise.resolve({
        epoch: String(e?.epoch ?? 0),
        remaining: fresh ? e.remaining : null,
        winner: replayKey !== null && (winners.get(replayKey) ?? 0) > Date.now(),
      });
    },
    remember(offerId, remaining, epoch) {
      const e = entry(offerId);
      if (String(e.epoch) === epoch) set(e, remaining);
      return Promise.resolve();
    },
    restocked(offerId, remaining) {
      const e = entry(offerId);
      e.epoch += 1;
      set(e, remaining);
      return Promise.resolve();
    },
    rememberWinner(replayKey) {
      winners.set(replayKey, Date.now() + WINNER_TTL_SECONDS * 1000);
      if (winners.size > 100_000) {
        winners.delete(winners.keys().next().value ?? replayKey);
        droppedAt = Date.now();
      }
      return Promise.resolve();
    },
  };
}

// One round trip each. Hash fields: e = epoch, r = units left, s = the epoch r was seen at.
const READ = `
local e = redis.call('hget', KEYS[1], 'e') or '0'
local w = 0
if ARGV[1] ~= '' and redis.call('exists', KEYS[2]) == 1 then w = 1 end
local r = redis.call('hget', KEYS[1], 'r')
local s = redis.call('hget', KEYS[1], 's')
if r and s == e then return {e, r, w} end
return {e, '', w}`;
const REMEMBER = `
local e = redis.call('hget', KEYS[1], 'e') or '0'
if e == ARGV[2] then
  redis.call('hset', KEYS[1], 'r', ARGV[1], 's', e)
  redis.call('expire', KEYS[1], ARGV[3])
end
return 0`;
const RESTOCKED = `
local e = redis.call('hincrby', KEYS[1], 'e', 1)
redis.call('hset', KEYS[1], 'r', ARGV[1], 's', e)
redis.call('expire', KEYS[1], ARGV[2])
return e`;

function redisStore(url: string, logger: Logger): GateStore {
  const client = redisClient(url, logger);
  const offerKey = (offerId: string) => `linli:gate:offer:${offerId}`;
  const winnerKey = (replayKey: string) => `linli:gate:winner:${replayKey}`;
  // Redis away: let everyone through (the database still decides), and say so once
  let warned = false;
  const degraded = (err: unknown) => {
    if (!warned) logger.warn({ err }, 'stock gate: Redis unreachable, every order goes through');
    warned = true;
  };
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  return {
    knowsEveryWinner: () => true,
    opened: () => undefined,
    async read(offerId, replayKey) {
      const open = { epoch: '', remaining: null, winner: false };
      if (!client.isReady) return open;
      try {
        const res = await client.eval(READ, {
          keys: [offerKey(offerId), replayKey ? winnerKey(replayKey) : 'linli:gate:none'],
          arguments: [replayKey ?? ''],
        });
        warned = false;
        if (!Array.isArray(res)) return open;
        const remaining = text(res[1]);
        return {
          epoch: text(res[0]),
          remaining: remaining === '' ? null : Number(remaining),
          winner: res[2] === 1,
        };
      } catch (err) {
        degraded(err);
        return open;
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
    async restocked(offerId, remaining) {
      // must reach Redis, or a figure from before would outlive the returned units:
      // retried a few times, then given up (the figure expires by itself soon after)
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await client.eval(RESTOCKED, {
            keys: [offerKey(offerId)],
            arguments: [String(remaining), String(OFFER_TTL_SECONDS)],
          });
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

/** The gate over a store, with this process's units in flight. */
function gateOver(store: GateStore, db: Database | null): StockGate {
  const inFlight = new Map<string, number>();
  /** Buyers waiting at the gate, per offer: the units each asks for, and how to wake it. */
  const waiting = new Map<string, Set<{ units: number; wake: () => void }>>();
  /**
   * Resolves when a finished order of this offer may have changed this buyer's answer (see
   * recheck), or after `ms`.
   */
  const settled = (offerId: string, units: number, ms: number) =>
    new Promise<void>((resolve) => {
      const set = waiting.get(offerId) ?? new Set();
      waiting.set(offerId, set);
      const waiter = {
        units,
        wake: () => {
          clearTimeout(timer);
          set.delete(waiter);
          if (set.size === 0 && waiting.get(offerId) === set) waiting.delete(offerId);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, ms);
      set.add(waiter);
    });
  // Buyers woken together look again with one read between them (not one each): a winner
  // retrying was let through on its first look, so a second look needs no key.
  const rereads = new Map<string, ReturnType<GateStore['read']>>();
  const reread = (offerId: string) => {
    let read = rereads.get(offerId);
    if (!read) {
      const made = store.read(offerId, null).finally(() => {
        if (rereads.get(offerId) === made) rereads.delete(offerId);
      });
      read = made;
      rereads.set(offerId, made);
    }
    return read;
  };
  // After an order finishes, one look at the figure decides whom to wake: a buyer whose
  // answer it changes (now refused, or now let through), not every buyer in the queue. An
  // order that went through lowers the units left and those in flight alike, so in a flash
  // sale most finishes wake nobody until the last unit goes, and the queue is not woken
  // and put back to sleep once per winner.
  const rechecks = new Map<string, { again: boolean }>();
  const recheck = (offerId: string) => {
    const running = rechecks.get(offerId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: true };
    rechecks.set(offerId, state);
    void (async () => {
      try {
        while (state.again) {
          state.again = false;
          const { remaining } = await reread(offerId);
          const held = inFlight.get(offerId) ?? 0;
          for (const w of [...(waiting.get(offerId) ?? [])]) {
            if (remaining === null || remaining < w.units || remaining - held >= w.units) {
              w.wake();
            }
          }
        }
      } finally {
        rechecks.delete(offerId);
      }
    })();
  };
  /** A keyed request the gate would refuse: did that key already buy (a winner retrying)? */
  const keyBought = async (offerId: string, key: string | null | undefined) =>
    Boolean(key && !store.knowsEveryWinner(offerId) && db && (await idempotencyKeyUsed(db, key)));
  return {
    async admit(offerId, units, replayKey, key) {
      const deadline = Date.now() + QUEUE_MS;
      for (let look = 0; ; look++) {
        const { epoch, remaining, winner } = await (look === 0
          ? store.read(offerId, replayKey)
          : reread(offerId));
        const held = inFlight.get(offerId) ?? 0;
        const enough = winner || remaining === null || remaining - held >= units;
        if (!enough && remaining !== null && remaining < units) {
          // fewer left than asked, as the database last said: sold out for this request
          if (!(await keyBought(offerId, key))) return null;
        } else if (!enough && Date.now() < deadline) {
          // short only by the units of orders still being placed here: wait for them, then
          // look again (each one that fails gives its units to the next in line)
          await settled(offerId, units, deadline - Date.now());
          continue;
        }
        // the database decides (also after waiting too long: never refuse on a guess)
        inFlight.set(offerId, held + units);
        return { offerId, units, epoch, replayKey, released: false };
      }
    },
    release(ticket) {
      if (ticket.released) return;
      ticket.released = true;
      const left = (inFlight.get(ticket.offerId) ?? 0) - ticket.units;
      if (left > 0) inFlight.set(ticket.offerId, left);
      else inFlight.delete(ticket.offerId);
      // the figure as it is now, not a read begun before
      rereads.delete(ticket.offerId);
      if (waiting.has(ticket.offerId)) recheck(ticket.offerId);
    },
    remember: (ticket, remaining) => store.remember(ticket.offerId, remaining, ticket.epoch),
    restocked: (offerId, remaining) => store.restocked(offerId, remaining),
    async opened(offerId, remaining) {
      store.opened(offerId);
      await store.restocked(offerId, remaining);
    },
    rememberWinner: (replayKey) => store.rememberWinner(replayKey),
  };
}

export function memoryStockGate(db: Database | null = null): StockGate {
  return gateOver(memoryStore(), db);
}

export function redisStockGate(url: string, logger: Logger): StockGate {
  return gateOver(redisStore(url, logger), null);
}

const gates = new WeakMap<object, StockGate>();

/**
 * The app's gate: one per database handle, over Redis when REDIS_URL is set (shared by
 * every process) or memory (one process; tests that share a handle share a gate).
 */
export function stockGateFor(deps: {
  config: { REDIS_URL?: string | undefined };
  db: Database;
  logger: Logger;
}): StockGate {
  let gate = gates.get(deps.db);
  if (!gate) {
    const url = deps.config.REDIS_URL;
    gate = url ? redisStockGate(url, deps.logger) : memoryStockGate(deps.db);
    gates.set(deps.db, gate);
  }
  return gate;
}
