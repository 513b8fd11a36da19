import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Logger } from 'pino';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { createClient } from 'redis';
import type { Config } from '../config';
import type { AppEnv } from '../context';
import { AppError } from '../errors';
import { addressKey, clientIp } from './client-ip';
import { isVisitorKey, VISITOR_COOKIE, visitorKey } from './visitor';

// Limits by what they protect, fair to neighbours behind one address and hard on abusers.
// Every limit of the HTTP edge is in the table at the bottom of this file; they count in
// Redis when REDIS_URL is set (so every app process sees one counter) and in this process's
// memory otherwise, or while Redis is unreachable (rate-limiter-flexible's insurance
// limiter: a Redis outage loosens the limits to per-process, it never refuses or stalls).
//
// | what                | key                      | points (env)                           | window | block        |
// | ------------------- | ------------------------ | -------------------------------------- | ------ | ------------ |
// | login failures      | account + address        | 5  LOGIN_FAILURES_PER_ACCOUNT_AND_IP   | 1 h    | 15 min       |
// | login failures      | account (any address)    | 10 LOGIN_FAILURES_PER_ACCOUNT          | 15 min | 15 min       |
// | login failures      | address                  | 100 LOGIN_FAILURES_PER_IP_PER_DAY      | 1 day  | rest of day  |
// | sign-ups            | address                  | 20 SIGNUPS_PER_IP_PER_HOUR             | 1 h    | rest of hour |
// | guests              | address                  | 120 GUESTS_PER_IP_PER_MINUTE           | 1 min  | rest of min  |
// | guests              | device (linli_vid)       | 5  GUESTS_PER_DEVICE_PER_HOUR          | 1 h    | rest of hour |
// | referral clicks     | address                  | 300                                    | 1 min  | rest of min  |
// | referral clicks     | visitor (linli_vid)      | 30                                     | 1 min  | rest of min  |
//
// "account" is the email as typed, trimmed and lower-cased; "address" is the client address
// by TRUST_PROXY (client-ip.ts), IPv6 counted by its /64. Login limits are checked before
// the password is verified, so a blocked key costs no argon2 work, and a blocked key refuses
// even the right password until the block ends: the failure that reaches a limit is still
// answered 401, the attempts after it 429. A successful login clears its account + address
// count.

type PerConfig = number | ((config: Config) => number);

export interface LimitOptions {
  /** Names the counter; Redis keys are `linli:<keyPrefix>:<key>`. Unique per limit. */
  keyPrefix: string;
  /** How many points (requests, failures…) a key may spend per window. */
  points: PerConfig;
  /** The window, in seconds. */
  duration: PerConfig;
  /** Seconds a key stays refused once it is over the limit (default: until the window ends). */
  blockDuration?: PerConfig;
  /** The message of the 429 answer. */
  message?: string;
}

export interface Limiter {
  /**
   * Spends `points` (default 1) of `key`; over the limit it sets Retry-After and throws
   * AppError('rate_limited') — the 429 `{error:{code:'rate_limited',…}}` answer.
   */
  consume(c: Context<AppEnv>, key: string, points?: number): Promise<void>;
  /**
   * Middleware spending one point per request, keyed by `key(c)` (default: the client
   * address); a null key lets the request through uncounted.
   */
  middleware(key?: (c: Context<AppEnv>) => string | null): MiddlewareHandler<AppEnv>;
  /** Seconds `key` is still refused (0: it is not), without spending anything. */
  blockedFor(c: Context<AppEnv>, key: string): Promise<number>;
  /** Counts one failure for `key`; reaching the limit starts the block. Seconds refused, or 0. */
  fail(c: Context<AppEnv>, key: string): Promise<number>;
  /** Forgets `key`'s count (e.g. after a successful login). */
  reset(c: Context<AppEnv>, key: string): Promise<void>;
}

/** Sets Retry-After and throws the 429 error answer. */
export function refuse(c: Context<AppEnv>, seconds: number, message: string): never {
  c.header('Retry-After', String(Math.max(1, Math.ceil(seconds))));
  throw new AppError('rate_limited', message);
}

/** The client address as limits count it (IPv6 by /64). */
export function addressOf(c: Context<AppEnv>): string {
  return addressKey(clientIp(c));
}

