import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAccount, makeShopWithStream } from '../helpers/factories';
import type { serveTestApp } from '../helpers/app';
import { sessionCookie } from '../helpers/app';
import { joinStream, serveLiveStream } from '../helpers/socket-room';
import {
  ask,
  collect,
  connected,
  openSocket,
  refusal,
  until,
  type TestSocket,
} from '../helpers/sockets';

let served: Awaited<ReturnType<typeof serveTestApp>>;
let ownerCookie: string;
let shopId: string;
let streamId: string;
const sockets: TestSocket[] = [];

const joined = (cookie: string) => joinStream(served.url, cookie, streamId, sockets);

async function guest(name: string) {
  return sessionCookie(served.url, { guest: name });
}

beforeAll(async () => {
  ({ served, ownerCookie, shopId, streamId } = await serveLiveStream());
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await served.close();
});

describe('socket.io handshake', () => {
  it('lets a visitor without a session watch the room, but not post, like or moderate', async () => {
    const visitor = openSocket(served.url);
    sockets.push(visitor);
    await connected(visitor);
    const answer = await ask(visitor, 'stream:join', { streamId });
    expect(answer).toMatchObject({ ok: true, canModerate: false });
    const seen = collect(visitor, 'comment:new');

    const author = await joined(await guest('看客'));
    expect(await ask(author.socket, 'comment:send', { text: '新鲜吗' })).toMatchObject({
      ok: true,
    });
    await until(() => seen.some((c) => c.text === '新鲜吗'), 5000, 'comment at the visitor');

    expect(await ask(visitor, 'comment:send', { text: '匿名' })).toMatchObject({
      error: { code: 'unauthenticated' },
    });
    const commentId = seen.find((c) => c.text === '新鲜吗')?.id;
    expect(await ask(visitor, 'comment:delete', { id: commentId })).toMatchObject({
      error: { code: 'unauthenticated' },
    });
    // nothing the visitor tried was stored
    const stored = await served.db
      .selectFrom('comments')
      .select('text')
      .where('stream_id', '=', streamId)
      .where('text', '=', '匿名')
      .execute();
    expect(stored).toEqual([]);
  });

  it('treats a forged session cookie as no session: watch only', async () => {
    const socket = openSocket(served.url, { cookie: `linli_session=${'a'.repeat(32)}` });
    sockets.push(socket);
    await connected(socket);
    expect(await ask(socket, 'stream:join', { streamId })).toMatchObject({ ok: true });
    expect(await ask(socket, 'comment:send', { text: '伪造' })).toMatchObject({
      error: { code: 'unauthenticated' },
    });
  });

  it('refuses a foreign Origin, even with a valid session', async () => {
    const cookie = await guest('外人');
    const message = await refusal(
      openSocket(served.url, { cookie, origin: 'https://evil.example' }),
    );
    expect(message).not.toBe('');
    expect(message).not.toBe('unauthenticated');
  });

  it('lets a guest in and refuses joining a stream that does not exist', async () => {
    const socket = openSocket(served.url, { cookie: await guest('游客') });
    sockets.push(socket);
    await connected(socket);
    expect(
      await ask(socket, 'stream:join', { streamId: '00000000-0000-4000-8000-000000000000' }),
    ).toMatchObject({
      error: { code: 'not_found' },
    });
    expect(await ask(socket, 'stream:join', { streamId: 'not-a-uuid' })).toMatchObject({
      error: { code: 'validation_failed' },
    });
    // commenting before joining a stream is refused too
    expect(await ask(socket, 'comment:send', { text: 'hi' })).toMatchObject({
      error: { code: 'bad_request' },
    });
  });
});

