import { setTimeout as sleep } from 'node:timers/promises';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  type IRateLimiterOptions,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { createClient } from 'redis';

// With REDIS_URL, Redis carries two things between processes: room broadcasts (the socket.io
// Redis streams adapter) and the comment and like rate limits. Neither is worth an outage.
// While Redis is unreachable every process serves its own sockets alone — a comment reaches
// the viewers connected to the same process, limits are counted per process — and no socket
// handler waits on Redis. The clients reconnect by themselves; once they are back, rooms span
// the processes again.
//
// Three connections:
// - `commands` (XADD, PUBLISH, SET, the rate-limit scripts) fails fast while disconnected
//   (no offline queue). socket.io-adapter's ClusterAdapter delivers a broadcast locally once
//   the XADD has failed, so that failure must come at once, not when Redis returns; the
//   limiters go to their in-memory insurance the same way.
// - the adapter's XREAD reader and its pub/sub subscriber, duplicates of `commands`, keep
//   the offline queue: the adapter re-issues a failed XREAD straight away, and a fail-fast
//   reader would retry in a loop that starves the event loop. Queued, the XREAD waits for the
//   reconnection instead.

/** Between reconnection attempts: 50 ms doubling to 1 s, plus jitter; never gives up. */
function reconnectDelay(retries: number): number {
  return Math.min(50 * 2 ** retries, 1000) + Math.floor(Math.random() * 100);
}

/** How long startup waits for Redis before it goes on with rooms local to this process. */
const STARTUP_WAIT_MS = 3000;
/** A command failing on a reader connection settles this much later (see below). */
const READER_FAILURE_PAUSE_MS = 1000;
/** While Redis stays away, the "still unreachable" line is repeated this often. */
const DOWN_REMINDER_MS = 60_000;

type RedisClient = ReturnType<typeof createClient>;

export interface RealtimeRedis {
  /** socket.io adapter factory: rooms span every process that shares this Redis */
  adapter: ReturnType<typeof createAdapter>;
  /** A Redis-backed limiter that counts in this process's memory while Redis is away. */
  limiter(opts: IRateLimiterOptions & { keyPrefix: string }): RateLimiterAbstract;
  /** Whether commands reach Redis right now. */
  readonly connected: boolean;
  close(): Promise<void>;
}

/**
 * Connects to Redis for the realtime layer. When Redis does not answer within
 * STARTUP_WAIT_MS the process starts anyway, in local mode, and joins the others as soon as
 * Redis is reachable: a single process is whole without Redis, and a restart during a Redis
 * outage should not become an outage of the app.
 */
export async function connectRealtimeRedis(url: string, logger: Logger): Promise<RealtimeRedis> {
  const commands: RedisClient = createClient({
    url,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: reconnectDelay },
  });
  const readers: RedisClient[] = [];

  // One line when Redis goes, one when it is back, a reminder a minute in between: node-redis
  // emits 'error' on every failed reconnection attempt.
  let state: 'starting' | 'up' | 'down' = 'starting';
  let downSince = Date.now();
  let lastLine = 0;
  let failedAttempts = 0;
  commands.on('error', (err: unknown) => {
    failedAttempts += 1;
    const now = Date.now();
    if (state === 'up') {
      state = 'down';
      downSince = now;
      failedAttempts = 1;
      lastLine = now;
      logger.warn({ err }, 'Redis unreachable: rooms and rate limits are local to this process');
    } else if (state === 'down' && now - lastLine >= DOWN_REMINDER_MS) {
      lastLine = now;
      logger.warn(
        { err, downForMs: now - downSince, failedAttempts },
        'Redis still unreachable: rooms and rate limits are local to this process',
      );
    }
  });
  commands.on('ready', () => {
    if (state === 'down') {
      logger.info(
        { downForMs: Date.now() - downSince, failedAttempts },
        'Redis is back: rooms span the processes again',
      );
    }
    state = 'up';
  });

  commands.connect().catch(() => {
    // only a close() before the first connection rejects this; errors go to 'error' above
  });
  const streams = createAdapter(forAdapter(commands, (reader) => readers.push(reader)));
  // a function, not an arrow: socket.io calls it with `new`, and gets the instance it returns
  const adapter: typeof streams = function (nsp) {
    const instance = streams(nsp);
    const restore = instance.restoreSession.bind(instance);
    // node-redis queues a MULTI even without an offline queue: while Redis is away, every
    // client coming back with its session id would leave a GETDEL waiting for Redis. It gets
    // a fresh session at once instead (and joins its stream again).
    instance.restoreSession = (pid, offset) =>
      commands.isReady ? restore(pid, offset) : Promise.reject(new Error('Redis unreachable'));
    // fetchSockets() asks Redis how many processes there are, even for io.local; while
    // Redis is away this process is on its own, and answers with its own sockets at once
    const serverCount = instance.serverCount.bind(instance);
    instance.serverCount = () =>
      commands.isReady ? serverCount().catch(() => 1) : Promise.resolve(1);
    return instance;
  };

  // createAdapter made its reader and subscriber synchronously; wait for all three
  let timer: NodeJS.Timeout | undefined;
  const started = await Promise.race([
    Promise.all([commands, ...readers].map(whenReady)).then(() => true),
    new Promise<false>((ok) => (timer = setTimeout(() => ok(false), STARTUP_WAIT_MS))),
  ]);
  clearTimeout(timer);
  if (!started) {
    if (state === 'starting') state = 'down';
    lastLine = Date.now();
    logger.warn(
      { waitedMs: STARTUP_WAIT_MS },
      'Redis unreachable at startup: starting with rooms and rate limits local to this process, joining the others once Redis answers',
    );
  }

  return {
    adapter,
    limiter: (opts) =>
      new RateLimiterRedis({
        ...opts,
        storeClient: commands,
        useRedisPackage: true,
        // not ready: straight to the insurance, without a command that would fail anyway
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(opts),
      }),
    get connected() {
      return commands.isReady;
    },
    // after io.close(), which closes the adapter and persists the sessions it holds
    close: async () => {
      for (const reader of readers) reader.destroy();
      // connected: wait for the commands in flight (the sessions just persisted)
      if (commands.isReady) await commands.close();
      else commands.destroy();
    },
  };
}

