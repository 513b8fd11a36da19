import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { expect, inject } from 'vitest';
import type { DB } from '../../db/schema';
import { io, type Socket } from 'socket.io-client';
import { phoneOf } from './phones';

/**
 * The app as its own process (API only unless `env` says otherwise), so a test can SIGKILL
 * or SIGTERM it and start it again. `env` overrides or adds variables (e.g. REDIS_URL, or
 * LIVEKIT_URL: '' to let the app run its own supervised livekit-server).
 */
export async function startServerProcess(
  databaseUrl: string,
  port: number,
  env: Record<string, string> = {},
) {
  const output: string[] = [];
  // node itself with tsx's loader, not the tsx CLI: the CLI runs the app in a grandchild
  // that a SIGKILL of the CLI would leave running
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      LIVEKIT_URL: 'LIVEKIT_URL' in env ? env.LIVEKIT_URL : inject('livekitUrl'),
      API_ONLY: '1',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      GUESTS_PER_IP_PER_MINUTE: '100000',
      ORDERS_PER_BUYER_PER_MINUTE: '100000',
      GUESTS_PER_DEVICE_PER_HOUR: '100000',
      SIGNUPS_PER_IP_PER_HOUR: '100000',
      LOGIN_FAILURES_PER_IP_PER_DAY: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.status < 500 || res.status === 503) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not come up:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    output,
    pid: child.pid,
    child,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      child.kill(signal);
      await exited;
    },
  };
}

/** A browser-like HTTP client of a running server: same-origin header, one session cookie. */
export class HttpClient {
  cookie = '';
  constructor(public baseUrl: string) {}
  async post(path: string, json: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        origin: this.baseUrl,
        'content-type': 'application/json',
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: JSON.stringify(json),
    });
    const set = res.headers.getSetCookie()[0]?.split(';')[0];
    if (set) this.cookie = set;
    return res;
  }
  async get(path: string) {
    return fetch(`${this.baseUrl}${path}`, {
      headers: { origin: this.baseUrl, ...(this.cookie ? { cookie: this.cookie } : {}) },
    });
  }
}

/** A viewer in a stream's room, collecting every event it receives. */
export async function watchStream(baseUrl: string, streamId: string, cookie: string) {
  const events: { event: string; payload: unknown }[] = [];
  const socket: Socket = io(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: { origin: baseUrl, cookie },
    reconnection: false,
    forceNew: true,
  });
  socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
  socket.on('disconnect', (reason) => events.push({ event: 'disconnect', payload: reason }));
  await new Promise<void>((ok, fail) => {
    socket.once('connect', () => ok());
    socket.once('connect_error', fail);
  });
  await new Promise<void>((ok, fail) => {
    socket.emit('stream:join', { streamId }, (answer: unknown) => {
      if (typeof answer === 'object' && answer !== null && 'ok' in answer) ok();
      else fail(new Error(`join refused: ${JSON.stringify(answer)}`));
    });
  });
  return { events, close: () => socket.close() };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** An owner (signed up over HTTP), a shop, a stream and one offer on a 1,000-unit product. */
export async function setUpShop(baseUrl: string, offer: Record<string, unknown>) {
  const owner = new HttpClient(baseUrl);
  const email = `owner-${randomBytes(4).toString('hex')}@example.cn`;
  expect(
    (await owner.post('/api/auth/signup', { email, password: 'correct horse 1', name: '店主' }))
      .status,
  ).toBe(201);
  const slug = `r-${randomBytes(5).toString('hex')}`;
  const { shop } = await json<{ shop: { id: string } }>(
    await owner.post('/api/shops', { name: '重启鲜果', slug }),
  );
  const { stream } = await json<{ stream: { id: string } }>(
    await owner.post(`/api/shops/${shop.id}/streams`, { title: '闪购' }),
  );
  const { product } = await json<{ product: { id: string } }>(
    await owner.post(`/api/shops/${shop.id}/products`, {
      name: '草莓',
      priceCents: 1000,
      stock: 1000,
    }),
  );
  const created = await owner.post(`/api/streams/${stream.id}/offers`, {
    productId: product.id,
    priceCents: 990,
    ...offer,
  });
  expect(created.status).toBe(201);
  const body = await json<{ offer: { id: string } }>(created);
  return { owner, shopId: shop.id, streamId: stream.id, offerId: body.offer.id };
}

/** A guest resident with a session cookie. */
export async function guest(baseUrl: string, name: string) {
  const c = new HttpClient(baseUrl);
  expect((await c.post('/api/auth/guest', { name })).status).toBe(201);
  return c;
}

/** The order ids announced by `order:new` among a watcher's events. */
export function announcedOrderIds(events: { event: string; payload: unknown }[]): Set<string> {
  return new Set(
    events.flatMap((e) =>
      e.event === 'order:new' &&
      typeof e.payload === 'object' &&
      e.payload !== null &&
      'orderId' in e.payload &&
      typeof e.payload.orderId === 'string'
        ? [e.payload.orderId]
        : [],
    ),
  );
}

