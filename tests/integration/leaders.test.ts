import { afterAll, describe, expect, it } from 'vitest';
import { recordClickUnlessRecent } from '../../db/repositories/leader.repository';
import { attributeOrder } from '../../server/services/attribution.service';
import { buildTestApp, Client, ORIGIN } from '../helpers/app';
import {
  makeAccount,
  makeBuyers,
  makeLeader,
  makeOffer,
  makeShop,
  makeShopWithStream,
  order,
} from '../helpers/factories';

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

/**
 * Who attributeOrder credits with `buyerId`'s next order in the shop: a 7-day window, no
 * visitor cookie and no ref unless the test says otherwise.
 */
function attribute(
  shopId: string,
  buyerId: string,
  opts: { visitorKey?: string; ref?: string | undefined; now?: Date; days?: number } = {},
) {
  const { visitorKey = null, days = 7, ...rest } = opts;
  return attributeOrder(db, { shopId, attributionDays: days, buyerId, visitorKey, ...rest });
}

const DAY = 86_400_000;

async function signedIn(user: { email: string; password: string }) {
  const client = new Client(app);
  const res = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(res.status).toBe(200);
  return client;
}

/** A shop with an owner and `n` approved leaders (rate 10%), through the API. */
async function shopWithLeaders(n: number, status: 'scheduled' | 'live' = 'scheduled') {
  const owner = await makeAccount(db, '店主');
  const { shop, stream } = await makeShopWithStream(db, owner.id, status);
  const ownerClient = await signedIn(owner);
  const leaders = [];
  for (let i = 0; i < n; i += 1) {
    const user = await makeAccount(db, `团长${i}`);
    const client = await signedIn(user);
    const applied = await client.post(`/api/shops/${shop.id}/leaders/apply`, {
      displayName: `团长${i}`,
      community: '康健新村',
    });
    expect(applied.status).toBe(201);
    const { leader } = (await applied.json()) as { leader: { id: string; status: string } };
    expect(leader.status).toBe('pending');
    const approved = await ownerClient.post(`/api/shops/${shop.id}/leaders/${leader.id}/approve`, {
      commissionRate: 0.1,
    });
    expect(approved.status).toBe(200);
    const body = (await approved.json()) as {
      leader: { id: string; code: string; status: string };
    };
    expect(body.leader).toMatchObject({
      status: 'approved',
      code: expect.stringMatching(/^[a-z2-7]{8}$/),
    });
    leaders.push({ ...body.leader, user, client });
  }
  return { owner, ownerClient, shop, stream, leaders };
}

async function click(
  shopId: string,
  leaderId: string,
  visitorKey: string,
  userId: string | null,
  at: Date,
) {
  return recordClickUnlessRecent(
    db,
    { shopId, leaderId, visitorKey, userId, streamId: null, source: 'link', at },
    60,
  );
}

