import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { createTestDatabase, kyselyFor } from '../setup/services';
import { freePort } from '../setup/ports';
import {
  approvedLeader,
  expectGroupFailedOnce,
  expectStormBooks,
  guest,
  json,
  outboxDrained,
  pendingGroupOrders,
  setUpShop,
  sleep,
  startServerProcess,
  watchStream,
} from '../helpers/server-process';
import { phoneOf } from '../helpers/phones';

// The server as its own process, killed with SIGKILL and started again on the same
// database: orders, stock, group deadlines and events must come through whole.

let database: { url: string; drop: () => Promise<void> };
let db: Kysely<DB>;
beforeAll(async () => {
  database = await createTestDatabase('restart');
  db = kyselyFor<DB>(database.url);
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

describe('a server killed mid-storm and restarted', () => {
  it('no duplicate order, no lost unit, no order without its event', async () => {
    const port = await freePort();
    let server = await startServerProcess(database.url, port);
    const { streamId, offerId } = await setUpShop(server.baseUrl, { quantity: 120 });
    const buyers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => guest(server.baseUrl, `买家${i}`)),
    );
    const viewer = await guest(server.baseUrl, '观众');
    const watch1 = await watchStream(server.baseUrl, streamId, viewer.cookie);

    // every buyer retries with its one key until it gets an answer
    let attempts = 0;
    // retries wait until the viewer is back in the room, as a phone's socket reconnects
    let viewerBack = (): void => undefined;
    const gate = new Promise<void>((ok) => (viewerBack = ok));
    const storm = buyers.map(async (buyer) => {
      const key = randomUUID();
      for (;;) {
        attempts++;
        try {
          const res = await buyer.post(
            `/api/streams/${streamId}/orders`,
            { offerId, quantity: 1, phone: phoneOf(buyer) },
            { 'idempotency-key': key },
          );
          if (res.status === 201 || res.status === 409) {
            return { status: res.status, body: await json<{ order?: { id: string } }>(res) };
          }
        } catch {
          // the server is down: retry once it is back
          await gate;
        }
        await sleep(100 + Math.random() * 100);
      }
    });

    // kill once the storm is under way: some orders committed, most not
    for (let i = 0; i < 200; i++) {
      const n = await db
        .selectFrom('orders')
        .select('id')
        .where('offer_id', '=', offerId)
        .limit(10)
        .execute();
      if (n.length >= 10) break;
      await sleep(5);
    }
    await server.kill('SIGKILL');
    const ordersAtKill = await db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('offer_id', '=', offerId)
      .executeTakeFirstOrThrow();
    watch1.close();
    server = await startServerProcess(database.url, port);
    const watch2 = await watchStream(server.baseUrl, streamId, viewer.cookie);
    viewerBack();

    const answers = await Promise.all(storm);
    // the outbox drains (the restarted server's first sweep), then everything was published
    await outboxDrained(db);
    watch2.close();
    await server.kill('SIGTERM');

    const won = answers.filter((a) => a.status === 201);
    expect(won.length).toBe(120);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(80);
    // no duplicate, no lost unit, no order without its event, across both processes
    const { offer } = await expectStormBooks(
      db,
      offerId,
      won.map((w) => w.body.order?.id),
      [...watch1.events, ...watch2.events],
      `orders at kill: ${ordersAtKill.n}`,
    );
    expect(offer.remaining).toBe(0);
    // the kill really landed mid-storm
    expect(attempts).toBeGreaterThan(200);
    expect(Number(ordersAtKill.n)).toBeGreaterThan(0);
    expect(Number(ordersAtKill.n)).toBeLessThan(120);
  }, 120_000);

  it('a group deadline that passes while the server is down is applied once after restart', async () => {
    const port = await freePort();
    let server = await startServerProcess(database.url, port);
    const deadline = new Date(Date.now() + 4_000);
    const { streamId, offerId, shopId } = await setUpShop(server.baseUrl, {
      quantity: 50,
      groupMin: 10,
      groupDeadline: deadline.toISOString(),
    });
    // an approved leader, whose commissions must be voided once
    const code = await approvedLeader(server.baseUrl, db, shopId);

    const buyers = await pendingGroupOrders(server.baseUrl, streamId, offerId, code);
    await server.kill('SIGKILL');
    await sleep(Math.max(0, deadline.getTime() - Date.now()) + 1_000);

    server = await startServerProcess(database.url, port);
    for (let i = 0; i < 100; i++) {
      const offer = await db
        .selectFrom('offers')
        .select('group_failed_at')
        .where('id', '=', offerId)
        .executeTakeFirstOrThrow();
      if (offer.group_failed_at) break;
      await sleep(100);
    }
    await sleep(1_500); // a second chance for a duplicate to show (pg-boss and the sweep)

    await expectGroupFailedOnce(db, offerId);
    // the buyers see why
    const mine = await json<{ orders: { status: string; cancelReason: string | null }[] }>(
      await buyers[0]!.get('/api/me/orders'),
    );
    expect(mine.orders[0]).toMatchObject({ status: 'cancelled', cancelReason: 'group_failed' });
    // the offer no longer takes orders
    const late = await buyers[0]!.post(`/api/streams/${streamId}/orders`, {
      offerId,
      quantity: 1,
      phone: phoneOf(buyers[0]!),
    });
    expect(late.status).toBe(409);
    await server.kill('SIGTERM');
  }, 120_000);

  it('a waitlist hold that runs out while the server is down passes to the next after restart', async () => {
    const port = await freePort();
    const env = { WAITLIST_HOLD_SECONDS: '3' };
    let server = await startServerProcess(database.url, port, env);
    const { streamId, offerId } = await setUpShop(server.baseUrl, { quantity: 1 });
    const buyer = await guest(server.baseUrl, '买家');
    const placed = await json<{ order: { id: string } }>(
      await buyer.post(`/api/streams/${streamId}/orders`, {
        offerId,
        quantity: 1,
        phone: phoneOf(buyer),
      }),
    );
    const [first, second] = [await guest(server.baseUrl, '甲'), await guest(server.baseUrl, '乙')];
    const line = `/api/streams/${streamId}/offers/${offerId}/waitlist`;
    expect((await first.post(line, {})).status).toBe(201);
    expect((await second.post(line, {})).status).toBe(201);
    // the buyer cancels: the unit is held for the first in line, whose hold is a pg-boss job
    expect((await buyer.post(`/api/orders/${placed.order.id}/cancel`, {})).status).toBe(200);
    const entries = () =>
      db
        .selectFrom('waitlist_entries')
        .select(['id', 'user_id', 'state'])
        .where('offer_id', '=', offerId)
        .orderBy('seq')
        .execute();
    const [held, waiting] = await entries();
    expect(held).toMatchObject({ state: 'offered' });
    expect(waiting).toMatchObject({ state: 'waiting' });
    const job = () =>
      sql<{ state: string }>`select state from pgboss.job
        where name = 'waitlist-expiry' and data->>'entryId' = ${held!.id}`.execute(db);
    expect((await job()).rows).toHaveLength(1);

    await server.kill('SIGKILL');
    await sleep(4_000); // the hold runs out while nothing runs
    server = await startServerProcess(database.url, port, env);
    for (let i = 0; i < 100; i++) {
      if ((await entries())[1]?.state === 'offered') break;
      await sleep(100);
    }
    const after = await entries();
    expect(after.map((e) => e.state)).toEqual(['expired', 'offered']);
    // the unit moved once: still held, never back on sale twice
    const stock = await db
      .selectFrom('offers')
      .select(['remaining', 'reserved'])
      .where('id', '=', offerId)
      .executeTakeFirstOrThrow();
    expect(stock).toEqual({ remaining: 0, reserved: 1 });
    // the restarted server worked the queued job (the sweep stands behind it)
    for (let i = 0; i < 50 && (await job()).rows[0]?.state !== 'completed'; i++) await sleep(100);
    expect((await job()).rows[0]?.state).toBe('completed');
    // and the second resident orders the held unit
    const claimed = await second.post(`${line}/claim`, { phone: phoneOf(second) });
    expect(claimed.status).toBe(201);
    await server.kill('SIGTERM');
  }, 120_000);
});
