import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app';
import { makeBuyers, makeLeader, makeOffer, makeShop, order } from '../helpers/factories';

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

async function ledger(orderId: string) {
  const rows = await db
    .selectFrom('commission_ledger')
    .select(['bucket', 'amount_cents'])
    .where('order_id', '=', orderId)
    .execute();
  const sum = (b: string) =>
    rows.filter((r) => r.bucket === b).reduce((n, r) => n + r.amount_cents, 0);
  return { pending: sum('pending'), earned: sum('earned'), reversed: sum('reversed') };
}

const remaining = async (offerId: string) =>
  (
    await db
      .selectFrom('offers')
      .select('remaining')
      .where('id', '=', offerId)
      .executeTakeFirstOrThrow()
  ).remaining;

describe('pickup', () => {
  it('the shop marks an order picked up and paid by its code, once; the commission is earned', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 10, priceCents: 2500 });
    const leader = await makeLeader(app, db, shop.shopId, '0.1000');
    const [buyer] = await makeBuyers(app, 1);
    const placed = await order(buyer!, shop.streamId, {
      offerId,
      quantity: 2,
      ref: leader.code,
      pickupPointId: leader.leaderId,
    });
    const code = placed.order!.pickupCode;
    expect(code).toMatch(/^\d{6}$/);

    const wrong = await shop.owner.post(`/api/shops/${shop.shopId}/pickups`, {
      code: code === '000000' ? '000001' : '000000',
    });
    expect(wrong.status).toBe(404);
    expect(await wrong.json()).toMatchObject({ error: { code: 'not_found' } });
    // a buyer is not staff
    expect((await buyer!.post(`/api/shops/${shop.shopId}/pickups`, { code })).status).toBe(403);

    // the leader hands it out at their own point
    const done = await leader.client.post(`/api/shops/${shop.shopId}/pickups`, { code });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({
      order: { status: 'picked_up', pickedUpAt: expect.any(String) },
    });
    const again = await shop.owner.post(`/api/shops/${shop.shopId}/pickups`, { code });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'pickup_code_used' } });
    expect(await ledger(placed.order!.id)).toEqual({ pending: 0, earned: 500, reversed: 0 });

    // refund after pickup: no units come back, the earned commission is reversed
    const before = await remaining(offerId);
    const req = await buyer!.post(`/api/orders/${placed.order!.id}/refund-requests`, {
      reason: '坏果',
    });
    expect(req.status).toBe(201);
    const dup = await buyer!.post(`/api/orders/${placed.order!.id}/refund-requests`, {
      reason: '坏果',
    });
    expect(dup.status).toBe(409);
    const refunds = await shop.owner.get(`/api/shops/${shop.shopId}/refund-requests?status=open`);
    const listed = (await refunds.json()) as {
      refundRequests: { orderId: string; ageSeconds: number }[];
    };
    expect(listed.refundRequests).toMatchObject([
      { orderId: placed.order!.id, ageSeconds: expect.any(Number) },
    ]);
    const refund = await shop.owner.post(`/api/orders/${placed.order!.id}/refund`, {
      note: '已退款',
    });
    expect(refund.status).toBe(200);
    expect(await refund.json()).toMatchObject({
      order: { status: 'refunded', refundStatus: 'approved' },
    });
    expect(await remaining(offerId)).toBe(before);
    expect(await ledger(placed.order!.id)).toEqual({ pending: 0, earned: 0, reversed: 500 });
    // refunded twice is refused
    expect((await shop.owner.post(`/api/orders/${placed.order!.id}/refund`)).status).toBe(409);
  });

  it('refund before pickup returns the units; decline keeps the order', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 10 });
    const [a, b, stranger] = await makeBuyers(app, 3);
    const oa = await order(a!, shop.streamId, { offerId, quantity: 3 });
    const ob = await order(b!, shop.streamId, { offerId, quantity: 1 });
    expect(await remaining(offerId)).toBe(6);
    // only the buyer can ask, only the owner can refund
    expect(
      (await stranger!.post(`/api/orders/${oa.order!.id}/refund-requests`, { reason: 'x' })).status,
    ).toBe(404);
    expect((await stranger!.post(`/api/orders/${oa.order!.id}/refund`)).status).toBe(403);
    await a!.post(`/api/orders/${oa.order!.id}/refund-requests`, { reason: '送错了' });
    expect((await shop.owner.post(`/api/orders/${oa.order!.id}/refund`)).status).toBe(200);
    expect(await remaining(offerId)).toBe(9);

    await b!.post(`/api/orders/${ob.order!.id}/refund-requests`, { reason: '不想要了' });
    const declined = await shop.owner.post(`/api/orders/${ob.order!.id}/refund/decline`, {
      note: '商品无问题',
    });
    expect(declined.status).toBe(200);
    const mine = (await (await b!.get('/api/me/orders')).json()) as {
      orders: { status: string; refundStatus: string }[];
    };
    expect(mine.orders[0]).toMatchObject({ status: 'confirmed', refundStatus: 'declined' });

    // the buyer may cancel before pickup
    const cancelled = await b!.post(`/api/orders/${ob.order!.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(await remaining(offerId)).toBe(10);
  });

  it('a waiting group order cannot be picked up', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, {
      quantity: 10,
      groupMin: 5,
      groupDeadline: new Date(Date.now() + 3_600_000),
    });
    const [buyer] = await makeBuyers(app, 1);
    const placed = await order(buyer!, shop.streamId, { offerId });
    const res = await shop.owner.post(`/api/shops/${shop.shopId}/pickups`, {
      code: placed.order!.pickupCode,
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_transition' } });
  });
});

describe('shop orders', () => {
  it('filters by stream, status and pickup point, exports CSV, and only for the owner', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 10 });
    const leader = await makeLeader(app, db, shop.shopId);
    const [a, b] = await makeBuyers(app, 2);
    await order(a!, shop.streamId, { offerId, pickupPointId: leader.leaderId });
    const ob = await order(b!, shop.streamId, { offerId });
    await shop.owner.post(`/api/shops/${shop.shopId}/pickups`, { code: ob.order!.pickupCode });

    const all = (await (
      await shop.owner.get(`/api/shops/${shop.shopId}/orders?streamId=${shop.streamId}`)
    ).json()) as {
      orders: unknown[];
    };
    expect(all.orders).toHaveLength(2);
    const picked = (await (
      await shop.owner.get(`/api/shops/${shop.shopId}/orders?status=picked_up`)
    ).json()) as {
      orders: { id: string }[];
    };
    expect(picked.orders.map((o) => o.id)).toEqual([ob.order!.id]);
    const atLeader = (await (
      await shop.owner.get(`/api/shops/${shop.shopId}/orders?pickupPointId=${leader.leaderId}`)
    ).json()) as { orders: { pickupPoint: { kind: string } }[] };
    expect(atLeader.orders).toMatchObject([{ pickupPoint: { kind: 'leader' } }]);

    const csv = await shop.owner.get(`/api/shops/${shop.shopId}/orders?format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text.trim().split('\r\n')).toHaveLength(3);
    expect(text).toContain('"草莓 500g"');

    expect((await a!.get(`/api/shops/${shop.shopId}/orders`)).status).toBe(403);
    expect((await shop.owner.get(`/api/shops/${shop.shopId}/orders?status=bogus`)).status).toBe(
      400,
    );

    // the to-prepare list of the leader's point
    const prep = await leader.client.get(
      `/api/shops/${shop.shopId}/pickup-points/${leader.leaderId}/prepare`,
    );
    expect(prep.status).toBe(200);
    expect(await prep.json()).toMatchObject({
      totals: [{ productName: '草莓 500g', quantity: 1 }],
      buyers: [{ pickupCode: expect.stringMatching(/^\d{6}$/) }],
    });
    // a leader cannot read the shop's own list
    expect(
      (await leader.client.get(`/api/shops/${shop.shopId}/pickup-points/${shop.shopId}/prepare`))
        .status,
    ).toBe(403);
  });
});

