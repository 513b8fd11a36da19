import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, Client, signUp } from '../helpers/app';
import { sweepOutbox } from '../../server/services/outbox.service';
import {
  makeBuyers,
  makeLeader,
  makeOffer,
  makeShop,
  order,
  phoneOf,
  uniquePhone,
} from '../helpers/factories';

const { app, db, realtime } = buildTestApp();
afterAll(() => db.destroy());

async function offerRow(id: string) {
  return db
    .selectFrom('offers')
    .select(['quantity', 'remaining', 'group_reached_at', 'group_failed_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function unitsSold(offerId: string) {
  const rows = await db
    .selectFrom('orders')
    .select(['quantity', 'state', 'buyer_id'])
    .where('offer_id', '=', offerId)
    .execute();
  return rows;
}

describe('stock never oversells', () => {
  it('500 buyers at once on 50 units: exactly 50 orders, the rest told sold_out', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 50 });
    const buyers = await makeBuyers(app, 500);
    const events: string[] = [];
    const off = realtime.subscribe((streamId, event) => {
      if (streamId === shop.streamId) events.push(event);
    });

    const answers = await Promise.all(buyers.map((b) => order(b, shop.streamId, { offerId })));
    off();

    const won = answers.filter((a) => a.status === 201);
    const lost = answers.filter((a) => a.status !== 201);
    expect(won).toHaveLength(50);
    expect(lost).toHaveLength(450);
    for (const l of lost) expect(l).toMatchObject({ status: 409, error: { code: 'sold_out' } });
    const offer = await offerRow(offerId);
    expect(offer.remaining).toBe(0);
    const rows = await unitsSold(offerId);
    expect(rows).toHaveLength(50);
    expect(rows.reduce((n, r) => n + r.quantity, 0) + offer.remaining).toBe(offer.quantity);
    // every pickup code is distinct within the shop
    expect(new Set(won.map((w) => w.order?.pickupCode)).size).toBe(50);
    // one order:new and one offer:update per order, published after commit
    expect(events.filter((e) => e === 'order:new')).toHaveLength(50);
    expect(events.filter((e) => e === 'offer:update')).toHaveLength(50);
  });

  it('one buyer tapping 30 times at once gets exactly their limit; 300 buyers race for 100 units', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 10_000, perBuyerLimit: 2 });
    const [eager] = await makeBuyers(app, 1);
    const taps = await Promise.all(
      Array.from({ length: 30 }, () => order(eager!, shop.streamId, { offerId })),
    );
    expect(taps.filter((a) => a.status === 201)).toHaveLength(2);
    for (const a of taps.filter((t) => t.status !== 201)) {
      expect(a).toMatchObject({ status: 409, error: { code: 'limit_exceeded' } });
    }
    // a flash sale with a limit of 1: 100 units, 300 buyers, all at once
    const flash = await makeOffer(db, shop, { quantity: 100, perBuyerLimit: 1 });
    const buyers = await makeBuyers(app, 300);
    const answers = await Promise.all(
      buyers.map((b) => order(b, shop.streamId, { offerId: flash })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(100);
    expect(answers.filter((a) => a.error?.code === 'sold_out')).toHaveLength(200);
    expect((await offerRow(flash)).remaining).toBe(0);
  });

  it('after a sell-out, stock that comes back can be bought at once', async () => {
    // the process remembers the sell-out to answer queued buyers quickly; that memory must
    // never refuse a buyer who asks after the stock came back
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 2, perBuyerLimit: 1 });
    const buyers = await makeBuyers(app, 5);
    const first = await Promise.all(
      buyers.slice(0, 3).map((b) => order(b, shop.streamId, { offerId })),
    );
    expect(first.filter((a) => a.status === 201)).toHaveLength(2);
    expect(first.filter((a) => a.error?.code === 'sold_out')).toHaveLength(1);
    const raised = await shop.owner.request(
      'PATCH',
      `/api/streams/${shop.streamId}/offers/${offerId}`,
      {
        json: { quantity: 4 },
      },
    );
    expect(raised.status).toBe(200);
    const after = await Promise.all(
      buyers.slice(3).map((b) => order(b, shop.streamId, { offerId })),
    );
    expect(after.map((a) => a.status)).toEqual([201, 201]);
    expect((await offerRow(offerId)).remaining).toBe(0);
  });

  it('random quantities and per-buyer limits: sold + remaining = initial, limits hold', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
        fc.array(
          fc.record({
            buyer: fc.integer({ min: 0, max: 11 }),
            quantity: fc.integer({ min: 1, max: 5 }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        async (quantity, perBuyerLimit, requests) => {
          const shop = await makeShop(app, db);
          const offerId = await makeOffer(db, shop, { quantity, perBuyerLimit });
          const buyers = await makeBuyers(app, 12);
          const answers = await Promise.all(
            requests.map((r) =>
              order(buyers[r.buyer]!, shop.streamId, { offerId, quantity: r.quantity }),
            ),
          );
          for (const a of answers) {
            if (a.status !== 201) {
              expect(a.status).toBe(409);
              expect(['sold_out', 'limit_exceeded']).toContain(a.error?.code);
            }
          }
          const offer = await offerRow(offerId);
          const rows = await unitsSold(offerId);
          const sold = rows.reduce((n, r) => n + r.quantity, 0);
          expect(sold + offer.remaining).toBe(quantity);
          expect(offer.remaining).toBeGreaterThanOrEqual(0);
          expect(rows).toHaveLength(answers.filter((a) => a.status === 201).length);
          if (perBuyerLimit !== null) {
            const perBuyer = new Map<string, number>();
            for (const r of rows)
              perBuyer.set(r.buyer_id, (perBuyer.get(r.buyer_id) ?? 0) + r.quantity);
            for (const units of perBuyer.values()) expect(units).toBeLessThanOrEqual(perBuyerLimit);
          }
          // a request refused as sold_out really could not fit when it was refused: at
          // least the smallest refused quantity is more than what is left now
          const refusedSoldOut = requests.filter((_, i) => answers[i]?.error?.code === 'sold_out');
          if (refusedSoldOut.length) {
            expect(Math.min(...refusedSoldOut.map((r) => r.quantity))).toBeGreaterThan(
              offer.remaining,
            );
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('idempotency', () => {
  it('the same key 10× at once: one order, one stock change; another body is 422', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 20 });
    const [buyer] = await makeBuyers(app, 1);
    const key = `k-${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => order(buyer!, shop.streamId, { offerId, quantity: 2 }, key)),
    );
    for (const a of answers) expect(a.status).toBe(201);
    expect(new Set(answers.map((a) => a.order?.id)).size).toBe(1);
    expect((await offerRow(offerId)).remaining).toBe(18);
    expect(await unitsSold(offerId)).toHaveLength(1);

    const other = await order(buyer!, shop.streamId, { offerId, quantity: 3 }, key);
    expect(other).toMatchObject({ status: 422, error: { code: 'idempotency_conflict' } });
    expect((await offerRow(offerId)).remaining).toBe(18);

    // a replay answers the first order even once the offer is sold out
    await db.updateTable('offers').set({ remaining: 0 }).where('id', '=', offerId).execute();
    const again = await order(buyer!, shop.streamId, { offerId, quantity: 2 }, key);
    expect(again).toMatchObject({ status: 201, order: { id: answers[0]?.order?.id } });
  });

  it('keys are per buyer: two buyers may use the same key', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 5 });
    const [a, b] = await makeBuyers(app, 2);
    const ra = await order(a!, shop.streamId, { offerId }, 'same-key');
    const rb = await order(b!, shop.streamId, { offerId }, 'same-key');
    expect(ra.status).toBe(201);
    expect(rb.status).toBe(201);
    expect(ra.order?.id).not.toBe(rb.order?.id);
  });
});

describe('group buys', () => {
  it('the threshold crossed by concurrent orders confirms all, exactly once', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, {
      quantity: 100,
      groupMin: 10,
      groupDeadline: new Date(Date.now() + 3_600_000),
    });
    const buyers = await makeBuyers(app, 30);
    // six wait first
    const early = await Promise.all(
      buyers.slice(0, 6).map((b) => order(b, shop.streamId, { offerId })),
    );
    for (const e of early) expect(e.order?.status).toBe('pending_group');

    const reached: unknown[] = [];
    const off = realtime.subscribe((streamId, event, payload) => {
      if (streamId === shop.streamId && event === 'group:reached') reached.push(payload);
    });
    const rest = await Promise.all(
      buyers.slice(6).map((b) => order(b, shop.streamId, { offerId })),
    );
    off();
    expect(rest.every((r) => r.status === 201)).toBe(true);
    expect(reached).toHaveLength(1);
    expect(reached[0]).toMatchObject({ offerId, groupMin: 10 });
    const rows = await unitsSold(offerId);
    expect(rows).toHaveLength(30);
    expect(rows.every((r) => r.state === 'confirmed')).toBe(true);
    expect((await offerRow(offerId)).group_reached_at).not.toBeNull();
  });

  it('attribution: a ref to an approved leader snapshots the leader and a pending commission', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 10, priceCents: 3290 });
    const leader = await makeLeader(app, db, shop.shopId, '0.0800');
    const [buyer] = await makeBuyers(app, 1);
    const res = await order(buyer!, shop.streamId, {
      offerId,
      quantity: 3,
      ref: leader.code,
      pickupPointId: leader.leaderId,
    });
    expect(res).toMatchObject({
      status: 201,
      order: { leaderId: leader.leaderId, totalCents: 9870 },
    });
    const ledger = await db
      .selectFrom('commission_ledger')
      .selectAll()
      .where('order_id', '=', res.order!.id)
      .execute();
    expect(ledger).toMatchObject([{ bucket: 'pending', amount_cents: 790, reason: 'order' }]);

    // the leader ordering through their own link earns nothing
    const own = await order(leader.client, shop.streamId, { offerId, ref: leader.code });
    expect(own).toMatchObject({ status: 201, order: { leaderId: null } });
    // an unknown code is ignored, not an error (for a buyer who never followed a leader link)
    const [stranger] = await makeBuyers(app, 1);
    const unknown = await order(stranger!, shop.streamId, { offerId, ref: 'nobody' });
    expect(unknown).toMatchObject({ status: 201, order: { leaderId: null } });
    // the first buyer's earlier ref was a click: their next order, without one, still counts
    const again = await order(buyer!, shop.streamId, { offerId, ref: 'nobody' });
    expect(again).toMatchObject({ status: 201, order: { leaderId: leader.leaderId } });
  });
});

describe('orders a crashed process never announced', () => {
  it('the sweep announces them, with the offer stock as it is now', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 10 });
    const [a, b] = await makeBuyers(app, 2);
    expect((await order(a!, shop.streamId, { offerId, quantity: 2 })).status).toBe(201);
    expect((await order(b!, shop.streamId, { offerId, quantity: 3 })).status).toBe(201);
    // as if the process had died between the commit of b's order and its publishing: its
    // order:new row is still in the outbox, older than the sweep's threshold
    await db
      .insertInto('commerce_outbox')
      .values({
        stream_id: shop.streamId,
        event: 'order:new',
        payload: JSON.stringify({
          streamId: shop.streamId,
          offerId,
          orderId: crypto.randomUUID(),
          buyerName: '王**',
          productName: 'x',
          quantity: 3,
          createdAt: new Date().toISOString(),
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then(({ id }) =>
        sql`update commerce_outbox set created_at = now() - interval '1 minute' where id = ${id}`.execute(
          db,
        ),
      );
    const seen: { event: string; payload: unknown }[] = [];
    const off = realtime.subscribe((streamId, event, payload) => {
      if (streamId === shop.streamId) seen.push({ event, payload });
    });
    await sweepOutbox(db, realtime, 5_000);
    off();
    expect(seen.map((e) => e.event)).toEqual(['order:new', 'offer:update']);
    expect(seen[1]?.payload).toMatchObject({ offerId, remaining: 5, status: 'open' });
  });
});

describe('anti-hoarding: what one buyer may take', () => {
  it('20 guests sharing one phone number on an offer with limit 1: one order, the rest told why', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 100, perBuyerLimit: 1 });
    const guests = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const c = new Client(app);
        expect((await c.post('/api/auth/guest', { name: `囤货${i}` })).status).toBe(201);
        return c;
      }),
    );
    const phone = uniquePhone();
    const answers = await Promise.all(
      guests.map((g) => order(g, shop.streamId, { offerId, phone })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused).toHaveLength(19);
    for (const r of refused) {
      expect(r).toMatchObject({
        status: 409,
        error: { code: 'limit_exceeded', limit: { perBuyer: 1, held: 1 } },
      });
    }
    expect((await offerRow(offerId)).remaining).toBe(99);
  });

  it('a group offer checks the per-buyer limit the same way, by account and phone', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, {
      quantity: 50,
      perBuyerLimit: 2,
      groupMin: 10,
      groupDeadline: new Date(Date.now() + 3_600_000),
    });
    const [a, b] = await makeBuyers(app, 2);
    const phone = uniquePhone();
    expect((await order(a!, shop.streamId, { offerId, phone })).status).toBe(201);
    expect(await order(b!, shop.streamId, { offerId, phone, quantity: 2 })).toMatchObject({
      status: 409,
      error: { code: 'limit_exceeded', limit: { perBuyer: 2, held: 1 } },
    });
    expect((await order(b!, shop.streamId, { offerId, phone })).status).toBe(201);
    expect((await offerRow(offerId)).remaining).toBe(48);
  });

  it("the shop's default limit applies to offers without their own; an offer's own limit lifts it", async () => {
    const shop = await makeShop(app, db);
    await db
      .updateTable('shops')
      .set({ default_buyer_limit: 3 })
      .where('id', '=', shop.shopId)
      .execute();
    const plain = await makeOffer(db, shop, { quantity: 100 });
    const lifted = await makeOffer(db, shop, { quantity: 100, perBuyerLimit: 10 });
    const buyer = new Client(app);
    await signUp(buyer, '老主顾');
    expect((await order(buyer, shop.streamId, { offerId: plain, quantity: 2 })).status).toBe(201);
    expect(await order(buyer, shop.streamId, { offerId: plain, quantity: 2 })).toMatchObject({
      status: 409,
      error: { code: 'limit_exceeded', limit: { perBuyer: 3, held: 2 } },
    });
    expect((await order(buyer, shop.streamId, { offerId: lifted, quantity: 8 })).status).toBe(201);
    // with no default at all, an account is unlimited but a guest still is not
    await db
      .updateTable('shops')
      .set({ default_buyer_limit: null })
      .where('id', '=', shop.shopId)
      .execute();
    const open = await makeOffer(db, shop, { quantity: 100 });
    expect((await order(buyer, shop.streamId, { offerId: open, quantity: 30 })).status).toBe(201);
    const guest = new Client(app);
    await guest.post('/api/auth/guest', { name: '路人' });
    expect(await order(guest, shop.streamId, { offerId: open, quantity: 11 })).toMatchObject({
      status: 409,
      error: { code: 'limit_exceeded', limit: { perBuyer: 10 } },
    });
    expect((await order(guest, shop.streamId, { offerId: open, quantity: 10 })).status).toBe(201);
  });
});

describe('anti-hoarding: order rate per buyer', () => {
  const strict = buildTestApp({ ORDERS_PER_BUYER_PER_MINUTE: '3' }, db);
  it('a fourth order attempt within a minute is 429 with Retry-After; another buyer is not held up', async () => {
    const shop = await makeShop(strict.app, db);
    const offerId = await makeOffer(db, shop, { quantity: 100, perBuyerLimit: 50 });
    const [a, b] = await makeBuyers(strict.app, 2);
    for (let i = 0; i < 3; i++) {
      expect((await order(a!, shop.streamId, { offerId })).status).toBe(201);
    }
    const res = await a!.post(`/api/streams/${shop.streamId}/orders`, {
      offerId,
      quantity: 1,
      phone: phoneOf(a!),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect((await order(b!, shop.streamId, { offerId })).status).toBe(201);
  });
});