describe('comments', () => {
  it('reach everyone in the stream and are stored for late joiners', async () => {
    const a = await joined(await guest('阿芳'));
    const b = await joined(await guest('老李'));
    const seenByB = collect(b.socket, 'comment:new');
    const answer = await ask(a.socket, 'comment:send', { text: '  草莓甜吗？ ' });
    expect(answer).toMatchObject({ ok: true, id: expect.any(String) });
    await until(() => seenByB.length === 1, 5000, 'comment at B');
    expect(seenByB[0]).toMatchObject({ text: '草莓甜吗？', name: '阿芳', streamId });

    const late = await joined(await guest('晚到的'));
    const comments = (late.answer as { comments: { text: string }[] }).comments;
    expect(comments.at(-1)?.text).toBe('草莓甜吗？');
  });

  it('keep only the last 50 for a late joiner, oldest first', async () => {
    const { stream } = await makeShopWithStream(served.db, (await makeAccount(served.db)).id);
    const author = await makeAccount(served.db, '话痨');
    await served.db
      .insertInto('comments')
      .values(
        Array.from({ length: 60 }, (_, i) => ({
          stream_id: stream.id,
          user_id: author.id,
          author_name: '话痨',
          text: `第${i}条`,
          created_at: new Date(Date.now() - (60 - i) * 1000),
        })),
      )
      .execute();
    const socket = openSocket(served.url, { cookie: await guest('新人') });
    sockets.push(socket);
    await connected(socket);
    const answer = (await ask(socket, 'stream:join', { streamId: stream.id })) as {
      comments: { text: string }[];
    };
    expect(answer.comments).toHaveLength(50);
    expect(answer.comments[0]?.text).toBe('第10条');
    expect(answer.comments[49]?.text).toBe('第59条');
  });

  it('stay text: markup is stored and sent verbatim, never interpreted', async () => {
    const a = await joined(await guest('测试'));
    const text = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const seen = collect(a.socket, 'comment:new');
    expect(await ask(a.socket, 'comment:send', { text })).toMatchObject({ ok: true });
    await until(() => seen.length === 1);
    expect(seen[0]?.text).toBe(text);
  });

  it('are at most 200 characters, and refuse direction overrides and control characters', async () => {
    const a = await joined(await guest('长评'));
    expect(await ask(a.socket, 'comment:send', { text: '好'.repeat(201) })).toMatchObject({
      error: { code: 'validation_failed' },
    });
    expect(await ask(a.socket, 'comment:send', { text: 'abc\u202Egnp.exe' })).toMatchObject({
      error: { code: 'validation_failed' },
    });
    expect(await ask(a.socket, 'comment:send', { text: '   ' })).toMatchObject({
      error: { code: 'validation_failed' },
    });
    expect(await ask(a.socket, 'comment:send', { text: '好'.repeat(200) })).toMatchObject({
      ok: true,
    });
  });

  it('are rate-limited per user: a burst of 3, then a polite refusal', async () => {
    const cookie = await guest('手快');
    const a = await joined(cookie);
    const answers = [];
    for (let i = 0; i < 5; i += 1)
      answers.push(await ask(a.socket, 'comment:send', { text: `快${i}` }));
    expect(answers.slice(0, 3).every((x) => 'ok' in x)).toBe(true);
    expect(answers[3]).toMatchObject({
      error: { code: 'rate_limited', message: expect.stringMatching(/moment/) },
    });
    // a second tab of the same user shares the limit
    const again = await joined(cookie);
    expect(await ask(again.socket, 'comment:send', { text: '换个标签页' })).toMatchObject({
      error: { code: 'rate_limited' },
    });
  });

  it('closes a socket that sends an oversized payload', async () => {
    const a = await joined(await guest('大包'));
    const disconnected = new Promise<string>((r) =>
      a.socket.once('disconnect', (reason) => r(reason)),
    );
    a.socket.emit('comment:send', { text: 'x'.repeat(10_000) });
    expect(await disconnected).toMatch(/transport/);
  });
});

