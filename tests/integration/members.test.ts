import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, Client } from '../helpers/app';
import {
  liveStream,
  makeBuyer,
  makeLeader,
  makeOffer,
  makeShop,
  order,
  plannedStream,
  resident,
} from '../helpers/factories';

// The shop's private domain (issue 17): residents join a shop, credited to the leader whose
// link brought them (the order attribution rule); the owner sees who joined, through whom,
// and their orders; a members-only stream gives viewer tokens to members alone and is not
// listed on the public shop page for anyone else.

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

const DAY = 86_400_000;

interface Membership {
  member: boolean;
  joinedAt: string | null;
  leader: { id: string; displayName: string; community: string | null } | null;
}

async function join(client: Client, shopId: string) {
  const res = await client.post(`/api/shops/${shopId}/members`);
  return { status: res.status, body: (await res.json()) as { membership: Membership } };
}

async function mine(client: Client, shopId: string): Promise<Membership> {
  const res = await client.get(`/api/shops/${shopId}/members/me`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { membership: Membership }).membership;
}

async function openLink(client: Client, code: string) {
  const res = await client.get(`/s/${code}`);
  expect(res.status).toBe(302);
}

async function edit(owner: Client, streamId: string, body: unknown) {
  return owner.request('PATCH', `/api/streams/${streamId}`, { json: body });
}

describe('joining a shop', () => {
  it('credits the leader of the last click, keeps the first leader when joining twice, and leaves', async () => {
    const shop = await makeShop(app, db);
    const li = await makeLeader(app, db, shop.shopId);
    const wang = await makeLeader(app, db, shop.shopId);
    const guest = await makeBuyer(app, '楼下阿姨');

    expect(await mine(guest, shop.shopId)).toEqual({ member: false, joinedAt: null, leader: null });
    await openLink(guest, li.code);
    const first = await join(guest, shop.shopId);
    expect(first.status).toBe(201);
    expect(first.body.membership).toMatchObject({
      member: true,
      joinedAt: expect.any(String),
      leader: { id: li.leaderId, displayName: '康健新村 李姐' },
    });

    // another leader's link afterwards does not move an existing membership
    await openLink(guest, wang.code);
    const again = await join(guest, shop.shopId);
    expect(again.status).toBe(200);
    expect(again.body.membership).toEqual(first.body.membership);
    expect(await mine(guest, shop.shopId)).toEqual(first.body.membership);

    const left = await guest.request('DELETE', `/api/shops/${shop.shopId}/members`);
    expect(left.status).toBe(204);
    expect((await mine(guest, shop.shopId)).member).toBe(false);
    // leaving twice changes nothing
    expect((await guest.request('DELETE', `/api/shops/${shop.shopId}/members`)).status).toBe(204);

    // joining anew credits the last click now: the second leader's
    const rejoined = await join(guest, shop.shopId);
    expect(rejoined.status).toBe(201);
    expect(rejoined.body.membership.leader?.id).toBe(wang.leaderId);
  });

  it('credits nobody for a click outside the attribution window, or without a click', async () => {
    const shop = await makeShop(app, db);
    const li = await makeLeader(app, db, shop.shopId);
    const old = await resident(app, '老住户');
    await db
      .insertInto('leader_clicks')
      .values({
        shop_id: shop.shopId,
        leader_id: li.leaderId,
        visitor_key: `user:${old.userId}`,
        user_id: old.userId,
        created_at: new Date(Date.now() - 8 * DAY),
      })
      .execute();
    const joined = await join(old.client, shop.shopId);
    expect(joined.status).toBe(201);
    expect(joined.body.membership.leader).toBeNull();

    const walkIn = await makeBuyer(app, '路过');
    expect((await join(walkIn, shop.shopId)).body.membership).toMatchObject({
      member: true,
      leader: null,
    });
  });

  it('credits a click made before signing in, by the visitor cookie', async () => {
    const shop = await makeShop(app, db);
    const li = await makeLeader(app, db, shop.shopId);
    const visitor = new Client(app);
    await openLink(visitor, li.code);
    expect(visitor.cookies.get('linli_vid')).toBeTruthy();
    expect((await visitor.post('/api/auth/guest', { name: '新邻居' })).status).toBe(201);
    expect((await join(visitor, shop.shopId)).body.membership.leader?.id).toBe(li.leaderId);
  });

  it("credits the leader of the link the page was opened by (?ref=), even without a click; not another shop's", async () => {
    const shop = await makeShop(app, db);
    const li = await makeLeader(app, db, shop.shopId);
    const elsewhere = await makeShop(app, db);
    const stranger = await makeLeader(app, db, elsewhere.shopId);
    // opened /live/<id>?ref=<code> directly (not through /s/<code>): no click was recorded
    const direct = await makeBuyer(app, '直接打开');
    const joined = await direct.post(`/api/shops/${shop.shopId}/members`, { ref: li.code });
    expect(joined.status).toBe(201);
    expect(((await joined.json()) as { membership: Membership }).membership.leader?.id).toBe(
      li.leaderId,
    );
    // another shop's leader code credits nobody here
    const misled = await makeBuyer(app, '走错门');
    const other = await misled.post(`/api/shops/${shop.shopId}/members`, { ref: stranger.code });
    expect(other.status).toBe(201);
    expect(((await other.json()) as { membership: Membership }).membership.leader).toBeNull();
    // a malformed code is refused, and nothing is joined
    const typo = await makeBuyer(app, '手滑');
    const bad = await typo.post(`/api/shops/${shop.shopId}/members`, { ref: 'no spaces!' });
    expect(bad.status).toBe(400);
    expect((await mine(typo, shop.shopId)).member).toBe(false);
  });

  it("answers bad input with a 4xx: no session, unknown shop, a body, the owner's own shop", async () => {
    const shop = await makeShop(app, db);
    const stranger = new Client(app);
    expect((await stranger.post(`/api/shops/${shop.shopId}/members`)).status).toBe(401);
    const guest = await makeBuyer(app);
    const notUuid = await guest.post('/api/shops/not-a-shop/members');
    expect(notUuid.status).toBe(400);
    expect(((await notUuid.json()) as { error: { code: string } }).error.code).toBe(
      'validation_failed',
    );
    const unknown = await guest.post('/api/shops/00000000-0000-4000-8000-000000000000/members');
    expect(unknown.status).toBe(404);
    expect((await guest.post(`/api/shops/${shop.shopId}/members`, { leaderId: 'x' })).status).toBe(
      400,
    );
    const own = await shop.owner.post(`/api/shops/${shop.shopId}/members`);
    expect(own.status).toBe(400);
    expect((await stranger.request('DELETE', `/api/shops/${shop.shopId}/members`)).status).toBe(
      401,
    );
    expect((await guest.get('/api/shops/nope/members/me')).status).toBe(400);
  });
});

