import { createHash, randomUUID } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { sql, type Kysely } from 'kysely';
import { request, type APIRequestContext } from 'playwright-core';
import type { DB } from '../../db/schema';
import { DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET } from '../../server/config';
import { uniqueEmail } from './app';
import { phoneOf } from './phones';

// A finished stream with known numbers, built against a running app over HTTP (orders through
// the API, viewers through signed LiveKit webhooks), for the pages that show the numbers.

const SECOND = 1000;
const MINUTE = 60 * SECOND;

async function ok<T>(res: Awaited<ReturnType<APIRequestContext['post']>>, status = 200) {
  if (res.status() !== status) throw new Error(`${res.url()}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

async function account(baseUrl: string, name: string) {
  const api = await request.newContext({ baseURL: baseUrl });
  const email = uniqueEmail('seed');
  const password = 'longenough-pass';
  const res = await api.post('/api/auth/signup', { data: { email, password, name } });
  const { user } = await ok<{ user: { id: string } }>(res, 201);
  return { api, userId: user.id, email, password };
}

async function webhook(baseUrl: string, event: string, room: string, identity: string, at: number) {
  const body = JSON.stringify({
    id: `EV_${randomUUID()}`,
    event,
    createdAt: String(Math.floor(at / 1000)),
    room: { name: room, sid: 'RM_seed' },
    participant: { sid: `PA_${identity}`, identity, name: identity },
  });
  const token = new AccessToken(DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  const res = await fetch(`${baseUrl}/api/livekit/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/webhook+json', authorization: await token.toJwt() },
    body,
  });
  if (!res.ok) throw new Error(`webhook ${event}: ${res.status}`);
}

/**
 * An owner's shop with: an ended stream (12 minutes, 3 viewers of whom 2 bought 3 orders of
 * 2 units at ¥12.50 → ¥75.00, segments 源头 then 后厨), a scheduled stream and a live one;
 * one open refund request and one leader application waiting.
 */
export async function seedShopWithNumbers(baseUrl: string, db: Kysely<DB>) {
  const owner = await account(baseUrl, '王老板');
  const slug = `seed-${randomUUID().slice(0, 8)}`;
  const { shop } = await ok<{ shop: { id: string } }>(
    await owner.api.post('/api/shops', {
      data: {
        name: '王记鲜果',
        slug,
        address: '康健路 88 号',
        pickupHours: '每天 9:00–20:00',
        story: '三代人的水果摊，凌晨四点去批发市场挑货。',
      },
    }),
    201,
  );
  const stream = async (title: string, scheduledAt?: string) =>
    (
      await ok<{ stream: { id: string } }>(
        await owner.api.post(`/api/shops/${shop.id}/streams`, {
          data: { title, ...(scheduledAt ? { scheduledAt } : {}) },
        }),
        201,
      )
    ).stream.id;
  const { product } = await ok<{ product: { id: string } }>(
    await owner.api.post(`/api/shops/${shop.id}/products`, {
      data: { name: '丹东草莓 500g', priceCents: 1500, stock: 200 },
    }),
    201,
  );

  const streamId = await stream('凌晨四点的批发市场');
  const { offer } = await ok<{ offer: { id: string } }>(
    await owner.api.post(`/api/streams/${streamId}/offers`, {
      data: { productId: product.id, priceCents: 1250, quantity: 40 },
    }),
    201,
  );
  await ok(await owner.api.post(`/api/streams/${streamId}/start`));
  const start = Math.floor(Date.now() / SECOND) * SECOND - 12 * MINUTE;
  await db
    .updateTable('streams')
    .set({ started_at: new Date(start) })
    .where('id', '=', streamId)
    .execute();

  const a = await account(baseUrl, '陈阿姨');
  const b = await account(baseUrl, '刘叔');
  const visitor = `visitor-${randomUUID()}`;
  const at = (m: number) => start + m * MINUTE;
  await webhook(baseUrl, 'participant_joined', streamId, owner.userId, at(0));
  await webhook(baseUrl, 'participant_joined', streamId, a.userId, at(1));
  await webhook(baseUrl, 'participant_joined', streamId, b.userId, at(2.5));
  await webhook(baseUrl, 'participant_joined', streamId, visitor, at(4));
  await webhook(baseUrl, 'participant_left', streamId, b.userId, at(9));
  for (const [segment, m] of [
    ['sourcing', 0.5],
    ['kitchen', 6],
  ] as const) {
    await db
      .insertInto('stream_segments')
      .values({ stream_id: streamId, segment, set_by: owner.userId, started_at: new Date(at(m)) })
      .execute();
  }
  const order = async (buyer: APIRequestContext) =>
    (
      await ok<{ order: { id: string } }>(
        await buyer.post(`/api/streams/${streamId}/orders`, {
          data: { offerId: offer.id, quantity: 2, phone: phoneOf(buyer) },
        }),
        201,
      )
    ).order.id;
  const firstOrder = await order(a.api);
  await order(a.api);
  await order(b.api);
  // things waiting for the owner: a refund request and a leader application
  await ok(
    await a.api.post(`/api/orders/${firstOrder}/refund-requests`, {
      data: { reason: '有两颗坏果，坏果包赔' },
    }),
    201,
  );
  await ok(
    await b.api.post(`/api/shops/${shop.id}/leaders/apply`, {
      data: { displayName: '刘叔', community: '康健新村' },
    }),
    201,
  );
  // orders and comments spread over the stream, as they would be
  const orderRows = await db
    .selectFrom('orders')
    .select('id')
    .where('stream_id', '=', streamId)
    .orderBy('created_at')
    .execute();
  for (const [i, row] of orderRows.entries()) {
    await sql`update orders set created_at = ${new Date(at(3 + i * 3))} where id = ${row.id}`.execute(
      db,
    );
  }
  for (const [m, text] of [
    [1.2, '新鲜吗'],
    [1.5, '多少钱一盒'],
    [3.1, '要两盒'],
    [6.4, '后厨好干净'],
    [6.6, '切开看看'],
    [7, '甜不甜'],
  ] as const) {
    await sql`insert into comments (stream_id, user_id, author_name, text, created_at)
      values (${streamId}, ${a.userId}, '陈阿姨', ${text}, ${new Date(at(m))})`.execute(db);
  }
  await ok(await owner.api.post(`/api/streams/${streamId}/end`));
  await db
    .updateTable('streams')
    .set({ ended_at: new Date(at(12)) })
    .where('id', '=', streamId)
    .execute();

  const scheduledId = await stream(
    '周六试吃会：新到的阳光玫瑰',
    new Date(Date.now() + 2 * 24 * 3600 * SECOND).toISOString(),
  );
  const liveId = await stream('现在直播：后厨切果盘');
  await ok(await owner.api.post(`/api/streams/${liveId}/start`));

  return {
    owner,
    shopId: shop.id,
    slug,
    streamId,
    scheduledId,
    liveId,
    close: async () => {
      await Promise.all([owner.api.dispose(), a.api.dispose(), b.api.dispose()]);
    },
  };
}
