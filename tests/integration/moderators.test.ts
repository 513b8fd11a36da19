import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAccount, makeShopWithStream } from '../helpers/factories';
import type { serveTestApp } from '../helpers/app';
import { sessionCookie } from '../helpers/app';
import { joinStream, serveLiveStream } from '../helpers/socket-room';
import { ask, collect, until, type TestSocket } from '../helpers/sockets';

// Moderators (issue 15): the owner appoints them per shop; they delete comments, mute and
// remove, over the socket and over HTTP, but never pin, sell, start or end. Comments of the
// owner, co-hosts and moderators carry a role the server decides.

let served: Awaited<ReturnType<typeof serveTestApp>>;
let owner: Awaited<ReturnType<typeof makeAccount>>;
let ownerCookie: string;
let shopId: string;
let streamId: string;
const sockets: TestSocket[] = [];

async function http(cookie: string | null, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { origin: served.url };
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${served.url}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

async function account(name: string) {
  const user = await makeAccount(served.db, name);
  return { id: user.id, cookie: await sessionCookie(served.url, user) };
}

async function guest(name: string) {
  const cookie = await sessionCookie(served.url, { guest: name });
  const me = (await (await http(cookie, 'GET', '/api/me')).json()) as { user: { id: string } };
  return { id: me.user.id, cookie };
}

const joined = (cookie: string, stream = streamId) =>
  joinStream(served.url, cookie, stream, sockets);

async function appoint(userId: string, shop = shopId) {
  return http(ownerCookie, 'POST', `/api/shops/${shop}/moderators`, { userId });
}

beforeAll(async () => {
  ({ served, owner, ownerCookie, shopId, streamId } = await serveLiveStream());
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await served.close();
});

describe('appointing moderators', () => {
  it('lets the owner appoint, list and dismiss them; appointing twice changes nothing', async () => {
    const mod = await account('李姐');
    const first = await appoint(mod.id);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({
      moderator: { userId: mod.id, name: '李姐', appointedAt: expect.any(String) },
    });
    expect((await appoint(mod.id)).status).toBe(201);

    const list = await http(ownerCookie, 'GET', `/api/shops/${shopId}/moderators`);
    expect(list.status).toBe(200);
    const { moderators } = (await list.json()) as { moderators: { userId: string }[] };
    expect(moderators.filter((m) => m.userId === mod.id)).toHaveLength(1);

    expect(
      (await http(ownerCookie, 'DELETE', `/api/shops/${shopId}/moderators/${mod.id}`)).status,
    ).toBe(204);
    expect(
      (await http(ownerCookie, 'DELETE', `/api/shops/${shopId}/moderators/${mod.id}`)).status,
    ).toBe(404);
    const after = (await (
      await http(ownerCookie, 'GET', `/api/shops/${shopId}/moderators`)
    ).json()) as {
      moderators: { userId: string }[];
    };
    expect(after.moderators.some((m) => m.userId === mod.id)).toBe(false);
  });

  it('refuses everyone but the owner (403), visitors (401), guests and unknown users', async () => {
    const mod = await account('管理员');
    expect((await appoint(mod.id)).status).toBe(201);
    const stranger = await account('路人');
    for (const cookie of [stranger.cookie, mod.cookie]) {
      expect((await http(cookie, 'GET', `/api/shops/${shopId}/moderators`)).status).toBe(403);
      expect(
        (await http(cookie, 'POST', `/api/shops/${shopId}/moderators`, { userId: stranger.id }))
          .status,
      ).toBe(403);
      expect(
        (await http(cookie, 'DELETE', `/api/shops/${shopId}/moderators/${mod.id}`)).status,
      ).toBe(403);
    }
    expect((await http(null, 'GET', `/api/shops/${shopId}/moderators`)).status).toBe(401);

    const visitor = await guest('游客');
    const refusedGuest = await appoint(visitor.id);
    expect(refusedGuest.status).toBe(400);
    expect(await refusedGuest.json()).toMatchObject({ error: { code: 'bad_request' } });
    expect((await appoint('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await appoint(owner.id)).status).toBe(400);
    expect((await appoint('not-a-uuid')).status).toBe(400);
    expect(
      (
        await http(ownerCookie, 'POST', `/api/shops/${shopId}/moderators`, {
          userId: mod.id,
          role: 'owner',
        })
      ).status,
    ).toBe(400);
  });
});

describe('what a moderator may do', () => {
  it('deletes comments and mutes over the socket', async () => {
    const mod = await account('张管理');
    await appoint(mod.id);
    const moderator = await joined(mod.cookie);
    expect(moderator.answer).toMatchObject({
      canModerate: true,
      role: 'moderator',
      userId: mod.id,
    });

    const troll = await guest('捣乱的');
    const trollSocket = await joined(troll.cookie);
    expect(trollSocket.answer).toMatchObject({ canModerate: false, role: null });
    const seen = collect(moderator.socket, 'comment:new');
    const deleted = collect(moderator.socket, 'comment:deleted');
    const sent = (await ask(trollSocket.socket, 'comment:send', { text: '广告广告' })) as {
      id: string;
    };
    await until(() => seen.some((c) => c.id === sent.id), 5000, 'comment at the moderator');

    expect(await ask(moderator.socket, 'comment:delete', { id: sent.id })).toMatchObject({
      ok: true,
    });
    await until(() => deleted.some((d) => d.id === sent.id), 5000, 'deletion announced');

    const muted = collect(trollSocket.socket, 'user:muted');
    expect(
      await ask(moderator.socket, 'user:mute', { userId: troll.id, minutes: 5 }),
    ).toMatchObject({
      ok: true,
    });
    await until(() => muted.length === 1, 5000, 'mute told to the troll');
    expect(await ask(trollSocket.socket, 'comment:send', { text: '还要说' })).toMatchObject({
      error: { code: 'muted' },
    });
  });

  it('removes over the socket and over HTTP; never the owner, nor another moderator', async () => {
    const mod = await account('赵管理');
    await appoint(mod.id);
    const moderator = await joined(mod.cookie);

    const one = await guest('第一个');
    const oneSocket = await joined(one.cookie);
    const removedSeen = collect(oneSocket.socket, 'user:removed');
    expect(await ask(moderator.socket, 'user:remove', { userId: one.id })).toMatchObject({
      ok: true,
    });
    await until(() => removedSeen.some((r) => r.userId === one.id), 5000, 'removal told');
    expect(await ask(oneSocket.socket, 'comment:send', { text: '我回来了' })).toMatchObject({
      error: { code: 'participant_removed' },
    });

    const two = await guest('第二个');
    const viaHttp = await http(
      mod.cookie,
      'POST',
      `/api/streams/${streamId}/participants/${two.id}/remove`,
    );
    expect(viaHttp.status).toBe(204);
    const token = await http(two.cookie, 'POST', `/api/streams/${streamId}/token`, {});
    expect(token.status).toBe(403);
    expect(await token.json()).toMatchObject({ error: { code: 'participant_removed' } });

    expect(
      (await http(mod.cookie, 'POST', `/api/streams/${streamId}/participants/${owner.id}/remove`))
        .status,
    ).toBe(400);
    expect(
      await ask(moderator.socket, 'user:mute', { userId: owner.id, minutes: 5 }),
    ).toMatchObject({
      error: { code: 'bad_request' },
    });
    const other = await account('钱管理');
    await appoint(other.id);
    expect(
      (await http(mod.cookie, 'POST', `/api/streams/${streamId}/participants/${other.id}/remove`))
        .status,
    ).toBe(403);
    expect(
      await ask(moderator.socket, 'user:mute', { userId: other.id, minutes: 5 }),
    ).toMatchObject({
      error: { code: 'forbidden' },
    });

    // a plain resident may not remove anyone
    const resident = await account('普通居民');
    const three = await guest('第三个');
    expect(
      (
        await http(
          resident.cookie,
          'POST',
          `/api/streams/${streamId}/participants/${three.id}/remove`,
        )
      ).status,
    ).toBe(403);
  });

  it('cannot pin, sell, start or end (403), and the owner still can pin', async () => {
    const mod = await account('孙管理');
    await appoint(mod.id);
    const product = await http(ownerCookie, 'POST', `/api/shops/${shopId}/products`, {
      name: '草莓',
      priceCents: 2000,
      stock: 50,
    });
    expect(product.status).toBe(201);
    const { product: p } = (await product.json()) as { product: { id: string } };
    const offerRes = await http(ownerCookie, 'POST', `/api/streams/${streamId}/offers`, {
      productId: p.id,
      priceCents: 1500,
      quantity: 10,
    });
    expect(offerRes.status).toBe(201);
    const { offer } = (await offerRes.json()) as { offer: { id: string } };

    expect(
      (await http(mod.cookie, 'POST', `/api/streams/${streamId}/offers/${offer.id}/pin`)).status,
    ).toBe(403);
    expect(
      (
        await http(mod.cookie, 'POST', `/api/streams/${streamId}/offers`, {
          productId: p.id,
          priceCents: 1,
          quantity: 1,
        })
      ).status,
    ).toBe(403);
    expect((await http(mod.cookie, 'POST', `/api/streams/${streamId}/end`)).status).toBe(403);
    const { stream: planned } = await makeShopWithStream(served.db, owner.id, 'scheduled');
    await appoint(mod.id, planned.shop_id);
    expect((await http(mod.cookie, 'POST', `/api/streams/${planned.id}/start`)).status).toBe(403);
    expect(
      (await http(mod.cookie, 'POST', `/api/streams/${streamId}/cohosts`, { userId: mod.id }))
        .status,
    ).toBe(403);

    expect(
      (await http(ownerCookie, 'POST', `/api/streams/${streamId}/offers/${offer.id}/pin`)).status,
    ).toBe(200);
  });

  it('stops once dismissed, and the page hears of it', async () => {
    const mod = await account('周管理');
    await appoint(mod.id);
    const moderator = await joined(mod.cookie);
    const changes = collect(moderator.socket, 'moderator:changed');
    expect(
      (await http(ownerCookie, 'DELETE', `/api/shops/${shopId}/moderators/${mod.id}`)).status,
    ).toBe(204);
    await until(
      () => changes.some((c) => c.userId === mod.id && !c.moderator),
      5000,
      'dismissal told',
    );
    const troll = await guest('又来了');
    expect(
      await ask(moderator.socket, 'user:mute', { userId: troll.id, minutes: 5 }),
    ).toMatchObject({
      error: { code: 'forbidden' },
    });
  });
});

describe('badges', () => {
  it('carry the role the server decides: owner, co-host, moderator; null for a guest named 王老板', async () => {
    const mod = await account('吴管理');
    await appoint(mod.id);
    const cohost = await account('团长小陈');
    await served.db
      .insertInto('stream_cohosts')
      .values({
        stream_id: streamId,
        user_id: cohost.id,
        invited_by: owner.id,
        status: 'accepted',
        accepted_at: new Date(),
      })
      .execute();
    const impostor = await guest('王老板');

    const listener = await joined((await guest('听众')).cookie);
    const seen = collect(listener.socket, 'comment:new');
    const speakers = [
      { cookie: ownerCookie, text: '店主说话', role: 'owner' },
      { cookie: cohost.cookie, text: '团长说话', role: 'cohost' },
      { cookie: mod.cookie, text: '管理说话', role: 'moderator' },
      { cookie: impostor.cookie, text: '我是老板', role: null },
    ];
    for (const s of speakers) {
      const { socket } = await joined(s.cookie);
      expect(await ask(socket, 'comment:send', { text: s.text })).toMatchObject({ ok: true });
    }
    await until(
      () => speakers.every((s) => seen.some((c) => c.text === s.text)),
      5000,
      'all comments',
    );
    for (const s of speakers) {
      expect(seen.find((c) => c.text === s.text)?.role).toBe(s.role);
    }
    // the badge is stored: a late joiner sees it too
    const late = await joined((await guest('晚来')).cookie);
    const history = (late.answer as { comments: { text: string; role: string | null }[] }).comments;
    expect(history.find((c) => c.text === '管理说话')?.role).toBe('moderator');
    expect(history.find((c) => c.text === '我是老板')?.role).toBeNull();

    // a client cannot claim a role: unknown fields are refused
    const { socket } = await joined(impostor.cookie);
    expect(await ask(socket, 'comment:send', { text: 'hi', role: 'owner' })).toMatchObject({
      error: { code: 'validation_failed' },
    });
  });
});

describe('blocked words', () => {
  it('apply to the very next comment after the owner saves them', async () => {
    const author = await joined((await guest('说话的')).cookie);
    expect(await ask(author.socket, 'comment:send', { text: '这个榴莲好臭' })).toMatchObject({
      ok: true,
    });
    const put = await http(ownerCookie, 'PUT', `/api/shops/${shopId}/blocked-words`, {
      words: ['榴莲'],
    });
    expect(put.status).toBe(200);
    expect(await ask(author.socket, 'comment:send', { text: '榴莲还有吗' })).toMatchObject({
      error: { code: 'comment_blocked' },
    });
    await http(ownerCookie, 'PUT', `/api/shops/${shopId}/blocked-words`, { words: [] });
    expect(await ask(author.socket, 'comment:send', { text: '榴莲还有吗' })).toMatchObject({
      ok: true,
    });
  });
});