describe('attribution rules', () => {
  it('counts a click inside the window and not one just outside it', async () => {
    const { shop, leaders } = await shopWithLeaders(1);
    const buyer = await makeAccount(db, '买家');
    const now = new Date();
    const leader = leaders[0]!;
    await click(
      shop.id,
      leader.id,
      'v-edge-out',
      buyer.id,
      new Date(now.getTime() - 7 * DAY - 1000),
    );
    expect(await attribute(shop.id, buyer.id, { now })).toBeNull();
    await click(
      shop.id,
      leader.id,
      'v-edge-in',
      buyer.id,
      new Date(now.getTime() - 7 * DAY + 1000),
    );
    expect(await attribute(shop.id, buyer.id, { now })).toMatchObject({
      leaderId: leader.id,
      rate: '0.1000',
    });
    // a shop with a one-day window
    expect(await attribute(shop.id, buyer.id, { days: 1, now })).toBeNull();
  });

  it('gives the sale to the last click', async () => {
    const { shop, leaders } = await shopWithLeaders(2);
    const buyer = await makeAccount(db, '买家');
    const now = new Date();
    await click(
      shop.id,
      leaders[0]!.id,
      'v-last',
      buyer.id,
      new Date(now.getTime() - 2 * 3_600_000),
    );
    await click(shop.id, leaders[1]!.id, 'v-last', buyer.id, new Date(now.getTime() - 3_600_000));
    expect((await attribute(shop.id, buyer.id, { visitorKey: 'v-last', now }))?.leaderId).toBe(
      leaders[1]!.id,
    );
  });

  it('counts a ref sent with the order as a click at that moment, and remembers it', async () => {
    const { shop, leaders } = await shopWithLeaders(2);
    const buyer = await makeAccount(db, '买家');
    const now = new Date();
    await click(shop.id, leaders[0]!.id, 'v-ref', buyer.id, new Date(now.getTime() - 60_000 * 5));
    const withRef = await attribute(shop.id, buyer.id, {
      visitorKey: 'v-ref',
      ref: leaders[1]!.code,
      now,
    });
    expect(withRef?.leaderId).toBe(leaders[1]!.id);
    // a later order without a ref still goes to the ref's leader: it was the last click
    const later = await attribute(shop.id, buyer.id, {
      visitorKey: 'v-ref',
      now: new Date(now.getTime() + 1000),
    });
    expect(later?.leaderId).toBe(leaders[1]!.id);
  });

  it('applies the same window, last click and visitor cookie to orders placed through the API', async () => {
    // the order path reads the last click in the same query as the offer; same rules
    const shop = await makeShop(app, db);
    await db
      .updateTable('shops')
      .set({ attribution_days: 7 })
      .where('id', '=', shop.shopId)
      .execute();
    const offerId = await makeOffer(db, shop, { quantity: 100 });
    const [early, late] = [
      await makeLeader(app, db, shop.shopId),
      await makeLeader(app, db, shop.shopId),
    ];
    const [outside, inside, anonymous] = await makeBuyers(app, 3);
    const userId = async (c: typeof outside) =>
      ((await (await c!.get('/api/me')).json()) as { user: { id: string } }).user.id;
    const now = Date.now();
    await click(
      shop.shopId,
      early.leaderId,
      'v-out',
      await userId(outside),
      new Date(now - 7 * DAY - 5000),
    );
    expect((await order(outside!, shop.streamId, { offerId })).order?.leaderId).toBeNull();

    await click(
      shop.shopId,
      early.leaderId,
      'v-in-1',
      await userId(inside),
      new Date(now - 7 * DAY + 5000),
    );
    await click(shop.shopId, late.leaderId, 'v-in-2', await userId(inside), new Date(now - DAY));
    expect((await order(inside!, shop.streamId, { offerId })).order?.leaderId).toBe(late.leaderId);

    // clicked before signing in: found through the visitor cookie the browser keeps
    const visitor = crypto.randomUUID();
    await click(shop.shopId, early.leaderId, visitor, null, new Date(now - 60_000));
    expect((await order(anonymous!, shop.streamId, { offerId })).order?.leaderId).toBeNull();
    anonymous!.cookies.set('linli_vid', visitor);
    expect((await order(anonymous!, shop.streamId, { offerId })).order?.leaderId).toBe(
      early.leaderId,
    );
  });

  it('attributes by ref even when the visitor cookie is missing', async () => {
    const { shop, leaders } = await shopWithLeaders(1);
    const buyer = await makeAccount(db, '买家');
    expect((await attribute(shop.id, buyer.id, { ref: leaders[0]!.code }))?.leaderId).toBe(
      leaders[0]!.id,
    );
  });

  it('finds a click made before signing in through the visitor cookie', async () => {
    const { shop, leaders } = await shopWithLeaders(1);
    const buyer = await makeAccount(db, '买家');
    await click(shop.id, leaders[0]!.id, 'v-anon', null, new Date(Date.now() - 60_000));
    expect(await attribute(shop.id, buyer.id)).toBeNull();
    expect((await attribute(shop.id, buyer.id, { visitorKey: 'v-anon' }))?.leaderId).toBe(
      leaders[0]!.id,
    );
  });

  it('pays no commission to a leader buying through their own link', async () => {
    const { shop, leaders } = await shopWithLeaders(1);
    const self = leaders[0]!;
    expect(await attribute(shop.id, self.user.id, { ref: self.code })).toBeNull();
    await click(shop.id, self.id, 'v-self', self.user.id, new Date());
    expect(await attribute(shop.id, self.user.id, { visitorKey: 'v-self' })).toBeNull();
  });

  it('pays no commission to a suspended leader, and their last click is not replaced by an older one', async () => {
    const { shop, ownerClient, leaders } = await shopWithLeaders(2);
    const buyer = await makeAccount(db, '买家');
    const now = new Date();
    await click(shop.id, leaders[0]!.id, 'v-susp', buyer.id, new Date(now.getTime() - 3_600_000));
    await click(shop.id, leaders[1]!.id, 'v-susp', buyer.id, new Date(now.getTime() - 60_000));
    const suspended = await ownerClient.post(
      `/api/shops/${shop.id}/leaders/${leaders[1]!.id}/suspend`,
    );
    expect(suspended.status).toBe(200);
    expect(await attribute(shop.id, buyer.id, { visitorKey: 'v-susp', now })).toBeNull();
    expect(await attribute(shop.id, buyer.id, { ref: leaders[1]!.code, now })).toBeNull();
    // reinstated, with the same code: links already shared keep working
    const back = await ownerClient.post(`/api/shops/${shop.id}/leaders/${leaders[1]!.id}/approve`, {
      commissionRate: 0.05,
    });
    expect(await back.json()).toMatchObject({
      leader: { status: 'approved', code: leaders[1]!.code, commissionRate: 0.05 },
    });
  });

  it("ignores another shop's leader", async () => {
    const here = await shopWithLeaders(1);
    const there = await shopWithLeaders(1);
    const buyer = await makeAccount(db, '买家');
    expect(await attribute(here.shop.id, buyer.id, { ref: there.leaders[0]!.code })).toBeNull();
    await click(there.shop.id, there.leaders[0]!.id, 'v-other', buyer.id, new Date());
    expect(await attribute(here.shop.id, buyer.id, { visitorKey: 'v-other' })).toBeNull();
    // a ref from the other shop does not hide this shop's own last click
    await click(
      here.shop.id,
      here.leaders[0]!.id,
      'v-other',
      buyer.id,
      new Date(Date.now() - 1000),
    );
    expect(
      (
        await attribute(here.shop.id, buyer.id, {
          visitorKey: 'v-other',
          ref: there.leaders[0]!.code,
        })
      )?.leaderId,
    ).toBe(here.leaders[0]!.id);
  });
});