/**
 * A limit, for any route to reuse (e.g. orders per buyer):
 *
 *   const orders = limiter({ keyPrefix: 'order:user', points: 10, duration: 60 });
 *   router.use('/orders', orders.middleware((c) => c.var.user?.id ?? addressOf(c)));
 *   // or inside a handler: await orders.consume(c, userId);
 *
 * Call it when the router is built (one per app); its store is made on first use from the
 * request's config: Redis when REDIS_URL is set (with an in-memory insurance while Redis is
 * away), memory otherwise.
 */
export function limiter(opts: LimitOptions): Limiter {
  let made: { store: RateLimiterAbstract; points: number; block: number } | undefined;
  const store = (c: Context<AppEnv>) => {
    if (made) return made;
    const { config, logger } = c.var.deps;
    const value = (v: PerConfig | undefined) => (typeof v === 'function' ? v(config) : (v ?? 0));
    const points = value(opts.points);
    const options = {
      keyPrefix: `linli:${opts.keyPrefix}`,
      points,
      duration: value(opts.duration),
    };
    made = {
      points,
      block: value(opts.blockDuration),
      store: config.REDIS_URL
        ? new RateLimiterRedis({
            ...options,
            storeClient: redisClient(config.REDIS_URL, logger),
            useRedisPackage: true,
            // not ready: straight to the insurance, without a command that would fail anyway
            rejectIfRedisNotReady: true,
            insuranceLimiter: new RateLimiterMemory(options),
          })
        : new RateLimiterMemory(options),
    };
    return made;
  };
  const message = opts.message ?? 'Too many attempts; wait a little and try again.';

  const consume = async (c: Context<AppEnv>, key: string, points = 1) => {
    try {
      await store(c).store.consume(key, points);
    } catch (err) {
      if (err instanceof RateLimiterRes) refuse(c, err.msBeforeNext / 1000, message);
      throw err;
    }
  };
  return {
    consume,
    middleware:
      (key = addressOf) =>
      async (c, next) => {
        const k = key(c);
        if (k !== null) await consume(c, k);
        await next();
      },
    async blockedFor(c, key) {
      const { store: s, points } = store(c);
      const res = await s.get(key);
      return res && res.consumedPoints >= points ? Math.ceil(res.msBeforeNext / 1000) : 0;
    },
    async fail(c, key) {
      const { store: s, points, block } = store(c);
      const res = await s.penalty(key, 1);
      if (res.consumedPoints < points) return 0;
      if (block > 0) {
        await s.block(key, block);
        return block;
      }
      return Math.ceil(res.msBeforeNext / 1000);
    },
    async reset(c, key) {
      await store(c).store.delete(key);
    },
  };
}

// One Redis connection per REDIS_URL for every limiter of the process, made as
// server/realtime/redis.ts makes its `commands` connection: no offline queue (a command
// while Redis is away fails at once, and the limiter answers from its memory insurance),
// reconnecting by itself forever, 50 ms doubling to 1 s.
type RedisClient = ReturnType<typeof createClient>;
const redisClients = new Map<string, RedisClient>();

export function redisClient(url: string, logger: Logger): RedisClient {
  const existing = redisClients.get(url);
  if (existing) return existing;
  const client: RedisClient = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      reconnectStrategy: (retries: number) =>
        Math.min(50 * 2 ** retries, 1000) + Math.floor(Math.random() * 100),
    },
  });
  let up = true;
  client.on('error', (err: unknown) => {
    // node-redis emits this on every failed reconnection: one line per outage
    if (!up) return;
    up = false;
    logger.warn({ err }, 'Redis unreachable: HTTP rate limits count per process meanwhile');
  });
  client.on('ready', () => {
    if (!up) logger.info('Redis is back: HTTP rate limits are shared again');
    up = true;
  });
  client.connect().catch(() => {
    // errors go to 'error' above; the client keeps reconnecting
  });
  // the limits never keep a process alive on their own
  client.unref();
  redisClients.set(url, client);
  return client;
}

// The table.

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/** The email as a counter's key: what the login looks up (trimmed, lower-cased). */
export function accountKey(email: string): string {
  return email.trim().toLowerCase();
}

