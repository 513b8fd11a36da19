import { afterAll, describe, expect, it } from 'vitest';
import { recordClickUnlessRecent } from '../../db/repositories/leader.repository';
import { roomService } from '../helpers/livekit';
import { buildTestApp, Client } from '../helpers/app';
import {
  liveStream,
  makeBuyer,
  makeLeader,
  makeOffer,
  makeShop,
  order,
  ownerWithShop,
  plannedStream,
  resident,
} from '../helpers/factories';

// Issue 15, the owner's controls: editing a shop (and the window that credits leaders), and
// resuming a stream ended by mistake.

const { app, db, realtime } = buildTestApp();
afterAll(() => db.destroy());

const rooms = roomService();

const DAY = 86_400_000;

interface ShopAnswer {
  shop?: {
    id: string;
    name: string;
    address: string | null;
    pickupHours: string | null;
    story: string | null;
    logoUrl: string | null;
    attributionDays: number;
    defaultBuyerLimit: number | null;
  };
  error?: { code: string; message: string };
}

async function patchShop(client: Client, shopId: string, body: unknown) {
  const res = await client.request('PATCH', `/api/shops/${shopId}`, { json: body });
  return { status: res.status, ...((await res.json()) as ShopAnswer) };
}

describe('PATCH /api/shops/:shopId', () => {
  it('saves every setting, and the public shop page shows them', async () => {
    const owner = await ownerWithShop(app);
    const logo = `/api/uploads/${crypto.randomUUID()}.png`;
    const settings = {
      address: '康健路 90 号',
      pickupHours: '每天 17:00–20:00',
      story: '三十年的老水果摊。',
      logoUrl: logo,
      attributionDays: 14,
      defaultBuyerLimit: 3,
    };
    const res = await patchShop(owner.client, owner.shop.id, {
      name: '  王记鲜果（康健店） ',
      ...settings,
    });
    expect(res).toMatchObject({
      status: 200,
      shop: { id: owner.shop.id, name: '王记鲜果（康健店）', ...settings },
    });
    const page = (await (
      await new Client(app).get(`/api/shops/${owner.shop.slug}`)
    ).json()) as ShopAnswer;
    expect(page.shop).toEqual(res.shop);

    // one field alone; null clears the optional ones and the default limit
    const cleared = await patchShop(owner.client, owner.shop.id, {
      story: null,
      logoUrl: null,
      defaultBuyerLimit: null,
    });
    expect(cleared).toMatchObject({
      status: 200,
      shop: { name: '王记鲜果（康健店）', story: null, logoUrl: null, defaultBuyerLimit: null },
    });
  });

  it.each([
    ['attribution window 0', { attributionDays: 0 }],
    ['attribution window 31', { attributionDays: 31 }],
    ['attribution window not whole', { attributionDays: 1.5 }],
    ['attribution window as text', { attributionDays: '7' }],
    ['buyer limit 0', { defaultBuyerLimit: 0 }],
    ['buyer limit 100', { defaultBuyerLimit: 100 }],
    ['empty name', { name: '   ' }],
    ['name too long', { name: 'x'.repeat(41) }],
    ['a remote logo', { logoUrl: 'https://evil.example/logo.png' }],
    ['a logo path outside uploads', { logoUrl: '/api/uploads/../../etc/passwd.png' }],
    ['story with NUL', { story: 'a\u0000b' }],
    ['an unknown field', { slug: 'new-address' }],
    ['null attribution window', { attributionDays: null }],
  ])('refuses %s with 400 and changes nothing', async (_label, body) => {
    const owner = await ownerWithShop(app);
    const res = await patchShop(owner.client, owner.shop.id, body);
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('validation_failed');
    const row = await db
      .selectFrom('shops')
      .selectAll()
      .where('id', '=', owner.shop.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: '王记鲜果', attribution_days: 7, logo_url: null });
  });

  it('answers 403 to another account, 401 without one and 404 for no shop', async () => {
    const owner = await ownerWithShop(app);
    const other = await ownerWithShop(app);
    expect((await patchShop(other.client, owner.shop.id, { name: '抢来的店' })).status).toBe(403);
    const stranger = await resident(app);
    expect((await patchShop(stranger.client, owner.shop.id, { name: '抢来的店' })).status).toBe(
      403,
    );
    expect((await patchShop(new Client(app), owner.shop.id, { name: 'x' })).status).toBe(401);
    expect((await patchShop(owner.client, crypto.randomUUID(), { name: 'x' })).status).toBe(404);
    expect((await patchShop(owner.client, 'not-a-uuid', { name: 'x' })).status).toBe(400);
    const row = await db
      .selectFrom('shops')
      .select('name')
      .where('id', '=', owner.shop.id)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('王记鲜果');
  });

  it('the attribution window set here decides whether the next order credits a leader', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 100 });
    const leader = await makeLeader(app, db, shop.shopId);
    const buyer = await makeBuyer(app);
    const me = (await (await buyer.get('/api/me')).json()) as { user: { id: string } };
    // a click two days old
    await recordClickUnlessRecent(
      db,
      {
        shopId: shop.shopId,
        leaderId: leader.leaderId,
        visitorKey: crypto.randomUUID(),
        userId: me.user.id,
        streamId: null,
        source: 'link',
        at: new Date(Date.now() - 2 * DAY),
      },
      60,
    );
    // the default window (7 days) credits it
    expect((await order(buyer, shop.streamId, { offerId })).order?.leaderId).toBe(leader.leaderId);
    // one day: the same click is too old now
    expect((await patchShop(shop.owner, shop.shopId, { attributionDays: 1 })).status).toBe(200);
    expect((await order(buyer, shop.streamId, { offerId })).order?.leaderId).toBeNull();
    // and back to three days: credited again
    expect((await patchShop(shop.owner, shop.shopId, { attributionDays: 3 })).status).toBe(200);
    expect((await order(buyer, shop.streamId, { offerId })).order?.leaderId).toBe(leader.leaderId);
  });

  it('the default per-buyer limit set here applies to offers without their own', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 100 });
    expect((await patchShop(shop.owner, shop.shopId, { defaultBuyerLimit: 2 })).status).toBe(200);
    const buyer = await makeBuyer(app);
    expect((await order(buyer, shop.streamId, { offerId, quantity: 2 })).status).toBe(201);
    const third = await order(buyer, shop.streamId, { offerId, quantity: 1 });
    expect(third.status).toBe(409);
    expect(third.error?.code).toBe('limit_exceeded');
  });
});

