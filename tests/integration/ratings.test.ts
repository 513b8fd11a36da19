import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildTestApp, type Client } from '../helpers/app';
import { makeBuyer, makeOffer, makeShop, order } from '../helpers/factories';

// Rating after pickup (issue 14, part 3): the buyer of a picked-up order rates it once and
// may change it for 7 days; the owner answers once; the shop's aggregate counts every rating.

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

const DAY = 86_400_000;

interface Rating {
  id: string;
  orderId: string;
  stars: number;
  tags: string[];
  text: string | null;
  createdAt: string;
  updatedAt: string;
  editableUntil: string;
  reply: { text: string; repliedAt: string } | null;
}

interface ShopRatings {
  summary: {
    count: number;
    average: number | null;
    stars: number[];
    tags: { tag: string; count: number }[];
  };
  recent: {
    id: string;
    stars: number;
    tags: string[];
    text: string | null;
    buyerName: string;
    productName: string;
    reply: { text: string; repliedAt: string } | null;
  }[];
}

type Shop = Awaited<ReturnType<typeof makeShop>>;

/** A buyer's order in the shop, picked up at the shop unless told otherwise. */
async function orderOf(shop: Shop, buyer: Client, pickUp = true): Promise<string> {
  const offerId = await makeOffer(db, shop, { quantity: 50 });
  const placed = await order(buyer, shop.streamId, { offerId });
  if (!placed.order) throw new Error(`order: ${placed.status} ${placed.error?.code}`);
  if (pickUp) {
    const res = await shop.owner.post(`/api/shops/${shop.shopId}/pickups`, {
      code: placed.order.pickupCode,
    });
    expect(res.status).toBe(200);
  }
  return placed.order.id;
}

async function rate(client: Client, orderId: string, body: unknown) {
  const res = await client.request('PUT', `/api/orders/${orderId}/rating`, { json: body });
  return {
    status: res.status,
    body: (await res.json()) as { rating: Rating; error?: { code: string; message: string } },
  };
}

async function reply(client: Client, shopId: string, ratingId: string, text: unknown) {
  const res = await client.post(`/api/shops/${shopId}/ratings/${ratingId}/reply`, { text });
  return {
    status: res.status,
    body: (await res.json()) as {
      rating: ShopRatings['recent'][number];
      error?: { code: string };
    },
  };
}

async function ratingsOf(client: Client, shopId: string): Promise<ShopRatings> {
  const res = await client.get(`/api/shops/${shopId}/ratings`);
  expect(res.status).toBe(200);
  return (await res.json()) as ShopRatings;
}

