import { afterAll, describe, expect, it } from 'vitest';
import { roomService } from '../helpers/livekit';
import { buildTestApp, Client } from '../helpers/app';
import { liveStream, ownerWithShop, plannedStream, resident } from '../helpers/factories';

const { app, db, realtime } = buildTestApp();
afterAll(() => db.destroy());

const rooms = roomService();

function edit(client: Client, streamId: string, body: unknown) {
  return client.request('PATCH', `/api/streams/${streamId}`, { json: body });
}

interface Answer {
  stream?: { id: string; title: string; status: string; scheduledAt: string | null };
  error?: { code: string; message: string };
}

async function answer(res: Response): Promise<{ status: number } & Answer> {
  return { status: res.status, ...((await res.json()) as Answer) };
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

describe('editing a scheduled stream', () => {
  it('changes title, time and cover; the public page, the calendar file and the room hear it', async () => {
    const owner = await ownerWithShop(app);
    const id = await plannedStream(owner.client, owner.shop.id, {
      title: '周六试吃',
      scheduledAt: inDays(2).toISOString(),
    });
    const heard: unknown[] = [];
    const off = realtime.subscribe((streamId, event, payload) => {
      if (streamId === id && event === 'stream:update') heard.push(payload);
    });
    const at = new Date(Date.UTC(2031, 4, 2, 11, 30)).toISOString();
    const res = await answer(
      await edit(owner.client, id, {
        title: '  周日试吃：阳光玫瑰  ',
        scheduledAt: at,
        coverUrl: '/demo/oranges.svg',
      }),
    );
    off();
    expect(res).toMatchObject({
      status: 200,
      stream: { id, title: '周日试吃：阳光玫瑰', status: 'scheduled', scheduledAt: at },
    });
    expect(heard).toEqual([
      {
        streamId: id,
        title: '周日试吃：阳光玫瑰',
        scheduledAt: at,
        coverUrl: '/demo/oranges.svg',
        leaderboardHidden: false,
        saleEndsAt: null,
      },
    ]);

    const view = (await (await new Client(app).get(`/api/streams/${id}`)).json()) as Answer;
    expect(view.stream).toMatchObject({ title: '周日试吃：阳光玫瑰', scheduledAt: at });
    const ics = await (await new Client(app).get(`/api/streams/${id}/calendar.ics`)).text();
    expect(ics).toContain('DTSTART:20310502T113000Z');
    expect(ics).toContain('周日试吃：阳光玫瑰');
    // the shop page lists it with its new title too
    const shop = (await (await new Client(app).get(`/api/shops/${owner.shop.slug}`)).json()) as {
      streams: { id: string; title: string }[];
    };
    expect(shop.streams.find((s) => s.id === id)?.title).toBe('周日试吃：阳光玫瑰');
  });

  it('can clear the time ("coming soon") and change one field alone', async () => {
    const owner = await ownerWithShop(app);
    const id = await plannedStream(owner.client, owner.shop.id, {
      title: '原标题',
      scheduledAt: inDays(1).toISOString(),
    });
    expect(await answer(await edit(owner.client, id, { scheduledAt: null }))).toMatchObject({
      status: 200,
      stream: { title: '原标题', scheduledAt: null },
    });
    expect((await new Client(app).get(`/api/streams/${id}/calendar.ics`)).status).toBe(404);
    expect(await answer(await edit(owner.client, id, { title: '新标题' }))).toMatchObject({
      status: 200,
      stream: { title: '新标题', scheduledAt: null },
    });
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const owner = await ownerWithShop(app);
    const at = inDays(3).toISOString();
    const id = await plannedStream(owner.client, owner.shop.id, {
      title: '原标题',
      scheduledAt: at,
    });
    for (const body of [
      {},
      { title: '' },
      { title: '   ' },
      { title: 'x'.repeat(81) },
      { title: 'a\u0000b' },
      { title: 42 },
      { scheduledAt: 'tomorrow' },
      { coverUrl: 'javascript:alert(1)' },
      { status: 'live' },
      { title: 'ok', shopId: owner.shop.id },
    ]) {
      const res = await answer(await edit(owner.client, id, body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.error?.code).toBe('validation_failed');
    }
    const past = await answer(
      await edit(owner.client, id, { scheduledAt: new Date(Date.now() - 3_600_000).toISOString() }),
    );
    expect(past).toMatchObject({ status: 400, error: { code: 'bad_request' } });
    const malformed = await owner.client.request('PATCH', `/api/streams/${id}`, {
      body: '{"title":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    const view = (await (await new Client(app).get(`/api/streams/${id}`)).json()) as Answer;
    expect(view.stream).toMatchObject({ title: '原标题', scheduledAt: at });
  });

  it('is for the shop owner only: 401, 403, 404', async () => {
    const owner = await ownerWithShop(app);
    const id = await plannedStream(owner.client, owner.shop.id);
    expect((await edit(new Client(app), id, { title: '抢' })).status).toBe(401);
    const stranger = await resident(app);
    expect(await answer(await edit(stranger.client, id, { title: '抢' }))).toMatchObject({
      status: 403,
      error: { code: 'forbidden' },
    });
    const guest = new Client(app);
    await guest.post('/api/auth/guest', { name: '游客' });
    expect((await edit(guest, id, { title: '抢' })).status).toBe(403);
    expect(
      await answer(
        await edit(owner.client, '00000000-0000-4000-8000-000000000000', { title: 'x' }),
      ),
    ).toMatchObject({ status: 404, error: { code: 'not_found' } });
    expect((await edit(owner.client, 'not-a-uuid', { title: 'x' })).status).toBe(400);
    // a cross-site form post is refused at the edge
    const cross = await app.request(`/api/streams/${id}`, {
      method: 'PATCH',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'x' }),
    });
    expect(cross.status).toBe(403);
    const view = (await (await new Client(app).get(`/api/streams/${id}`)).json()) as Answer;
    expect(view.stream?.title).toBe('凌晨四点去批发市场');
  });
});

describe('editing a live or ended stream', () => {
  it('live: the title changes (room metadata too), the time does not (409 stream_started)', async () => {
    const owner = await ownerWithShop(app);
    const id = await liveStream(owner.client, owner.shop.id);
    const res = await answer(await edit(owner.client, id, { title: '后厨切果盘（加场）' }));
    expect(res).toMatchObject({
      status: 200,
      stream: { status: 'live', title: '后厨切果盘（加场）' },
    });
    const [room] = await rooms.listRooms([id]);
    expect(JSON.parse(room?.metadata ?? '{}')).toMatchObject({ title: '后厨切果盘（加场）' });

    for (const body of [
      { scheduledAt: inDays(1).toISOString() },
      { title: '又改', coverUrl: '/demo/apples.svg' },
    ]) {
      expect(await answer(await edit(owner.client, id, body))).toMatchObject({
        status: 409,
        error: { code: 'stream_started' },
      });
    }
    const view = (await (await new Client(app).get(`/api/streams/${id}`)).json()) as Answer;
    expect(view.stream?.title).toBe('后厨切果盘（加场）');
    await owner.client.post(`/api/streams/${id}/end`);
  });

  it('ended: nothing changes (409 stream_ended)', async () => {
    const owner = await ownerWithShop(app);
    const id = await plannedStream(owner.client, owner.shop.id, { title: '结束了' });
    expect((await owner.client.post(`/api/streams/${id}/end`)).status).toBe(200);
    for (const body of [{ title: '复活' }, { scheduledAt: inDays(1).toISOString() }]) {
      expect(await answer(await edit(owner.client, id, body))).toMatchObject({
        status: 409,
        error: { code: 'stream_ended' },
      });
    }
  });

  it('an edit racing "go live" lands on one side of it, never a time change on a live stream', async () => {
    const owner = await ownerWithShop(app);
    const id = await plannedStream(owner.client, owner.shop.id, {
      title: '抢跑',
      scheduledAt: inDays(1).toISOString(),
    });
    const later = inDays(5).toISOString();
    const [edited, started] = await Promise.all([
      edit(owner.client, id, { scheduledAt: later }).then(answer),
      owner.client.post(`/api/streams/${id}/start`),
    ]);
    expect(started.status).toBe(200);
    const row = await db
      .selectFrom('streams')
      .select(['status', 'scheduled_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('live');
    if (edited.status === 200) expect(row.scheduled_at?.toISOString()).toBe(later);
    else expect(edited).toMatchObject({ status: 409, error: { code: 'stream_started' } });
    await owner.client.post(`/api/streams/${id}/end`);
  });
});