interface StreamAnswer {
  stream?: { id: string; status: string; startedAt: string | null; endedAt: string | null };
  error?: { code: string; message: string };
}

async function resume(client: Client, streamId: string) {
  const res = await client.post(`/api/streams/${streamId}/resume`);
  return { status: res.status, ...((await res.json()) as StreamAnswer) };
}

describe('POST /api/streams/:streamId/resume', () => {
  it('puts a stream ended minutes ago back on air, in the same room, with its offers and orders', async () => {
    const owner = await ownerWithShop(app);
    const id = await liveStream(owner.client, owner.shop.id);
    const offerId = await makeOffer(db, { shopId: owner.shop.id, streamId: id }, { quantity: 10 });
    const buyer = await makeBuyer(app);
    const before = await order(buyer, id, { offerId });
    expect(before.status).toBe(201);
    const started = (
      await db
        .selectFrom('streams')
        .select('started_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).started_at;

    expect((await owner.client.post(`/api/streams/${id}/end`)).status).toBe(200);
    expect((await rooms.listRooms([id])).length).toBe(0);

    const heard: unknown[] = [];
    const off = realtime.subscribe((streamId, event, payload) => {
      if (streamId === id && event === 'stream:status') heard.push(payload);
    });
    const res = await resume(owner.client, id);
    off();
    expect(res).toMatchObject({ status: 200, stream: { id, status: 'live', endedAt: null } });
    expect(res.stream?.startedAt).toBe(started?.toISOString());
    expect(heard).toEqual([{ streamId: id, status: 'live', segment: null }]);
    // the room is open again under the stream's id
    expect((await rooms.listRooms([id])).map((r) => r.name)).toEqual([id]);
    // same offers and orders: the buyer's order is there, and buying works again
    const view = (await (await new Client(app).get(`/api/streams/${id}`)).json()) as {
      stream: { status: string; offers: { id: string; remaining: number }[] };
    };
    expect(view.stream.status).toBe('live');
    expect(view.stream.offers).toEqual([expect.objectContaining({ id: offerId, remaining: 9 })]);
    expect((await order(buyer, id, { offerId })).status).toBe(201);
    // a viewer can get a token again
    expect((await new Client(app).post(`/api/streams/${id}/token`, {})).status).toBe(200);
    // resuming twice: it is live, not ended
    const again = await resume(owner.client, id);
    expect(again.status).toBe(409);
    expect(again.error?.code).toBe('conflict');
    await owner.client.post(`/api/streams/${id}/end`);
  });

  it('refuses after two hours with resume_expired', async () => {
    const owner = await ownerWithShop(app);
    const id = await liveStream(owner.client, owner.shop.id);
    await owner.client.post(`/api/streams/${id}/end`);
    await db
      .updateTable('streams')
      .set({ ended_at: new Date(Date.now() - 2 * 60 * 60 * 1000 - 1000) })
      .where('id', '=', id)
      .execute();
    const res = await resume(owner.client, id);
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('resume_expired');
    expect(res.error?.message).toMatch(/2 hours/);
    // just inside the window it works
    await db
      .updateTable('streams')
      .set({ ended_at: new Date(Date.now() - 2 * 60 * 60 * 1000 + 60_000) })
      .where('id', '=', id)
      .execute();
    expect((await resume(owner.client, id)).status).toBe(200);
    await owner.client.post(`/api/streams/${id}/end`);
  });

  it('is for the owner only, and only for an ended stream', async () => {
    const owner = await ownerWithShop(app);
    const id = await liveStream(owner.client, owner.shop.id);
    // live: not ended
    const live = await resume(owner.client, id);
    expect(live).toMatchObject({ status: 409, error: { code: 'conflict' } });
    await owner.client.post(`/api/streams/${id}/end`);

    const other = await ownerWithShop(app);
    expect((await resume(other.client, id)).status).toBe(403);
    expect((await resume((await resident(app)).client, id)).status).toBe(403);
    expect((await resume(new Client(app), id)).status).toBe(401);
    expect((await resume(owner.client, crypto.randomUUID())).status).toBe(404);
    const row = await db
      .selectFrom('streams')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('ended');

    // scheduled, never live: not ended either
    const planned = await plannedStream(owner.client, owner.shop.id);
    expect(await resume(owner.client, planned)).toMatchObject({
      status: 409,
      error: { code: 'conflict' },
    });
  });
});
