import { afterAll, describe, expect, it } from 'vitest';
import { attributeOrder } from '../../server/services/attribution.service';
import { buildTestApp, Client, ORIGIN } from '../helpers/app';
import { makeAccount, makeShopWithStream } from '../helpers/factories';

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

interface Invite {
  id: string;
  status: string;
  commissionRate: number;
  note: string | null;
  expiresAt: string;
  leaderId: string | null;
  leaderName: string | null;
}
interface Leader {
  id: string;
  userId: string;
  status: string;
  code: string | null;
  commissionRate: number | null;
  displayName: string;
  community: string | null;
  pickupAddress: string | null;
}

async function signedIn(user: { email: string; password: string }) {
  const client = new Client(app);
  const res = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(res.status).toBe(200);
  return client;
}

async function resident(name = '居民') {
  const user = await makeAccount(db, name);
  return { user, client: await signedIn(user) };
}

async function ownerWithShop() {
  const owner = await makeAccount(db, '店主');
  const { shop } = await makeShopWithStream(db, owner.id, 'scheduled');
  return { owner, shop, ownerClient: await signedIn(owner) };
}

async function invite(
  ownerClient: Client,
  shopId: string,
  body: object = { commissionRate: 0.12, note: '3 号楼王阿姨' },
) {
  const res = await ownerClient.post(`/api/shops/${shopId}/leader-invites`, body);
  expect(res.status, await res.clone().text()).toBe(201);
  const created = (await res.json()) as { invite: Invite; link: string };
  const token = created.link.split('/invite/')[1] ?? '';
  return { ...created, token };
}

const profile = {
  displayName: '王阿姨',
  community: '康健新村',
  pickupAddress: '3 号楼门卫室',
  pickupHours: '每天 17:00–20:00',
};

async function accept(client: Client, token: string, body: object = profile) {
  const res = await client.post(`/api/invites/${token}/accept`, body);
  return {
    status: res.status,
    body: (await res.json()) as { leader?: Leader; error?: { code: string } },
  };
}

async function leadersOf(shopId: string) {
  return db.selectFrom('leaders').selectAll().where('shop_id', '=', shopId).execute();
}

