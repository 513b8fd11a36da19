import { createHash, randomUUID } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { insertComment } from '../../db/repositories/comment.repository';
import { insertSegment } from '../../db/repositories/stream.repository';
import { DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET } from '../../server/config';
import { buildTestApp, Client, type TestApp } from '../helpers/app';
import {
  liveStream,
  makeBuyer,
  makeLeader,
  ownerWithShop,
  phoneOf,
  resident,
} from '../helpers/factories';

// The stream analytics against counts made here, independently of the service: viewers from
// signed LiveKit webhooks at known times, orders through the API, comments and segment labels
// written as the realtime and studio code write them.

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

const SECOND = 1000;
const MINUTE = 60 * SECOND;

async function sign(body: string): Promise<string> {
  const token = new AccessToken(DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return token.toJwt();
}

async function webhook(
  target: TestApp,
  event: 'participant_joined' | 'participant_left',
  room: string,
  identity: string,
  sid: string,
  at: number,
) {
  const body = JSON.stringify({
    id: `EV_${randomUUID()}`,
    event,
    createdAt: String(Math.floor(at / 1000)),
    room: { name: room, sid: 'RM_analytics' },
    participant: { sid, identity, name: identity },
  });
  const res = await target.request('/api/livekit/webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/webhook+json', authorization: await sign(body) },
    body,
  });
  expect(res.status).toBe(200);
}

async function json<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

interface Stats {
  stream: { status: string; startedAt: string; endedAt: string | null };
  peakViewers: number;
  uniqueViewers: number;
  avgWatchSeconds: number;
  comments: number;
  deletedComments: number;
  likes: number;
  orders: number;
  units: number;
  gmvCents: number;
  buyers: number;
  conversion: number;
  cancelledOrders: number;
  refundedOrders: number;
  segments: { segment: string | null; minute: number }[];
  timeline: {
    minute: number;
    viewers: number;
    comments: number;
    orders: number;
    units: number;
    segment: string | null;
  }[];
  perOffer: { offerId: string; orders: number; units: number; gmvCents: number; buyers: number }[];
  perLeader: {
    leaderId: string | null;
    clicks: number;
    orders: number;
    units: number;
    gmvCents: number;
    commissionCents: number;
  }[];
}

/** A shop with a live stream that started 5 minutes ago (on a whole second) and one offer. */
async function streamWithOffer(priceCents: number) {
  const owner = await ownerWithShop(app);
  const streamId = await liveStream(owner.client, owner.shop.id);
  const start = Math.floor(Date.now() / SECOND) * SECOND - 5 * MINUTE;
  await db
    .updateTable('streams')
    .set({ started_at: new Date(start) })
    .where('id', '=', streamId)
    .execute();
  const product = await json<{ product: { id: string } }>(
    await owner.client.post(`/api/shops/${owner.shop.id}/products`, {
      name: '丹东草莓 500g',
      priceCents: 1500,
      stock: 100,
    }),
    201,
  );
  const offer = await json<{ offer: { id: string } }>(
    await owner.client.post(`/api/streams/${streamId}/offers`, {
      productId: product.product.id,
      priceCents,
      quantity: 50,
    }),
    201,
  );
  return { owner, streamId, start, offerId: offer.offer.id };
}

async function place(buyer: Client, streamId: string, body: Record<string, unknown>) {
  return json<{ order: { id: string; totalCents: number; leaderId: string | null } }>(
    await buyer.post(`/api/streams/${streamId}/orders`, { phone: phoneOf(buyer), ...body }),
    201,
  );
}