/**
 * `client` as the adapter is given it. The adapter fires some commands without awaiting
 * them (PUBLISH of ephemeral messages, SET of a session when a socket drops) and chains
 * `.then` on connections without a `.catch`; with a client that fails fast those become
 * unhandled rejections, which stop the process (see main.ts). So every promise a method
 * returns is marked handled; whoever awaits it still sees the failure. Its `duplicate()`
 * gives a reader (see asReader).
 */
function forAdapter(client: RedisClient, onReader: (reader: RedisClient) => void): RedisClient {
  return new Proxy(client, {
    get(target, key) {
      if (key === 'duplicate') {
        return () => {
          const reader = target.duplicate({ disableOfflineQueue: false });
          onReader(reader);
          return asReader(reader);
        };
      }
      return handledPromises(target, key, 0);
    },
  });
}

/**
 * A reader (the XREAD loop, the subscriber) as the adapter is given it: with the offline
 * queue, promises handled as above, a `connect()` that never rejects, and failed commands
 * settling READER_FAILURE_PAUSE_MS late, so the XREAD loop cannot spin on a Redis that
 * answers with errors (e.g. LOADING while it restarts).
 */
function asReader(reader: RedisClient): RedisClient {
  const proxy: RedisClient = new Proxy(reader, {
    get(target, key) {
      if (key === 'connect') {
        // the adapter awaits this before it reads or subscribes; a reader closed before it
        // ever connected (a stop while Redis is away) simply never resolves
        return () =>
          new Promise((resolve) => {
            target.connect().then(
              () => resolve(proxy),
              () => undefined,
            );
          });
      }
      return handledPromises(target, key, READER_FAILURE_PAUSE_MS);
    },
  });
  return proxy;
}

/** `target[key]`; a method returns its promises through `quietly`. */
function handledPromises(target: RedisClient, key: string | symbol, pauseMs: number): unknown {
  const value: unknown = Reflect.get(target, key, target);
  if (typeof value !== 'function') return value;
  return (...args: unknown[]): unknown => {
    const result: unknown = Reflect.apply(value, target, args);
    return result instanceof Promise ? quietly(result, pauseMs) : result;
  };
}

function whenReady(client: RedisClient): Promise<void> {
  if (client.isReady) return Promise.resolve();
  return new Promise((ok) => client.once('ready', () => ok()));
}

/** The same outcome, handled even if nobody awaits it; a failure after `pauseMs`. */
function quietly<T>(promise: Promise<T>, pauseMs: number): Promise<T> {
  const settled =
    pauseMs > 0
      ? promise.catch(async (err: unknown) => {
          await sleep(pauseMs, undefined, { ref: false });
          throw err;
        })
      : promise;
  settled.catch(() => undefined);
  return settled;
}