async function inviteRow(id: string) {
  return db.selectFrom('leader_invites').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('inviting a leader by link', () => {
  it('creates a link whose token is not stored, previews it, and accepting makes an approved leader like an approval does', async () => {
    const { shop, ownerClient } = await ownerWithShop();
    const created = await invite(ownerClient, shop.id);
    expect(created.link).toMatch(new RegExp(`^${ORIGIN}/invite/[a-z2-7]{32}$`));
    expect(created.invite).toMatchObject({
      status: 'open',
      commissionRate: 0.12,
      note: '3 号楼王阿姨',
      leaderId: null,
    });
    // expires in 7 days by default
    const days = (Date.parse(created.invite.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    // only a hash of the token is kept
    const row = await inviteRow(created.invite.id);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.token);

    // the owner sees it among the shop's invitations
    const list = await ownerClient.get(`/api/shops/${shop.id}/leader-invites`);
    expect(((await list.json()) as { invites: Invite[] }).invites).toMatchObject([
      { id: created.invite.id, status: 'open' },
    ]);

    // anyone holding the link sees the shop and the rate, before signing in
    const preview = await new Client(app).get(`/api/invites/${created.token}`);
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({
      invite: {
        shop: { id: shop.id, slug: shop.slug, name: shop.name },
        commissionRate: 0.12,
        note: '3 号楼王阿姨',
        viewer: null,
      },
    });
    const { user, client } = await resident('王阿姨');
    expect(await (await client.get(`/api/invites/${created.token}`)).json()).toMatchObject({
      invite: { viewer: { owner: false, leaderStatus: null, acceptedByYou: false } },
    });

    // signed out, the link cannot be accepted
    expect((await accept(new Client(app), created.token)).status).toBe(401);

    const accepted = await accept(client, created.token);
    expect(accepted.status).toBe(200);
    expect(accepted.body.leader).toMatchObject({
      userId: user.id,
      status: 'approved',
      code: expect.stringMatching(/^[a-z2-7]{8}$/),
      commissionRate: 0.12,
      displayName: '王阿姨',
      community: '康健新村',
      pickupAddress: '3 号楼门卫室',
    });
    const leader = accepted.body.leader!;

    // the leader centre has the link, as for an approved application
    const me = (await (await client.get('/api/leader/me')).json()) as {
      memberships: { leaderId: string; status: string; link: string }[];
    };
    expect(me.memberships).toMatchObject([
      { leaderId: leader.id, status: 'approved', link: `${ORIGIN}/s/${leader.code}` },
    ]);
    // the leader's point is offered as a pickup point
    const points = await ownerClient.get(`/api/shops/${shop.id}/pickup-points`);
    expect(JSON.stringify(await points.json())).toContain(leader.id);
    // orders through the link earn at the invited rate
    const buyer = await makeAccount(db, '买家');
    expect(
      await attributeOrder(db, {
        shopId: shop.id,
        attributionDays: 7,
        buyerId: buyer.id,
        visitorKey: null,
        ref: leader.code ?? '',
      }),
    ).toMatchObject({ leaderId: leader.id, rate: '0.1200' });

    // the owner sees who accepted it
    const after = (await (
      await ownerClient.get(`/api/shops/${shop.id}/leader-invites`)
    ).json()) as {
      invites: Invite[];
    };
    expect(after.invites[0]).toMatchObject({
      status: 'accepted',
      leaderId: leader.id,
      leaderName: '王阿姨',
    });
    // the person who accepted can still open the link; anyone else is told it is used
    expect(await (await client.get(`/api/invites/${created.token}`)).json()).toMatchObject({
      invite: { viewer: { acceptedByYou: true, leaderStatus: 'approved' } },
    });
    const used = await new Client(app).get(`/api/invites/${created.token}`);
    expect(used.status).toBe(409);
    expect(await used.json()).toMatchObject({ error: { code: 'invite_used' } });
  });

  it('is single use: accepting twice, by the same person or another, leaves one leader', async () => {
    const { shop, ownerClient } = await ownerWithShop();
    const { token, invite: created } = await invite(ownerClient, shop.id);
    const first = await resident();
    expect((await accept(first.client, token)).status).toBe(200);
    expect(await accept(first.client, token)).toMatchObject({
      status: 409,
      body: { error: { code: 'invite_used' } },
    });
    const second = await resident();
    expect(await accept(second.client, token)).toMatchObject({
      status: 409,
      body: { error: { code: 'invite_used' } },
    });
    expect(await leadersOf(shop.id)).toHaveLength(1);
    expect((await inviteRow(created.id)).accepted_by).toBe(first.user.id);
  });
});

describe('single use under concurrency (real PostgreSQL)', () => {
  it('eight residents accepting one link at the same moment make exactly one leader', async () => {
    const { shop, ownerClient } = await ownerWithShop();
    const { token, invite: created } = await invite(ownerClient, shop.id);
    const residents = await Promise.all(Array.from({ length: 8 }, (_, i) => resident(`邻居${i}`)));
    const answers = await Promise.all(residents.map((r) => accept(r.client, token)));
    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    for (const lost of answers.filter((a) => a.status !== 200)) {
      expect(lost).toMatchObject({ status: 409, body: { error: { code: 'invite_used' } } });
    }
    const leaders = await leadersOf(shop.id);
    expect(leaders).toHaveLength(1);
    expect(leaders[0]).toMatchObject({ status: 'approved', commission_rate: '0.1200' });
    const row = await inviteRow(created.id);
    expect(row.accepted_by).toBe(leaders[0]!.user_id);
    expect(row.leader_id).toBe(leaders[0]!.id);
  });

  it('one resident double-tapping accept, and accepting two links at once, is one leader', async () => {
    const { shop, ownerClient } = await ownerWithShop();
    const one = await invite(ownerClient, shop.id);
    const { client } = await resident();
    const taps = await Promise.all(Array.from({ length: 4 }, () => accept(client, one.token)));
    expect(taps.filter((a) => a.status === 200)).toHaveLength(1);
    expect(taps.filter((a) => a.status === 409)).toHaveLength(3);
    expect(await leadersOf(shop.id)).toHaveLength(1);

    // two different links of one shop at once: one makes the leader, the other stays open
    const { shop: shop2, ownerClient: owner2 } = await ownerWithShop();
    const [a, b] = [await invite(owner2, shop2.id), await invite(owner2, shop2.id)];
    const someone = await resident();
    const both = await Promise.all([
      accept(someone.client, a.token),
      accept(someone.client, b.token),
    ]);
    expect(both.map((x) => x.status).sort()).toEqual([200, 409]);
    expect(both.find((x) => x.status === 409)?.body.error?.code).toBe('already_leader');
    expect(await leadersOf(shop2.id)).toHaveLength(1);
    const statuses = (
      (await (await owner2.get(`/api/shops/${shop2.id}/leader-invites`)).json()) as {
        invites: Invite[];
      }
    ).invites.map((i) => i.status);
    expect(statuses.sort()).toEqual(['accepted', 'open']);
  });

  it('a revoke racing an acceptance: either the leader exists and the revoke is refused, or neither', async () => {
    const { shop, ownerClient } = await ownerWithShop();
    const { token, invite: created } = await invite(ownerClient, shop.id);
    const { client } = await resident();
    const [accepted, revoked] = await Promise.all([
      accept(client, token),
      ownerClient.post(`/api/shops/${shop.id}/leader-invites/${created.id}/revoke`),
    ]);
    const leaders = await leadersOf(shop.id);
    const row = await inviteRow(created.id);
    if (accepted.status === 200) {
      expect(revoked.status).toBe(409);
      expect(leaders).toHaveLength(1);
      expect(row.revoked_at).toBeNull();
    } else {
      expect(accepted).toMatchObject({ status: 410, body: { error: { code: 'invite_revoked' } } });
      expect(revoked.status).toBe(200);
      expect(leaders).toHaveLength(0);
      expect(row.accepted_at).toBeNull();
    }
  });
});

describe('closed invitations', () => {
  it('an expired link says so and makes no leader', async () => {
    const { shop, ownerClient } = await ownerWithShop();
    const { token, invite: created } = await invite(ownerClient, shop.id, {
      commissionRate: 0.1,
      expiresInDays: 1,
    });
    await db
      .updateTable('leader_invites')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', created.id)
      .execute();
    const { client } = await resident();
    const preview = await client.get(`/api/invites/${token}`);
    expect(preview.status).toBe(410);
    expect(await preview.json()).toMatchObject({ error: { code: 'invite_expired' } });
    expect(await accept(client, token)).toMatchObject({
      status: 410,
      body: { error: { code: 'invite_expired' } },
    });
    expect(await leadersOf(shop.id)).toHaveLength(0);
    const list = (await (await ownerClient.get(`/api/shops/${shop.id}/leader-invites`)).json()) as {
      invites: Invite[];
    };
    expect(list.invites[0]?.status).toBe('expired');
  });

  it('a revoked link says so; an accepted one cannot be revoked', async () => {
    const { shop, ownerClient } = await ownerWithShop();
    const { token, invite: created } = await invite(ownerClient, shop.id);
    const revoke = await ownerClient.post(
      `/api/shops/${shop.id}/leader-invites/${created.id}/revoke`,
    );
    expect(revoke.status).toBe(200);
    expect(await revoke.json()).toMatchObject({ invite: { id: created.id, status: 'revoked' } });
    const { client } = await resident();
    expect((await client.get(`/api/invites/${token}`)).status).toBe(410);
    expect(await accept(client, token)).toMatchObject({
      status: 410,
      body: { error: { code: 'invite_revoked' } },
    });
    expect(await leadersOf(shop.id)).toHaveLength(0);

    const other = await invite(ownerClient, shop.id);
    expect((await accept(client, other.token)).status).toBe(200);
    const late = await ownerClient.post(
      `/api/shops/${shop.id}/leader-invites/${other.invite.id}/revoke`,
    );
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ error: { code: 'invite_used' } });
  });

  it('an unknown or malformed token is a 404', async () => {
    const client = new Client(app);
    for (const token of ['a'.repeat(32), 'not-a-token', '%3Cscript%3E']) {
      const res = await client.get(`/api/invites/${token}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    const { client: signed } = await resident();
    expect((await accept(signed, 'b'.repeat(32))).status).toBe(404);
  });
});

describe('who may do what', () => {
  it('only the owner creates, lists and revokes; others get 403, unknown shops 404', async () => {
    const { shop, ownerClient } = await ownerWithShop();
    const { invite: created } = await invite(ownerClient, shop.id);
    const { client: stranger } = await resident('别家店主');
    expect(
      (await stranger.post(`/api/shops/${shop.id}/leader-invites`, { commissionRate: 1 })).status,
    ).toBe(403);
    expect((await stranger.get(`/api/shops/${shop.id}/leader-invites`)).status).toBe(403);
    expect(
      (await stranger.post(`/api/shops/${shop.id}/leader-invites/${created.id}/revoke`)).status,
    ).toBe(403);
    const signedOut = new Client(app);
    expect((await signedOut.get(`/api/shops/${shop.id}/leader-invites`)).status).toBe(401);
    expect(
      (await signedOut.post(`/api/shops/${shop.id}/leader-invites`, { commissionRate: 0.1 }))
        .status,
    ).toBe(401);
    const guest = new Client(app);
    await guest.post('/api/auth/guest', { name: '游客' });
    expect((await guest.get(`/api/shops/${shop.id}/leader-invites`)).status).toBe(403);

    const missing = crypto.randomUUID();
    expect(
      (await ownerClient.post(`/api/shops/${missing}/leader-invites`, { commissionRate: 0.1 }))
        .status,
    ).toBe(404);
    expect((await ownerClient.get(`/api/shops/${missing}/leader-invites`)).status).toBe(404);
    // another shop's invitation cannot be revoked through this shop
    const elsewhere = await ownerWithShop();
    const theirs = await invite(elsewhere.ownerClient, elsewhere.shop.id);
    expect(
      (await ownerClient.post(`/api/shops/${shop.id}/leader-invites/${theirs.invite.id}/revoke`))
        .status,
    ).toBe(404);
    expect((await inviteRow(theirs.invite.id)).revoked_at).toBeNull();
    expect((await inviteRow(created.id)).revoked_at).toBeNull();
  });

  it('the owner cannot accept their own shop’s invitation, nor can a guest; the link stays open', async () => {
    const { owner, shop, ownerClient } = await ownerWithShop();
    const { token } = await invite(ownerClient, shop.id);
    expect(await (await ownerClient.get(`/api/invites/${token}`)).json()).toMatchObject({
      invite: { viewer: { owner: true } },
    });
    expect(await accept(ownerClient, token)).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    const guest = new Client(app);
    await guest.post('/api/auth/guest', { name: '游客' });
    expect((await accept(guest, token)).status).toBe(403);
    expect(await leadersOf(shop.id)).toHaveLength(0);
    const { client } = await resident();
    expect((await accept(client, token)).status).toBe(200);
    expect((await leadersOf(shop.id)).map((l) => l.user_id)).not.toContain(owner.id);
  });

  it('refuses bad input with 400', async () => {
    const { shop, ownerClient } = await ownerWithShop();
    for (const body of [
      {},
      { commissionRate: 1.5 },
      { commissionRate: -0.1 },
      { commissionRate: '0.1' },
      { commissionRate: 0.1, expiresInDays: 0 },
      { commissionRate: 0.1, expiresInDays: 31 },
      { commissionRate: 0.1, expiresInDays: 2.5 },
      { commissionRate: 0.1, note: '' },
      { commissionRate: 0.1, note: 'x'.repeat(61) },
      { commissionRate: 0.1, note: 'a\u0000b' },
      { commissionRate: 0.1, shopId: shop.id },
    ]) {
      const res = await ownerClient.post(`/api/shops/${shop.id}/leader-invites`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const { token } = await invite(ownerClient, shop.id);
    const { client } = await resident();
    for (const body of [
      {},
      { displayName: '' },
      { displayName: 'x'.repeat(41) },
      { ...profile, rate: 1 },
    ]) {
      expect((await accept(client, token, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await leadersOf(shop.id)).toHaveLength(0);
  });
});

describe('someone who already has a membership', () => {
  async function member(status: 'pending' | 'approved' | 'suspended' | 'declined') {
    const { shop, ownerClient } = await ownerWithShop();
    const { user, client } = await resident('老邻居');
    const applied = await client.post(`/api/shops/${shop.id}/leaders/apply`, {
      displayName: '老邻居',
      community: '旧小区',
    });
    const { leader } = (await applied.json()) as { leader: Leader };
    if (status !== 'pending') {
      const action = status === 'declined' ? 'decline' : 'approve';
      await ownerClient.post(
        `/api/shops/${shop.id}/leaders/${leader.id}/${action}`,
        action === 'approve' ? { commissionRate: 0.05 } : undefined,
      );
      if (status === 'suspended')
        await ownerClient.post(`/api/shops/${shop.id}/leaders/${leader.id}/suspend`);
    }
    const created = await invite(ownerClient, shop.id);
    const before = (await leadersOf(shop.id))[0]!;
    expect(before.status).toBe(status);
    return { shop, ownerClient, user, client, leader, created, before };
  }

  it('a pending applicant is approved at the invited rate with the details given now', async () => {
    const { shop, client, leader, created } = await member('pending');
    expect(await (await client.get(`/api/invites/${created.token}`)).json()).toMatchObject({
      invite: { viewer: { leaderStatus: 'pending' } },
    });
    const accepted = await accept(client, created.token);
    expect(accepted.status).toBe(200);
    expect(accepted.body.leader).toMatchObject({
      id: leader.id,
      status: 'approved',
      commissionRate: 0.12,
      code: expect.stringMatching(/^[a-z2-7]{8}$/),
      displayName: '王阿姨',
      community: '康健新村',
    });
    expect(await leadersOf(shop.id)).toHaveLength(1);
  });

  it('a declined applicant the owner now invites is approved', async () => {
    const { client, created } = await member('declined');
    expect(await accept(client, created.token)).toMatchObject({
      status: 200,
      body: { leader: { status: 'approved', commissionRate: 0.12 } },
    });
  });

  it('an approved leader is told so, keeps their rate and code, and the link stays open', async () => {
    const { shop, client, created, before } = await member('approved');
    expect(await accept(client, created.token)).toMatchObject({
      status: 409,
      body: { error: { code: 'already_leader' } },
    });
    const after = (await leadersOf(shop.id))[0]!;
    expect(after).toMatchObject({
      code: before.code,
      commission_rate: '0.0500',
      status: 'approved',
    });
    expect((await inviteRow(created.invite.id)).accepted_at).toBeNull();
  });

  it('a suspended leader is refused (only the owner reinstates) and the link stays open', async () => {
    const { shop, client, created } = await member('suspended');
    expect(await accept(client, created.token)).toMatchObject({
      status: 403,
      body: { error: { code: 'leader_suspended' } },
    });
    expect((await leadersOf(shop.id))[0]?.status).toBe('suspended');
    expect((await inviteRow(created.invite.id)).accepted_at).toBeNull();
    // someone else can still use it
    const { client: other } = await resident();
    expect((await accept(other, created.token)).status).toBe(200);
  });
});

describe('API description', () => {
  it('lists the invitation routes', async () => {
    const doc = (await (await new Client(app).get('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/shops/{shopId}/leader-invites',
        '/api/shops/{shopId}/leader-invites/{inviteId}/revoke',
        '/api/invites/{token}',
        '/api/invites/{token}/accept',
      ]),
    );
  });
});
