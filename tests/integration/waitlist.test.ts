import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { pino } from 'pino';
import { Client, serveTestApp } from '../helpers/app';
import { makeBuyer, makeBuyers, makeOffer, makeShop, order, phoneOf } from '../helpers/factories';
import { ask, collect, connected, openSocket, until, type TestSocket } from '../helpers/sockets';
import { releaseDueHolds } from '../../server/services/waitlist.service';

// Waitlists (issue 17.4): a sold-out offer's line, first come first served; units that come
// back are held for the first in line, who confirms with an order; a hold that runs out or
// is let go passes to the next. Held units are never sold to anyone else.

let served: Awaited<ReturnType<typeof serveTestApp>>;
let shop: Awaited<ReturnType<typeof makeShop>>;
let streamId: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  served = await serveTestApp();
  shop = await makeShop(served.app, served.db);
  streamId = shop.streamId;
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await served.close();
});

type Entry = {
  offerId: string;
  state: string;
  position: number | null;
  expiresAt: string | null;
  orderId: string | null;
};

const line = (offerId: string) => `/api/streams/${streamId}/offers/${offerId}/waitlist`;

async function join(c: Client, offerId: string) {
  const res = await c.post(line(offerId));
  const body = (await res.json()) as { entry?: Entry; error?: { code: string } };
  return { status: res.status, ...body };
}

async function mine(c: Client, offerId: string): Promise<Entry | undefined> {
  const res = await c.get(`/api/streams/${streamId}/waitlist`);
  expect(res.status).toBe(200);
  const { entries } = (await res.json()) as { entries: Entry[] };
  return entries.find((e) => e.offerId === offerId);
}

async function claim(c: Client, offerId: string, key = randomUUID()) {
  const res = await c.post(
    `${line(offerId)}/claim`,
    { phone: phoneOf(c) },
    {
      'idempotency-key': key,
    },
  );
  const body = (await res.json()) as { order?: { id: string }; error?: { code: string } };
  return { status: res.status, ...body };
}

async function stock(offerId: string) {
  return served.db
    .selectFrom('offers')
    .select(['remaining', 'reserved', 'quantity'])
    .where('id', '=', offerId)
    .executeTakeFirstOrThrow();
}

/** A sold-out offer of `n` units, each bought by its own buyer (whose orders are returned). */
async function soldOut(n: number) {
  const offerId = await makeOffer(served.db, shop, { quantity: n });
  const buyers = await makeBuyers(served.app, n);
  const orders = [];
  for (const b of buyers) {
    const placed = await order(b, streamId, { offerId });
    expect(placed.status).toBe(201);
    orders.push({ buyer: b, orderId: placed.order!.id });
  }
  return { offerId, orders };
}

const cancel = (o: { buyer: Client; orderId: string }) =>
  o.buyer.post(`/api/orders/${o.orderId}/cancel`);