describe("the owner's member list", () => {
  it('shows each member with the leader who brought them, when they joined and their orders here', async () => {
    const shop = await makeShop(app, db);
    const li = await makeLeader(app, db, shop.shopId);
    const offerId = await makeOffer(db, shop, { quantity: 100 });
    const buyer = await makeBuyer(app, '陈阿姨');
    await openLink(buyer, li.code);
    await join(buyer, shop.shopId);
    expect((await order(buyer, shop.streamId, { offerId })).status).toBe(201);
    expect((await order(buyer, shop.streamId, { offerId })).status).toBe(201);
    const quiet = await makeBuyer(app, '不买的邻居');
    await join(quiet, shop.shopId);

    const res = await shop.owner.get(`/api/shops/${shop.shopId}/members`);
    expect(res.status).toBe(200);
    const { members } = (await res.json()) as {
      members: {
        userId: string;
        name: string;
        leader: { id: string } | null;
        joinedAt: string;
        orders: number;
      }[];
    };
    expect(members).toHaveLength(2);
    expect(members.find((m) => m.name === '陈阿姨')).toMatchObject({
      leader: { id: li.leaderId, displayName: '康健新村 李姐' },
      joinedAt: expect.any(String),
      orders: 2,
    });
    expect(members.find((m) => m.name === '不买的邻居')).toMatchObject({ leader: null, orders: 0 });
    // newest first
    expect(members[0]?.name).toBe('不买的邻居');
  });

  it('is the owner’s alone', async () => {
    const shop = await makeShop(app, db);
    const other = await resident(app, '隔壁');
    expect((await other.client.get(`/api/shops/${shop.shopId}/members`)).status).toBe(403);
    const leader = await makeLeader(app, db, shop.shopId);
    expect((await leader.client.get(`/api/shops/${shop.shopId}/members`)).status).toBe(403);
    expect((await new Client(app).get(`/api/shops/${shop.shopId}/members`)).status).toBe(401);
  });
});