describe('moderation', () => {
  it('the owner deletes a comment and it disappears everywhere', async () => {
    const owner = await joined(ownerCookie);
    expect((owner.answer as { canModerate: boolean }).canModerate).toBe(true);
    const writer = await joined(await guest('乱说'));
    expect((writer.answer as { canModerate: boolean }).canModerate).toBe(false);
    const deletions = collect(writer.socket, 'comment:deleted');
    const sent = (await ask(writer.socket, 'comment:send', { text: '要删的' })) as { id: string };

    // a viewer cannot delete
    expect(await ask(writer.socket, 'comment:delete', { id: sent.id })).toMatchObject({
      error: { code: 'forbidden' },
    });
    expect(await ask(owner.socket, 'comment:delete', { id: sent.id })).toMatchObject({ ok: true });
    await until(() => deletions.length === 1);
    expect(deletions[0]).toEqual({ id: sent.id, streamId });

    const late = await joined(await guest('后来的'));
    const texts = (late.answer as { comments: { id: string }[] }).comments.map((c) => c.id);
    expect(texts).not.toContain(sent.id);
    // deleting twice is a clear 404, not a second event
    expect(await ask(owner.socket, 'comment:delete', { id: sent.id })).toMatchObject({
      error: { code: 'not_found' },
    });
  });

  it('the owner mutes a user for N minutes; they cannot post and are told', async () => {
    const owner = await joined(ownerCookie);
    const cookie = await guest('刷屏的');
    const noisy = await joined(cookie);
    const me = (await (await fetch(`${served.url}/api/me`, { headers: { cookie } })).json()) as {
      user: { id: string };
    };
    const notices = collect(noisy.socket, 'user:muted');
    expect(await ask(noisy.socket, 'user:mute', { userId: me.user.id, minutes: 5 })).toMatchObject({
      error: { code: 'forbidden' },
    });
    expect(await ask(owner.socket, 'user:mute', { userId: me.user.id, minutes: 0 })).toMatchObject({
      error: { code: 'validation_failed' },
    });
    expect(await ask(owner.socket, 'user:mute', { userId: me.user.id, minutes: 5 })).toMatchObject({
      ok: true,
    });
    await until(() => notices.length === 1);
    expect(new Date(notices[0]!.until).getTime()).toBeGreaterThan(Date.now() + 4 * 60_000);
    expect(await ask(noisy.socket, 'comment:send', { text: '我还能说话吗' })).toMatchObject({
      error: { code: 'muted', message: expect.stringMatching(/5 more minute/) },
    });
  });

  it("the shop's blocked words are refused, whatever their case", async () => {
    const put = await fetch(`${served.url}/api/shops/${shopId}/blocked-words`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', origin: served.url, cookie: ownerCookie },
      body: JSON.stringify({ words: ['加微信', 'SPAM'] }),
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ words: ['SPAM', '加微信'] });
    const viewerCookie = await guest('广告');
    const forbidden = await fetch(`${served.url}/api/shops/${shopId}/blocked-words`, {
      headers: { cookie: viewerCookie },
    });
    expect(forbidden.status).toBe(403);

    const a = await joined(viewerCookie);
    expect(await ask(a.socket, 'comment:send', { text: '便宜草莓 加微信 123' })).toMatchObject({
      error: { code: 'comment_blocked' },
    });
    expect(await ask(a.socket, 'comment:send', { text: 'this is spam' })).toMatchObject({
      error: { code: 'comment_blocked' },
    });
    expect(await ask(a.socket, 'comment:send', { text: '草莓真好' })).toMatchObject({ ok: true });
  });
});

