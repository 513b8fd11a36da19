import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOffer, uniquePhone } from '../helpers/factories';
import type { serveTestApp } from '../helpers/app';
import { sessionCookie } from '../helpers/app';
import { joinStream, serveLiveStream } from '../helpers/socket-room';
import { ask, collect, until, type TestSocket } from '../helpers/sockets';

// 接龙: "+1" in the chat while an offer is pinned orders it through placeOrder, privately
// answered; refusals are never posted to the room.

let served: Awaited<ReturnType<typeof serveTestApp>>;
let shopId: string;
let streamId: string;
/** A roomy offer each resident first orders from through the API, as the sheet does. */
let warmUpOfferId: string;
const sockets: TestSocket[] = [];

async function joined(cookie: string) {
  return (await joinStream(served.url, cookie, streamId, sockets)).socket;
}

/** A guest who has ordered here once through the order route (so has a phone and pickup). */
async function residentWithAnOrder(name: string) {
  const cookie = await sessionCookie(served.url, { guest: name });
  const phone = uniquePhone();
  const res = await fetch(`${served.url}/api/streams/${streamId}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: served.url, cookie },
    body: JSON.stringify({ offerId: warmUpOfferId, quantity: 1, phone }),
  });
  expect(res.status).toBe(201);
  return { cookie, phone };
}

async function pin(offerId: string | null) {
  await served.db
    .updateTable('streams')
    .set({ pinned_offer_id: offerId })
    .where('id', '=', streamId)
    .execute();
}

async function ordersOn(offerId: string) {
  return served.db
    .selectFrom('orders')
    .select(['id', 'buyer_id', 'quantity', 'phone', 'idempotency_key'])
    .where('offer_id', '=', offerId)
    .execute();
}

beforeAll(async () => {
  ({ served, shopId, streamId } = await serveLiveStream());
  warmUpOfferId = await makeOffer(served.db, { shopId, streamId }, { quantity: 1000 });
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await served.close();
});

describe('接龙: "+1" in the chat', () => {
  it('sells the last unit once when two residents "+1" at the same moment', async () => {
    const offerId = await makeOffer(served.db, { shopId, streamId }, { quantity: 1 });
    await pin(offerId);
    const a = await residentWithAnOrder('王小明');
    const b = await residentWithAnOrder('李大姐');
    const [sa, sb] = await Promise.all([joined(a.cookie), joined(b.cookie)]);
    const watcher = await joined(await sessionCookie(served.url, { guest: '看客' }));
    const comments = collect(watcher, 'comment:new');
    const orders = collect(watcher, 'order:new');

    const answers = await Promise.all([
      ask(sa, 'comment:send', { text: '+1', clientId: randomUUID() }),
      ask(sb, 'comment:send', { text: '＋1', clientId: randomUUID() }),
    ]);
    const won = answers.filter((x) => x.ok === true);
    const lost = answers.filter((x) => x.ok !== true);
    expect(won).toHaveLength(1);
    expect(lost).toEqual([
      { ok: false, error: { code: 'sold_out', message: expect.any(String) as string } },
    ]);
    const winner = won[0] as { id: string; order: { id: string; pickupCode: string } };
    expect(winner.order.pickupCode).toMatch(/^\d{6}$/);

    const stored = await ordersOn(offerId);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.id).toBe(winner.order.id);
    // the phone of the winner's earlier order in this shop
    expect([a.phone, b.phone]).toContain(stored[0]?.phone);

    // the room sees the winner's "+1" and the order; the loser's line is not posted
    await until(() => orders.some((o) => o.orderId === winner.order.id), 5000, 'order:new');
    await until(() => comments.some((c) => c.id === winner.id), 5000, 'the winning +1');
    await new Promise((r) => setTimeout(r, 200));
    expect(comments.filter((c) => c.text === '+1' || c.text === '＋1')).toHaveLength(1);

    // the 接龙 list names the winner, masked
    expect(await ask(watcher, 'jielong:list', { offerId })).toEqual({
      ok: true,
      entries: [
        {
          orderId: winner.order.id,
          buyerName: expect.stringMatching(/^[王李]\*\*$/) as string,
          quantity: 1,
        },
      ],
    });
  });

  it('credits the leader whose link brought the resident, as the order sheet does', async () => {
    const code = `jl${randomUUID().slice(0, 8)}`;
    const owner = await served.db
      .selectFrom('shops')
      .select('owner_id')
      .where('id', '=', shopId)
      .executeTakeFirstOrThrow();
    const leader = await served.db
      .insertInto('leaders')
      .values({
        shop_id: shopId,
        user_id: owner.owner_id,
        display_name: '康健新村 李姐',
        status: 'approved',
        code,
        commission_rate: '0.1000',
        approved_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // the leader's link, opened before signing in: the click is the visitor cookie's alone
    const link = await fetch(`${served.url}/s/${code}`, { redirect: 'manual' });
    expect(link.status).toBe(302);
    const visitor = link.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => c.startsWith('linli_vid='));
    expect(visitor).toBeTruthy();
    const resident = await residentWithAnOrder('钱阿姨');
    const offerId = await makeOffer(served.db, { shopId, streamId }, { quantity: 10 });
    await pin(offerId);
    const socket = await joined(`${resident.cookie}; ${visitor}`);
    const answer = await ask(socket, 'comment:send', { text: '+1', clientId: randomUUID() });
    expect(answer).toMatchObject({ ok: true });
    const placed = await served.db
      .selectFrom('orders')
      .select(['leader_id', 'phone'])
      .where('offer_id', '=', offerId)
      .execute();
    expect(placed).toEqual([{ leader_id: leader.id, phone: resident.phone }]);
  });

  it('buys once when a "+1" is resent with its clientId after a reconnection', async () => {
    const offerId = await makeOffer(served.db, { shopId, streamId }, { quantity: 10 });
    await pin(offerId);
    const r = await residentWithAnOrder('张阿姨');
    const clientId = randomUUID();
    const first = await joined(r.cookie);
    const answer = await ask(first, 'comment:send', { text: '接龙 2', clientId });
    expect(answer).toMatchObject({ ok: true, replayed: false, order: { quantity: 2 } });
    first.disconnect();

    const again = await joined(r.cookie);
    const resent = await ask(again, 'comment:send', { text: '接龙 2', clientId });
    expect(resent).toMatchObject({ ok: true, replayed: true });
    expect((resent as { order: unknown }).order).toEqual((answer as { order: unknown }).order);
    expect(resent).not.toHaveProperty('id');
    const stored = await ordersOn(offerId);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.idempotency_key).toBe(`chat:${clientId}`);
    // one chat line, not two
    const lines = await served.db
      .selectFrom('comments')
      .select('id')
      .where('stream_id', '=', streamId)
      .where('text', '=', '接龙 2')
      .execute();
    expect(lines).toHaveLength(1);
  });

  it('holds "+2" to the per-buyer limit and says what is held', async () => {
    const offerId = await makeOffer(
      served.db,
      { shopId, streamId },
      { quantity: 50, perBuyerLimit: 2 },
    );
    await pin(offerId);
    const r = await residentWithAnOrder('赵叔');
    const socket = await joined(r.cookie);
    expect(await ask(socket, 'comment:send', { text: '+1', clientId: randomUUID() })).toMatchObject(
      {
        ok: true,
      },
    );
    // the comment limit allows a burst of 3
    expect(await ask(socket, 'comment:send', { text: '+2', clientId: randomUUID() })).toEqual({
      ok: false,
      error: {
        code: 'limit_exceeded',
        message: expect.any(String) as string,
        limit: { perBuyer: 2, held: 1 },
      },
    });
    expect((await ordersOn(offerId)).map((o) => o.quantity)).toEqual([1]);
  });

  it('answers needs_details to a resident who never ordered here', async () => {
    const offerId = await makeOffer(served.db, { shopId, streamId }, { quantity: 5 });
    await pin(offerId);
    const socket = await joined(await sessionCookie(served.url, { guest: '新邻居' }));
    const seen = collect(socket, 'comment:new');
    expect(await ask(socket, 'comment:send', { text: '+3', clientId: randomUUID() })).toMatchObject(
      {
        ok: false,
        error: { code: 'needs_details' },
      },
    );
    expect(await ordersOn(offerId)).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.filter((c) => c.text === '+3')).toEqual([]);
  });

  it('answers privately when no offer is pinned', async () => {
    await pin(null);
    const r = await residentWithAnOrder('孙奶奶');
    const socket = await joined(r.cookie);
    expect(await ask(socket, 'comment:send', { text: '+1', clientId: randomUUID() })).toMatchObject(
      {
        ok: false,
        error: { code: 'no_pinned_offer' },
      },
    );
  });

  it('treats "+1" inside other text as a comment', async () => {
    const offerId = await makeOffer(served.db, { shopId, streamId }, { quantity: 5 });
    await pin(offerId);
    const r = await residentWithAnOrder('周哥');
    const socket = await joined(r.cookie);
    const seen = collect(socket, 'comment:new');
    const answer = await ask(socket, 'comment:send', {
      text: '我也+1 好吃',
      clientId: randomUUID(),
    });
    expect(answer).toEqual({ ok: true, id: expect.any(String) as string });
    await until(() => seen.some((c) => c.text === '我也+1 好吃'), 5000, 'the comment');
    expect(await ordersOn(offerId)).toEqual([]);
  });
});
