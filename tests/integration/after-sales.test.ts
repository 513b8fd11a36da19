import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildTestApp, type Client } from '../helpers/app';
import { makeBuyer, makeLeader, makeOffer, makeShop, order } from '../helpers/factories';
import { ledgerOf, remainingOf } from '../helpers/reads';

// The after-sales promise and 秒退款 (issue 14.1–2): every request runs against the shop's
// promise; small photographed bad-goods claims are refunded at once through the same path as
// any refund; the leader of the pickup point approves small claims there; the response-time
// figures are checked against counts made here, independently of the SQL.

const { app, db } = buildTestApp({ DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-after-sales-')) });
afterAll(() => db.destroy());

// The smallest valid PNG: a 1×1 transparent pixel.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

async function photo(client: Client): Promise<string> {
  const res = await app.request('/api/uploads', {
    method: 'POST',
    headers: {
      origin: 'http://localhost',
      'content-type': 'image/png',
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    body: PNG,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { url: string }).url;
}

const patch = (c: Client, path: string, json: unknown) => c.request('PATCH', path, { json });

const ledger = (orderId: string) => ledgerOf(db, orderId);
const remaining = (offerId: string) => remainingOf(db, offerId);

type Claim = {
  status?: number;
  refundRequest?: { status: string; automatic: boolean; createdAt: string; dueAt: string };
  error?: { code: string };
};

async function claim(buyer: Client, orderId: string, body: Record<string, unknown>) {
  const res = await buyer.post(`/api/orders/${orderId}/refund-requests`, body);
  return { status: res.status, ...((await res.json()) as Claim) };
}

async function shopWithThreshold(cents: number) {
  const shop = await makeShop(app, db);
  const res = await patch(shop.owner, `/api/shops/${shop.shopId}`, { instantRefundCents: cents });
  expect(res.status).toBe(200);
  return shop;
}

describe('shop settings', () => {
  it('the owner sets the promise and the 秒退款 threshold; bad values are 400, others 403', async () => {
    const shop = await makeShop(app, db);
    const base = `/api/shops/${shop.shopId}`;
    const before = (await (await app.request(`/api/shops/${shop.slug}`)).json()) as {
      shop: { responsePromiseHours: number; instantRefundCents: number };
    };
    expect(before.shop).toMatchObject({ responsePromiseHours: 2, instantRefundCents: 0 });

    const ok = await patch(shop.owner, base, { responsePromiseHours: 4, instantRefundCents: 1000 });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      shop: { responsePromiseHours: 4, instantRefundCents: 1000 },
    });
    for (const bad of [
      { responsePromiseHours: 0 },
      { responsePromiseHours: 73 },
      { responsePromiseHours: 1.5 },
      { instantRefundCents: -1 },
      { instantRefundCents: 20_001 },
      { instantRefundCents: '10' },
    ]) {
      const res = await patch(shop.owner, base, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    const stranger = await makeBuyer(app);
    expect((await patch(stranger, base, { instantRefundCents: 20_000 })).status).toBe(403);
  });
});

describe('秒退款', () => {
  it('a ¥5 bad-goods claim with a photo under a ¥10 threshold is refunded at once: stock back, commission reversed', async () => {
    const shop = await shopWithThreshold(1000);
    const offerId = await makeOffer(db, shop, { quantity: 5, priceCents: 500 });
    const leader = await makeLeader(app, db, shop.shopId, '0.1000');
    const buyer = await makeBuyer(app);
    const placed = await order(buyer, shop.streamId, { offerId, ref: leader.code });
    const orderId = placed.order!.id;
    expect(await remaining(offerId)).toBe(4);
    expect(await ledger(orderId)).toEqual({ pending: 50, earned: 0, reversed: 0 });

    const done = await claim(buyer, orderId, {
      reason: '草莓烂了两个',
      kind: 'bad_goods',
      photoUrl: await photo(buyer),
    });
    expect(done.status).toBe(201);
    expect(done.refundRequest).toMatchObject({ status: 'approved', automatic: true });
    expect(await remaining(offerId)).toBe(5);
    expect(await ledger(orderId)).toEqual({ pending: 0, earned: 0, reversed: 50 });
    const mine = (await (await buyer.get('/api/me/orders')).json()) as {
      orders: { id: string; status: string; refundStatus: string }[];
    };
    expect(mine.orders.find((o) => o.id === orderId)).toMatchObject({
      status: 'refunded',
      refundStatus: 'approved',
    });

    // the owner's list keeps it, marked automatic, for audit
    const list = (await (
      await shop.owner.get(`/api/shops/${shop.shopId}/refund-requests`)
    ).json()) as {
      refundRequests: { orderId: string; decidedAs: string; decidedByName: string | null }[];
      viewer: { role: string };
    };
    expect(list.viewer.role).toBe('owner');
    expect(list.refundRequests).toMatchObject([
      { orderId, decidedAs: 'automatic', decidedByName: null },
    ]);
    // nothing more to claim on a refunded order
    expect((await claim(buyer, orderId, { reason: '再退' })).status).toBe(409);
  });

  it('waits for the owner without a photo, above the threshold, for other reasons, or with 秒退款 off', async () => {
    const shop = await shopWithThreshold(1000);
    const small = await makeOffer(db, shop, { quantity: 10, priceCents: 500 });
    const big = await makeOffer(db, shop, { quantity: 10, priceCents: 5000 });
    const buyer = await makeBuyer(app);
    const url = await photo(buyer);
    const cases = [
      { offerId: small, body: { reason: '坏了', kind: 'bad_goods' } },
      { offerId: big, body: { reason: '坏了', kind: 'bad_goods', photoUrl: url } },
      { offerId: small, body: { reason: '不想要了', kind: 'other', photoUrl: url } },
      { offerId: small, body: { reason: '坏了', photoUrl: url } },
    ];
    for (const { offerId, body } of cases) {
      const placed = await order(buyer, shop.streamId, { offerId });
      const res = await claim(buyer, placed.order!.id, body);
      expect(res.status, JSON.stringify(body)).toBe(201);
      expect(res.refundRequest).toMatchObject({ status: 'open', automatic: false });
    }
    expect(await remaining(small)).toBe(7);

    const off = await makeShop(app, db);
    const offerId = await makeOffer(db, off, { quantity: 3, priceCents: 100 });
    const placed = await order(buyer, off.streamId, { offerId });
    const res = await claim(buyer, placed.order!.id, {
      reason: '坏了',
      kind: 'bad_goods',
      photoUrl: url,
    });
    expect(res.refundRequest).toMatchObject({ status: 'open', automatic: false });
  });

  it('refuses bad input with a clear 400', async () => {
    const shop = await shopWithThreshold(1000);
    const offerId = await makeOffer(db, shop, { quantity: 3, priceCents: 500 });
    const buyer = await makeBuyer(app);
    const placed = await order(buyer, shop.streamId, { offerId });
    for (const body of [
      { reason: '坏了', kind: 'rotten' },
      { reason: '坏了', kind: 'bad_goods', photoUrl: 'https://evil.example/x.jpg' },
      { reason: '' },
      { reason: '坏了', amountCents: 100 },
    ]) {
      const res = await claim(buyer, placed.order!.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.error?.code).toBe('validation_failed');
    }
  });
});

describe('the promise', () => {
  it("a buyer's open request carries the deadline of the promise in force when it was made", async () => {
    const shop = await makeShop(app, db);
    await patch(shop.owner, `/api/shops/${shop.shopId}`, { responsePromiseHours: 3 });
    const offerId = await makeOffer(db, shop, { quantity: 3 });
    const buyer = await makeBuyer(app);
    const placed = await order(buyer, shop.streamId, { offerId });
    const orderId = placed.order!.id;
    const none = await buyer.get(`/api/orders/${orderId}/refund-request`);
    expect(await none.json()).toEqual({ refundRequest: null });
    await claim(buyer, orderId, { reason: '少了一盒' });
    await patch(shop.owner, `/api/shops/${shop.shopId}`, { responsePromiseHours: 1 });
    const res = await buyer.get(`/api/orders/${orderId}/refund-request`);
    const { refundRequest } = (await res.json()) as Claim;
    expect(refundRequest!.status).toBe('open');
    const ms = Date.parse(refundRequest!.dueAt) - Date.parse(refundRequest!.createdAt);
    expect(ms).toBe(3 * 3600_000);
    // another resident cannot read it
    const other = await makeBuyer(app);
    expect((await other.get(`/api/orders/${orderId}/refund-request`)).status).toBe(404);
  });
});

describe('leaders at their pickup point', () => {
  it('approve small claims at their own point only; never decline; the owner sees who did', async () => {
    const shop = await shopWithThreshold(1000);
    const offerId = await makeOffer(db, shop, { quantity: 10, priceCents: 500 });
    const bigOffer = await makeOffer(db, shop, { quantity: 10, priceCents: 5000 });
    const here = await makeLeader(app, db, shop.shopId);
    const there = await makeLeader(app, db, shop.shopId);
    const elsewhere = await shopWithThreshold(1000);
    const foreign = await makeLeader(app, db, elsewhere.shopId);
    const buyer = await makeBuyer(app);
    const placed = await order(buyer, shop.streamId, { offerId, pickupPointId: here.leaderId });
    const orderId = placed.order!.id;
    await claim(buyer, orderId, { reason: '有两个坏的' });
    const atShop = await order(buyer, shop.streamId, { offerId });
    await claim(buyer, atShop.order!.id, { reason: '有坏的' });
    const big = await order(buyer, shop.streamId, {
      offerId: bigOffer,
      pickupPointId: here.leaderId,
    });
    await claim(buyer, big.order!.id, { reason: '整箱坏了' });

    // each leader sees only their point's claims; a foreign leader and a buyer see nothing
    const listed = (await (
      await here.client.get(`/api/shops/${shop.shopId}/refund-requests`)
    ).json()) as {
      refundRequests: { orderId: string }[];
      viewer: { role: string; approveUpToCents: number; canDecline: boolean };
    };
    expect(listed.viewer).toEqual({ role: 'leader', approveUpToCents: 1000, canDecline: false });
    expect(listed.refundRequests.map((r) => r.orderId).sort()).toEqual(
      [orderId, big.order!.id].sort(),
    );
    const thereList = (await (
      await there.client.get(`/api/shops/${shop.shopId}/refund-requests`)
    ).json()) as { refundRequests: unknown[] };
    expect(thereList.refundRequests).toEqual([]);
    expect((await foreign.client.get(`/api/shops/${shop.shopId}/refund-requests`)).status).toBe(
      403,
    );
    expect((await buyer.get(`/api/shops/${shop.shopId}/refund-requests`)).status).toBe(403);

    // authority is exact
    expect((await there.client.post(`/api/orders/${orderId}/refund`)).status).toBe(403);
    expect((await foreign.client.post(`/api/orders/${orderId}/refund`)).status).toBe(403);
    expect((await here.client.post(`/api/orders/${atShop.order!.id}/refund`)).status).toBe(403);
    const tooBig = await here.client.post(`/api/orders/${big.order!.id}/refund`);
    expect(tooBig.status).toBe(403);
    expect(await tooBig.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect(
      (await here.client.post(`/api/orders/${orderId}/refund/decline`, { note: '不行' })).status,
    ).toBe(403);

    const ok = await here.client.post(`/api/orders/${orderId}/refund`, { note: '已上门查看' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ order: { status: 'refunded' } });
    expect(await remaining(offerId)).toBe(9);

    const owners = (await (
      await shop.owner.get(`/api/shops/${shop.shopId}/refund-requests`)
    ).json()) as {
      refundRequests: {
        orderId: string;
        decidedAs: string | null;
        decidedByName: string | null;
        pickupPointName: string | null;
      }[];
    };
    expect(owners.refundRequests.find((r) => r.orderId === orderId)).toMatchObject({
      decidedAs: 'leader',
      decidedByName: '团长',
      pickupPointName: '康健新村 李姐',
    });
    expect(owners.refundRequests).toHaveLength(3);
  });

  it('without an open claim a leader cannot refund on their own', async () => {
    const shop = await shopWithThreshold(1000);
    const offerId = await makeOffer(db, shop, { quantity: 3, priceCents: 500 });
    const here = await makeLeader(app, db, shop.shopId);
    const buyer = await makeBuyer(app);
    const placed = await order(buyer, shop.streamId, { offerId, pickupPointId: here.leaderId });
    expect((await here.client.post(`/api/orders/${placed.order!.id}/refund`)).status).toBe(403);
  });

  it('the owner and the leader approving the same claim at once make exactly one refund', async () => {
    const shop = await shopWithThreshold(1000);
    const offerId = await makeOffer(db, shop, { quantity: 10, priceCents: 500 });
    const here = await makeLeader(app, db, shop.shopId, '0.1000');
    for (let round = 0; round < 5; round++) {
      const buyer = await makeBuyer(app);
      const placed = await order(buyer, shop.streamId, {
        offerId,
        pickupPointId: here.leaderId,
        ref: here.code,
      });
      const orderId = placed.order!.id;
      await claim(buyer, orderId, { reason: '坏了' });
      const before = await remaining(offerId);
      const answers = await Promise.all([
        shop.owner.post(`/api/orders/${orderId}/refund`),
        here.client.post(`/api/orders/${orderId}/refund`),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(await remaining(offerId)).toBe(before + 1);
      expect(await ledger(orderId)).toEqual({ pending: 0, earned: 0, reversed: 50 });
      const rows = await db
        .selectFrom('refund_requests')
        .select(['status', 'decided_as'])
        .where('order_id', '=', orderId)
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe('approved');
    }
  });
});

describe('response-time figures', () => {
  it('median and share within the promise match counts made independently', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 50 });
    const now = Date.now();
    const H = 3600_000;
    // [created hours ago, promise hours, answered after minutes (null: still open), automatic]
    const history: [number, number, number | null, boolean][] = [
      [1, 2, 30, false],
      [5, 2, 150, false], // late
      [10, 2, 0.01, true],
      [48, 4, 239, false],
      [72, 4, 241, false], // late
      [100, 2, 45, false],
      [3, 2, null, false], // open past its deadline: missed
      [1, 2, null, false], // open within it: not judged yet
      [24 * 31, 2, 5, false], // outside the 30 days
      [24 * 40, 2, null, false], // outside, open
    ];
    for (const [ago, promise, after, automatic] of history) {
      // one order each (an order has at most one open request), by residents of their own
      const placed = await order(await makeBuyer(app), shop.streamId, { offerId });
      const created = new Date(now - ago * H);
      const resolved = after === null ? null : new Date(created.getTime() + after * 60_000);
      await sql`insert into refund_requests
          (order_id, shop_id, buyer_id, reason, kind, photo_url, status, created_at, due_at,
           resolved_at, decided_as)
        select id, shop_id, buyer_id, '测试', ${automatic ? 'bad_goods' : 'other'},
          ${automatic ? '/api/uploads/00000000-0000-0000-0000-000000000000.png' : null},
          ${after === null ? 'open' : 'approved'}, ${created}, ${new Date(created.getTime() + promise * H)},
          ${resolved}, ${after === null ? null : automatic ? 'automatic' : 'owner'}
        from orders where id = ${placed.order!.id}`.execute(db);
    }
    // independent counts
    const recent = history.filter(([ago]) => ago < 24 * 30);
    const answered = recent.filter(([, , after]) => after !== null);
    const inTime = answered.filter(([, promise, after]) => after! <= promise * 60);
    const overdue = recent.filter(([ago, promise, after]) => after === null && ago > promise);
    const minutes = answered.map(([, , after]) => after!).sort((a, b) => a - b);
    const mid = minutes.length / 2;
    const median =
      minutes.length % 2 ? minutes[Math.floor(mid)]! : (minutes[mid - 1]! + minutes[mid]!) / 2;

    const res = await app.request(`/api/shops/${shop.shopId}/after-sales`);
    expect(res.status).toBe(200);
    const { afterSales } = (await res.json()) as {
      afterSales: {
        answered: number;
        answeredInTime: number;
        overdueOpen: number;
        automatic: number;
        medianResponseSeconds: number;
        withinPromiseShare: number;
        responsePromiseHours: number;
        windowDays: number;
      };
    };
    expect(afterSales).toMatchObject({
      answered: answered.length,
      answeredInTime: inTime.length,
      overdueOpen: overdue.length,
      automatic: 1,
      responsePromiseHours: 2,
      windowDays: 30,
    });
    expect(answered.length).toBe(6);
    expect(inTime.length).toBe(4);
    expect(afterSales.medianResponseSeconds).toBeCloseTo(median * 60, 3);
    expect(afterSales.withinPromiseShare).toBeCloseTo(
      inTime.length / (answered.length + overdue.length),
      9,
    );

    // a shop with no requests has nothing to judge; an unknown shop is 404
    const empty = await makeShop(app, db);
    const none = (await (await app.request(`/api/shops/${empty.shopId}/after-sales`)).json()) as {
      afterSales: { medianResponseSeconds: number | null; withinPromiseShare: number | null };
    };
    expect(none.afterSales).toMatchObject({
      medianResponseSeconds: null,
      withinPromiseShare: null,
    });
    expect(
      (await app.request('/api/shops/00000000-0000-0000-0000-000000000000/after-sales')).status,
    ).toBe(404);
  });
});
