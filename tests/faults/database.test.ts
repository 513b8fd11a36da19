import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/schema';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres';
import {
  approvedLeader,
  cleanupsAfterAll,
  expectGroupFailedOnce,
  expectStormBooks,
  guest,
  type HttpClient,
  json,
  outboxDrained,
  pendingGroupOrders,
  setUpShop,
  sleep,
  startServerProcess,
  watchStream,
} from '../helpers/server-process';
import { freePort } from '../setup/ports';
import { ADMIN_DATABASE_URL, createTestDatabase, kyselyFor } from '../setup/services';
import { phoneOf } from '../helpers/phones';

// Database faults while residents order: every connection of the app terminated mid-storm
// (what an idle-connection reaper, a failover or a DBA does), and a PostgreSQL restart
// while a group deadline falls due. The app must stay up, answer 503 + Retry-After to what
// it cannot do, and lose nothing.

const cleanups = cleanupsAfterAll(afterAll);

/** The answers a buyer got, retrying one Idempotency-Key as a phone would. */
interface Outcome {
  status: number;
  orderId: string | undefined;
  unavailable: number;
  retryAfter: string | null;
  unexpected: string[];
}

async function buyUntilAnswered(
  buyer: HttpClient,
  streamId: string,
  offerId: string,
  serverAlive: () => boolean,
): Promise<Outcome> {
  const key = randomUUID();
  let unavailable = 0;
  let retryAfter: string | null = null;
  const unexpected: string[] = [];
  for (;;) {
    if (!serverAlive()) {
      unexpected.push('the server process died');
      return { status: 0, orderId: undefined, unavailable, retryAfter, unexpected };
    }
    let res: Response;
    try {
      res = await buyer.post(
        `/api/streams/${streamId}/orders`,
        { offerId, quantity: 1, phone: phoneOf(buyer) },
        { 'idempotency-key': key },
      );
    } catch (err) {
      unexpected.push(`network: ${String(err)}`);
      await sleep(200);
      continue;
    }
    if (res.status === 201 || res.status === 409) {
      const body = await json<{ order?: { id: string } }>(res);
      return { status: res.status, orderId: body.order?.id, unavailable, retryAfter, unexpected };
    }
    const body = await res.text();
    if (res.status === 503 && body.includes('"unavailable"')) {
      unavailable += 1;
      retryAfter = res.headers.get('retry-after');
    } else {
      unexpected.push(`${res.status}: ${body}`);
    }
    await sleep(100 + Math.random() * 200);
  }
}