describe('bad input', () => {
  it('answers malformed and hostile orders with 4xx and the error shape', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 10 });
    const [buyer] = await makeBuyers(app, 1);
    const cases: [Record<string, unknown>, number][] = [
      [{ offerId, quantity: 0 }, 400],
      [{ offerId, quantity: 1.5 }, 400],
      [{ offerId, quantity: -1 }, 400],
      [{ offerId: 'not-a-uuid' }, 400],
      [{ offerId, phone: '<script>' }, 400],
      [{ offerId, extra: 1 }, 400],
      [{ offerId: '00000000-0000-4000-8000-000000000000' }, 404],
      [{ offerId, pickupPointId: '00000000-0000-4000-8000-000000000000' }, 400],
    ];
    for (const [body, status] of cases) {
      const res = await order(buyer!, shop.streamId, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.error?.code).toEqual(expect.any(String));
    }
    const raw = await buyer!.request('POST', `/api/streams/${shop.streamId}/orders`, {
      body: '{"offerId":',
      headers: { 'content-type': 'application/json' },
    });
    expect(raw.status).toBe(400);
    const longKey = await order(buyer!, shop.streamId, { offerId }, 'x'.repeat(101));
    expect(longKey.status).toBe(400);
    expect(await remaining(offerId)).toBe(10);
    // guests cannot act as owners
    expect(
      (
        await buyer!.post(`/api/shops/${shop.shopId}/products`, {
          name: 'x',
          priceCents: 1,
          stock: 1,
        })
      ).status,
    ).toBe(403);
  });
});