function cookieOf(c: Client): string {
  return [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

describe('a waitlist for a sold-out offer', () => {
  it('takes no one while units remain, and keeps one place per resident', async () => {
    const offerId = await makeOffer(served.db, shop, { quantity: 1 });
    const early = await makeBuyer(served.app, '早到');
    expect(await join(early, offerId)).toMatchObject({
      status: 409,
      error: { code: 'in_stock' },
    });
    expect((await order(early, streamId, { offerId })).status).toBe(201);

    const late = await makeBuyer(served.app, '晚到');
    const first = await join(late, offerId);
    expect(first).toMatchObject({ status: 201, entry: { state: 'waiting', position: 1 } });
    // joining again (a second tap, another tab) answers the same place
    const again = await Promise.all([join(late, offerId), join(late, offerId)]);
    for (const a of again) expect(a.entry).toMatchObject({ state: 'waiting', position: 1 });
    const rows = await served.db
      .selectFrom('waitlist_entries')
      .select('id')
      .where('offer_id', '=', offerId)
      .execute();
    expect(rows).toHaveLength(1);
    // signed-out visitors and unknown offers get clear refusals
    expect((await new Client(served.app).post(line(offerId))).status).toBe(401);
    expect((await join(late, randomUUID())).status).toBe(404);
  });

  it('is first come, first served when many join and units come back at once', async () => {
    const { offerId, orders } = await soldOut(4);
    const residents = await makeBuyers(served.app, 16);
    // all at once: the line's order is the order the joins committed in, with no two alike
    const joined = await Promise.all(residents.map((r) => join(r, offerId)));
    for (const j of joined) expect(j.status).toBe(201);
    const seqs = await served.db
      .selectFrom('waitlist_entries')
      .select(['user_id', 'seq'])
      .where('offer_id', '=', offerId)
      .orderBy('seq')
      .execute();
    expect(seqs).toHaveLength(16);
    const positions = await Promise.all(residents.map((r) => mine(r, offerId)));
    expect(positions.map((p) => p!.position).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 16 }, (_, i) => i + 1),
    );
    const inLine = residents.slice().sort((a, b) => {
      const pa = positions[residents.indexOf(a)]!.position!;
      const pb = positions[residents.indexOf(b)]!.position!;
      return pa - pb;
    });

    // three buyers cancel at the same moment: the first three in line get one unit each
    const cancelled = await Promise.all(orders.slice(0, 3).map(cancel));
    for (const c of cancelled) expect(c.status).toBe(200);
    expect(await stock(offerId)).toMatchObject({ remaining: 0, reserved: 3 });
    for (const [i, r] of inLine.entries()) {
      const entry = await mine(r, offerId);
      if (i < 3) {
        expect(entry).toMatchObject({ state: 'offered', position: null });
        const left = Date.parse(entry!.expiresAt!) - Date.now();
        expect(left).toBeGreaterThan(9 * 60_000);
        expect(left).toBeLessThanOrEqual(10 * 60_000);
      } else {
        expect(entry).toMatchObject({ state: 'waiting', position: i - 2 });
      }
    }

    // a held unit is sold to no one else: the order sheet says sold out
    const outsider = await makeBuyer(served.app, '路人');
    expect(await order(outsider, streamId, { offerId })).toMatchObject({
      status: 409,
      error: { code: 'sold_out' },
    });
    // and no one but its holder can claim one
    expect(await claim(inLine[5]!, offerId)).toMatchObject({
      status: 409,
      error: { code: 'no_reservation' },
    });

    // the three confirm at once, one of them twice with different keys: three orders
    const answers = await Promise.all([
      claim(inLine[0]!, offerId),
      claim(inLine[0]!, offerId),
      claim(inLine[1]!, offerId),
      claim(inLine[2]!, offerId),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 409]);
    expect(answers.find((a) => a.status === 409)?.error?.code).toBe('no_reservation');
    expect(await stock(offerId)).toMatchObject({ remaining: 0, reserved: 0 });
    const placed = await served.db
      .selectFrom('orders')
      .select(['state'])
      .where('offer_id', '=', offerId)
      .where('state', '=', 'confirmed')
      .execute();
    // 4 sold, 3 cancelled, 3 confirmed from the line: never more than the quantity
    expect(placed).toHaveLength(4);
    expect(await mine(inLine[0]!, offerId)).toMatchObject({ state: 'claimed' });
    expect((await mine(inLine[0]!, offerId))!.orderId).toBeTruthy();
    // the next in line moved up
    expect(await mine(inLine[3]!, offerId)).toMatchObject({ state: 'waiting', position: 1 });
  });

  it('a claim retried with its key answers the first order', async () => {
    const { offerId, orders } = await soldOut(1);
    const r = await makeBuyer(served.app, '重试');
    await join(r, offerId);
    await cancel(orders[0]!);
    const key = randomUUID();
    const first = await claim(r, offerId, key);
    expect(first.status).toBe(201);
    const res = await r.post(
      `${line(offerId)}/claim`,
      { phone: phoneOf(r) },
      {
        'idempotency-key': key,
      },
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBe('true');
    expect(((await res.json()) as { order: { id: string } }).order.id).toBe(first.order!.id);
  });

  it('a hold that runs out, or is let go, passes to the next; an empty line frees the unit', async () => {
    const { offerId, orders } = await soldOut(1);
    const [a, b] = [await makeBuyer(served.app, '甲'), await makeBuyer(served.app, '乙')];
    await join(a, offerId);
    await join(b, offerId);
    await cancel(orders[0]!);
    expect(await mine(a, offerId)).toMatchObject({ state: 'offered' });

    // a's ten minutes pass (moved back in time) and the sweep ends the hold: b's turn
    await served.db
      .updateTable('waitlist_entries')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where('offer_id', '=', offerId)
      .where('state', '=', 'offered')
      .execute();
    expect(
      await releaseDueHolds({ ...served, logger: pino({ level: 'silent' }) }),
    ).toBeGreaterThanOrEqual(1);
    expect(await mine(a, offerId)).toMatchObject({ state: 'expired' });
    expect(await mine(b, offerId)).toMatchObject({ state: 'offered' });
    expect(await claim(a, offerId)).toMatchObject({ error: { code: 'no_reservation' } });
    expect(await stock(offerId)).toMatchObject({ remaining: 0, reserved: 1 });

    // b lets it go: nobody is left in line, so the unit is for sale again
    expect((await b.request('DELETE', line(offerId))).status).toBe(204);
    expect(await mine(b, offerId)).toMatchObject({ state: 'left' });
    expect(await stock(offerId)).toMatchObject({ remaining: 1, reserved: 0 });
    const anyone = await makeBuyer(served.app, '任何人');
    expect((await order(anyone, streamId, { offerId })).status).toBe(201);
  });

  it("hands a raised quantity's units and a refund's unit to the line, telling only the resident", async () => {
    const { offerId, orders } = await soldOut(1);
    const waiting = await makeBuyers(served.app, 3);
    for (const w of waiting) await join(w, offerId);
    const watchers = await Promise.all(
      [...waiting, await makeBuyer(served.app, '旁观')].map(async (c) => {
        const s = openSocket(served.url, { cookie: cookieOf(c) });
        sockets.push(s);
        await connected(s);
        expect(await ask(s, 'stream:join', { streamId })).toMatchObject({ ok: true });
        return collect(s, 'waitlist:offer');
      }),
    );

    // the owner raises the quantity by one
    const raised = await shop.owner.request('PATCH', `/api/streams/${streamId}/offers/${offerId}`, {
      json: { quantity: 2 },
    });
    expect(raised.status).toBe(200);
    expect(((await raised.json()) as { offer: { remaining: number } }).offer.remaining).toBe(0);
    expect(await mine(waiting[0]!, offerId)).toMatchObject({ state: 'offered' });

    // the owner refunds the first order before pickup: its unit goes to the second in line
    const refunded = await shop.owner.post(`/api/orders/${orders[0]!.orderId}/refund`, {});
    expect(refunded.status).toBe(200);
    expect(await mine(waiting[1]!, offerId)).toMatchObject({ state: 'offered' });
    expect(await mine(waiting[2]!, offerId)).toMatchObject({ state: 'waiting', position: 1 });
    expect(await stock(offerId)).toMatchObject({ remaining: 0, reserved: 2 });

    await until(() => watchers[0]!.length === 1 && watchers[1]!.length === 1, 5000, 'notices');
    expect(watchers[0]![0]).toMatchObject({ streamId, offerId, productName: '草莓 500g' });
    // no one else heard: not the third in line, not a viewer
    await new Promise((r) => setTimeout(r, 300));
    expect(watchers[2]).toHaveLength(0);
    expect(watchers[3]).toHaveLength(0);
    // and each of the two has it in the bell, once, pointing at the stream
    for (const [i, w] of waiting.entries()) {
      const res = await w.get('/api/me/notifications');
      expect(res.status).toBe(200);
      const { notifications } = (await res.json()) as {
        notifications: { kind: string; url: string | null; body: string }[];
      };
      const offered = notifications.filter((n) => n.kind === 'waitlist_offer');
      if (i < 2) {
        expect(offered).toHaveLength(1);
        expect(offered[0]).toMatchObject({ url: `/live/${streamId}` });
        expect(offered[0]!.body).toContain('草莓 500g');
      } else {
        expect(offered).toHaveLength(0);
      }
    }
  });

  it('refuses a waitlist for a closed offer', async () => {
    const { offerId } = await soldOut(1);
    await served.db
      .updateTable('offers')
      .set({ closed_at: new Date() })
      .where('id', '=', offerId)
      .execute();
    const r = await makeBuyer(served.app, '迟到');
    expect(await join(r, offerId)).toMatchObject({ status: 409, error: { code: 'offer_closed' } });
  });
});