describe('leader links', () => {
  it('/s/<code> records the click once a minute per visitor and sends them to the shop page, or to the live stream', async () => {
    const { shop, stream, leaders } = await shopWithLeaders(1);
    const visitor = new Client(app);
    const first = await visitor.get(`/s/${leaders[0]!.code}`);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(`/shop/${shop.slug}?ref=${leaders[0]!.code}`);
    expect(visitor.cookies.get('linli_vid')).toBeTruthy();
    await visitor.get(`/s/${leaders[0]!.code}`); // a double tap
    await new Client(app).get(`/s/${leaders[0]!.code}`); // someone else
    const clicks = await db
      .selectFrom('leader_clicks')
      .select(['visitor_key'])
      .where('leader_id', '=', leaders[0]!.id)
      .execute();
    expect(clicks).toHaveLength(2);

    await db.updateTable('streams').set({ status: 'live' }).where('id', '=', stream.id).execute();
    const live = await visitor.get(`/s/${leaders[0]!.code}`);
    expect(live.headers.get('location')).toBe(`/live/${stream.id}?ref=${leaders[0]!.code}`);
  });

  it('sends an unknown or suspended code home without recording anything', async () => {
    const { shop, ownerClient, leaders } = await shopWithLeaders(1);
    await ownerClient.post(`/api/shops/${shop.id}/leaders/${leaders[0]!.id}/suspend`);
    for (const code of [leaders[0]!.code, 'nosuchcode', '<script>']) {
      const res = await new Client(app).get(`/s/${encodeURIComponent(code)}`);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/');
    }
    expect(
      await db
        .selectFrom('leader_clicks')
        .select('id')
        .where('leader_id', '=', leaders[0]!.id)
        .execute(),
    ).toEqual([]);
  });
});