describe('members-only streams', () => {
  it('gives viewer tokens to members, the owner and moderators; others get 403 members_only', async () => {
    const shop = await makeShop(app, db);
    const planned = await plannedStream(shop.owner, shop.shopId, { title: '会员专场' });
    const set = await edit(shop.owner, planned, { visibility: 'members' });
    expect(set.status).toBe(200);
    expect(((await set.json()) as { stream: { visibility: string } }).stream.visibility).toBe(
      'members',
    );
    const res = await shop.owner.post(`/api/streams/${planned}/start`);
    expect(res.status).toBe(200);

    const stranger = await makeBuyer(app, '陌生人');
    const refused = await stranger.post(`/api/streams/${planned}/token`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('members_only');
    const anonymous = await new Client(app).post(`/api/streams/${planned}/token`);
    expect(anonymous.status).toBe(403);

    expect((await join(stranger, shop.shopId)).status).toBe(201);
    const allowed = await stranger.post(`/api/streams/${planned}/token`);
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toMatchObject({ role: 'viewer', token: expect.any(String) });

    const owner = await shop.owner.post(`/api/streams/${planned}/token`);
    expect(owner.status).toBe(200);
    expect(((await owner.json()) as { role: string }).role).toBe('host');

    const mod = await resident(app, '管理员');
    expect(
      (await shop.owner.post(`/api/shops/${shop.shopId}/moderators`, { userId: mod.userId }))
        .status,
    ).toBe(201);
    expect((await mod.client.post(`/api/streams/${planned}/token`)).status).toBe(200);

    // public streams stay open to everyone
    const open = await liveStream(shop.owner, shop.shopId);
    expect((await new Client(app).post(`/api/streams/${open}/token`)).status).toBe(200);

    // visibility is set while planning: once live it cannot change
    const late = await edit(shop.owner, planned, { visibility: 'public' });
    expect(late.status).toBe(409);
  });

  it('keeps its replay (playlist, media files, comments) for those who could watch it live', async () => {
    const shop = await makeShop(app, db);
    const planned = await plannedStream(shop.owner, shop.shopId, { title: '会员回放' });
    expect((await edit(shop.owner, planned, { visibility: 'members' })).status).toBe(200);
    expect((await shop.owner.post(`/api/streams/${planned}/start`)).status).toBe(200);
    expect((await shop.owner.post(`/api/streams/${planned}/end`)).status).toBe(200);

    const replay = [
      `/api/streams/${planned}/replay/comments`,
      `/api/streams/${planned}/replay/index.m3u8`,
      `/api/streams/${planned}/replay/${planned}/index.m3u8`,
    ];
    const codes = async (client: Client) => {
      const out = [];
      for (const path of replay) {
        const res = await client.get(path);
        out.push(
          res.status === 403
            ? ((await res.json()) as { error: { code: string } }).error.code
            : 'open',
        );
      }
      return out;
    };
    const stranger = await makeBuyer(app, '路人');
    expect(await codes(stranger)).toEqual(['members_only', 'members_only', 'members_only']);
    expect(await codes(new Client(app))).toEqual(['members_only', 'members_only', 'members_only']);
    // a member gets past the check (this app runs no recorder, so the media is not found)
    expect((await join(stranger, shop.shopId)).status).toBe(201);
    expect(await codes(stranger)).toEqual(['open', 'open', 'open']);
    expect((await stranger.get(replay[0]!)).status).toBe(200);
    expect(await codes(shop.owner)).toEqual(['open', 'open', 'open']);
  });

  it('is listed on the shop page only to members and the owner', async () => {
    const shop = await makeShop(app, db);
    const secret = await plannedStream(shop.owner, shop.shopId, { title: '会员预告' });
    expect((await edit(shop.owner, secret, { visibility: 'members' })).status).toBe(200);

    const ids = async (client: Client) => {
      const res = await client.get(`/api/shops/${shop.slug}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as {
        streams: { id: string; visibility: string }[];
        membership: Membership;
      };
      return { ids: page.streams.map((s) => s.id), member: page.membership.member };
    };
    const visitor = await ids(new Client(app));
    expect(visitor.ids).not.toContain(secret);
    expect(visitor.ids).toContain(shop.streamId);
    expect(visitor.member).toBe(false);

    const guest = await makeBuyer(app);
    expect((await ids(guest)).ids).not.toContain(secret);
    await join(guest, shop.shopId);
    expect(await ids(guest)).toEqual({ ids: expect.arrayContaining([secret]), member: true });
    expect((await ids(shop.owner)).ids).toContain(secret);
  });

  it('refuses an unknown visibility', async () => {
    const shop = await makeShop(app, db);
    const planned = await plannedStream(shop.owner, shop.shopId);
    const res = await edit(shop.owner, planned, { visibility: 'secret' });
    expect(res.status).toBe(400);
    const stream = await db
      .selectFrom('streams')
      .select('visibility')
      .where('id', '=', planned)
      .executeTakeFirstOrThrow();
    expect(stream.visibility).toBe('public');
  });
});