describe('rating an order', () => {
  it('is for the buyer of a picked-up order, once, and an edit within 7 days', async () => {
    const shop = await makeShop(app, db);
    const buyer = await makeBuyer(app, '陈阿姨');
    const stranger = await makeBuyer(app, '路人');

    // not yet picked up
    const waiting = await orderOf(shop, buyer, false);
    const early = await rate(buyer, waiting, { stars: 5 });
    expect(early.status).toBe(409);
    expect(early.body.error?.code).toBe('not_picked_up');

    const orderId = await orderOf(shop, buyer);
    // someone else's order is not theirs to rate, nor to read
    const foreign = await rate(stranger, orderId, { stars: 1 });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error?.code).toBe('not_found');
    expect((await stranger.get(`/api/orders/${orderId}/rating`)).status).toBe(404);
    // nor the owner's (the owner rates nothing)
    expect((await rate(shop.owner, orderId, { stars: 5 })).status).toBe(404);

    const none = await buyer.get(`/api/orders/${orderId}/rating`);
    expect(await none.json()).toEqual({ rating: null });

    const first = await rate(buyer, orderId, {
      stars: 4,
      tags: ['fresh', 'generous'],
      text: '  草莓很甜，个头大  ',
    });
    expect(first.status).toBe(201);
    expect(first.body.rating).toMatchObject({
      orderId,
      stars: 4,
      tags: ['fresh', 'generous'],
      text: '草莓很甜，个头大',
      reply: null,
    });
    expect(
      Date.parse(first.body.rating.editableUntil) - Date.parse(first.body.rating.createdAt),
    ).toBe(7 * DAY);

    // a second PUT is an edit of the same rating: one rating per order
    const edited = await rate(buyer, orderId, { stars: 2, tags: ['bad_fruit'] });
    expect(edited.status).toBe(200);
    expect(edited.body.rating).toMatchObject({
      id: first.body.rating.id,
      stars: 2,
      tags: ['bad_fruit'],
      text: null,
      createdAt: first.body.rating.createdAt,
    });
    const rows = await db
      .selectFrom('order_ratings')
      .select(['stars'])
      .where('order_id', '=', orderId)
      .execute();
    expect(rows).toEqual([{ stars: 2 }]);

    const mine = (await (await buyer.get('/api/me/ratings')).json()) as { ratings: Rating[] };
    expect(mine.ratings.map((r) => [r.orderId, r.stars])).toEqual([[orderId, 2]]);

    // six days and a bit later it still changes; past seven days it is locked
    await sql`update order_ratings set created_at = now() - interval '6 days 23 hours'
      where order_id = ${orderId}`.execute(db);
    expect((await rate(buyer, orderId, { stars: 3 })).status).toBe(200);
    await sql`update order_ratings set created_at = now() - interval '7 days 1 minute'
      where order_id = ${orderId}`.execute(db);
    const late = await rate(buyer, orderId, { stars: 5, text: '改主意了' });
    expect(late.status).toBe(409);
    expect(late.body.error?.code).toBe('rating_locked');
    expect(late.body.error?.message).toMatch(/7 days/);
    const kept = await db
      .selectFrom('order_ratings')
      .select(['stars', 'text'])
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow();
    expect(kept).toEqual({ stars: 3, text: null });
  });

  it('refuses bad input with 400 and writes nothing', async () => {
    const shop = await makeShop(app, db);
    const buyer = await makeBuyer(app);
    const orderId = await orderOf(shop, buyer);
    const bad: unknown[] = [
      {},
      { stars: 0 },
      { stars: 6 },
      { stars: 4.5 },
      { stars: '5' },
      { stars: 5, tags: ['delicious'] },
      { stars: 5, tags: ['fresh', 'fresh'] },
      { stars: 5, text: 'x'.repeat(201) },
      { stars: 5, text: '   ' },
      { stars: 5, text: 'a\u0000b' },
      { stars: 5, extra: true },
      [5],
    ];
    for (const body of bad) {
      const res = await rate(buyer, orderId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error?.code).toBe('validation_failed');
      expect(res.body.error?.message).toBeTruthy();
    }
    const malformed = await buyer.request('PUT', `/api/orders/${orderId}/rating`, {
      body: '{"stars":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect((await rate(buyer, 'not-a-uuid', { stars: 5 })).status).toBe(400);
    // 200 characters exactly is fine
    expect((await rate(buyer, orderId, { stars: 5, text: '甜'.repeat(200) })).status).toBe(201);

    const guestless = await app.request(`/api/orders/${orderId}/rating`, {
      method: 'PUT',
      headers: { origin: 'http://localhost', 'content-type': 'application/json' },
      body: JSON.stringify({ stars: 5 }),
    });
    expect(guestless.status).toBe(401);
  });

  it('two first ratings at once make one rating: one is created, the other edits it', async () => {
    const shop = await makeShop(app, db);
    const buyer = await makeBuyer(app);
    const orderId = await orderOf(shop, buyer);
    const [a, b] = await Promise.all([
      rate(buyer, orderId, { stars: 5, tags: ['fresh'] }),
      rate(buyer, orderId, { stars: 1, tags: ['not_fresh'] }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.rating.id).toBe(b.body.rating.id);
    const rows = await db
      .selectFrom('order_ratings')
      .select(['stars'])
      .where('order_id', '=', orderId)
      .execute();
    expect(rows).toHaveLength(1);
    // the edit is the later write: its stars stay
    const edit = a.status === 200 ? a : b;
    expect(rows[0]?.stars).toBe(edit.body.rating.stars);
  });
});

describe("the shop's ratings", () => {
  it('aggregates every rating and lists the texts with the owner’s one reply', async () => {
    const shop = await makeShop(app, db);
    const given = [
      { name: '陈阿姨', stars: 5, tags: ['fresh', 'generous'], text: '很新鲜，下次还买' },
      { name: '李叔', stars: 4, tags: ['fresh'], text: null },
      { name: '王姐', stars: 2, tags: ['bad_fruit', 'short_weight'], text: '有两个坏果' },
      { name: '小张', stars: 5, tags: [], text: null },
    ];
    const ratingIds: string[] = [];
    for (const g of given) {
      const buyer = await makeBuyer(app, g.name);
      const orderId = await orderOf(shop, buyer);
      const res = await rate(buyer, orderId, {
        stars: g.stars,
        tags: g.tags,
        ...(g.text ? { text: g.text } : {}),
      });
      expect(res.status).toBe(201);
      ratingIds.push(res.body.rating.id);
    }
    // another shop's ratings do not count here
    const other = await makeShop(app, db);
    const otherBuyer = await makeBuyer(app);
    expect((await rate(otherBuyer, await orderOf(other, otherBuyer), { stars: 1 })).status).toBe(
      201,
    );

    const visitor = await makeBuyer(app, '游客');
    const page = await ratingsOf(visitor, shop.shopId);
    // counted independently from what was given
    const sum = given.reduce((s, g) => s + g.stars, 0);
    expect(page.summary.count).toBe(given.length);
    expect(page.summary.average).toBe(Math.round((sum / given.length) * 100) / 100);
    expect(page.summary.stars).toEqual(
      [1, 2, 3, 4, 5].map((n) => given.filter((g) => g.stars === n).length),
    );
    const tagCounts = new Map<string, number>();
    for (const g of given) for (const t of g.tags) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
    expect(Object.fromEntries(page.summary.tags.map((t) => [t.tag, t.count]))).toEqual(
      Object.fromEntries(tagCounts),
    );
    expect(page.summary.tags[0]).toEqual({ tag: 'fresh', count: 2 });
    // texts, newest first, names masked
    expect(page.recent.map((r) => r.text)).toEqual(['有两个坏果', '很新鲜，下次还买']);
    expect(page.recent[0]).toMatchObject({
      buyerName: '王**',
      productName: '草莓 500g',
      reply: null,
    });

    // the owner answers once; a second answer is refused
    const bad = ratingIds[2] ?? '';
    const answered = await reply(shop.owner, shop.shopId, bad, '抱歉！已为您退款，明天补两个');
    expect(answered.status).toBe(200);
    expect(answered.body.rating.reply?.text).toBe('抱歉！已为您退款，明天补两个');
    const again = await reply(shop.owner, shop.shopId, bad, '再说一次');
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('already_replied');
    // only the owner, only their shop's ratings, and not an empty answer
    // a guest is no owner; without a session, sign in first
    expect((await reply(visitor, shop.shopId, ratingIds[0] ?? '', '好')).status).toBe(403);
    const anonymous = await app.request(`/api/shops/${shop.shopId}/ratings/${bad}/reply`, {
      method: 'POST',
      headers: { origin: 'http://localhost', 'content-type': 'application/json' },
      body: JSON.stringify({ text: '好' }),
    });
    expect(anonymous.status).toBe(401);
    expect((await reply(other.owner, shop.shopId, ratingIds[0] ?? '', '好')).status).toBe(403);
    expect((await reply(other.owner, other.shopId, ratingIds[0] ?? '', '好')).status).toBe(404);
    expect((await reply(shop.owner, shop.shopId, ratingIds[0] ?? '', '  ')).status).toBe(400);
    expect((await reply(shop.owner, shop.shopId, ratingIds[0] ?? '', 'x'.repeat(301))).status).toBe(
      400,
    );

    const after = await ratingsOf(visitor, shop.shopId);
    expect(after.recent[0]?.reply?.text).toBe('抱歉！已为您退款，明天补两个');
    expect(after.recent[1]?.reply).toBeNull();
    // the buyer sees the answer on their rating too
    const edited = await db
      .selectFrom('order_ratings')
      .select('reply')
      .where('id', '=', bad)
      .executeTakeFirstOrThrow();
    expect(edited.reply).toBe('抱歉！已为您退款，明天补两个');

    // a shop without ratings, and no such shop
    const empty = await ratingsOf(visitor, (await makeShop(app, db)).shopId);
    expect(empty.summary).toEqual({ count: 0, average: null, stars: [0, 0, 0, 0, 0], tags: [] });
    expect(
      (await visitor.get('/api/shops/00000000-0000-4000-8000-000000000000/ratings')).status,
    ).toBe(404);
  });
});