/** Login: per account + address, per account, per address; checked before the password. */
export function loginLimits() {
  const blockSeconds = (config: Config) => config.LOGIN_BLOCK_MINUTES * MINUTE;
  const perAccountAndIp = limiter({
    keyPrefix: 'login:account-ip',
    points: (config) => config.LOGIN_FAILURES_PER_ACCOUNT_AND_IP,
    duration: HOUR,
    blockDuration: blockSeconds,
  });
  const perAccount = limiter({
    keyPrefix: 'login:account',
    points: (config) => config.LOGIN_FAILURES_PER_ACCOUNT,
    duration: 15 * MINUTE,
    blockDuration: blockSeconds,
  });
  const perIp = limiter({
    keyPrefix: 'login:ip',
    points: (config) => config.LOGIN_FAILURES_PER_IP_PER_DAY,
    duration: DAY,
  });
  const keys = (c: Context<AppEnv>, email: string) => {
    const account = accountKey(email);
    const address = addressOf(c);
    return [
      [perAccountAndIp, `${account}|${address}`],
      [perAccount, account],
      [perIp, address],
    ] as const;
  };
  const message = 'Too many failed sign-ins; wait and try again.';
  return {
    /** Refuses (429) while any of the attempt's keys is blocked. Call before verifying. */
    async before(c: Context<AppEnv>, email: string): Promise<void> {
      const waits = await Promise.all(keys(c, email).map(([l, key]) => l.blockedFor(c, key)));
      const wait = Math.max(...waits);
      if (wait > 0) refuse(c, wait, message);
    },
    /** Counts a wrong password (still answered 401); the next attempt may be refused. */
    async failed(c: Context<AppEnv>, email: string): Promise<void> {
      const waits = await Promise.all(keys(c, email).map(([l, key]) => l.fail(c, key)));
      if (Math.max(...waits) > 0) {
        c.var.deps.logger.warn({ requestId: c.var.requestId }, 'sign-in blocked after failures');
      }
    },
    /** A successful login clears the account + address count. */
    async succeeded(c: Context<AppEnv>, email: string): Promise<void> {
      const [accountAndIp] = keys(c, email);
      await accountAndIp[0].reset(c, accountAndIp[1]);
    },
  };
}

/**
 * Order attempts per account, not per address (neighbours share one): the order route and
 * waitlist claims, on one counter when Redis keeps them (ORDERS_PER_BUYER_PER_MINUTE).
 */
export function orderLimit(): Limiter {
  return limiter({
    keyPrefix: 'orders:buyer',
    points: (config) => config.ORDERS_PER_BUYER_PER_MINUTE,
    duration: MINUTE,
    message: 'Too many orders in a minute; wait a moment and try again.',
  });
}

/** Sign-up: per address. */
export function signupLimit(): MiddlewareHandler<AppEnv> {
  return limiter({
    keyPrefix: 'signup:ip',
    points: (config) => config.SIGNUPS_PER_IP_PER_HOUR,
    duration: HOUR,
    message: 'Too many sign-ups from this network; try again later.',
  }).middleware();
}

/** Guests: generous per address (a building joins at once), modest per device. */
export function guestLimits(): MiddlewareHandler<AppEnv>[] {
  const message = 'Too many guest sign-ins; wait a little and try again.';
  return [
    limiter({
      keyPrefix: 'guest:ip',
      points: (config) => config.GUESTS_PER_IP_PER_MINUTE,
      duration: MINUTE,
      message,
    }).middleware(),
    // a device is known by the visitor cookie it brings back; one without is counted by
    // address alone (and is not handed a cookie here: the answer's cookies stay as they were)
    limiter({
      keyPrefix: 'guest:device',
      points: (config) => config.GUESTS_PER_DEVICE_PER_HOUR,
      duration: HOUR,
      message,
    }).middleware((c) => {
      const device = getCookie(c, VISITOR_COOKIE);
      return isVisitorKey(device) ? device : null;
    }),
  ];
}

/** Leader link clicks: per address and per visitor. */
export function clickLimits(): MiddlewareHandler<AppEnv>[] {
  const message = 'Too many link openings; wait a minute.';
  return [
    limiter({ keyPrefix: 'click:ip', points: 300, duration: MINUTE, message }).middleware(),
    limiter({ keyPrefix: 'click:visitor', points: 30, duration: MINUTE, message }).middleware(
      visitorKey,
    ),
  ];
}