describe('GET /api/streams/:streamId/stats', () => {
  it('counts viewers, watch time, orders, GMV and conversion as recorded, and again after a restart', async () => {
    const { owner, streamId, start, offerId } = await streamWithOffer(1250);
    const a = await resident(app, '陈阿姨');
    const b = await resident(app, '刘叔');
    const visitor = `visitor-${randomUUID()}`;
    const leader = await makeLeader(app, db, owner.shop.id, '0.1000');

    // Media sessions (seconds from the start). A reconnects: two overlapping sessions.
    const at = (s: number) => start + s * SECOND;
    await webhook(app, 'participant_joined', streamId, owner.userId, 'PA_owner', at(5));
    await webhook(app, 'participant_joined', streamId, a.userId, 'PA_a1', at(30));
    await webhook(app, 'participant_joined', streamId, b.userId, 'PA_b', at(70));
    await webhook(app, 'participant_joined', streamId, a.userId, 'PA_a2', at(120));
    await webhook(app, 'participant_joined', streamId, visitor, 'PA_v', at(120));
    await webhook(app, 'participant_left', streamId, a.userId, 'PA_a1', at(150));
    await webhook(app, 'participant_left', streamId, b.userId, 'PA_b', at(190));
    await webhook(app, 'participant_left', streamId, a.userId, 'PA_a2', at(240));

    // Segment labels at 1:00 and 3:30, as the studio records them.
    await insertSegment(db, {
      streamId,
      segment: 'sourcing',
      setBy: owner.userId,
      at: new Date(at(60)),
    });
    await insertSegment(db, {
      streamId,
      segment: 'kitchen',
      setBy: owner.userId,
      at: new Date(at(210)),
    });

    // 3 orders of 2 units at ¥12.50 by 2 buyers, and one that a third buyer cancels: it is
    // not a sale. A's ref counts as a click, so A's next order goes to the leader too (last
    // click within the window); B's has no leader.
    const leaderBuy = await place(a.client, streamId, { offerId, quantity: 2, ref: leader.code });
    expect(leaderBuy.order.leaderId).toBe(leader.leaderId);
    await place(a.client, streamId, { offerId, quantity: 2 });
    await place(b.client, streamId, { offerId, quantity: 2 });
    const c = await makeBuyer(app, '王婆婆');
    const cancelled = await place(c, streamId, { offerId, quantity: 3 });
    await json(await c.post(`/api/orders/${cancelled.order.id}/cancel`));

    // Comments: 4 written, one deleted by moderation.
    const comments = [];
    for (const text of ['新鲜吗', '多少钱', '要两盒', '广告']) {
      comments.push(
        await insertComment(db, { streamId, userId: a.userId, authorName: '陈阿姨', text }),
      );
    }
    await db
      .updateTable('comments')
      .set({ deleted_at: new Date(), deleted_by: owner.userId })
      .where('id', '=', comments[3]?.id ?? '')
      .execute();
    await db.updateTable('streams').set({ like_count: 17 }).where('id', '=', streamId).execute();

    await json(await owner.client.post(`/api/streams/${streamId}/end`));
    const stream = await db
      .selectFrom('streams')
      .select(['started_at', 'ended_at'])
      .where('id', '=', streamId)
      .executeTakeFirstOrThrow();
    const end = stream.ended_at?.getTime() ?? Number.NaN;

    const stats = await json<Stats>(await owner.client.get(`/api/streams/${streamId}/stats`));

    // Independent counts.
    expect(stats.uniqueViewers).toBe(3); // A, B and the visitor; not the owner
    expect(stats.peakViewers).toBe(3); // 2:00–2:30 all three (A's two sessions count once)
    const watched = 240 - 30 + (190 - 70) + (end - at(120)) / SECOND;
    expect(stats.avgWatchSeconds).toBe(Math.round(watched / 3));
    expect(stats.orders).toBe(3);
    expect(stats.units).toBe(6);
    expect(stats.gmvCents).toBe(7500); // ¥75.00
    expect(stats.buyers).toBe(2);
    expect(stats.conversion).toBeCloseTo(2 / 3, 10);
    expect(stats.cancelledOrders).toBe(1);
    expect(stats.refundedOrders).toBe(0);
    expect(stats.comments).toBe(3);
    expect(stats.deletedComments).toBe(1);
    expect(stats.likes).toBe(17);

    // Timeline: one bucket per started minute from the start to the end.
    const minutes = Math.ceil((end - start) / MINUTE);
    expect(stats.timeline).toHaveLength(minutes);
    expect(stats.timeline.slice(0, 5).map((p) => p.viewers)).toEqual([1, 2, 3, 3, 1]);
    expect(stats.timeline.slice(0, 5).map((p) => p.segment)).toEqual([
      null,
      'sourcing',
      'sourcing',
      'kitchen',
      'kitchen',
    ]);
    expect(stats.segments).toEqual([
      expect.objectContaining({ segment: 'sourcing', minute: 1 }),
      expect.objectContaining({ segment: 'kitchen', minute: 3 }),
    ]);
    const orderRows = await db
      .selectFrom('orders')
      .select(['created_at', 'state', 'quantity'])
      .where('stream_id', '=', streamId)
      .execute();
    const ordersPerMinute = new Array<number>(minutes).fill(0);
    for (const o of orderRows) {
      if (o.state === 'cancelled') continue;
      const m = Math.floor((o.created_at.getTime() - start) / MINUTE);
      ordersPerMinute[m] = (ordersPerMinute[m] ?? 0) + 1;
    }
    expect(stats.timeline.map((p) => p.orders)).toEqual(ordersPerMinute);
    expect(stats.timeline.reduce((n, p) => n + p.comments, 0)).toBe(3);
    expect(Math.max(...stats.timeline.map((p) => p.viewers))).toBe(stats.peakViewers);

    expect(stats.perOffer).toEqual([
      expect.objectContaining({ offerId, orders: 3, units: 6, gmvCents: 7500, buyers: 2 }),
    ]);
    expect(stats.perLeader).toEqual([
      expect.objectContaining({
        leaderId: leader.leaderId,
        orders: 2,
        units: 4,
        gmvCents: 5000,
        commissionCents: 500,
      }),
      expect.objectContaining({ leaderId: null, orders: 1, units: 2, gmvCents: 2500 }),
    ]);

    // A fresh app instance (a restart) reads the same numbers from the records.
    const restarted = buildTestApp();
    try {
      const again = new Client(restarted.app);
      again.cookies = new Map(owner.client.cookies);
      expect(await json<Stats>(await again.get(`/api/streams/${streamId}/stats`))).toEqual(stats);
    } finally {
      await restarted.db.destroy();
    }
  });

  it('counts a leader link opened for the stream as a click', async () => {
    const { owner, streamId } = await streamWithOffer(1000);
    const leader = await makeLeader(app, db, owner.shop.id);
    const visitor = new Client(app);
    const res = await visitor.post('/api/referrals/clicks', { code: leader.code, streamId });
    expect(res.status).toBe(204);
    const stats = await json<Stats>(await owner.client.get(`/api/streams/${streamId}/stats`));
    expect(stats.perLeader).toEqual([
      expect.objectContaining({ leaderId: leader.leaderId, clicks: 1, orders: 0 }),
    ]);
    expect(stats.conversion).toBe(0);
  });

  it('answers a stream nobody watched with zeros, not a division by zero', async () => {
    const owner = await ownerWithShop(app);
    const res = await owner.client.post(`/api/shops/${owner.shop.id}/streams`, { title: '预告' });
    const { stream } = await json<{ stream: { id: string } }>(res, 201);
    const stats = await json<Stats>(await owner.client.get(`/api/streams/${stream.id}/stats`));
    expect(stats).toMatchObject({
      peakViewers: 0,
      uniqueViewers: 0,
      avgWatchSeconds: 0,
      orders: 0,
      gmvCents: 0,
      conversion: 0,
      timeline: [],
    });
  });

  it('is for the owner only: 401 signed out, 403 for others, 404 unknown, 400 malformed', async () => {
    const { streamId } = await streamWithOffer(1000);
    const path = `/api/streams/${streamId}/stats`;
    expect((await new Client(app).get(path)).status).toBe(401);
    const other = await resident(app, '隔壁店主');
    const forbidden = await other.client.get(path);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: { code: 'forbidden' } });
    const guest = await makeBuyer(app);
    expect((await guest.get(path)).status).toBe(403);
    const unknown = await other.client.get(`/api/streams/${randomUUID()}/stats`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    const malformed = await other.client.get('/api/streams/not-a-uuid/stats');
    expect(malformed.status).toBe(400);
    expect((await other.client.get(`/api/streams/${streamId}/orders.csv`)).status).toBe(403);
  });
});

