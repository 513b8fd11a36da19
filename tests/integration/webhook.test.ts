import { createHash, randomUUID } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET } from '../../server/config';
import { buildTestApp, Client } from '../helpers/app';
import { liveStream, ownerWithShop } from '../helpers/factories';

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

/** Signs a body as livekit-server does: a JWT from our key whose sha256 claim is the body's. */
async function sign(body: string, secret = DEV_LIVEKIT_SECRET): Promise<string> {
  const token = new AccessToken(DEV_LIVEKIT_KEY, secret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return token.toJwt();
}

function participantEvent(
  event: 'participant_joined' | 'participant_left',
  room: string,
  identity: string,
  sid: string,
) {
  return JSON.stringify({
    id: `EV_${randomUUID()}`,
    event,
    createdAt: String(Math.floor(Date.now() / 1000)),
    room: { name: room, sid: 'RM_test' },
    participant: { sid, identity, name: identity },
  });
}

// LiveKit sends no Origin and says application/webhook+json.
async function deliver(body: string, authorization?: string) {
  return app.request('/api/livekit/webhook', {
    method: 'POST',
    headers: {
      'content-type': 'application/webhook+json',
      ...(authorization ? { authorization } : {}),
    },
    body,
  });
}

async function sessions(streamId: string) {
  return db
    .selectFrom('participant_sessions')
    .selectAll()
    .where('stream_id', '=', streamId)
    .execute();
}

async function viewerCount(streamId: string) {
  const res = await new Client(app).get(`/api/streams/${streamId}`);
  return ((await res.json()) as { stream: { viewerCount: number } }).stream.viewerCount;
}

describe('POST /api/livekit/webhook', () => {
  it('applies a validly signed join and leave: viewer count and watch time', async () => {
    const owner = await ownerWithShop(app);
    const id = await liveStream(owner.client, owner.shop.id);
    const viewerId = randomUUID();
    const joined = participantEvent('participant_joined', id, viewerId, 'PA_one');
    const res = await deliver(joined, await sign(joined));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ applied: true, event: 'participant_joined' });
    // the owner's own join is not a viewer
    const ownerJoin = participantEvent('participant_joined', id, owner.userId, 'PA_owner');
    await deliver(ownerJoin, await sign(ownerJoin));
    expect(await viewerCount(id)).toBe(1);

    const left = participantEvent('participant_left', id, viewerId, 'PA_one');
    expect((await deliver(left, await sign(left))).status).toBe(200);
    expect(await viewerCount(id)).toBe(0);
    const rows = await sessions(id);
    const stay = rows.find((r) => r.participant_sid === 'PA_one');
    expect(stay?.identity).toBe(viewerId);
    expect(stay?.left_at).not.toBeNull();
    await owner.client.post(`/api/streams/${id}/end`);
  });

  it('answers 401 to a tampered or unsigned event and changes nothing', async () => {
    const owner = await ownerWithShop(app);
    const id = await liveStream(owner.client, owner.shop.id);
    const original = participantEvent('participant_joined', id, randomUUID(), 'PA_tamper');
    const signature = await sign(original);
    const tampered = original.replace('PA_tamper', 'PA_evil');
    for (const [body, auth] of [
      [tampered, signature],
      [original, undefined],
      [original, 'not-a-jwt'],
      [original, await sign(original, 'another-secret-that-is-long-enough-0123456789')],
    ] as const) {
      const res = await deliver(body, auth);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
    expect(await sessions(id)).toEqual([]);
    const events = await db
      .selectFrom('livekit_webhook_events')
      .select('id')
      .where('room_name', '=', id)
      .execute();
    expect(events).toEqual([]);
    await owner.client.post(`/api/streams/${id}/end`);
  });

  it('applies a replayed event once', async () => {
    const owner = await ownerWithShop(app);
    const id = await liveStream(owner.client, owner.shop.id);
    const viewerId = randomUUID();
    const joined = participantEvent('participant_joined', id, viewerId, 'PA_replay');
    const auth = await sign(joined);
    expect(await (await deliver(joined, auth)).json()).toMatchObject({ applied: true });
    const left = participantEvent('participant_left', id, viewerId, 'PA_replay');
    await deliver(left, await sign(left));
    // the join again, byte for byte: recorded once, so the stay stays closed
    const replay = await deliver(joined, auth);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ applied: false });
    const rows = await sessions(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.left_at).not.toBeNull();
    expect(await viewerCount(id)).toBe(0);
    await owner.client.post(`/api/streams/${id}/end`);
  });

  it('records events for rooms that are not streams without failing', async () => {
    const body = participantEvent('participant_joined', 'bench-room', 'someone', 'PA_x');
    const res = await deliver(body, await sign(body));
    expect(res.status).toBe(200);
  });
});