describe('a database blip during a sale', () => {
  it('every app connection terminated mid-storm: the process stays up, nothing lost or doubled', async () => {
    const database = await createTestDatabase('fault_term');
    cleanups.push(() => database.drop());
    const server = await startServerProcess(database.url, await freePort());
    cleanups.push(() => server.kill('SIGKILL'));
    const dbName = new URL(database.url).pathname.slice(1);

    const { streamId, offerId } = await setUpShop(server.baseUrl, { quantity: 100 });
    const buyers = await Promise.all(
      Array.from({ length: 150 }, (_, i) => guest(server.baseUrl, `邻居${i}`)),
    );
    const viewer = await guest(server.baseUrl, '观众');
    const watcher = await watchStream(server.baseUrl, streamId, viewer.cookie);
    cleanups.push(() => {
      watcher.close();
    });

    let answered = 0;
    const storm = buyers.map((b) =>
      buyUntilAnswered(b, streamId, offerId, () => server.child.exitCode === null).then((o) => {
        answered += 1;
        return o;
      }),
    );

    // Once the storm is under way, cut every connection the app holds (its pool and
    // pg-boss's), four times over a second, as a failover or a reaper would.
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    cleanups.push(() => admin.end());
    while (answered < 10) await sleep(5);
    let terminated = 0;
    for (let round = 0; round < 4; round++) {
      const { rows } = await admin.query<{ n: string }>(
        'select count(pg_terminate_backend(pid)) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [dbName],
      );
      terminated += Number(rows[0]?.n ?? 0);
      await sleep(250);
    }
    const cutAt = Date.now();

    // health is green again within 5 s of the last cut
    let healthyAfterMs = -1;
    while (Date.now() - cutAt < 5_000) {
      const res = await fetch(`${server.baseUrl}/api/health`).catch(() => null);
      const body = res ? await json<{ db: { ok: boolean } }>(res) : null;
      if (body?.db.ok) {
        healthyAfterMs = Date.now() - cutAt;
        break;
      }
      await sleep(100);
    }

    const outcomes = await Promise.all(storm);
    expect(server.child.exitCode, server.output.join('')).toBeNull();
    expect(healthyAfterMs, 'health green within 5 s').toBeGreaterThanOrEqual(0);

    const db = kyselyFor<DB>(database.url);
    cleanups.push(() => db.destroy());
    await outboxDrained(db);

    // The fault really hit requests, and they were told to come back: 503 + Retry-After.
    expect(terminated).toBeGreaterThan(0);
    const unavailable = outcomes.reduce((n, o) => n + o.unavailable, 0);
    expect(unavailable).toBeGreaterThan(0);
    expect(outcomes.find((o) => o.unavailable > 0)?.retryAfter).toMatch(/^\d+$/);
    // never a 500, never a dropped connection
    expect(outcomes.flatMap((o) => o.unexpected)).toEqual([]);

    // orders = 2xx answers, one per buyer, every unit accounted for, every order announced
    const won = outcomes.filter((o) => o.status === 201);
    expect(won).toHaveLength(100);
    const { offer } = await expectStormBooks(
      db,
      offerId,
      won.map((w) => w.orderId),
      watcher.events,
    );
    expect(offer.remaining).toBe(0);
  });

  it('PostgreSQL restarted as a group deadline falls due: the deadline is applied exactly once', async () => {
    const cluster: PrivatePostgres = await startPrivatePostgres();
    cleanups.push(() => cluster.destroy());
    const server = await startServerProcess(cluster.url, await freePort());
    cleanups.push(() => server.kill('SIGKILL'));

    const deadline = new Date(Date.now() + 6_000);
    const { streamId, offerId, shopId } = await setUpShop(server.baseUrl, {
      quantity: 50,
      groupMin: 10,
      groupDeadline: deadline.toISOString(),
    });
    const db = kyselyFor<DB>(cluster.url);
    cleanups.push(() => db.destroy());
    // an approved leader, whose commissions must be voided once
    const code = await approvedLeader(server.baseUrl, db, shopId);
    await pendingGroupOrders(server.baseUrl, streamId, offerId, code);
    const viewer = await guest(server.baseUrl, '观众');
    const watcher = await watchStream(server.baseUrl, streamId, viewer.cookie);
    cleanups.push(() => {
      watcher.close();
    });
    await db.destroy(); // our own pool would only see the restart as errors

    // the restart straddles the deadline
    await sleep(Math.max(0, deadline.getTime() - Date.now() - 700));
    cluster.restart();

    const after = kyselyFor<DB>(cluster.url);
    cleanups.push(() => after.destroy());
    for (let i = 0; i < 200; i++) {
      const offer = await after
        .selectFrom('offers')
        .select('group_failed_at')
        .where('id', '=', offerId)
        .executeTakeFirstOrThrow();
      if (offer.group_failed_at) break;
      await sleep(100);
    }
    await sleep(6_000); // room for a second application to show (pg-boss and the sweep)

    expect(server.child.exitCode, server.output.join('')).toBeNull();
    const health = await fetch(`${server.baseUrl}/api/health`);
    expect((await json<{ db: { ok: boolean } }>(health)).db.ok).toBe(true);

    // applied exactly once: orders cancelled, stock back, commissions voided once
    await expectGroupFailedOnce(after, offerId);
    // viewers were told once
    const failedEvents = watcher.events.filter(
      (e) =>
        e.event === 'offer:update' &&
        typeof e.payload === 'object' &&
        e.payload !== null &&
        'status' in e.payload &&
        e.payload.status === 'group_failed',
    );
    expect(failedEvents).toHaveLength(1);
  });

  it('PostgreSQL down for a while: prompt 503s with Retry-After, health says down, then back by itself', async () => {
    const cluster = await startPrivatePostgres();
    cleanups.push(() => cluster.destroy());
    const server = await startServerProcess(cluster.url, await freePort());
    cleanups.push(() => server.kill('SIGKILL'));
    const { streamId, offerId } = await setUpShop(server.baseUrl, { quantity: 10 });
    const buyer = await guest(server.baseUrl, '邻居');
    const key = randomUUID();
    const placeOrder = () =>
      buyer.post(
        `/api/streams/${streamId}/orders`,
        { offerId, quantity: 1, phone: phoneOf(buyer) },
        { 'idempotency-key': key },
      );

    cluster.stop();
    const refused = await placeOrder();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await json<{ error: { code: string } }>(refused)).toMatchObject({
      error: { code: 'unavailable' },
    });
    const health = await fetch(`${server.baseUrl}/api/health`);
    expect(health.status).toBe(503);
    expect(await json<{ db: { ok: boolean } }>(health)).toMatchObject({ db: { ok: false } });

    cluster.start();
    let placed: Response | null = null;
    for (let i = 0; i < 50 && placed?.status !== 201; i++) {
      placed = await placeOrder();
      if (placed.status !== 201) await sleep(200);
    }
    expect(placed?.status).toBe(201);
    expect(server.child.exitCode, server.output.join('')).toBeNull();
    const db = kyselyFor<DB>(cluster.url);
    cleanups.push(() => db.destroy());
    const orders = await db
      .selectFrom('orders')
      .select('id')
      .where('offer_id', '=', offerId)
      .execute();
    expect(orders).toHaveLength(1);
  });
});