describe('GET /api/streams/:streamId/orders.csv', () => {
  it("exports every order of the stream, not the shop's others, with its status", async () => {
    const { owner, streamId, offerId } = await streamWithOffer(1250);
    const buyer = await makeBuyer(app, '=cmd|calc');
    await place(buyer, streamId, { offerId, quantity: 2 });
    const second = await place(buyer, streamId, { offerId, quantity: 1 });
    await json(await buyer.post(`/api/orders/${second.order.id}/cancel`));
    // an order in another stream of the same shop stays out
    const otherStream = await liveStream(owner.client, owner.shop.id);
    const product = await db
      .selectFrom('offers')
      .select('product_id')
      .where('id', '=', offerId)
      .executeTakeFirstOrThrow();
    const otherOffer = await json<{ offer: { id: string } }>(
      await owner.client.post(`/api/streams/${otherStream}/offers`, {
        productId: product.product_id,
        priceCents: 999,
        quantity: 5,
      }),
      201,
    );
    await place(buyer, otherStream, { offerId: otherOffer.offer.id, quantity: 1 });

    const res = await owner.client.get(`/api/streams/${streamId}/orders.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="orders-.+\.csv"/);
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^order_id,created_at,status/);
    const body = lines.slice(1).join('\n');
    expect(body).toContain('"25.00"');
    expect(body).toContain('"cancelled"');
    expect(body).not.toContain('"9.99"');
    // a formula-looking buyer name is defused for spreadsheets
    expect(body).toContain(`"'=cmd|calc"`);
    await json(await owner.client.post(`/api/streams/${otherStream}/end`));
  });
});