/** Waits until the outbox is empty (published), then a moment for the sockets. */
export async function outboxDrained(db: Kysely<DB>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const left = await db.selectFrom('commerce_outbox').select('id').limit(1).execute();
    if (left.length === 0) break;
    await sleep(100);
  }
  await sleep(300);
}

/**
 * The books of an order storm on one offer: every 201 answer names an order that exists
 * and every order was answered 201 (`wonOrderIds`), one order per buyer, no unit lost,
 * and every order announced to the watchers. Returns the rows for further checks.
 */
export async function expectStormBooks(
  db: Kysely<DB>,
  offerId: string,
  wonOrderIds: (string | undefined)[],
  watcherEvents: { event: string; payload: unknown }[],
  message?: string,
) {
  const orders = await db
    .selectFrom('orders')
    .select(['id', 'buyer_id', 'quantity'])
    .where('offer_id', '=', offerId)
    .execute();
  const offer = await db
    .selectFrom('offers')
    .select(['remaining', 'quantity'])
    .where('id', '=', offerId)
    .executeTakeFirstOrThrow();
  expect(new Set(wonOrderIds)).toEqual(new Set(orders.map((o) => o.id)));
  expect(new Set(orders.map((o) => o.buyer_id)).size).toBe(orders.length);
  expect(orders.reduce((n, o) => n + o.quantity, 0) + offer.remaining).toBe(offer.quantity);
  const announced = announcedOrderIds(watcherEvents);
  expect(
    orders.filter((o) => !announced.has(o.id)).map((o) => o.id),
    message,
  ).toEqual([]);
  return { orders, offer };
}

/** An approved leader of the shop (signed up over HTTP, approved in the database): its code. */
export async function approvedLeader(
  baseUrl: string,
  db: Kysely<DB>,
  shopId: string,
): Promise<string> {
  const leader = new HttpClient(baseUrl);
  await leader.post('/api/auth/signup', {
    email: `leader-${randomBytes(4).toString('hex')}@example.cn`,
    password: 'correct horse 1',
    name: '团长',
  });
  const me = await json<{ user: { id: string } }>(await leader.get('/api/me'));
  const code = `gl${randomBytes(4).toString('hex')}`;
  await db
    .insertInto('leaders')
    .values({
      shop_id: shopId,
      user_id: me.user.id,
      display_name: '李姐',
      status: 'approved',
      code,
      commission_rate: '0.1000',
      approved_at: new Date(),
    })
    .execute();
  return code;
}

/** Cleanups a test file runs after all its tests, last registered first. */
export function cleanupsAfterAll(afterAll: (fn: () => Promise<void>) => void) {
  const list: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of list.reverse()) await c();
  });
  return list;
}

/**
 * Three guests each order 2 units of a group offer through a leader's link (`code`): the
 * group stays pending. Returns the buyers.
 */
export async function pendingGroupOrders(
  baseUrl: string,
  streamId: string,
  offerId: string,
  code: string,
): Promise<HttpClient[]> {
  const buyers = await Promise.all([1, 2, 3].map((i) => guest(baseUrl, `买家${i}`)));
  for (const b of buyers) {
    const res = await b.post(`/api/streams/${streamId}/orders`, {
      offerId,
      quantity: 2,
      phone: phoneOf(b),
      ref: code,
    });
    expect(res.status).toBe(201);
    expect((await json<{ order: { status: string } }>(res)).order.status).toBe('pending_group');
  }
  return buyers;
}

/**
 * The group of `pendingGroupOrders` failed at its deadline, applied once: the three orders
 * cancelled, every unit back, and each commission voided once (pending +198, pending −198,
 * reversed +198 per order of 2 × 990 cents at 10 %).
 */
export async function expectGroupFailedOnce(db: Kysely<DB>, offerId: string): Promise<void> {
  const orders = await db
    .selectFrom('orders')
    .select(['state', 'cancel_reason'])
    .where('offer_id', '=', offerId)
    .execute();
  expect(orders).toHaveLength(3);
  for (const o of orders) expect(o).toEqual({ state: 'cancelled', cancel_reason: 'group_failed' });
  const offer = await db
    .selectFrom('offers')
    .select(['remaining', 'quantity'])
    .where('id', '=', offerId)
    .executeTakeFirstOrThrow();
  expect(offer.remaining).toBe(offer.quantity);
  const ledger = await db
    .selectFrom('commission_ledger')
    .innerJoin('orders', 'orders.id', 'commission_ledger.order_id')
    .select(['commission_ledger.bucket', 'commission_ledger.amount_cents'])
    .where('orders.offer_id', '=', offerId)
    .execute();
  expect(ledger).toHaveLength(9);
  const sum = (bucket: string) =>
    ledger.filter((l) => l.bucket === bucket).reduce((n, l) => n + l.amount_cents, 0);
  expect(sum('pending')).toBe(0);
  expect(sum('reversed')).toBe(3 * 198);
}