describe('who sees which numbers', () => {
  it('a leader sees only their own memberships; others get 403/404', async () => {
    const { shop, leaders, owner } = await shopWithLeaders(2);
    const me = await leaders[0]!.client.get('/api/leader/me');
    const body = (await me.json()) as {
      memberships: { leaderId: string; link: string; stats: unknown }[];
    };
    expect(body.memberships.map((m) => m.leaderId)).toEqual([leaders[0]!.id]);
    expect(body.memberships[0]!.link).toBe(`${ORIGIN}/s/${leaders[0]!.code}`);

    // a leader cannot read the shop's board, approve anyone, or change rates
    expect((await leaders[0]!.client.get(`/api/shops/${shop.id}/leaders`)).status).toBe(403);
    expect(
      (
        await leaders[0]!.client.post(`/api/shops/${shop.id}/leaders/${leaders[1]!.id}/approve`, {
          commissionRate: 1,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await leaders[0]!.client.request(
          'PATCH',
          `/api/shops/${shop.id}/leaders/${leaders[0]!.id}`,
          { json: { commissionRate: 1 } },
        )
      ).status,
    ).toBe(403);
    // another shop's owner sees nothing of this shop's leaders
    const stranger = await signedIn(await makeAccount(db, '别家店主'));
    expect((await stranger.get(`/api/shops/${shop.id}/leaders`)).status).toBe(403);
    // a statement for a shop you do not lead for is a 404
    const other = await shopWithLeaders(0);
    expect(
      (await leaders[0]!.client.get(`/api/leader/me/statements/${other.shop.id}?month=2026-11`))
        .status,
    ).toBe(404);
    // the owner sees both leaders
    const board = await (await signedIn(owner)).get(`/api/shops/${shop.id}/leaders`);
    expect(((await board.json()) as { leaders: unknown[] }).leaders).toHaveLength(2);
  });

  it('refuses a second application, a guest, the owner, and bad rates', async () => {
    const { shop, owner, ownerClient, leaders } = await shopWithLeaders(1);
    expect(
      (
        await leaders[0]!.client.post(`/api/shops/${shop.id}/leaders/apply`, {
          displayName: '又来',
        })
      ).status,
    ).toBe(409);
    const guest = new Client(app);
    await guest.post('/api/auth/guest', { name: '游客' });
    expect(
      (await guest.post(`/api/shops/${shop.id}/leaders/apply`, { displayName: '游客' })).status,
    ).toBe(403);
    expect(
      (
        await (
          await signedIn(owner)
        ).post(`/api/shops/${shop.id}/leaders/apply`, { displayName: '自己' })
      ).status,
    ).toBe(400);
    for (const commissionRate of [-0.1, 1.5, '0.1']) {
      expect(
        (
          await ownerClient.request('PATCH', `/api/shops/${shop.id}/leaders/${leaders[0]!.id}`, {
            json: { commissionRate },
          })
        ).status,
      ).toBe(400);
    }
  });
});

describe('attribution through the order API', () => {
  it('credits an order placed after opening a leader link, with no ref, to that leader, at the rate of the moment', async () => {
    const { shop, stream, ownerClient, leaders } = await shopWithLeaders(1);
    const product = await db
      .insertInto('products')
      .values({ shop_id: shop.id, name: '草莓', price_cents: 1250, stock: 100 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const offer = await ownerClient.post(`/api/streams/${stream.id}/offers`, {
      productId: product.id,
      priceCents: 1250,
      quantity: 50,
    });
    const offerId = ((await offer.json()) as { offer: { id: string } }).offer.id;

    const resident = new Client(app);
    await resident.get(`/s/${leaders[0]!.code}`); // the link in the group chat, before signing in
    await resident.post('/api/auth/guest', { name: '邻居' });
    const placed = await resident.post(`/api/streams/${stream.id}/orders`, {
      offerId,
      quantity: 2,
      phone: '13800138000',
    });
    expect(placed.status).toBe(201);
    expect(await placed.json()).toMatchObject({
      order: { leaderId: leaders[0]!.id, totalCents: 2500 },
    });

    // a new rate applies to new orders only
    await ownerClient.request('PATCH', `/api/shops/${shop.id}/leaders/${leaders[0]!.id}`, {
      json: { commissionRate: 0.2 },
    });
    await resident.post(`/api/streams/${stream.id}/orders`, {
      offerId,
      quantity: 1,
      phone: '13800138000',
    });
    const rows = await db
      .selectFrom('orders')
      .select(['commission_rate', 'commission_cents'])
      .where('stream_id', '=', stream.id)
      .orderBy('created_at')
      .execute();
    expect(rows.map((r) => [Number(r.commission_rate), r.commission_cents])).toEqual([
      [0.1, 250],
      [0.2, 250],
    ]);

    // someone who never opened a link is credited to no one
    const stranger = new Client(app);
    await stranger.post('/api/auth/guest', { name: '路人' });
    const unattributed = await stranger.post(`/api/streams/${stream.id}/orders`, {
      offerId,
      quantity: 1,
      phone: '13900139000',
    });
    expect(await unattributed.json()).toMatchObject({ order: { leaderId: null } });
  });
});