describe('removal and co-hosts', () => {
  async function idOf(cookie: string): Promise<string> {
    const res = await fetch(`${served.url}/api/me`, { headers: { cookie } });
    return ((await res.json()) as { user: { id: string } }).user.id;
  }

  it('the owner removes a user: told, taken out of the room, cannot post or rejoin', async () => {
    const owner = await joined(ownerCookie);
    const troubleCookie = await guest('捣乱的');
    const trouble = await joined(troubleCookie);
    const bystander = await joined(await guest('旁观的'));
    const troubleId = await idOf(troubleCookie);
    const told = collect(trouble.socket, 'user:removed');
    const seenByTrouble = collect(trouble.socket, 'comment:new');

    expect(await ask(bystander.socket, 'user:remove', { userId: troubleId })).toMatchObject({
      error: { code: 'forbidden' },
    });
    expect(await ask(owner.socket, 'user:remove', { userId: troubleId })).toMatchObject({
      ok: true,
    });
    await until(() => told.some((t) => t.userId === troubleId), 5000, 'removal notice');

    expect(await ask(trouble.socket, 'comment:send', { text: '我还在吗' })).toMatchObject({
      error: { code: 'participant_removed' },
    });
    expect(await ask(trouble.socket, 'stream:join', { streamId })).toMatchObject({
      error: { code: 'participant_removed' },
    });
    // out of the room: what others say no longer reaches them
    await new Promise((r) => setTimeout(r, 200));
    await ask(bystander.socket, 'comment:send', { text: '他走了' });
    await new Promise((r) => setTimeout(r, 300));
    expect(seenByTrouble.map((c) => c.text)).not.toContain('他走了');
  });

  it('an accepted co-host moderates; an invited one does not yet', async () => {
    const cohost = await makeAccount(served.db, '团长小张');
    const cohostCookie = await sessionCookie(served.url, cohost);
    await served.db
      .insertInto('stream_cohosts')
      .values({ stream_id: streamId, user_id: cohost.id, invited_by: cohost.id, status: 'invited' })
      .execute();
    const invited = await joined(cohostCookie);
    expect((invited.answer as { canModerate: boolean }).canModerate).toBe(false);
    await served.db
      .updateTable('stream_cohosts')
      .set({ status: 'accepted', accepted_at: new Date() })
      .where('stream_id', '=', streamId)
      .where('user_id', '=', cohost.id)
      .execute();
    const onStage = await joined(cohostCookie);
    expect((onStage.answer as { canModerate: boolean }).canModerate).toBe(true);
    const writer = await joined(await guest('被删的'));
    const sent = (await ask(writer.socket, 'comment:send', { text: '广告' })) as { id: string };
    expect(await ask(onStage.socket, 'comment:delete', { id: sent.id })).toMatchObject({
      ok: true,
    });
  });
});

describe('events from the services', () => {
  it('fan out to the stream room only, after the service publishes them', async () => {
    const inStream = await joined(await guest('在场'));
    const { stream: other } = await makeShopWithStream(
      served.db,
      (await makeAccount(served.db)).id,
    );
    const elsewhere = openSocket(served.url, { cookie: await guest('别处') });
    sockets.push(elsewhere);
    await connected(elsewhere);
    await ask(elsewhere, 'stream:join', { streamId: other.id });
    const here = collect(inStream.socket, 'order:new');
    const there = collect(elsewhere, 'order:new');
    const order = {
      streamId,
      offerId: 'o1',
      buyerName: '王**',
      productName: '草莓',
      quantity: 2,
      createdAt: new Date().toISOString(),
    };
    served.realtime.publish(streamId, 'order:new', order);
    await until(() => here.length === 1);
    expect(here[0]).toEqual(order);
    await new Promise((r) => setTimeout(r, 200));
    expect(there).toEqual([]);
  });

  it('counts viewers as distinct people and sums likes', async () => {
    const { stream } = await makeShopWithStream(served.db, (await makeAccount(served.db)).id);
    const cookie = await guest('双开');
    const first = openSocket(served.url, { cookie });
    const second = openSocket(served.url, { cookie });
    const third = openSocket(served.url, { cookie: await guest('第三人') });
    sockets.push(first, second, third);
    await Promise.all([connected(first), connected(second), connected(third)]);
    const counts = collect(first, 'viewers');
    const likes = collect(third, 'like');
    for (const s of [first, second, third]) await ask(s, 'stream:join', { streamId: stream.id });
    await until(() => counts.at(-1)?.count === 2, 5000, 'two viewers');
    first.emit('like', { count: 3 });
    second.emit('like');
    await until(() => likes.at(-1)?.count === 4, 5000, 'four likes');
    const likeCount = async () =>
      (
        await served.db
          .selectFrom('streams')
          .select('like_count')
          .where('id', '=', stream.id)
          .executeTakeFirstOrThrow()
      ).like_count;
    expect(await likeCount()).toBe(4);
    // a visitor without a session counts too (once per visitor cookie)
    const visitorCookie = `linli_vid=${crypto.randomUUID()}`;
    const anonymous = [
      openSocket(served.url, { cookie: visitorCookie }),
      openSocket(served.url, { cookie: visitorCookie }),
    ];
    sockets.push(...anonymous);
    for (const s of anonymous) {
      await connected(s);
      await ask(s, 'stream:join', { streamId: stream.id });
    }
    await until(() => counts.at(-1)?.count === 3, 5000, 'two people and a visitor');
    // an anonymous heart is dropped: likes need a session
    anonymous[0]?.emit('like', { count: 5 });
    third.disconnect();
    await until(() => counts.at(-1)?.count === 2, 5000, 'one person and the visitor left');
    await new Promise((r) => setTimeout(r, 700)); // past the next like flush (every 500 ms)
    expect(await likeCount()).toBe(4);
  });
});

