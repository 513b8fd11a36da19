import {
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
  VideoSource,
  LocalVideoTrack,
} from '@livekit/rtc-node';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET } from '../../server/config';
import { roomService } from '../helpers/livekit';
import { buildTestApp, Client } from '../helpers/app';
import { liveStream, ownerWithShop, plannedStream, resident } from '../helpers/factories';

const { app, db, realtime } = buildTestApp();
afterAll(() => db.destroy());

const rooms = roomService();

const verifier = new TokenVerifier(DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET);
/** Decodes a token, checking its signature too. */
const decodeJwt = (token: string) => verifier.verify(token);

interface TokenAnswer {
  url: string;
  token: string;
  role: 'host' | 'viewer';
  identity: string;
}

async function tokenFor(client: Client, streamId: string, role?: 'host' | 'viewer') {
  const res = await client.post(`/api/streams/${streamId}/token`, role ? { role } : {});
  return {
    status: res.status,
    body: (await res.json()) as TokenAnswer & { error?: { code: string } },
  };
}

describe('planning a stream', () => {
  it('lets the owner plan one, and shows it publicly with offers, schedule and no viewers', async () => {
    const owner = await ownerWithShop(app);
    const at = new Date(Date.now() + 86_400_000).toISOString();
    const id = await plannedStream(owner.client, owner.shop.id, {
      title: '后厨试吃',
      scheduledAt: at,
      coverUrl: '/demo/strawberries.svg',
    });
    const res = await new Client(app).get(`/api/streams/${id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      stream: expect.objectContaining({
        id,
        title: '后厨试吃',
        status: 'scheduled',
        scheduledAt: at.replace(/\.\d+Z$/, (m) => m),
        coverUrl: '/demo/strawberries.svg',
        shop: expect.objectContaining({ id: owner.shop.id, slug: owner.shop.slug }),
        offers: [],
        pinnedOfferId: null,
        viewerCount: 0,
        segment: null,
      }),
    });
  });

  it('refuses strangers, guests, bad input and unknown ids without a 500', async () => {
    const owner = await ownerWithShop(app);
    const stranger = await resident(app);
    expect(
      (await stranger.client.post(`/api/shops/${owner.shop.id}/streams`, { title: 'x' })).status,
    ).toBe(403);
    const guest = new Client(app);
    await guest.post('/api/auth/guest', { name: '游客' });
    expect((await guest.post(`/api/shops/${owner.shop.id}/streams`, { title: 'x' })).status).toBe(
      403,
    );
    for (const body of [
      {},
      { title: '' },
      { title: 'x', scheduledAt: 'tomorrow' },
      { title: 'x', extra: 1 },
      { title: 'x', coverUrl: 'javascript:alert(1)' },
    ]) {
      const res = await owner.client.post(`/api/shops/${owner.shop.id}/streams`, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    expect(
      (await owner.client.post(`/api/shops/${crypto.randomUUID()}/streams`, { title: 'x' })).status,
    ).toBe(404);
    expect((await new Client(app).get('/api/streams/not-a-uuid')).status).toBe(400);
    expect((await new Client(app).get(`/api/streams/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('serves an add-to-calendar file for a scheduled stream', async () => {
    const owner = await ownerWithShop(app);
    const id = await plannedStream(owner.client, owner.shop.id, {
      title: '周末试吃',
      scheduledAt: '2030-05-01T11:30:00.000Z',
    });
    const res = await new Client(app).get(`/api/streams/${id}/calendar.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/calendar/);
    const text = await res.text();
    expect(text).toContain('BEGIN:VEVENT');
    expect(text).toContain('DTSTART:20300501T113000Z');
    expect(text).toContain(`/live/${id}`);
    expect(text).toContain('周末试吃');
  });
});

describe('stream lifecycle', () => {
  it('start opens a LiveKit room with typed metadata; end closes it', async () => {
    const owner = await ownerWithShop(app);
    const id = await plannedStream(owner.client, owner.shop.id);
    const events: unknown[] = [];
    const off = realtime.subscribe((streamId, event, payload) => {
      if (streamId === id) events.push({ event, payload });
    });
    const stranger = await resident(app);
    expect((await stranger.client.post(`/api/streams/${id}/start`)).status).toBe(403);

    const started = await owner.client.post(`/api/streams/${id}/start`);
    expect(started.status).toBe(200);
    expect(await started.json()).toMatchObject({ stream: { status: 'live' } });
    const [room] = await rooms.listRooms([id]);
    expect(room?.name).toBe(id);
    expect(JSON.parse(room?.metadata ?? '{}')).toEqual({
      streamId: id,
      shopId: owner.shop.id,
      title: '凌晨四点去批发市场',
      segment: null,
    });
    // starting twice is harmless
    expect((await owner.client.post(`/api/streams/${id}/start`)).status).toBe(200);

    const ended = await owner.client.post(`/api/streams/${id}/end`);
    expect(await ended.json()).toMatchObject({ stream: { status: 'ended' } });
    expect(await rooms.listRooms([id])).toEqual([]);
    expect((await owner.client.post(`/api/streams/${id}/start`)).status).toBe(409);
    expect((await tokenFor(owner.client, id)).body).toMatchObject({
      error: { code: 'stream_not_live' },
    });
    off();
    expect(events).toEqual([
      { event: 'stream:status', payload: { streamId: id, status: 'live', segment: null } },
      {
        event: 'stream:status',
        // the sale goes on for a day after the live
        payload: { streamId: id, status: 'ended', saleEndsAt: expect.any(String) },
      },
    ]);
  });

  it('records the segment label with its time, in the room metadata too', async () => {
    const owner = await ownerWithShop(app);
    const id = await liveStream(owner.client, owner.shop.id);
    const res = await owner.client.post(`/api/streams/${id}/segment`, { segment: 'kitchen' });
    expect(res.status).toBe(200);
    const { at } = (await res.json()) as { at: string };
    expect(Math.abs(Date.parse(at) - Date.now())).toBeLessThan(10_000);
    expect(
      (await owner.client.post(`/api/streams/${id}/segment`, { segment: 'bogus' })).status,
    ).toBe(400);
    const stranger = await resident(app);
    expect(
      (await stranger.client.post(`/api/streams/${id}/segment`, { segment: 'qa' })).status,
    ).toBe(403);
    await owner.client.post(`/api/streams/${id}/segment`, { segment: 'tasting' });
    const view = (await (await new Client(app).get(`/api/streams/${id}`)).json()) as {
      stream: { segment: string };
    };
    expect(view.stream.segment).toBe('tasting');
    const [room] = await rooms.listRooms([id]);
    expect(JSON.parse(room?.metadata ?? '{}')).toMatchObject({ segment: 'tasting' });
    const studio = (await (await owner.client.get(`/api/streams/${id}/studio`)).json()) as {
      segments: { segment: string }[];
    };
    expect(studio.segments.map((s) => s.segment)).toEqual(['kitchen', 'tasting']);
    expect((await stranger.client.get(`/api/streams/${id}/studio`)).status).toBe(403);
    await owner.client.post(`/api/streams/${id}/end`);
  });
});

describe('media grants', () => {
  it('gives a viewer a subscribe-only token under our user id, and the real server refuses its publish', async () => {
    const owner = await ownerWithShop(app);
    const id = await liveStream(owner.client, owner.shop.id);
    const viewer = await resident(app);
    const { status, body } = await tokenFor(viewer.client, id);
    expect(status).toBe(200);
    expect(body.role).toBe('viewer');
    const claims = await decodeJwt(body.token);
    expect(claims.sub).toBe(viewer.userId);
    expect(claims.video).toMatchObject({
      room: id,
      roomJoin: true,
      canSubscribe: true,
      canPublish: false,
      canPublishData: false,
    });
    expect((claims.video as { roomAdmin?: boolean }).roomAdmin).toBeFalsy();

    // A viewer asking for host grants is refused outright.
    expect((await tokenFor(viewer.client, id, 'host')).status).toBe(403);

    const room = new Room();
    await room.connect(body.url, body.token, { autoSubscribe: true, dynacast: false });
    try {
      expect(room.localParticipant?.identity).toBe(viewer.userId);
      const source = new VideoSource(64, 64);
      const track = LocalVideoTrack.createVideoTrack('sneaky', source);
      const options = new TrackPublishOptions({ source: TrackSource.SOURCE_CAMERA });
      const attempt = Promise.race([
        room.localParticipant!.publishTrack(track, options).then(() => 'published' as const),
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 8000)),
      ]).catch(() => 'refused' as const);
      expect(await attempt).not.toBe('published');
      // and the server lists no track for the viewer
      const participant = await rooms.getParticipant(id, viewer.userId);
      expect(participant.tracks).toEqual([]);
      expect(participant.permission?.canPublish).toBe(false);
    } finally {
      await room.disconnect();
    }
    await owner.client.post(`/api/streams/${id}/end`);
  });

  it('gives the owner a host token, never a stranger; visitors get a one-off identity', async () => {
    const owner = await ownerWithShop(app);
    const id = await liveStream(owner.client, owner.shop.id);
    const host = await tokenFor(owner.client, id, 'host');
    expect(host.body.role).toBe('host');
    expect(await decodeJwt(host.body.token)).toMatchObject({
      sub: owner.userId,
      video: { canPublish: true, canSubscribe: true },
    });
    // another shop's owner cannot get a host token for this stream
    const other = await ownerWithShop(app);
    const refused = await tokenFor(other.client, id, 'host');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'forbidden' } });
    const visitor = await tokenFor(new Client(app), id);
    expect(visitor.status).toBe(200);
    expect(visitor.body.identity).toMatch(/^visitor-/);
    expect(await decodeJwt(visitor.body.token)).toMatchObject({ video: { canPublish: false } });
    expect((await tokenFor(new Client(app), id, 'host')).status).toBe(403);
    await owner.client.post(`/api/streams/${id}/end`);
  });

  it('removes a participant, who is disconnected and cannot get a token again', async () => {
    const owner = await ownerWithShop(app);
    const id = await liveStream(owner.client, owner.shop.id);
    const viewer = await resident(app);
    const { body } = await tokenFor(viewer.client, id);
    const room = new Room();
    const disconnected = new Promise<void>((r) => room.once(RoomEvent.Disconnected, () => r()));
    await room.connect(body.url, body.token, { autoSubscribe: true, dynacast: false });

    const stranger = await resident(app);
    expect(
      (await stranger.client.post(`/api/streams/${id}/participants/${viewer.userId}/remove`))
        .status,
    ).toBe(403);
    const res = await owner.client.post(`/api/streams/${id}/participants/${viewer.userId}/remove`);
    expect(res.status).toBe(204);
    await disconnected;
    const again = await tokenFor(viewer.client, id);
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ error: { code: 'participant_removed' } });
    expect(await (await viewer.client.get(`/api/streams/${id}/me`)).json()).toMatchObject({
      removed: true,
    });
    await room.disconnect();
    await owner.client.post(`/api/streams/${id}/end`);
  });
});

describe('co-host on stage', () => {
  it('invite → accept puts the co-host on stage; their token itself never publishes; take back returns them to viewer', async () => {
    const owner = await ownerWithShop(app);
    const id = await liveStream(owner.client, owner.shop.id);
    const leader = await resident(app, '李姐');
    expect((await tokenFor(leader.client, id, 'host')).status).toBe(403);
    expect((await leader.client.post(`/api/streams/${id}/cohosts/accept`)).status).toBe(403);

    const invited = await owner.client.post(`/api/streams/${id}/cohosts`, {
      userId: leader.userId,
    });
    expect(invited.status).toBe(201);
    expect(await (await leader.client.get(`/api/streams/${id}/me`)).json()).toMatchObject({
      cohost: 'invited',
    });
    const stranger = await resident(app);
    expect(
      (await stranger.client.post(`/api/streams/${id}/cohosts`, { userId: stranger.userId }))
        .status,
    ).toBe(403);

    expect((await leader.client.post(`/api/streams/${id}/cohosts/accept`)).status).toBe(200);
    const host = await tokenFor(leader.client, id, 'host');
    expect(host.status).toBe(200);
    expect(host.body.role).toBe('host');
    // the stage is given in the room (acceptCohost, the stage guard), never by the token, so
    // a token kept after the stage is taken back cannot publish
    expect(await decodeJwt(host.body.token)).toMatchObject({
      sub: leader.userId,
      video: { canPublish: false, canPublishData: false },
    });

    expect(
      (await owner.client.post(`/api/streams/${id}/cohosts/${leader.userId}/revoke`)).status,
    ).toBe(200);
    expect((await tokenFor(leader.client, id)).body.role).toBe('viewer');
    expect(
      (await owner.client.post(`/api/streams/${id}/cohosts/${leader.userId}/revoke`)).status,
    ).toBe(404);
    await owner.client.post(`/api/streams/${id}/end`);
  });
});