describe('no missed events', () => {
  it('a client that drops and comes back within two minutes gets what it missed', async () => {
    const speaker = await joined(await guest('说话的'));
    const listener = await joined(await guest('掉线的'));
    const seen = collect(listener.socket, 'comment:new');
    // recovery resumes from the last event the client saw (in practice the viewer count,
    // broadcast every second)
    await ask(speaker.socket, 'comment:send', { text: '掉线前' });
    await until(() => seen.length === 1, 5000, 'first comment');
    // the transport dies (a phone going through a tunnel); socket.io reconnects by itself
    const reconnected = new Promise<void>((r) => listener.socket.once('connect', () => r()));
    listener.socket.io.engine.close();
    await until(() => !listener.socket.connected, 2000, 'drop');
    await ask(speaker.socket, 'comment:send', { text: '你掉线时说的话' });
    await reconnected;
    expect(listener.socket.recovered).toBe(true);
    await until(() => seen.some((c) => c.text === '你掉线时说的话'), 5000, 'missed comment');
    // still in the room without joining again
    await ask(speaker.socket, 'comment:send', { text: '回来以后' });
    await until(() => seen.some((c) => c.text === '回来以后'), 5000, 'later comment');
  });
});

describe("a members-only stream's room", () => {
  it('is for members, the owner and its moderators: others are refused members_only until they join', async () => {
    const owner = await makeAccount(served.db, '会员店主');
    const made = await makeShopWithStream(served.db, owner.id, 'live');
    await served.db
      .updateTable('streams')
      .set({ visibility: 'members' })
      .where('id', '=', made.stream.id)
      .execute();
    const ask1 = async (cookie: string) => {
      const socket = openSocket(served.url, { cookie });
      sockets.push(socket);
      await connected(socket);
      return ask(socket, 'stream:join', { streamId: made.stream.id });
    };
    const stranger = await guest('路人');
    expect(await ask1(stranger)).toMatchObject({ ok: false, error: { code: 'members_only' } });
    expect(await ask1('')).toMatchObject({ ok: false, error: { code: 'members_only' } });
    expect(await ask1(await sessionCookie(served.url, owner))).toMatchObject({ ok: true });
    const member = await makeAccount(served.db, '会员');
    await served.db
      .insertInto('shop_members')
      .values({ shop_id: made.shop.id, user_id: member.id })
      .execute();
    expect(await ask1(await sessionCookie(served.url, member))).toMatchObject({ ok: true });
  });
});
